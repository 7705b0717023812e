"""What the LLM-calling assets share: a call-logged client session and the usage metadata."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import dagster as dg
from sqlalchemy.engine import Engine

from ..llm.calls import CallLog, CallOutcome
from ..llm.client import ChatClient, LLMFatalError, LLMUnavailable
from ..llm.slots import GlobalSlots
from ..partitions import resource_partitions
from ..resources import LLM

LLM_RETRY = dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)


def llm_asset(*, deps: Sequence[Any], group_name: str, code_version: str, description: str) -> Callable[..., Any]:
    """The decorator every LLM-calling asset shares: partitioned, in the `deepseek` pool, retried."""
    return dg.asset(
        partitions_def=resource_partitions,
        deps=deps,
        group_name=group_name,
        kinds={"deepseek", "postgres"},
        pool="deepseek",
        code_version=code_version,
        owners=["team:kz2h-assets"],
        retry_policy=LLM_RETRY,
        description=description,
    )


@asynccontextmanager
async def llm_session(llm: LLM, engine: Engine, run_id: str) -> AsyncIterator[CallLog]:
    """A call-logged client under both bounds: this step's and the global one in the database."""
    settings = llm.client_settings()  # checks both bounds
    async with GlobalSlots(engine, llm.global_in_flight) as slots, ChatClient(settings, shared_slots=slots) as client:
        yield CallLog(client, engine, run_id=run_id)


def usage_metadata(calls: list[CallOutcome]) -> dict[str, Any]:
    paid = [c for c in calls if not c.reused]
    hit = sum(c.usage.cache_split()[0] for c in paid)
    miss = sum(c.usage.cache_split()[1] for c in paid)
    costs = [c.cost_usd for c in paid]
    slowest = max(paid, key=lambda c: c.latency_seconds, default=None)
    return {
        "api_calls": len(paid),
        "calls_reused_from_log": len(calls) - len(paid),
        "http_retries": sum(max(c.attempts - 1, 0) for c in paid),
        "retried_because": ", ".join(sorted({r for c in paid for r in c.retried})) or "—",
        "prompt_tokens_cache_hit": hit,
        "prompt_tokens_cache_miss": miss,
        "completion_tokens": sum(c.usage.completion_tokens for c in paid),
        "cache_hit_ratio": round(hit / (hit + miss), 3) if hit + miss else 0.0,
        "cost_usd": round(sum(c for c in costs if c is not None), 6),
        "cost_complete": all(c is not None for c in costs),
        "slowest_call_s": round(slowest.latency_seconds, 2) if slowest else 0.0,
    }


def standin_refusal(llm: LLM, database_is_local: bool, is_standin: bool) -> str | None:
    """Stand-in text must not reach a real platform database unless explicitly allowed."""
    if is_standin and not database_is_local and not llm.allow_standin_remote:
        return (
            f"the LLM at {llm.base_url} is the kz2h stand-in and the database is not local: stand-in text must "
            "not reach a real platform. Point DEEPSEEK_BASE_URL at DeepSeek, or set KZ2H_ALLOW_STANDIN_REMOTE=1 "
            "if this database is a throwaway."
        )
    return None


def run_llm_work(work: Callable[[], Awaitable[Any]], resource_id: str, final: tuple[type[Exception], ...]) -> Any:
    """Run an asset's LLM work; turn its errors into Failures that say what to do.

    Fatal API errors and the ``final`` kinds (already phrased for people) are not retried;
    a transient outage is, by the step retry policy (finished work is stored already).
    """
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except* LLMFatalError as group:
        raise dg.Failure(f"{resource_id}: {group.exceptions[0]}", allow_retries=False) from None
    except* final as group:
        raise dg.Failure(str(group.exceptions[0]), allow_retries=False) from None
    except* LLMUnavailable as group:
        raise dg.Failure(f"{resource_id}: {group.exceptions[0]}") from None
