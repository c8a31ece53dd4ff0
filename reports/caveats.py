"""Caveats worded for the person who ran the command: shared by the report and the terminal summary."""

from __future__ import annotations

from typing import Any

__all__ = [
    "NATIVE_CRASH",
    "SIMULATED",
    "check_judge_disagreement",
    "native_crash",
    "simulated_subjects",
    "stopped_abruptly",
]

#: What the embedded provider's error says when its model process dies in native code
#: (``evalaware.probes.local_model``); such samples are redone once the model is rebuilt.
NATIVE_CRASH = "the embedded model crashed in native code"


#: The model-name prefix of the simulated organisms (``evalaware.probes.organisms``).
SIMULATED = "evalaware/organism-"


def simulated_subjects(models: list[str]) -> str | None:
    """The banner for a report whose every model is a simulated organism, else None: its numbers
    describe the instrument on planted effects, never a real model."""
    if not models or not all(str(m).startswith(SIMULATED) for m in models):
        return None
    names = ", ".join(str(m)[len(SIMULATED) :] for m in models)
    return (
        f"SIMULATED SUBJECTS: every model in this report is a simulated organism ({names}) with planted "
        "awareness and behaviour rates (evalaware.probes.organisms). The numbers show what evalaware "
        "recovers from known answers; they say nothing about any real model"
    )


def stopped_abruptly(who: str, completed: int) -> str:
    """A log still in status ``started``: nothing recorded how it ended, so the process died."""
    return (
        f"run stopped abruptly: {who}: the process was killed or crashed (for example a native crash "
        f"of the embedded model) before it finished; the {completed} sample(s) it completed are kept; "
        "run the same command again to resume"
    )


def native_crash(who: str, n: int) -> str:
    return (
        f"{who}: {n} sample(s) errored because {NATIVE_CRASH}; rebuild the embedded model with "
        "`bash scripts/bootstrap.sh`, then run the same command again to redo them"
    )


def check_judge_disagreement(row: Any) -> str:
    """A pair whose deterministic check and judge disagree beyond the threshold (``Agreement.warn``).

    ``row`` has the agreement table's fields (``evalaware.reports.data.AGREEMENT_COLUMNS``).
    """
    kappa = "kappa undefined" if row.kappa != row.kappa else f"kappa {row.kappa:.2f}"
    if row.kappa_lo == row.kappa_lo:
        kappa += f" [{row.kappa_lo:.2f}, {row.kappa_hi:.2f}]"
    return (
        f"check and judge disagree on pair {row.pair} ({row.model}): they agree on {row.agree} of {row.n} "
        f"samples ({row.rate:.0%}), {kappa}; the check flagged {row.check_only} the judge did not, the judge "
        f"flagged {row.judge_only} the check did not. The headline uses the check: review its pattern "
        "and the rubric on those transcripts (samples.csv: check_flagged, judge_flagged, judge_explanation)"
    )


def mixed_served_models(model: str, mixed: dict[str, list[str]]) -> str:
    """One model name answered by several served ids, provider routes or hosts inside this report.

    ``mixed`` maps what varied (``served model ids``, ``provider routes``, ``base URL hosts``) to
    its values; read from the responses (``evalaware.reports.provenance``).
    """
    what = "; ".join(f"{len(values)} {name}: {', '.join(values)}" for name, values in mixed.items())
    return (
        f"{model} was answered by more than one server configuration in this report ({what}): results "
        "pooled under this name may mix models or backends; compare within one (samples.csv: served_model, "
        'provider_route, base_url_host), or pin the route (OpenRouter: -M provider=\'{"order": [...], '
        '"allow_fallbacks": false}\')'
    )
