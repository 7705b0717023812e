"""Ask, validate, ask again with the reasons: the loop every LLM stage shares."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from .calls import CallOutcome
from .models import ChatMessage, ChatRequest

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


class Chat(Protocol):
    async def chat(self, request: ChatRequest, *, resource_id: str | None, purpose: str) -> CallOutcome: ...

    async def reject(self, outcome: CallOutcome, reason: str) -> None: ...


@dataclass(frozen=True)
class Asked(Generic[T]):
    value: T | None  # None: every ask was rejected
    problems: list[str]  # why the last ask was rejected (empty on success)
    calls: tuple[CallOutcome, ...]

    @property
    def asks(self) -> int:
        return len(self.calls)


async def ask_until_valid(
    llm: Chat,
    request: ChatRequest,
    accept: Callable[[CallOutcome], tuple[T | None, list[str]]],
    retry_message: Callable[[list[str]], str],
    *,
    resource_id: str | None,
    purpose: str,
    max_asks: int,
) -> Asked[T]:
    """``accept`` turns a reply into a value or the problems with it; problems are sent back."""
    calls: list[CallOutcome] = []
    problems: list[str] = ["not asked"]
    for _ in range(max_asks):
        outcome = await llm.chat(request, resource_id=resource_id, purpose=purpose)
        calls.append(outcome)
        if outcome.finish_reason == "length":
            value, problems = None, ["the reply was cut off (finish_reason=length) before it ended; be shorter"]
        else:
            value, problems = accept(outcome)
        if value is not None and not problems:
            return Asked(value, [], tuple(calls))
        await llm.reject(outcome, "; ".join(problems))
        request = request.model_copy(
            update={
                "messages": [
                    *request.messages,
                    ChatMessage(role="assistant", content=outcome.content),
                    ChatMessage(role="user", content=retry_message(problems)),
                ]
            }
        )
    return Asked(None, problems, tuple(calls))


def parse_json_answer(content: str, model: type[M]) -> tuple[M | None, list[str]]:
    """A JSON reply → model, or the problems (JSON syntax, schema) phrased for a re-ask."""
    fenced = _FENCE.match(content)
    text = fenced.group(1) if fenced else content.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"the reply is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False)[:20]:
            where = ".".join(str(p) for p in error["loc"]) or "(top level)"
            problems.append(f"{where}: {error['msg']}")
        return None, problems
