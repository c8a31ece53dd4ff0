"""Inspect's namespace for evalaware.

Inspect names a packaged task after the top-level import package that *defines* it, so
``inspect eval evalaware/paired_probe`` needs the task functions to live in a package
called ``evalaware``. They are built in ``probes``; ``evalaware.tasks`` re-exports them
under this name, and ``evalaware._registry`` is the entry point Inspect loads.
"""
