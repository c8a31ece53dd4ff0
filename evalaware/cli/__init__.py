"""The ``evalaware`` command line: one module per subcommand, wired by ``main``."""
