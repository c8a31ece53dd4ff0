"""evalaware probes: scenario schema and loading, Inspect tasks and solvers, the embedded
local model provider, and the `evalaware` CLI."""
