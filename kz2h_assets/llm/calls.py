"""The call log: every LLM call recorded, identical successful requests reused instead of paid again."""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .client import ChatClient, LLMError
from .models import ChatCompletion, ChatRequest, Usage
from .prices import cost_usd


def request_hash(request: ChatRequest) -> str:
    body = json.dumps(request.body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class CallOutcome:
    call_id: int
    content: str
    finish_reason: str | None
    model: str
    usage: Usage
    cost_usd: float | None
    latency_seconds: float
    attempts: int  # HTTP attempts of this call (1 = no retry); 0 when reused
    retried: tuple[str, ...]
    reused: bool
    is_standin: bool


_INSERT = sa.text(
    """
    INSERT INTO kz2h.llm_calls (request_hash, resource_id, purpose, model, status, attempts, retried,
        latency_ms, prompt_tokens, prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens,
        cost_usd, finish_reason, content, error, is_standin, run_id)
    VALUES (:hash, :resource_id, :purpose, :model, :status, :attempts, :retried, :latency_ms, :prompt_tokens,
        :hit, :miss, :completion_tokens, :cost, :finish_reason, :content, :error, :is_standin, :run_id)
    RETURNING id
    """
)

_REUSE = sa.text(
    """
    SELECT id, content, finish_reason, model, prompt_tokens, prompt_cache_hit_tokens, prompt_cache_miss_tokens,
           completion_tokens, is_standin
    FROM kz2h.llm_calls
    WHERE request_hash = :hash AND status = 'ok' AND rejected_reason IS NULL
      AND finish_reason IS DISTINCT FROM 'length'
    ORDER BY id DESC LIMIT 1
    """
)


class CallLog:
    """Runs requests through a ChatClient, recording each call and reusing finished ones."""

    def __init__(self, client: ChatClient, engine: Engine, *, run_id: str | None) -> None:
        self.client = client
        self.engine = engine
        self.run_id = run_id

    def _find(self, digest: str) -> CallOutcome | None:
        with self.engine.connect() as conn:
            row = conn.execute(_REUSE, {"hash": digest}).mappings().first()
        if row is None:
            return None
        usage = Usage(
            prompt_tokens=row["prompt_tokens"],
            prompt_cache_hit_tokens=row["prompt_cache_hit_tokens"],
            prompt_cache_miss_tokens=row["prompt_cache_miss_tokens"],
            completion_tokens=row["completion_tokens"],
        )
        return CallOutcome(
            call_id=row["id"],
            content=row["content"] or "",
            finish_reason=row["finish_reason"],
            model=row["model"],
            usage=usage,
            cost_usd=0.0,  # already paid by the recorded call
            latency_seconds=0.0,
            attempts=0,
            retried=(),
            reused=True,
            is_standin=row["is_standin"],
        )

    def _record(self, values: dict[str, object]) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(_INSERT, values).scalar_one())

    def _reject(self, call_id: int, reason: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE kz2h.llm_calls SET rejected_reason = :r WHERE id = :i"),
                {"r": reason[:2000], "i": call_id},
            )

    async def reject(self, outcome: CallOutcome, reason: str) -> None:
        """The reply failed validation: keep it in the log, but never reuse it."""
        await asyncio.to_thread(self._reject, outcome.call_id, reason)

    async def chat(self, request: ChatRequest, *, resource_id: str | None, purpose: str) -> CallOutcome:
        digest = request_hash(request)
        reused = await asyncio.to_thread(self._find, digest)
        if reused is not None:
            return reused
        base = {
            "hash": digest,
            "resource_id": resource_id,
            "purpose": purpose,
            "run_id": self.run_id,
        }
        try:
            result = await self.client.complete(request)
        except LLMError as exc:
            await asyncio.to_thread(
                self._record,
                base
                | {
                    "model": request.model,
                    "status": "failed",
                    "attempts": self.client.settings.max_attempts,
                    "retried": [],
                    "latency_ms": None,
                    "prompt_tokens": 0,
                    "hit": 0,
                    "miss": 0,
                    "completion_tokens": 0,
                    "cost": None,
                    "finish_reason": None,
                    "content": None,
                    "error": str(exc)[:2000],
                    "is_standin": False,
                },
            )
            raise
        completion: ChatCompletion = result.completion
        usage = completion.usage
        hit, miss = usage.cache_split()
        cost = cost_usd(completion.model or request.model, usage, datetime.now(UTC))
        call_id = await asyncio.to_thread(
            self._record,
            base
            | {
                "model": completion.model or request.model,
                "status": "ok",
                "attempts": result.attempts,
                "retried": result.retried_statuses,
                "latency_ms": int(result.latency_seconds * 1000),
                "prompt_tokens": usage.prompt_tokens,
                "hit": hit,
                "miss": miss,
                "completion_tokens": usage.completion_tokens,
                "cost": cost,
                "finish_reason": completion.finish_reason,
                "content": completion.content,
                "error": None,
                "is_standin": completion.is_standin,
            },
        )
        return CallOutcome(
            call_id=call_id,
            content=completion.content,
            finish_reason=completion.finish_reason,
            model=completion.model or request.model,
            usage=usage,
            cost_usd=cost,
            latency_seconds=result.latency_seconds,
            attempts=result.attempts,
            retried=tuple(result.retried_statuses),
            reused=False,
            is_standin=completion.is_standin,
        )
