"""Translation prompts, validation and the re-ask loop, with a fake chat that records what it was asked."""

from __future__ import annotations

import asyncio
from collections import deque

import pytest

from kz2h_assets.catalog import load_catalog
from kz2h_assets.llm.calls import CallOutcome
from kz2h_assets.llm.models import ChatRequest, Usage
from kz2h_assets.sources.models import Segment
from kz2h_assets.translation import (
    Translated,
    Untranslated,
    build_request,
    protected_tokens,
    system_prompt,
    translate_all,
    validate_translation,
)

SOURCE = (
    "So we write self.grad += out.grad * (1 - t**2) and the loss comes down to 2.45 with a block_size of 8. "
    "Then we call `loss.backward()` and look at the gradient."
)
GOOD = (
    "Entonces escribimos self.grad += out.grad * (1 - t**2) y la pérdida baja a 2.45 con un block_size de 8. "
    "Luego llamamos a `loss.backward()` y miramos el gradiente."
)


class FakeChat:
    """Answers each segment from its own queue of replies; records every request and rejection."""

    def __init__(self, replies: dict[str, list[tuple[str, str]]]) -> None:
        self.replies = {text: deque(queue) for text, queue in replies.items()}
        self.requests: list[ChatRequest] = []
        self.rejected: list[str] = []

    async def chat(self, request: ChatRequest, *, resource_id: str | None, purpose: str) -> CallOutcome:
        self.requests.append(request)
        text = request.messages[1].content.split("TRANSLATE:\n", 1)[1]
        content, finish = self.replies[text].popleft()
        return CallOutcome(
            call_id=len(self.requests),
            content=content,
            finish_reason=finish,
            model="fake",
            usage=Usage(prompt_tokens=10, completion_tokens=10),
            cost_usd=0.0,
            latency_seconds=0.01,
            attempts=1,
            retried=(),
            reused=False,
            is_standin=False,
        )

    async def reject(self, outcome: CallOutcome, reason: str) -> None:
        self.rejected.append(reason)


def _segment(text: str = SOURCE, position: int = 0) -> Segment:
    return Segment(
        id=f"seg{position}", resource_id="kz2h-micrograd", section="value-and-dag", position=position,
        text=text, words=len(text.split()),
    )  # fmt: skip


def test_a_good_translation_passes() -> None:
    assert validate_translation(SOURCE, GOOD) is None


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("", "empty"),
        (SOURCE, "copy of the English source"),
        ("Entonces escribimos self.grad.", "length is"),
        (GOOD.replace("2.45", "2,45"), "2.45"),
        (GOOD.replace("block_size", "tamaño_de_bloque"), "block_size"),
        (GOOD.replace("`loss.backward()`", "loss.backward"), "`loss.backward()`"),
        (
            "Donc nous écrivons self.grad += out.grad * (1 - t**2) et la perte descend à 2.45 avec un block_size "
            "de 8. Ensuite nous appelons `loss.backward()` et regardons le gradient.",
            "does not read as Spanish",
        ),
    ],
)
def test_each_validation_rule_rejects_its_reply(reply: str, reason: str) -> None:
    rejection = validate_translation(SOURCE, reply)
    assert rejection is not None and reason in rejection.reason


def test_protected_tokens() -> None:
    assert {"self.grad", "out.grad", "2.45", "block_size", "8", "`loss.backward()`"} <= protected_tokens(SOURCE)


def test_the_system_prompt_is_identical_for_every_segment_and_holds_the_glossary() -> None:
    catalog = load_catalog()
    resource = catalog.resource("kz2h-micrograd")
    system = system_prompt(catalog, resource)
    a = build_request("m", system, _segment(position=0), None)
    b = build_request("m", system, _segment("Another text here.", position=1), _segment(position=0))
    assert a.messages[0] == b.messages[0]
    assert '"backpropagation" → "retropropagación"' in system
    assert '"tensor": keep in English' in system
    assert "CONTEXT: (start of the material)" in a.messages[1].content
    assert "CONTEXT: " + " ".join(SOURCE.split()[-40:]) in b.messages[1].content
    assert a.thinking == {"type": "disabled"}


def _run(chat: FakeChat, segments: list[Segment], max_asks: int = 3) -> tuple[list, list[Translated]]:
    saved: list[Translated] = []

    async def on_done(result: Translated) -> None:
        saved.append(result)

    results = asyncio.run(translate_all(chat, "m", "system", segments, {s.id for s in segments}, on_done,
                                        max_asks=max_asks))  # fmt: skip
    return results, saved


def test_a_rejected_reply_is_asked_again_with_the_reason() -> None:
    chat = FakeChat({SOURCE: [(SOURCE, "stop"), (GOOD[:40], "length"), (GOOD, "stop")]})
    results, saved = _run(chat, [_segment()])
    assert isinstance(results[0], Translated) and results[0].asks == 3
    assert [s.text_es for s in saved] == [" ".join(GOOD.split())]
    assert "copy of the English source" in chat.rejected[0] and "cut off" in chat.rejected[1]
    third = chat.requests[2].messages
    assert [m.role for m in third] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert third[3].content.startswith("Your translation was rejected: the reply is a copy")
    assert third[5].content.startswith("Your translation was rejected: the reply was cut off")


def test_after_bounded_asks_the_segment_fails_with_the_reason_and_the_others_are_kept() -> None:
    other = _segment("We compute the gradient of the loss.", position=1)
    chat = FakeChat(
        {SOURCE: [(SOURCE, "stop"), (SOURCE, "stop")], other.text: [("Calculamos el gradiente de la pérdida.", "stop")]}
    )
    results, saved = _run(chat, [_segment(), other], max_asks=2)
    failed = [r for r in results if isinstance(r, Untranslated)]
    assert len(failed) == 1 and failed[0].segment.id == "seg0"
    assert "copy of the English source" in failed[0].reason and len(failed[0].calls) == 2
    assert [s.segment.id for s in saved] == ["seg1"]
