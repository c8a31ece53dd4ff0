"""Constants the CLI needs before (and without) importing Inspect: keeps `--help` fast."""

#: The embedded zero-key model (evalaware.probes.local_model).
DEFAULT_MODEL = "evalaware/smollm2"
