"""The DeepSeek stand-in over real loopback HTTP: protocol, faults, concurrency, determinism, translations."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kz2h_assets.catalog import load_catalog
from kz2h_assets.segmenting import SegmentingConfig, Unit, paper_units, segment_units, video_units
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.sources.captions import read_caption_file
from kz2h_assets.standin import FAULTS, StandinServer, answer, to_spanish
from kz2h_assets.translation import (
    Rejection,
    protected_tokens,
    retry_prompt,
    system_prompt,
    tail,
    user_prompt,
    validate_translation,
)

from .standin_server import SYSTEM, TEST_API_KEY, running_standin, standin_client, translation_request

REPO = Path(__file__).resolve().parent.parent
TEXT = "So the loss of the network is 2.45, and we call loss.backward() to get the gradient of every weight."


@pytest.fixture(scope="module")
def server() -> Iterator[StandinServer]:
    with running_standin(keepalive_lines=3, keepalive_interval=0.1) as running:
        yield running


@pytest.fixture
def client(server: StandinServer) -> Iterator[httpx.Client]:
    server.reset()
    with standin_client(server) as http:
        yield http


def post(client: httpx.Client, body: object, path: str = "/chat/completions") -> httpx.Response:
    return client.post(path, json=body)


# --------------------------------------------------------------------------- normal replies


def test_translation_reply_has_the_deepseek_shape_and_usage(client: httpx.Client) -> None:
    body = translation_request(TEXT)
    reply = post(client, body)
    assert reply.status_code == 200
    data = reply.json()
    assert data["object"] == "chat.completion"
    assert data["model"] == data["system_fingerprint"] == "kz2h-standin"
    assert data["id"].startswith("standin-") and isinstance(data["created"], int)
    (choice,) = data["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    assert content.startswith("Entonces la pérdida de la red es 2.45, y nosotros llamar loss.backward()")
    assert validate_translation(TEXT, content) is None
    usage = data["usage"]
    prompt = sum(-(-len(m["content"]) // 4) for m in body["messages"])
    assert usage["prompt_tokens"] == prompt
    assert usage["completion_tokens"] == -(-len(content) // 4)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert (usage["prompt_cache_hit_tokens"], usage["prompt_cache_miss_tokens"]) == (0, prompt)
    assert "reasoning_content" not in choice["message"]


def test_the_second_call_with_the_same_system_prompt_hits_the_cache(client: httpx.Client) -> None:
    first = post(client, translation_request("The first segment.")).json()["usage"]
    second = post(client, translation_request("The second segment is longer.", "The first segment.")).json()["usage"]
    other = post(client, translation_request("The second segment.", system="Another prefix.")).json()["usage"]
    system_tokens = -(-len(SYSTEM) // 4)
    assert first["prompt_cache_hit_tokens"] == 0
    assert second["prompt_cache_hit_tokens"] == system_tokens
    assert second["prompt_cache_miss_tokens"] == second["prompt_tokens"] - system_tokens
    assert other["prompt_cache_hit_tokens"] == 0
    tokens = client.get("/_standin/stats").json()["tokens"]
    assert tokens["cache_hit"] == system_tokens and tokens["prompt"] == sum(
        u["prompt_tokens"] for u in (first, second, other)
    )


def test_both_paths_and_the_models_list_answer(client: httpx.Client) -> None:
    a = post(client, translation_request(TEXT)).json()
    b = post(client, translation_request(TEXT), "/v1/chat/completions").json()
    assert a["choices"][0]["message"]["content"] == b["choices"][0]["message"]["content"]
    for path in ("/models", "/v1/models"):
        models = client.get(path).json()
        assert models["object"] == "list" and [m["id"] for m in models["data"]] == ["kz2h-standin"]


def test_a_reask_translates_the_original_text_again(client: httpx.Client) -> None:
    body = translation_request(TEXT)
    body["messages"] += [
        {"role": "assistant", "content": "Entonces"},
        {"role": "user", "content": retry_prompt(Rejection("the reply is too short"))},
    ]
    content = post(client, body).json()["choices"][0]["message"]["content"]
    assert content == to_spanish(TEXT)


def test_thinking_left_on_is_billed_as_reasoning(client: httpx.Client) -> None:
    body = translation_request(TEXT)
    del body["thinking"]
    data = post(client, body).json()
    reasoning = data["usage"]["completion_tokens_details"]["reasoning_tokens"]
    content = data["choices"][0]["message"]["content"]
    assert reasoning > 0 and data["usage"]["completion_tokens"] == -(-len(content) // 4) + reasoning
    assert "reasoning_content" in data["choices"][0]["message"]
    assert client.get("/_standin/stats").json()["thinking_enabled"] == 1


def test_max_tokens_cuts_the_reply_with_finish_reason_length(client: httpx.Client) -> None:
    choice = post(client, translation_request(TEXT, max_tokens=5)).json()["choices"][0]
    assert choice["finish_reason"] == "length" and len(choice["message"]["content"]) == 20


def test_json_mode_needs_the_word_json_and_returns_json(client: httpx.Client) -> None:
    body = translation_request("A simple sentence.", response_format={"type": "json_object"})
    assert post(client, body).status_code == 400
    body["messages"][0]["content"] += " Reply in json."
    content = post(client, body).json()["choices"][0]["message"]["content"]
    assert json.loads(content) == {"translation": "Una simple oración."}


def test_an_unknown_request_kind_gets_a_labelled_fallback() -> None:
    reply = answer([{"role": "user", "content": "Hello"}])
    assert reply.kind == "fallback" and "kz2h-standin" in reply.content
    reply = answer([{"role": "user", "content": "Reply in json"}], {"type": "json_object"})
    assert json.loads(reply.content)["standin"] == "kz2h-standin"


def test_answers_are_deterministic_across_servers() -> None:
    body = translation_request(TEXT)
    replies = []
    for _ in range(2):
        with running_standin() as fresh, standin_client(fresh) as http:
            replies.append(post(http, body).json())
    assert replies[0]["id"] == replies[1]["id"]
    assert replies[0]["choices"] == replies[1]["choices"]
    assert replies[0]["usage"] == replies[1]["usage"]


# --------------------------------------------------------------------------- auth and validation


def test_a_missing_blank_or_wrong_key_is_401() -> None:
    with running_standin(api_key="right-key") as keyed:
        with httpx.Client(base_url=keyed.url) as anonymous:
            for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer wrong-key"}):
                reply = anonymous.post("/chat/completions", json=translation_request(TEXT), headers=headers)
                assert reply.status_code == 401
                assert reply.json()["error"]["type"] == "authentication_error"
            assert anonymous.get("/models").status_code == 401
        with standin_client(keyed, api_key="right-key") as http:
            assert post(http, translation_request(TEXT)).status_code == 200
        assert keyed.stats()["by_status"] == {"401": 4, "200": 1}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'{"messages": [{"role": "user", "content": "hi"}]}', 422),
        (b'{"model": "m"}', 422),
        (b'{"model": "m", "messages": []}', 400),
        (b'{"model": "m", "messages": "hi"}', 422),
        (b'{"model": "m", "messages": [{"role": "robot", "content": "hi"}]}', 422),
        (b'{"model": "m", "messages": [{"role": "user", "content": 3}]}', 422),
        (b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}', 422),
        (b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "thinking": "off"}', 422),
        (b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": true}', 400),
    ],
)
def test_bad_requests_get_openai_style_errors(client: httpx.Client, body: bytes, status: int) -> None:
    reply = client.post("/chat/completions", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == status
    error = reply.json()["error"]
    assert error["message"] and error["type"] == "invalid_request_error" and error["code"]


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("step", "status", "error_type"),
    [
        ("429", 429, "rate_limit_error"),
        ("500", 500, "server_error"),
        ("503", 503, "server_error"),
        ("401", 401, "authentication_error"),
        ("402", 402, "unknown_error"),
        ("400", 400, "invalid_request_error"),
        ("422", 422, "invalid_request_error"),
    ],
)
def test_error_faults_arrive_as_status_codes(
    server: StandinServer, client: httpx.Client, step: str, status: int, error_type: str
) -> None:
    server.script([step])
    reply = post(client, translation_request(TEXT))
    assert reply.status_code == status and reply.json()["error"]["type"] == error_type
    assert reply.headers.get("Retry-After") == ("1" if step == "429" else None)
    if step == "402":
        assert reply.json()["error"]["message"] == "Insufficient Balance"
    assert post(client, translation_request(TEXT)).status_code == 200  # the script is used up


def test_drop_closes_the_connection_without_a_response(server: StandinServer, client: httpx.Client) -> None:
    server.script(["drop"])
    with pytest.raises(httpx.RemoteProtocolError):
        post(client, translation_request(TEXT))
    assert post(client, translation_request(TEXT)).status_code == 200
    assert server.stats()["by_status"] == {"drop": 1, "200": 1}


def test_keepalive_sends_blank_lines_before_a_parseable_body(server: StandinServer, client: httpx.Client) -> None:
    server.script(["keepalive"])
    lines: list[tuple[float, bytes]] = []
    started = time.monotonic()
    with client.stream("POST", "/chat/completions", json=translation_request(TEXT)) as reply:
        assert reply.status_code == 200 and "content-length" not in reply.headers
        for chunk in reply.iter_raw():
            lines.append((time.monotonic() - started, chunk))
    raw = b"".join(chunk for _, chunk in lines)
    assert raw.startswith(b"\n\n\n{")
    assert lines[0][1] == b"\n" and lines[-1][0] >= 0.25  # three blank lines 0.1 s apart, then the body
    assert json.loads(raw)["choices"][0]["message"]["content"] == to_spanish(TEXT)


def test_truncate_sends_half_a_json_body(server: StandinServer, client: httpx.Client) -> None:
    server.script(["truncate"])
    reply = post(client, translation_request(TEXT))
    assert reply.status_code == 200 and reply.text.startswith('{"id": "standin-')
    with pytest.raises(json.JSONDecodeError):
        reply.json()


def test_length_and_blank_are_valid_replies_a_validator_rejects(server: StandinServer, client: httpx.Client) -> None:
    server.script(["length", "blank"])
    length = post(client, translation_request(TEXT)).json()["choices"][0]
    blank = post(client, translation_request(TEXT)).json()["choices"][0]
    assert (
        length["finish_reason"] == "length"
        and length["message"]["content"] == to_spanish(TEXT)[: len(to_spanish(TEXT)) // 2]
    )
    assert blank["finish_reason"] == "stop" and blank["message"]["content"] == ""
    assert validate_translation(TEXT, length["message"]["content"]) is not None
    assert validate_translation(TEXT, blank["message"]["content"]) is not None


def test_the_script_endpoint_sets_outcomes_in_order(client: httpx.Client) -> None:
    assert client.post("/_standin/script", json={"script": ["nope"]}).status_code == 400
    assert client.post("/_standin/script", json={"script": ["429", "ok", "503"]}).status_code == 200
    assert client.get("/_standin/stats").json()["script_remaining"] == ["429", "ok", "503"]
    statuses = [post(client, translation_request(TEXT)).status_code for _ in range(4)]
    assert statuses == [429, 200, 503, 200]
    stats = client.get("/_standin/stats").json()
    assert stats["requests"] == 4 and stats["completions"] == 2 and stats["script_remaining"] == []
    assert client.post("/_standin/reset").status_code == 200
    assert client.get("/_standin/stats").json()["requests"] == 0


def test_fail_rate_faults_are_reproducible_and_retries_get_through() -> None:
    def run() -> list[list[str]]:
        faults = ("429", "500", "503", "drop", "truncate", "length", "blank", "keepalive")
        options = {"fail_rate": 0.5, "faults": faults, "seed": 7, "keepalive_lines": 1, "keepalive_interval": 0.0}
        outcomes: list[list[str]] = []
        with running_standin(**options) as flaky, standin_client(flaky) as http:
            for i in range(8):
                tries: list[str] = []
                for _ in range(30):
                    try:
                        reply = post(http, translation_request(f"Segment number {i} of the lecture."))
                    except httpx.RemoteProtocolError:
                        tries.append("drop")
                        continue
                    choice = reply.json()["choices"][0] if reply.status_code == 200 and reply.text[-1] == "}" else None
                    tries.append(str(reply.status_code) if choice is None else choice["finish_reason"])
                    if choice and choice["finish_reason"] == "stop" and choice["message"]["content"]:
                        break
                outcomes.append(tries)
        return outcomes

    first = run()
    assert first == run()
    assert all(tries[-1] == "stop" for tries in first)
    assert sum(len(tries) - 1 for tries in first) >= 3  # some requests did fail first


def test_unknown_faults_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        StandinServer(faults=("429", "teapot"))
    assert "keepalive" in FAULTS and "ok" not in FAULTS


# --------------------------------------------------------------------------- concurrency and lifecycle


def test_in_flight_counting_with_concurrent_requests() -> None:
    with running_standin(latency=0.3) as slow, standin_client(slow) as http:
        barrier = threading.Barrier(8)
        statuses: list[int] = []

        def call(i: int) -> None:
            barrier.wait()
            statuses.append(post(http, translation_request(f"Request {i} arrives.")).status_code)

        threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert time.monotonic() - started < 1.5  # served concurrently, not one after another
        stats = slow.stats()
    assert statuses == [200] * 8
    assert stats["peak_in_flight"] == 8 and stats["in_flight"] == 0 and stats["completions"] == 8


def test_stop_does_not_wait_for_idle_keepalive_connections() -> None:
    server = StandinServer().start()
    with standin_client(server) as http:
        assert post(http, translation_request(TEXT)).status_code == 200  # the connection stays pooled
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1.0
        server.stop()  # idempotent
    with pytest.raises(RuntimeError):
        _ = server.url


def test_the_cli_prints_its_real_port_answers_and_exits_on_sigterm() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    command = [sys.executable, "-m", "kz2h_assets.standin", "--port", "0", "--api-key", TEST_API_KEY]
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert line.startswith("stand-in listening on http://127.0.0.1:")
            port = int(line.rsplit(":", 1)[1])
            assert port > 0
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
                reply = http.post(
                    "/chat/completions",
                    json=translation_request(TEXT),
                    headers={"Authorization": f"Bearer {TEST_API_KEY}"},
                )
                assert reply.json()["choices"][0]["message"]["content"] == to_spanish(TEXT)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert proc.stderr is not None and proc.stderr.read() == ""
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


# --------------------------------------------------------------------------- the Spanish rendering


def test_the_rendering_keeps_case_punctuation_code_and_unknown_words() -> None:
    text = "THE Loss, of `x.grad` (and self._backward) is 0.5; the zorblax layers agree."
    spanish = to_spanish(text)
    assert spanish == "LA Pérdida, de `x.grad` (y self._backward) es 0.5; las zorblax capas agree."
    assert to_spanish("I think that the tanh function is what we want. All the layers: that layer.") == (
        "Yo pensar que la tanh función es lo que nosotros querer. Todas las capas: esa capa."
    )
    assert all(token in spanish for token in protected_tokens(text))
    assert to_spanish("  two  spaces\nand a newline ") == "  dos  espacios\ny un newline "


def _sample_units() -> Iterator[tuple[str, list[Unit]]]:
    catalog = load_catalog()
    for resource in catalog.resources:
        (path,) = SAMPLES_DIR.glob(f"{resource.id}.*")
        if resource.kind == "video":
            yield resource.id, video_units(resource, read_caption_file(path, "x"))
        else:
            try:
                from kz2h_assets.sources.papers import extract_paper
            except ImportError:  # the paper extractor is not there yet
                continue
            paper = extract_paper(path.read_bytes(), [c.at for c in resource.chapters], origin=str(path))
            yield resource.id, paper_units(resource, paper)


def test_every_sample_segment_gets_a_translation_that_passes_validation() -> None:
    catalog = load_catalog()
    resources = {r.id: r for r in catalog.resources}
    checked = 0
    failures = []
    for resource_id, units in _sample_units():
        prefix = system_prompt(catalog, resources[resource_id])
        for config in (None, SegmentingConfig(target_words=60, max_words=90)):
            previous = ""
            for segment in segment_units(resource_id, units, config):
                messages = [
                    {"role": "system", "content": prefix},
                    {"role": "user", "content": user_prompt(segment.text, tail(previous))},
                ]
                reply = answer(messages)
                assert reply.kind == "translation"
                rejection = validate_translation(segment.text, reply.content)
                if rejection is not None:
                    failures.append((resource_id, segment.text[:80], rejection.reason))
                previous = segment.text
                checked += 1
    assert not failures
    assert checked > 400
