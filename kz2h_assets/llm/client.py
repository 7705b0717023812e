"""An async chat-completions client: bounded in-flight requests, retries, an honest error for each failure.

* At most ``max_in_flight`` requests of this client are open at once, and each also holds a
  slot of the global bound shared by every process (``slots.GlobalSlots``) when one is given.
  Slots are held only while a request is on the wire, not while backing off.
* 429, 500, 502, 503, 504, timeouts, dropped connections and truncated bodies are
  retried with exponential backoff and jitter, honouring ``Retry-After``, under a
  total deadline per call.
* 400, 401, 402, 404 and 422 fail at once with what to fix.
* Blank keep-alive lines before the body (DeepSeek under load) are tolerated: the
  read timeout applies between bytes, and the body is parsed after stripping them.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from pydantic import ValidationError

from .models import ChatCompletion, ChatRequest

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class LLMError(Exception):
    """The LLM call failed; the message says what to do."""


class LLMFatalError(LLMError):
    """Retrying cannot help (bad key, no balance, bad request)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LLMUnavailable(LLMError):
    """Transient failures outlasted the attempts or the deadline."""


@dataclass(frozen=True)
class ClientSettings:
    base_url: str
    api_key: str
    max_in_flight: int = 8
    max_attempts: int = 6
    deadline_seconds: float = 900.0  # DeepSeek may hold a request ~10 min before answering
    connect_timeout: float = 10.0
    read_timeout: float = 120.0  # between bytes: keep-alive lines reset it
    backoff_base: float = 1.0
    backoff_max: float = 30.0


@dataclass
class ChatResult:
    completion: ChatCompletion
    attempts: int
    latency_seconds: float
    retried_statuses: list[str] = field(default_factory=list)


def _error_detail(response: httpx.Response, body: bytes) -> str:
    try:
        data = json.loads(body.strip() or b"{}")
        message = data.get("error", {}).get("message") if isinstance(data.get("error"), dict) else data.get("error")
        return str(message or data)[:300]
    except (json.JSONDecodeError, AttributeError):
        return body[:300].decode("utf-8", "replace").strip() or response.reason_phrase


def fatal_message(status: int, detail: str, base_url: str) -> str:
    if status == 401:
        return f"the LLM API at {base_url} rejected the API key (401: {detail}). Check DEEPSEEK_API_KEY."
    if status == 402:
        return (
            f"the LLM account has insufficient balance (402: {detail}). Top up the DeepSeek account; "
            "this is not a rate limit and retrying will not help. Finished segments are kept."
        )
    if status == 404:
        return f"{base_url} has no chat-completions endpoint (404: {detail}). Check DEEPSEEK_BASE_URL."
    return (
        f"the LLM API refused the request ({status}: {detail}). Check the model name (KZ2H_LLM_MODEL) "
        "and request parameters."
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class RequestSlots(Protocol):
    """A bound shared beyond this client: one slot is held while a request is on the wire."""

    def slot(self) -> AbstractAsyncContextManager[None]: ...


class Unbounded:
    """No bound beyond the client's own ``max_in_flight``."""

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        yield


class ChatClient:
    """Use as ``async with ChatClient(settings) as client: await client.complete(request)``."""

    def __init__(
        self,
        settings: ClientSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        shared_slots: RequestSlots | None = None,
    ) -> None:
        if not settings.api_key:
            raise LLMFatalError("no API key: set DEEPSEEK_API_KEY (or run `make demo` to use the local stand-in)")
        self.settings = settings
        self._transport = transport
        self._slots = asyncio.Semaphore(settings.max_in_flight)
        self._shared_slots = shared_slots or Unbounded()
        self._client: httpx.AsyncClient | None = None
        self.in_flight = 0
        self.peak_in_flight = 0

    async def __aenter__(self) -> ChatClient:
        s = self.settings
        self._client = httpx.AsyncClient(
            base_url=s.base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {s.api_key}", "Content-Type": "application/json"},
            timeout=httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=30.0, pool=None),
            limits=httpx.Limits(max_connections=s.max_in_flight, max_keepalive_connections=s.max_in_flight),
            transport=self._transport,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        s = self.settings
        delay = min(s.backoff_max, s.backoff_base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        return max(delay, retry_after or 0.0)

    async def _send(self, request: ChatRequest) -> tuple[int, httpx.Response, bytes]:
        assert self._client is not None, "use ChatClient inside `async with`"
        async with self._slots, self._shared_slots.slot():
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                response = await self._client.post("/chat/completions", json=request.body())
                body = await response.aread()
            finally:
                self.in_flight -= 1
        return response.status_code, response, body

    async def complete(self, request: ChatRequest) -> ChatResult:
        started = time.monotonic()
        deadline = started + self.settings.deadline_seconds
        retried: list[str] = []
        last_error = ""
        for attempt in range(1, self.settings.max_attempts + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            retry_after: float | None = None
            try:
                async with asyncio.timeout(remaining):
                    status, response, body = await self._send(request)
            except TimeoutError:
                last_error = f"no answer within the {self.settings.deadline_seconds:.0f} s deadline"
                retried.append("deadline")
                break
            except httpx.TimeoutException as exc:
                last_error, kind = f"timed out ({type(exc).__name__})", "timeout"
                retried.append(kind)
            except httpx.TransportError as exc:
                last_error, kind = f"connection failed ({type(exc).__name__}: {exc})", "connection"
                retried.append(kind)
            else:
                if status == 200:
                    try:
                        completion = ChatCompletion.model_validate(json.loads(body.strip()))
                    except (json.JSONDecodeError, ValidationError, UnicodeDecodeError):
                        last_error = f"unparseable or truncated reply ({len(body)} bytes)"
                        retried.append("truncated")
                    else:
                        if completion.content.strip() or completion.finish_reason == "length":
                            return ChatResult(completion, attempt, time.monotonic() - started, retried)
                        last_error = "blank content"
                        retried.append("blank")
                elif status in RETRYABLE_STATUS:
                    last_error = f"HTTP {status}: {_error_detail(response, body)}"
                    retried.append(str(status))
                    retry_after = _retry_after(response)
                else:
                    detail = _error_detail(response, body)
                    raise LLMFatalError(fatal_message(status, detail, self.settings.base_url), status)
            if attempt < self.settings.max_attempts:
                pause = min(self._backoff(attempt, retry_after), max(0.0, deadline - time.monotonic()))
                await asyncio.sleep(pause)
        elapsed = time.monotonic() - started
        hint = " (429s: lower the concurrency or wait; 402 would mean no balance)" if "429" in retried else ""
        raise LLMUnavailable(
            f"the LLM API at {self.settings.base_url} did not answer usefully after {len(retried)} attempt(s) "
            f"in {elapsed:.0f} s; last error: {last_error}{hint}. Run again later: finished work is kept."
        )
