"""A global bound on LLM requests in flight, across every process and machine sharing one database.

DeepSeek limits concurrency per account, so the bound that matters is over all runs at once,
not per step. Dagster's pools count steps; this counts requests. Slots are rows of
``kz2h.llm_slots`` (``sql/005_llm_slots.sql``) held as leases:

* a process claims as many free slots as it has waiting requests, in one short transaction
  (``FOR UPDATE SKIP LOCKED``: concurrent claimers never block each other or take the same row);
* it renews its leases while it holds them and frees each one as its request ends;
* a process that dies loses its slots when their lease expires (``lease_seconds``).

Only short transactions are used, so it works through transaction-mode poolers (Supabase).
A waiting process polls, backing off from ``poll_min`` to ``poll_max`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .client import LLMUnavailable

log = logging.getLogger(__name__)

_ENSURE = sa.text(
    "INSERT INTO kz2h.llm_slots (slot) SELECT generate_series(0, :limit - 1) ON CONFLICT (slot) DO NOTHING"
)
_CLAIM = sa.text(
    """
    WITH free AS (
        SELECT slot FROM kz2h.llm_slots
        WHERE slot < :limit AND (holder IS NULL OR expires_at < now())
        ORDER BY slot LIMIT :wanted
        FOR UPDATE SKIP LOCKED
    )
    UPDATE kz2h.llm_slots AS s
    SET holder = :holder, claimed_at = now(), expires_at = now() + make_interval(secs => :lease)
    FROM free WHERE s.slot = free.slot
    RETURNING s.slot
    """
)
_RELEASE = sa.text(
    "UPDATE kz2h.llm_slots SET holder = NULL, claimed_at = NULL, expires_at = NULL "
    "WHERE slot = ANY(:slots) AND holder = :holder"
)
_RENEW = sa.text(
    "UPDATE kz2h.llm_slots SET expires_at = now() + make_interval(secs => :lease) "
    "WHERE slot = ANY(:slots) AND holder = :holder RETURNING slot"
)


class GlobalSlots:
    """At most ``limit`` slots held at once by all processes sharing ``engine``'s database.

    Use as ``async with GlobalSlots(engine, 16) as slots: async with slots.slot(): ...``.
    A slot freed while a request of this process waits goes straight to it (no round trip).
    """

    def __init__(
        self,
        engine: Engine,
        limit: int,
        *,
        lease_seconds: float = 60.0,
        poll_min: float = 0.05,
        poll_max: float = 0.25,
        outage_seconds: float = 60.0,
    ) -> None:
        if limit < 1:
            raise ValueError(f"the global LLM bound must be at least 1, got {limit}")
        self.engine = engine
        self.limit = limit
        self.lease_seconds = lease_seconds
        self.poll_min = poll_min
        self.poll_max = poll_max
        self.outage_seconds = outage_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held: set[int] = set()
        self.claims = 0  # claim queries sent: how hard this process polled
        self.peak_held = 0
        self._waiters: deque[asyncio.Future[int]] = deque()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> GlobalSlots:
        await asyncio.to_thread(self._execute, _ENSURE, {"limit": self.limit})
        self._tasks = [asyncio.create_task(self._claim_loop()), asyncio.create_task(self._renew_loop())]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for waiter in self._waiters:
            waiter.cancel()
        self._waiters.clear()
        if self.held:
            await self._release_quietly(sorted(self.held))
            self.held.clear()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        number = await self._acquire()
        try:
            yield
        finally:
            await self._give_back(number)

    async def _acquire(self) -> int:
        if not self._tasks:
            raise RuntimeError("use GlobalSlots inside `async with`")
        waiter: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._wake.set()
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            if waiter.done() and not waiter.cancelled():  # granted just as we gave up: hand it back
                await asyncio.shield(self._give_back(waiter.result()))
            raise

    def _next_waiter(self) -> asyncio.Future[int] | None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                return waiter
        return None

    async def _give_back(self, number: int) -> None:
        waiter = self._next_waiter()
        if waiter is not None:  # still ours and still leased: pass it on
            waiter.set_result(number)
            return
        self.held.discard(number)
        await self._release_quietly([number])

    async def _release_quietly(self, numbers: list[int]) -> None:
        """Free slots; if the database is away, their leases free them later."""
        try:
            await asyncio.to_thread(self._release, numbers)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("could not free LLM slots %s (%s); their leases expire", numbers, type(exc).__name__)

    def _grant(self, number: int) -> bool:
        self.held.add(number)
        self.peak_held = max(self.peak_held, len(self.held))
        waiter = self._next_waiter()
        if waiter is None:
            return False
        waiter.set_result(number)
        return True

    async def _claim_loop(self) -> None:
        pause = self.poll_min
        failing_since: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            wanted = sum(1 for w in self._waiters if not w.done())
            if not wanted:
                self._wake.clear()
                continue
            try:
                granted = await asyncio.to_thread(self._claim, wanted)
                failing_since = None
            except sa.exc.SQLAlchemyError as exc:
                failing_since = failing_since or loop.time()
                if loop.time() - failing_since > self.outage_seconds:
                    self._fail_waiters(exc)
                    failing_since = None
                granted = []
            unused = [n for n in granted if not self._grant(n)]
            if unused:  # everybody who wanted one gave up meanwhile
                self.held.difference_update(unused)
                await self._release_quietly(unused)
            if len(granted) < wanted:
                await asyncio.sleep(pause)
                pause = min(self.poll_max, pause * 2)
            else:
                pause = self.poll_min

    def _fail_waiters(self, exc: Exception) -> None:
        error = LLMUnavailable(
            f"cannot claim a slot of the global LLM bound in kz2h.llm_slots for {self.outage_seconds:.0f} s "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). Check that the database "
            "(KZ2H_DATABASE_URL) answers; run again when it does: finished work is kept."
        )
        while (waiter := self._next_waiter()) is not None:
            waiter.set_exception(error)

    async def _renew_loop(self) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            held = sorted(self.held)
            if not held:
                continue
            try:
                kept = await asyncio.to_thread(self._renew, held)
            except sa.exc.SQLAlchemyError as exc:
                log.warning("could not renew LLM slot leases (%s); retrying", type(exc).__name__)
                continue
            lost = (set(held) - set(kept)) & self.held
            if lost:  # the process stalled past the lease: another one may hold them now
                log.warning("LLM slots %s expired while held; the global bound may be exceeded briefly", lost)

    def _execute(self, statement: sa.TextClause, params: dict[str, object]) -> list[int]:
        with self.engine.begin() as conn:
            result = conn.execute(statement, params)
            return [int(r[0]) for r in result] if result.returns_rows else []

    def _claim(self, wanted: int) -> list[int]:
        self.claims += 1
        params = {"limit": self.limit, "wanted": wanted, "holder": self.holder, "lease": self.lease_seconds}
        return self._execute(_CLAIM, params)

    def _release(self, numbers: list[int]) -> None:
        self._execute(_RELEASE, {"slots": numbers, "holder": self.holder})

    def _renew(self, numbers: list[int]) -> list[int]:
        return self._execute(_RENEW, {"slots": numbers, "holder": self.holder, "lease": self.lease_seconds})
