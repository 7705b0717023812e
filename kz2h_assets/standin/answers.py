"""What the stand-in answers: a deterministic function of the chat request.

``answer(messages, response_format)`` asks each entry of ``ANSWERERS`` in order; the
first that recognises the request returns its content. To teach the stand-in a new
request kind, write ``def answer_x(request: ChatRequest) -> str | None`` (None: "not
mine") in a module of this package and add ``("x", answer_x)`` to ``ANSWERERS``.
Pure: no I/O, no server state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .spanish import to_spanish

TRANSLATE_MARKER = "TRANSLATE:\n"  # what kz2h_assets.translation.user_prompt puts before the text

Message = Mapping[str, Any]


@dataclass(frozen=True)
class ChatRequest:
    """The parts of a validated chat-completions request an answerer may look at."""

    messages: tuple[Message, ...]
    response_format: Mapping[str, Any] | None = None

    @property
    def json_mode(self) -> bool:
        return self.response_format is not None and self.response_format.get("type") == "json_object"

    def contents(self, role: str) -> list[str]:
        """The text of every message with this role, in order."""
        return [m.get("content") or "" for m in self.messages if m.get("role") == role]

    @property
    def system(self) -> str:
        """The leading system messages: the prefix DeepSeek's context cache matches."""
        parts = []
        for message in self.messages:
            if message.get("role") != "system":
                break
            parts.append(message.get("content") or "")
        return "\n".join(parts)

    @property
    def last_user(self) -> str:
        users = self.contents("user")
        return users[-1] if users else ""


@dataclass(frozen=True)
class Answer:
    kind: str  # which answerer produced it: "translation", ..., or "fallback"
    content: str


Answerer = Callable[[ChatRequest], "str | None"]


# --------------------------------------------------------------------------- translation


def translation_source(request: ChatRequest) -> str | None:
    """The text to translate: after the marker in the last user message that has one.

    A re-ask (the client's ``retry_prompt`` as the last user message, after the rejected
    assistant reply) carries no marker itself, so the original request's text is used.
    """
    for content in reversed(request.contents("user")):
        if TRANSLATE_MARKER in content:
            return content.split(TRANSLATE_MARKER, 1)[1].strip()
    return None


def answer_translation(request: ChatRequest) -> str | None:
    source = translation_source(request)
    if source is None:
        return None
    spanish = to_spanish(source)
    if request.json_mode:
        return json.dumps({"translation": spanish}, ensure_ascii=False)
    return spanish


# --------------------------------------------------------------------------- dispatch


def answer_content_task(request: ChatRequest) -> str | None:
    """Summaries, questions and exercises (``TASK: ...`` requests): see content.py."""
    from .content import answer_content

    return answer_content([dict(m) for m in request.messages])


ANSWERERS: list[tuple[str, Answerer]] = [
    ("content", answer_content_task),
    ("translation", answer_translation),
]

FALLBACK_TEXT = "Respuesta del servidor de prueba kz2h-standin: no hay un generador para este tipo de petición."


def answer_fallback(request: ChatRequest) -> str:
    if request.json_mode:
        return json.dumps({"standin": "kz2h-standin", "note": FALLBACK_TEXT}, ensure_ascii=False)
    return FALLBACK_TEXT


def answer(messages: Sequence[Message], response_format: Mapping[str, Any] | None = None) -> Answer:
    """The stand-in's reply content for these messages (deterministic)."""
    request = ChatRequest(tuple(messages), response_format)
    for kind, answerer in ANSWERERS:
        content = answerer(request)
        if content is not None:
            return Answer(kind, content)
    return Answer("fallback", answer_fallback(request))
