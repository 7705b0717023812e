"""`make dev`: the UI and daemon on 127.0.0.1, offline by default, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from kz2h_assets.devserver import free_port, wait_until_up

from .conftest import REPO

pytestmark = pytest.mark.slow


def test_dev_starts_offline_and_stops_cleanly_on_sigterm() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEEPSEEK_", "KZ2H_SOURCES_DIR"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kz2h_assets.cli", "dev", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        standin = re.search(r"stand-in at (http://127\.0\.0\.1:\d+)", first)
        assert standin, first
        wait_until_up(url, proc)
        assert httpx.get(f"{standin.group(1)}/models", headers={"Authorization": "Bearer x"}).status_code == 200
        proc.send_signal(signal.SIGTERM)  # what `kill` or a process manager sends
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout is not None:
            proc.stdout.close()
    for dead in (f"{url}/server_info", f"{standin.group(1)}/models"):
        with pytest.raises(httpx.ConnectError):
            httpx.get(dead, timeout=2)
