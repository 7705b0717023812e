"""The stand-in HTTP server: DeepSeek's chat-completions protocol over loopback, with faults.

Stdlib only (``http.server.ThreadingHTTPServer``). Every reply is labelled as stand-in
output (``model`` and ``system_fingerprint`` are ``kz2h-standin``).

Outcomes of ``POST /chat/completions`` (and ``/v1/chat/completions``):

- ``ok``: a normal completion from :func:`kz2h_assets.standin.answers.answer`.
- errors with DeepSeek-style bodies: ``400``, ``401``, ``402`` (insufficient balance),
  ``422``, ``429`` (``Retry-After: 1``), ``500``, ``503``;
- ``drop``: the connection is closed without any response;
- ``keepalive``: ``200`` headers at once, blank lines ``\\n`` spaced ``keepalive_interval``
  apart, then the JSON body (no Content-Length; the connection closes after it);
- ``truncate``: ``200`` then the first half of the JSON body, then close;
- ``length``: a valid completion whose content is cut in half, ``finish_reason: "length"``;
- ``blank``: a valid completion with ``content: ""``.

Faults come from ``POST /_standin/script`` (the next completion requests get these
outcomes in order) or, with ``fail_rate``, from a hash of (seed, request body, how many
times this exact body was seen before): reproducible runs whose retries eventually pass.

``latency`` is the model's thinking time: every outcome that reaches "the model" (ok,
length, blank, truncate, keepalive after its blank lines, drop and 500) waits that long;
rejections (400, 401, 402, 422, 429, 503) answer at once.
"""

from __future__ import annotations

import hashlib
import json
import math
import socket
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from .answers import Answer, ChatRequest, answer

MODEL = "kz2h-standin"
ERROR_STEPS = ("400", "401", "402", "422", "429", "500", "503", "drop")
REPLY_STEPS = ("ok", "keepalive", "truncate", "length", "blank")
FAULTS = tuple(s for s in ERROR_STEPS + REPLY_STEPS if s != "ok")
SCRIPT_STEPS = ("ok", *FAULTS)
DEFAULT_FAULTS = ("429", "500", "503", "drop", "keepalive", "truncate")
_IMMEDIATE = {"400", "401", "402", "422", "429", "503"}  # rejections: no latency

COMPLETION_PATHS = ("/chat/completions", "/v1/chat/completions")
MODELS_PATHS = ("/models", "/v1/models")
ROLES = ("system", "user", "assistant", "tool")

_ERRORS: dict[str, tuple[int, str, str, str]] = {
    # step: (status, message, type, code)
    "400": (400, "Invalid request (stand-in scripted fault)", "invalid_request_error", "invalid_request_error"),
    "401": (
        401,
        "Authentication Fails, Your api key is invalid (stand-in scripted fault)",
        "authentication_error",
        "invalid_request_error",
    ),
    "402": (402, "Insufficient Balance", "unknown_error", "invalid_request_error"),
    "422": (422, "Invalid parameters (stand-in scripted fault)", "invalid_request_error", "invalid_request_error"),
    "429": (429, "Rate Limit Reached (stand-in fault)", "rate_limit_error", "rate_limit_exceeded"),
    "500": (500, "Server Error (stand-in fault)", "server_error", "server_error"),
    "503": (503, "Server Overloaded, please try again later (stand-in fault)", "server_error", "server_overloaded"),
}


def estimate_tokens(text: str) -> int:
    """The stand-in's token count: ceil(characters / 4)."""
    return math.ceil(len(text) / 4)


def error_body(
    message: str, type_: str = "invalid_request_error", code: str = "invalid_request_error", param: str | None = None
) -> dict[str, Any]:
    """An OpenAI/DeepSeek-style error body."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class RequestError(Exception):
    """A request the real API would refuse: status and OpenAI-style error fields."""

    def __init__(self, status: int, message: str, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param


@dataclass(frozen=True)
class Completion:
    """A validated chat-completions request."""

    body: dict[str, Any]
    request: ChatRequest
    thinking: bool
    max_tokens: int | None


def parse_completion(raw: bytes) -> Completion:
    """Validate a request body like the real API: 400 for bad format, 422 for bad parameters."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(400, f"Failed to parse the request body as JSON: {exc}") from None
    if not isinstance(body, dict):
        raise RequestError(400, "The request body must be a JSON object")
    model = body.get("model")
    if "model" not in body:
        raise RequestError(422, "Failed to deserialize the JSON body: missing field `model`", "model")
    if not isinstance(model, str) or not model.strip():
        raise RequestError(422, "`model` must be a non-empty string", "model")
    messages = body.get("messages")
    if "messages" not in body:
        raise RequestError(422, "Failed to deserialize the JSON body: missing field `messages`", "messages")
    if not isinstance(messages, list):
        raise RequestError(422, "`messages` must be a list", "messages")
    if not messages:
        raise RequestError(400, "`messages` must not be empty", "messages")
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise RequestError(422, f"{where} must be an object", where)
        if message.get("role") not in ROLES:
            raise RequestError(422, f"{where}.role must be one of {', '.join(ROLES)}", f"{where}.role")
        content = message.get("content")
        if not isinstance(content, str) and not (content is None and message["role"] == "assistant"):
            raise RequestError(422, f"{where}.content must be a string", f"{where}.content")
    response_format = body.get("response_format")
    if response_format is not None:
        if not isinstance(response_format, dict) or response_format.get("type") not in ("text", "json_object"):
            raise RequestError(422, "response_format.type must be 'text' or 'json_object'", "response_format")
        if response_format["type"] == "json_object" and not any(
            "json" in (m.get("content") or "").lower() for m in messages
        ):
            raise RequestError(
                400, "Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'"
            )
    thinking = body.get("thinking", {"type": "enabled"})
    if not isinstance(thinking, dict) or thinking.get("type") not in ("enabled", "disabled"):
        raise RequestError(422, "thinking.type must be 'enabled' or 'disabled'", "thinking")
    max_tokens = body.get("max_tokens")
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
        raise RequestError(422, "max_tokens must be a positive integer", "max_tokens")
    if body.get("stream"):
        raise RequestError(400, "stream=true is not supported by the kz2h stand-in", "stream")
    request = ChatRequest(tuple(messages), response_format)
    return Completion(body, request, thinking["type"] == "enabled", max_tokens)


def request_id(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "standin-" + hashlib.sha256(canonical.encode()).hexdigest()[:24]


# --------------------------------------------------------------------------- shared state


class _State:
    """Counters, the script, seen bodies and cached prefixes; guarded by one lock."""

    def __init__(self, fail_rate: float, faults: Sequence[str], seed: int):
        self.fail_rate = fail_rate
        self.faults = tuple(faults)
        self.seed = seed
        self.lock = threading.Lock()
        self.in_flight = 0
        self._clear()

    def _clear(self) -> None:
        # For benchmarks: when requests were first and last on the wire, and the integral of
        # requests in flight over time (request-seconds), all in time.monotonic() seconds.
        self.first_request_at: float | None = None
        self.last_request_end: float | None = None
        self.request_seconds = 0.0
        self._changed_at = time.monotonic()
        self.requests = 0
        self.by_status: Counter[str] = Counter()
        self.by_outcome: Counter[str] = Counter()
        self.by_kind: Counter[str] = Counter()
        self.peak_in_flight = self.in_flight
        self.completions = 0
        self.tokens: Counter[str] = Counter()
        self.thinking_enabled = 0
        self.script: list[str] = []
        self.seen_bodies: Counter[str] = Counter()
        self.cached_prefixes: set[str] = set()

    def reset(self) -> None:
        with self.lock:
            self._clear()

    def set_script(self, steps: Iterable[str]) -> None:
        with self.lock:
            self.script = list(steps)

    def _flight_changes(self, delta: int) -> None:
        now = time.monotonic()
        self.request_seconds += self.in_flight * (now - self._changed_at)
        self._changed_at = now
        self.in_flight += delta
        if delta > 0 and self.first_request_at is None:
            self.first_request_at = now
        if delta < 0:
            self.last_request_end = now

    def begin(self) -> None:
        with self.lock:
            self.requests += 1
            self._flight_changes(+1)
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def settle(self, status: str, outcome: str) -> None:
        """Count a completion request's outcome and take it out of flight."""
        with self.lock:
            self.by_status[status] += 1
            self.by_outcome[outcome] += 1
            self._flight_changes(-1)

    def count_request(self) -> None:
        with self.lock:
            self.requests += 1

    def record(self, status: str) -> None:
        with self.lock:
            self.by_status[status] += 1

    def next_step(self) -> str | None:
        with self.lock:
            return self.script.pop(0) if self.script else None

    def random_fault(self, body: bytes) -> str | None:
        """A reproducible fault for the n-th sighting of this exact body, or None."""
        digest = hashlib.sha256(body).hexdigest()
        with self.lock:
            attempt = self.seen_bodies[digest]
            self.seen_bodies[digest] += 1
        if not self.faults or self.fail_rate <= 0:
            return None
        draw = hashlib.sha256(f"{self.seed}\0{digest}\0{attempt}".encode()).digest()
        if int.from_bytes(draw[:8], "big") / 2**64 >= self.fail_rate:
            return None
        return self.faults[int.from_bytes(draw[8:16], "big") % len(self.faults)]

    def usage(self, completion: Completion, content: str, kind: str) -> dict[str, Any]:
        """Token usage of a served completion; remembers the system prefix for the next call."""
        messages = completion.request.messages
        prompt = sum(estimate_tokens(m.get("content") or "") for m in messages)
        system = completion.request.system
        prefix = hashlib.sha256(system.encode()).hexdigest() if system else None
        output = estimate_tokens(content)
        reasoning = 2 * output + 8 if completion.thinking else 0
        with self.lock:
            hit = estimate_tokens(system) if prefix is not None and prefix in self.cached_prefixes else 0
            if prefix is not None:
                self.cached_prefixes.add(prefix)
            self.completions += 1
            self.by_kind[kind] += 1
            self.thinking_enabled += int(completion.thinking)
            self.tokens.update(
                prompt=prompt,
                completion=output + reasoning,
                cache_hit=hit,
                cache_miss=prompt - hit,
                reasoning=reasoning,
            )
        usage: dict[str, Any] = {
            "prompt_tokens": prompt,
            "completion_tokens": output + reasoning,
            "total_tokens": prompt + output + reasoning,
            "prompt_cache_hit_tokens": hit,
            "prompt_cache_miss_tokens": prompt - hit,
        }
        if completion.thinking:
            usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
        return usage

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "by_status": dict(self.by_status),
                "by_outcome": dict(self.by_outcome),
                "in_flight": self.in_flight,
                "peak_in_flight": self.peak_in_flight,
                "completions": self.completions,
                "by_kind": dict(self.by_kind),
                "thinking_enabled": self.thinking_enabled,
                "tokens": {
                    key: self.tokens[key] for key in ("prompt", "completion", "cache_hit", "cache_miss", "reasoning")
                },
                "script_remaining": list(self.script),
                "first_request_at": self.first_request_at,
                "last_request_end": self.last_request_end,
                "request_seconds": self.request_seconds + self.in_flight * (time.monotonic() - self._changed_at),
            }


# --------------------------------------------------------------------------- HTTP


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: _State, options: StandinServer):
        self.state = state
        self.options = options
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def track(self, connection: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
                if self.stopping.is_set():
                    _shutdown(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            self.stopping.set()
            for connection in self._connections:
                _shutdown(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.options.verbose:
            super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


def _shutdown(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kz2h-standin"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    _settled = False  # whether this completion request's outcome is counted yet

    @property
    def standin(self) -> _HTTPServer:
        return cast(_HTTPServer, self.server)

    def setup(self) -> None:
        super().setup()
        self.standin.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.standin.track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.standin.options.verbose:
            super().log_message(format, *args)

    # ------------------------------------------------------------------ writing

    def _send_json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_error_step(self, step: str) -> None:
        status, message, type_, code = _ERRORS[step]
        headers = {"Retry-After": "1"} if step == "429" else None
        self._send_json(status, error_body(message, type_, code), headers)

    def _send_request_error(self, error: RequestError) -> None:
        self._send_json(error.status, error_body(error.message, param=error.param))

    def _start_unframed(self) -> None:
        """200 headers without Content-Length: the body runs until the connection closes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False when it is."""
        return seconds <= 0 or not self.standin.stopping.wait(seconds)

    # ------------------------------------------------------------------ routing

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                raise RequestError(411, "the stand-in needs a Content-Length (no chunked bodies)")
            return b""
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            raise RequestError(400, "bad Content-Length") from None
        return self.rfile.read(size) if size > 0 else b""

    def _auth_error(self) -> str | None:
        """Why the Authorization header is refused, or None."""
        header = self.headers.get("Authorization", "")
        scheme, _, key = header.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            return "Authentication Fails (no api key given: send 'Authorization: Bearer <key>')"
        if self.standin.options.api_key is not None and key != self.standin.options.api_key:
            return f"Authentication Fails, Your api key: ****{key[-4:]} is invalid"
        return None

    def do_GET(self) -> None:
        path = self._path()
        state = self.standin.state
        if path == "/_standin/stats":
            self._send_json(200, state.snapshot())
        elif path in MODELS_PATHS:
            state.count_request()
            refused = self._auth_error()
            if refused is not None:
                state.record("401")
                self._send_json(401, error_body(refused, "authentication_error"))
                return
            state.record("200")
            self._send_json(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": MODEL}]})
        else:
            state.count_request()
            state.record("404")
            self._send_json(404, error_body(f"no route GET {path} on the kz2h stand-in", code="not_found"))

    def do_POST(self) -> None:
        path = self._path()
        if path in COMPLETION_PATHS:
            self._completion()
            return
        try:
            raw = self._read_body()
        except RequestError as exc:
            self._send_request_error(exc)
            return
        state = self.standin.state
        if path == "/_standin/reset":
            state.reset()
            self._send_json(200, {"reset": True})
        elif path == "/_standin/script":
            try:
                steps = json.loads(raw or b"{}").get("script")
            except (json.JSONDecodeError, AttributeError):
                steps = None
            if not isinstance(steps, list) or any(s not in SCRIPT_STEPS for s in map(str, steps)):
                message = f'send {{"script": [...]}} with steps from: {", ".join(SCRIPT_STEPS)}'
                self._send_json(400, error_body(message))
                return
            state.set_script(str(s) for s in steps)
            self._send_json(200, {"script": [str(s) for s in steps]})
        else:
            state.count_request()
            state.record("404")
            self._send_json(404, error_body(f"no route POST {path} on the kz2h stand-in", code="not_found"))

    # ------------------------------------------------------------------ completions

    def _completion(self) -> None:
        state = self.standin.state
        state.begin()
        self._settled = False  # per request: a keep-alive connection reuses the handler
        try:
            self._completion_outcome()
        except OSError:  # the client went away
            self.close_connection = True
        finally:
            if not self._settled:  # the client went away, or the server is stopping
                self._settle("drop", "drop")

    def _settle(self, status: str, outcome: str) -> None:
        """Count the outcome and leave the in-flight count just before the last bytes go out,
        so a client holding its reply finds it in the stats."""
        self._settled = True
        self.standin.state.settle(status, outcome)

    def _completion_outcome(self) -> None:
        state = self.standin.state
        try:
            raw = self._read_body()
        except RequestError as exc:
            self._settle(str(exc.status), str(exc.status))
            self._send_request_error(exc)
            return
        step = state.next_step()
        if step in ERROR_STEPS:
            self._error_outcome(step)
            return
        refused = self._auth_error()
        if refused is not None:
            self._settle("401", "401")
            self._send_json(401, error_body(refused, "authentication_error"))
            return
        try:
            completion = parse_completion(raw)
        except RequestError as exc:
            self._settle(str(exc.status), str(exc.status))
            self._send_request_error(exc)
            return
        fault = state.random_fault(raw)
        outcome = step if step is not None else (fault or "ok")
        if outcome in ERROR_STEPS:
            self._error_outcome(outcome)
            return
        self._reply_outcome(outcome, completion)

    def _error_outcome(self, step: str) -> None:
        if step not in _IMMEDIATE and not self._wait(self.standin.options.latency):
            step = "drop"
        if step == "drop":
            self.close_connection = True
            self._settle("drop", "drop")
            return
        self._settle(step, step)
        self._send_error_step(step)

    def _reply_outcome(self, outcome: str, completion: Completion) -> None:
        options = self.standin.options
        try:
            result = answer(completion.request.messages, completion.request.response_format)
        except Exception as exc:  # a bug in an answerer: say so like a server error would
            self._settle("500", "answerer_error")
            self._send_json(500, error_body(f"stand-in answerer failed: {exc!r}", "server_error", "server_error"))
            return
        if outcome == "keepalive":
            self._start_unframed()
            for _ in range(options.keepalive_lines):
                if not self._wait(options.keepalive_interval):
                    return  # stopping: settled as a drop
                self.wfile.write(b"\n")
                self.wfile.flush()
        if not self._wait(options.latency):
            self.close_connection = True
            return
        payload = self._payload(outcome, completion, result)
        data = json.dumps(payload, ensure_ascii=False).encode()
        self._settle("200", outcome)
        if outcome == "keepalive":
            self.wfile.write(data)
        elif outcome == "truncate":
            self._start_unframed()
            self.wfile.write(data[: len(data) // 2])
        else:
            self._send_json(200, payload)
        self.wfile.flush()

    def _payload(self, outcome: str, completion: Completion, result: Answer) -> dict[str, Any]:
        content = result.content
        finish = "stop"
        if outcome == "length":
            content, finish = content[: len(content) // 2], "length"
        elif outcome == "blank":
            content = ""
        elif completion.max_tokens is not None and estimate_tokens(content) > completion.max_tokens:
            content, finish = content[: completion.max_tokens * 4], "length"
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if completion.thinking:
            message["reasoning_content"] = f"(kz2h-standin: thinking was not disabled; this {result.kind} is billed)"
        usage = self.standin.state.usage(completion, content, result.kind) if outcome != "truncate" else {}
        payload: dict[str, Any] = {
            "id": request_id(completion.body),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL,
            "system_fingerprint": MODEL,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "usage": usage,
        }
        return payload


# --------------------------------------------------------------------------- public API


class StandinServer:
    """A stand-in for DeepSeek's chat-completions API on a local port, in a background thread.

    >>> with StandinServer() as server:  # port 0: a free port; server.url has the real one
    ...     httpx.post(server.url + "/chat/completions", ...)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        fail_rate: float = 0.0,
        faults: Sequence[str] = DEFAULT_FAULTS,
        seed: int = 0,
        api_key: str | None = None,
        *,
        keepalive_lines: int = 3,
        keepalive_interval: float = 0.3,
        verbose: bool = False,
    ):
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; choose from {', '.join(FAULTS)}")
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if latency < 0 or keepalive_interval < 0 or keepalive_lines < 0:
            raise ValueError("latency, keepalive_lines and keepalive_interval must not be negative")
        self.host = host
        self.port = port
        self.latency = latency
        self.fail_rate = fail_rate
        self.faults = tuple(faults)
        self.seed = seed
        self.api_key = api_key
        self.keepalive_lines = keepalive_lines
        self.keepalive_interval = keepalive_interval
        self.verbose = verbose
        self._state = _State(fail_rate, self.faults, seed)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> StandinServer:
        if self._httpd is not None:
            return self
        server_class = _HTTPServer6 if ":" in self.host else _HTTPServer
        self._httpd = server_class((self.host, self.port), self._state, self)
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="kz2h-standin", daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        """The base URL (what a client puts where https://api.deepseek.com would go)."""
        if self._httpd is None:
            raise RuntimeError("the stand-in is not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()  # joins the handler threads
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stats(self) -> dict[str, Any]:
        return self._state.snapshot()

    def reset(self) -> None:
        self._state.reset()

    def script(self, steps: Sequence[str]) -> None:
        """The next completion requests get these outcomes, in order (see SCRIPT_STEPS)."""
        unknown = [s for s in steps if s not in SCRIPT_STEPS]
        if unknown:
            raise ValueError(f"unknown script steps {unknown}; choose from {', '.join(SCRIPT_STEPS)}")
        self._state.set_script(steps)
