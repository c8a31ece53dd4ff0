"""evalaware: does a model notice it is being tested, say so, and behave differently?

Installed, the source tree's top-level folders live under this one namespace:
``evalaware.scenarios`` (``scenarios/``), ``evalaware.scorers`` (``scorers/``),
``evalaware.probes`` (``probes/``) and ``evalaware.reports`` (``reports/``); the command line
is ``evalaware.cli``. Imports go one way, scenarios <- scorers <- probes <- reports <- cli
(see "Architecture" in README.md; ``.importlinter`` enforces it).
"""
