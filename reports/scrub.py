"""Remove credentials from anything a report prints.

Logs carry more than transcripts: the eval spec records ``model_base_url`` (which may hold
``user:pass@``), ``model_args`` (which may hold headers or keys passed with ``-M``) and task
arguments; a model may also echo a key it was shown. Reports are pasted into pull requests
and papers, so every string that reaches an output goes through ``scrub_text`` and every
structure through ``scrub_obj``. The patterns err on the side of redacting too much.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["REDACTED", "is_secret_key", "scrub_obj", "scrub_text"]

REDACTED = "[REDACTED]"

# Key names whose values are credentials whatever they look like.
_SECRET_KEY = re.compile(
    r"(?i)^(?:authorization|proxy-authorization|cookie|set-cookie)$"
    r"|api[_-]?key|apikey|access[_-]?key|secret|password|passwd|credential|private[_-]?key"
    # "token" / "access_token" / "hf_token", but not "max_tokens" or "total_tokens".
    r"|(?:^|[_\-])token$"
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Provider keys with a recognisable prefix (OpenAI/Anthropic sk-, GitHub, Slack, Google,
    # Hugging Face, AWS access key ids, JWTs).
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), REDACTED),
    (re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}"), REDACTED),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"), REDACTED),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"), REDACTED),
    (re.compile(r"\bhf_[A-Za-z0-9]{20,}"), REDACTED),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"), REDACTED),
    # "Authorization: Bearer xyz", "api_key=xyz", '"x-api-key": "xyz"' in free text.
    (
        re.compile(
            r"(?i)\b(authorization|proxy-authorization|x-api-key|api[_-]?key|apikey|access[_-]?token|"
            r"auth[_-]?token|password|secret)(\"?\s*[:=]\s*\"?)(?:(?:bearer|basic|token)\s+)?[^\s\"',;&]+"
        ),
        r"\1\2" + REDACTED,
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/\-]{8,}=*"), r"\1 " + REDACTED),
    # Credentials in URLs: scheme://user:pass@host and ?key=...&token=...
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@:]+:[^/\s@]*@"), r"\1" + REDACTED + "@"),
    (
        re.compile(
            r"(?i)([?&](?:api[_-]?key|key|token|access_token|auth|sig|signature|password)=)[^&\s#\"']+"
        ),
        r"\1" + REDACTED,
    ),
]


# Every pattern above needs one of these substrings; most report strings (numbers, names)
# have none, and one search is far cheaper than ten substitutions.
_PREFILTER = re.compile(
    r"sk-|gh[opusr]_|github_pat_|xox|AIza|hf_|AKIA|ASIA|eyJ|://|[?&]|(?i:auth|api|key|token|secret|pass|bearer|basic)"
)


def scrub_text(text: str) -> str:
    """``text`` with every credential-looking token replaced by ``[REDACTED]``."""
    if not text or not _PREFILTER.search(text):
        return text
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def is_secret_key(key: str) -> bool:
    """True when a mapping key names a credential (its value is redacted wholesale)."""
    return bool(_SECRET_KEY.search(key))


def scrub_obj(obj: Any) -> Any:
    """A copy of a JSON-like structure with credential values and tokens redacted."""
    if isinstance(obj, str):
        return scrub_text(obj)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            if isinstance(key, str) and is_secret_key(key) and value not in (None, "", {}, []):
                out[key] = REDACTED
            else:
                out[key] = scrub_obj(value)
        return out
    if isinstance(obj, list | tuple):
        return [scrub_obj(v) for v in obj]
    return obj
