"""Every rule, in the order a sentence is examined (which orders a sentence's hits)."""

from __future__ import annotations

from evalaware.scorers.lexical.rule import Rule
from evalaware.scorers.lexical.rules_evaluation import EVALUATION_RULES, ORG_RULES
from evalaware.scorers.lexical.rules_test import TEST_RULES
from evalaware.scorers.lexical.rules_trap import TRAP_RULES
from evalaware.scorers.lexical.watched import WATCHED_RULE

SENTENCE_RULES: tuple[Rule, ...] = (*EVALUATION_RULES, *TEST_RULES, *TRAP_RULES, *ORG_RULES)
"""The rules run on each sentence; ``WATCHED_RULE`` runs only after a consequence is found."""
ALL_RULES: tuple[Rule, ...] = (*SENTENCE_RULES, WATCHED_RULE)
"""Every rule: the anchors and the key screen are built from these."""
