"""The global bound on LLM requests in flight (kz2h.llm_slots), against a real PostgreSQL and the stand-in."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
import sqlalchemy as sa

from kz2h_assets.llm.client import ChatClient, ClientSettings, LLMFatalError, LLMUnavailable
from kz2h_assets.llm.models import ChatMessage, ChatRequest
from kz2h_assets.llm.slots import GlobalSlots
from kz2h_assets.resources import LLM

from .conftest import REPO
from .standin_server import running_standin


def _request(n: int) -> ChatRequest:
    return ChatRequest(
        model="deepseek-flash",
        messages=[
            ChatMessage(role="system", content="You translate English into Spanish."),
            ChatMessage(role="user", content=f"The loss goes down, step {n}."),
        ],
    )


def _holders(engine: sa.Engine) -> dict[int, str | None]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT slot, holder FROM kz2h.llm_slots ORDER BY slot")).all())  # type: ignore[arg-type]


def test_two_processes_worth_of_clients_never_exceed_the_global_bound(database_url: str) -> None:
    engine = sa.create_engine(database_url)

    async def two_clients(url: str) -> tuple[int, int]:
        settings = ClientSettings(base_url=url, api_key="sk-test", max_in_flight=8)
        async with GlobalSlots(engine, 3) as a, GlobalSlots(engine, 3) as b:
            async with ChatClient(settings, shared_slots=a) as ca, ChatClient(settings, shared_slots=b) as cb:
                await asyncio.gather(*(c.complete(_request(i)) for i in range(10) for c in (ca, cb)))
            return a.peak_held, b.peak_held

    with running_standin(latency=0.1) as server:
        peak_a, peak_b = asyncio.run(two_clients(server.url))
        stats = server.stats()
    assert stats["completions"] == 20
    assert stats["peak_in_flight"] == 3  # 16 wanted at once, 3 allowed, and all 3 used
    assert peak_a >= 1 and peak_b >= 1 and peak_a + peak_b >= 3
    assert set(_holders(engine).values()) == {None}  # every slot freed on exit
    engine.dispose()


def test_the_bound_holds_across_real_processes(database_url: str) -> None:
    """Two worker processes, 12 requests each through the real LLM session, share a bound of 4."""
    with running_standin(latency=0.2) as server:
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "kz2h_assets_tests.slots_worker", database_url, server.url, "4", "12", tag],
                cwd=REPO,
            )
            for tag in ("a", "b")
        ]
        codes = [w.wait(timeout=120) for w in workers]
        stats = server.stats()
    assert codes == [0, 0]
    assert stats["completions"] == 24
    assert stats["peak_in_flight"] == 4


def test_an_expired_lease_is_taken_over_and_a_live_one_is_not(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO kz2h.llm_slots (slot, holder, claimed_at, expires_at) VALUES "
                "(0, 'alive:1:x', now(), now() + interval '1 hour'), (1, 'dead:2:y', now(), now() - interval '1 s')"
            )
        )

    async def claim() -> tuple[bool, bool]:
        async with GlobalSlots(engine, 2, poll_max=0.05) as slots:
            async with slots.slot():
                got_expired = _holders(engine)[1] == slots.holder
                try:
                    async with asyncio.timeout(0.5), slots.slot():
                        return got_expired, True
                except TimeoutError:
                    return got_expired, False

    got_expired, got_live = asyncio.run(claim())
    assert got_expired and not got_live
    assert _holders(engine) == {0: "alive:1:x", 1: None}
    engine.dispose()


def test_a_waiter_that_gives_up_leaks_no_slot(database_url: str) -> None:
    engine = sa.create_engine(database_url)

    async def scenario() -> bool:
        async with GlobalSlots(engine, 1, poll_max=0.05) as slots:
            async with slots.slot():
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(0.3), slots.slot():
                        pass
            async with asyncio.timeout(2), slots.slot():  # the slot is free again at once
                return slots.held == {0}

    assert asyncio.run(scenario())
    assert _holders(engine) == {0: None}
    engine.dispose()


def test_leases_are_renewed_while_a_request_runs(database_url: str) -> None:
    engine = sa.create_engine(database_url)

    async def scenario() -> bool:
        async with GlobalSlots(engine, 1, lease_seconds=0.6) as holder, GlobalSlots(engine, 1) as other:
            async with holder.slot():
                try:
                    async with asyncio.timeout(1.5), other.slot():  # well past the 0.6 s lease
                        return True
                except TimeoutError:
                    return False

    assert asyncio.run(scenario()) is False
    engine.dispose()


def test_a_database_that_goes_away_fails_the_waiting_requests_clearly(pg_admin_url: str, database_url: str) -> None:
    engine = sa.create_engine(database_url)
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    name = sa.make_url(database_url).database

    async def scenario() -> None:
        async with GlobalSlots(engine, 1, poll_max=0.05, outage_seconds=0.5) as slots, slots.slot():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            async with asyncio.timeout(10), slots.slot():
                pass

    with pytest.raises(LLMUnavailable, match=r"kz2h\.llm_slots.*KZ2H_DATABASE_URL"):
        asyncio.run(scenario())
    engine.dispose()
    admin.dispose()


@pytest.mark.parametrize("field,variable", [("global_in_flight", "KZ2H_LLM_GLOBAL_IN_FLIGHT"),
                                            ("max_in_flight", "KZ2H_LLM_MAX_IN_FLIGHT")])  # fmt: skip
def test_a_bound_below_one_is_refused_naming_its_variable(field: str, variable: str) -> None:
    with pytest.raises(LLMFatalError, match=rf"{variable} must be at least 1, got 0"):
        LLM(api_key="sk-test", **{field: 0}).client_settings()
