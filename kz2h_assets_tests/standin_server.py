"""Helpers for tests that talk to the DeepSeek stand-in (kz2h_assets.standin) over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from kz2h_assets.standin import StandinServer
from kz2h_assets.translation import user_prompt

TEST_API_KEY = "sk-standin-test-0000"
SYSTEM = "You translate English machine-learning teaching material into Spanish. (stand-in test prefix)\n" * 4


@contextmanager
def running_standin(**options: Any) -> Iterator[StandinServer]:
    """A started StandinServer (keyword options as StandinServer's), stopped on exit."""
    server = StandinServer(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def standin_client(server: StandinServer, api_key: str = TEST_API_KEY, timeout: float = 10.0) -> Iterator[httpx.Client]:
    """An httpx client for server.url sending a bearer key, closed on exit."""
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout) as client:
        yield client


def translation_request(
    text: str, previous_tail: str = "", *, system: str = SYSTEM, model: str = "deepseek-flash", **extra: Any
) -> dict[str, Any]:
    """A chat-completions body like the translation client's (thinking disabled)."""
    return {
        "model": model,
        "thinking": {"type": "disabled"},
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user_prompt(text, previous_tail)},
        ],
        **extra,
    }
