"""The real LLM client against the stand-in over loopback: retries, fatal errors, bounds, the call log."""

from __future__ import annotations

import asyncio
import time

import pytest
import sqlalchemy as sa

from kz2h_assets.llm.calls import CallLog
from kz2h_assets.llm.client import ChatClient, ClientSettings, LLMFatalError, LLMUnavailable
from kz2h_assets.llm.models import ChatMessage, ChatRequest
from kz2h_assets.translation import user_prompt

from .standin_server import running_standin

TEXT = "We compute the gradient of the loss with respect to the weights, then step with a learning rate of 0.1."


def _request(text: str = TEXT, n: int = 0) -> ChatRequest:
    return ChatRequest(
        model="deepseek-flash",
        messages=[
            ChatMessage(role="system", content="You translate English machine-learning material into Spanish."),
            ChatMessage(role="user", content=user_prompt(f"{text} ({n})", "")),
        ],
    )


def _settings(url: str, **overrides: object) -> ClientSettings:
    base = {"base_url": url, "api_key": "sk-test", "backoff_base": 0.01, "backoff_max": 0.05}
    return ClientSettings(**(base | overrides))  # type: ignore[arg-type]


async def _complete(url: str, request: ChatRequest, **overrides: object):  # type: ignore[no-untyped-def]
    async with ChatClient(_settings(url, **overrides)) as client:
        return await client.complete(request)


def test_a_plain_call_returns_content_and_usage() -> None:
    with running_standin() as server:
        result = asyncio.run(_complete(server.url, _request()))
    assert result.attempts == 1 and result.retried_statuses == []
    assert result.completion.is_standin and result.completion.finish_reason == "stop"
    assert result.completion.content and result.completion.usage.prompt_tokens > 0


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "truncate", "blank"])
def test_transient_failures_are_retried(fault: str) -> None:
    with running_standin() as server:
        server.script([fault, fault])
        result = asyncio.run(_complete(server.url, _request()))
        assert server.stats()["requests"] == 3
    assert result.attempts == 3 and result.completion.content


def test_retry_after_is_honoured() -> None:
    with running_standin() as server:
        server.script(["429"])
        began = time.monotonic()
        result = asyncio.run(_complete(server.url, _request()))
    assert result.retried_statuses == ["429"] and time.monotonic() - began >= 0.9  # Retry-After: 1


def test_keep_alive_lines_before_the_body_neither_time_out_nor_break_parsing() -> None:
    # Blank lines arrive every 0.3 s; the read timeout (between bytes) is 0.5 s; the whole wait is longer.
    with running_standin(keepalive_lines=4, keepalive_interval=0.3) as server:
        server.script(["keepalive"])
        result = asyncio.run(_complete(server.url, _request(), read_timeout=0.5))
    assert result.attempts == 1 and result.completion.content


def test_a_reply_cut_by_length_is_returned_as_such() -> None:
    with running_standin() as server:
        server.script(["length"])
        result = asyncio.run(_complete(server.url, _request()))
    assert result.completion.finish_reason == "length"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("401", "rejected the API key (401"),
        ("402", "insufficient balance (402"),
        ("400", "refused the request (400"),
        ("422", "refused the request (422"),
    ],
)
def test_fatal_statuses_fail_at_once_with_what_to_fix(fault: str, message: str) -> None:
    with running_standin() as server:
        server.script([fault])
        with pytest.raises(LLMFatalError, match=message.replace("(", r"\(")):
            asyncio.run(_complete(server.url, _request()))
        assert server.stats()["requests"] == 1


def test_the_api_key_is_never_in_an_error_message() -> None:
    with running_standin(api_key="sk-the-right-key") as server:
        with pytest.raises(LLMFatalError) as info:
            asyncio.run(_complete(server.url, _request(), api_key="sk-secret-wrong-key"))
    assert "sk-secret-wrong-key" not in str(info.value) and "DEEPSEEK_API_KEY" in str(info.value)


def test_attempts_are_bounded() -> None:
    with running_standin() as server:
        server.script(["503"] * 10)
        with pytest.raises(LLMUnavailable, match=r"after 3 attempt\(s\).*HTTP 503"):
            asyncio.run(_complete(server.url, _request(), max_attempts=3))
        assert server.stats()["requests"] == 3


def test_the_total_deadline_is_enforced() -> None:
    with running_standin(latency=3.0) as server:
        began = time.monotonic()
        with pytest.raises(LLMUnavailable, match="deadline"):
            asyncio.run(_complete(server.url, _request(), deadline_seconds=0.5))
    assert time.monotonic() - began < 2.5


def test_a_server_that_is_down_is_a_clear_error() -> None:
    with running_standin() as server:
        url = server.url
    with pytest.raises(LLMUnavailable, match="connection failed"):
        asyncio.run(_complete(url, _request(), max_attempts=2))


def test_no_more_than_max_in_flight_requests_are_open() -> None:
    async def many(url: str) -> int:
        async with ChatClient(_settings(url, max_in_flight=4)) as client:
            await asyncio.gather(*(client.complete(_request(n=i)) for i in range(12)))
            return client.peak_in_flight

    with running_standin(latency=0.2) as server:
        began = time.monotonic()
        peak = asyncio.run(many(server.url))
        elapsed = time.monotonic() - began
        assert server.stats()["peak_in_flight"] == 4
    assert peak == 4 and elapsed < 1.5  # 3 waves of 0.2 s, not 12 in a row


def test_the_call_log_records_every_call_and_reuses_finished_ones(database_url: str) -> None:
    engine = sa.create_engine(database_url)

    async def twice(url: str) -> tuple:
        async with ChatClient(_settings(url)) as client:
            log = CallLog(client, engine, run_id="run-1")
            first = await log.chat(_request(), resource_id="kz2h-micrograd", purpose="translation")
            second = await log.chat(_request(), resource_id="kz2h-micrograd", purpose="translation")
            await log.reject(second, "not good enough")
            third = await log.chat(_request(), resource_id="kz2h-micrograd", purpose="translation")
            return first, second, third

    with running_standin() as server:
        server.script(["429"])
        first, second, third = asyncio.run(twice(server.url))
        assert server.stats()["completions"] == 2  # the second call was reused; the third was asked again
    assert not first.reused and first.attempts == 2 and first.retried == ("429",)
    assert second.reused and second.call_id == first.call_id and second.cost_usd == 0.0
    assert not third.reused
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT status, attempts, is_standin, rejected_reason, cost_usd FROM kz2h.llm_calls ORDER BY id")
        ).all()
    engine.dispose()
    assert [(r.status, r.attempts, r.is_standin) for r in rows] == [("ok", 2, True), ("ok", 1, True)]
    assert rows[0].rejected_reason == "not good enough" and rows[0].cost_usd == 0


def test_a_failed_call_is_recorded(database_url: str) -> None:
    engine = sa.create_engine(database_url)

    async def once(url: str) -> None:
        async with ChatClient(_settings(url)) as client:
            await CallLog(client, engine, run_id="r").chat(_request(), resource_id="x", purpose="translation")

    with running_standin() as server:
        server.script(["402"])
        with pytest.raises(LLMFatalError):
            asyncio.run(once(server.url))
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT status, error FROM kz2h.llm_calls")).one()
    engine.dispose()
    assert row.status == "failed" and "402" in row.error
