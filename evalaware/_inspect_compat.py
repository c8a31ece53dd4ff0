"""Every name evalaware takes from Inspect's private modules, imported in this one place.

Inspect does not export these, and may move or rename them in any release. Product code
imports them from here, so a move is one edit in this file, and ``tests/test_inspect_compat.py``
fails naming the private path that moved instead of an import error deep inside a task.
Add a private name here (one ``from inspect_ai.<private> import`` per line) rather than
importing it where it is used.
"""

from __future__ import annotations

# The error Inspect reports in one line (no traceback) when a prerequisite is missing;
# raising it, or a subclass, gets the same treatment from `inspect eval` and `evalaware run`.
from inspect_ai._util.error import PrerequisiteError

# Loads the hooks registered so far, once per process, printing a banner when there are any.
# `evalaware run` calls it before registering its progress hook (which would otherwise make
# Inspect announce "hooks enabled" above the run), and the later calls inside eval are no-ops.
from inspect_ai.hooks._startup import init_hooks

# The model under evaluation while a task is built (`inspect eval` builds tasks with it set):
# lets a task refuse an unsuitable model before any sample runs.
from inspect_ai.model._model import active_model

# The embedded model's tool-calling chat format (Llama 3.1 style), shared with Inspect's
# own chat-API providers.
from inspect_ai.model._providers.util.chatapi import ChatAPIMessage, chat_api_messages_for_handler
from inspect_ai.model._providers.util.llama31 import Llama31Handler

__all__ = [
    "ChatAPIMessage",
    "Llama31Handler",
    "PrerequisiteError",
    "active_model",
    "chat_api_messages_for_handler",
    "init_hooks",
]
