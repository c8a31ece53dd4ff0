"""evalaware probes: the Inspect tasks and solvers, and the embedded local model provider."""
