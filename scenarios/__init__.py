"""evalaware scenarios: the data model (schema, loader, renderer, sample metadata), and the
YAML scenario pairs beside it."""
