"""English → Spanish translation of segments: prompts and reply validation. Pure: no I/O, no Dagster.

Every segment of a resource shares one byte-identical system prompt (instructions,
glossary, resource context) so DeepSeek's context cache hits from the second call on.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .catalog.models import Catalog, GlossaryTerm, Resource
from .llm.asking import Chat, ask_until_valid
from .llm.calls import CallOutcome
from .llm.models import ChatMessage, ChatRequest
from .sources.models import Segment

PROMPT_VERSION = "translate-v1"
CONTEXT_WORDS = 40  # the previous segment's tail given as context

MIN_RATIO, MAX_RATIO = 0.75, 2.0  # Spanish/English characters; EN→ES is usually 1.1–1.3
MIN_SPANISH_CONFIDENCE = 0.5

_CODE_SPAN = re.compile(r"`[^`\n]+`")
# identifiers and code-ish tokens: x.grad, F.cross_entropy, self._backward, tanh(), **-0.5, C[ix]
_CODE_TOKEN = re.compile(
    r"(?<![\w.])(?:[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]*_[A-Za-z_\d]*\w|\w+\(\)?\)?)(?![\w])"
)
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?%?(?![\w])", re.I)


@dataclass(frozen=True)
class Rejection:
    reason: str


def glossary_lines(glossary: list[GlossaryTerm]) -> str:
    lines = []
    for term in glossary:
        if term.es is None:
            rule = f'- "{term.term}": keep in English'
        else:
            rule = f'- "{term.term}" → "{term.es}"'
        if term.note:
            rule += f" ({term.note})"
        lines.append(rule)
    return "\n".join(lines)


def system_prompt(catalog: Catalog, resource: Resource) -> str:
    """The byte-identical prefix shared by every segment of a resource."""
    kind = "video lecture transcript" if resource.kind == "video" else "research paper"
    return (
        "You translate English machine-learning teaching material into Spanish for a Spanish-language "
        "course platform.\n\n"
        "Rules:\n"
        "1. Translate the text after 'TRANSLATE:' into natural, neutral Spanish (for Latin America and Spain), "
        "keeping the meaning, tone and every idea. Do not summarise, add or omit anything.\n"
        "2. Keep code, identifiers, function and variable names, numbers, formulas, units and URLs exactly as "
        "written (e.g. `x.grad`, self.backward(), 0.01, 2.45, 50257). Write decimals with a point as in the "
        "source.\n"
        "3. Render the glossary terms below exactly as the glossary says.\n"
        "4. The CONTEXT is the end of the previous segment: use it only to understand the text; do not "
        "translate or repeat it.\n"
        "5. Reply with the Spanish translation only: no preface, notes, quotes or markdown fences.\n\n"
        f"Glossary:\n{glossary_lines(catalog.glossary)}\n\n"
        f"Material: {kind} «{resource.title_en}» ({resource.id}), course title in Spanish "
        f"«{resource.title_es}»."
    )


def user_prompt(text: str, previous_tail: str) -> str:
    context = previous_tail if previous_tail else "(start of the material)"
    return f"CONTEXT: {context}\n\nTRANSLATE:\n{text}"


def tail(text: str, words: int = CONTEXT_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[-words:])


def retry_prompt(rejection: Rejection) -> str:
    return (
        f"Your translation was rejected: {rejection.reason}. Translate the same TRANSLATE text again, "
        "following every rule, and reply with the Spanish translation only."
    )


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN, Language.FRENCH, Language.GERMAN
    ).build()


def spanish_confidence(text: str) -> float:
    from lingua import Language

    return float(_detector().compute_language_confidence(text, Language.SPANISH))


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).strip()


def protected_tokens(text: str) -> set[str]:
    """Code spans, identifiers and numbers that must appear verbatim in the translation."""
    tokens = set(_CODE_SPAN.findall(text))
    stripped = _CODE_SPAN.sub(" ", text)
    tokens |= {t.rstrip(".,;:") for t in _CODE_TOKEN.findall(stripped) if any(c in t for c in "._(")}
    tokens |= {n.rstrip(".,") for n in _NUMBER.findall(stripped)}
    return {t for t in tokens if t}


def validate_translation(source: str, reply: str) -> Rejection | None:
    """None when the reply is an acceptable Spanish translation of source, else why not."""
    src, out = _normal(source), _normal(reply)
    if not out:
        return Rejection("the reply is empty")
    if out.casefold() == src.casefold():
        return Rejection("the reply is a copy of the English source, not a translation")
    ratio = len(out) / max(len(src), 1)
    if not MIN_RATIO <= ratio <= MAX_RATIO:
        return Rejection(
            f"its length is {ratio:.2f}× the source's; a faithful Spanish translation is "
            f"{MIN_RATIO}–{MAX_RATIO}× (nothing may be omitted or added)"
        )
    missing = sorted(t for t in protected_tokens(src) if t not in out)
    if missing:
        shown = ", ".join(missing[:8])
        return Rejection(f"code, identifiers or numbers changed or missing: {shown} (keep them exactly)")
    confidence = spanish_confidence(out)
    if confidence < MIN_SPANISH_CONFIDENCE:
        return Rejection(f"it does not read as Spanish (confidence {confidence:.2f}); translate into Spanish")
    return None


# --------------------------------------------------------------------------- orchestration


@dataclass(frozen=True)
class Translated:
    segment: Segment
    text_es: str
    asks: int  # 1 = accepted at the first ask
    calls: tuple[CallOutcome, ...]


@dataclass(frozen=True)
class Untranslated:
    segment: Segment
    reason: str
    calls: tuple[CallOutcome, ...]


def build_request(model: str, system: str, segment: Segment, previous: Segment | None) -> ChatRequest:
    messages = [
        ChatMessage(role="system", content=system),
        ChatMessage(role="user", content=user_prompt(segment.text, tail(previous.text) if previous else "")),
    ]
    # Spanish runs ~1.2x English; tokens ~ chars / 3.5. Room to spare so replies are not cut.
    return ChatRequest(model=model, messages=messages, max_tokens=max(512, int(len(segment.text) / 2)))


async def translate_segment(
    llm: Chat,
    request: ChatRequest,
    segment: Segment,
    *,
    max_asks: int = 3,
) -> Translated | Untranslated:
    """Ask, validate, re-ask with the reason; bounded. Raises LLMError when the API itself fails."""

    def accept(outcome: CallOutcome) -> tuple[str | None, list[str]]:
        rejection = validate_translation(segment.text, outcome.content)
        if rejection is not None:
            return None, [rejection.reason]
        return " ".join(outcome.content.split()), []

    asked = await ask_until_valid(
        llm,
        request,
        accept,
        lambda problems: retry_prompt(Rejection("; ".join(problems))),
        resource_id=segment.resource_id,
        purpose="translation",
        max_asks=max_asks,
    )
    if asked.value is None:
        return Untranslated(segment, "; ".join(asked.problems), asked.calls)
    return Translated(segment, asked.value, asked.asks, asked.calls)


async def translate_all(
    llm: Chat,
    model: str,
    system: str,
    segments: list[Segment],
    todo: set[str],
    on_done: Callable[[Translated], Awaitable[None]],
    *,
    max_asks: int = 3,
) -> list[Translated | Untranslated]:
    """Translate the segments whose ids are in ``todo`` concurrently (the client bounds in-flight).

    Each finished segment is handed to ``on_done`` at once, so a crash loses nothing finished.
    A fatal API error (401, 402, ...) cancels the rest and propagates.
    """
    previous = {s.id: p for p, s in zip([None, *segments], segments, strict=False)}

    async def one(segment: Segment) -> Translated | Untranslated:
        result = await translate_segment(
            llm, build_request(model, system, segment, previous[segment.id]), segment, max_asks=max_asks
        )
        if isinstance(result, Translated):
            await on_done(result)
        return result

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(s)) for s in segments if s.id in todo]
    return [t.result() for t in tasks]
