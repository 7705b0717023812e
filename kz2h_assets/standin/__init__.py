"""A local stand-in for DeepSeek's chat-completions API, for tests, CI and `make demo`.

Start it with ``python -m kz2h_assets.standin --port N`` or ``StandinServer(...).start()``.
It speaks the same protocol (auth, errors, usage with context-cache fields, keep-alive
blank lines), injects faults on demand, and answers deterministically: translation
requests get a word-level Spanish rendering that passes ``validate_translation``.
Everything it serves is labelled ``kz2h-standin``.
"""

from .answers import ANSWERERS, Answer, ChatRequest, answer
from .server import DEFAULT_FAULTS, FAULTS, MODEL, SCRIPT_STEPS, StandinServer, estimate_tokens
from .spanish import to_spanish

__all__ = [
    "ANSWERERS",
    "DEFAULT_FAULTS",
    "FAULTS",
    "MODEL",
    "SCRIPT_STEPS",
    "Answer",
    "ChatRequest",
    "StandinServer",
    "answer",
    "estimate_tokens",
    "to_spanish",
]
