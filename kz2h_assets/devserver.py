"""Start `dagster dev` (webserver + daemon) and talk to it over GraphQL.

Used by `make dev`, the UI tests and the backfill benchmark. `dagster dev` started from a
non-interactive shell inherits an ignored SIGINT and then ignores SIGTERM too, so it is
started in its own session and stopped with SIGTERM to its process group.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

REPO = Path(__file__).resolve().parent.parent
LOCATION = "kz2h_assets.definitions"
REPOSITORY = "__repository__"

# A partition's whole chain as asset key paths (what a backfill of `ingest` selects), and the
# steps in it that call the LLM (the `deepseek` pool's).
INGEST_CHAIN = [["source_text"], ["segments"], ["translated_segments"], ["concept_sections"], ["questions"]]
INGEST_CHAIN += [["platform", t] for t in ("resource_sections", "question_bank", "resource_concepts")]
LLM_STEPS = ["translated_segments", "concept_sections", "questions"]


def pool_limit(dagster_yaml: Path = REPO / "dagster.yaml") -> int:
    """The `deepseek` pool's limit (LLM steps at once) that an instance config sets."""
    import yaml

    return int(yaml.safe_load(dagster_yaml.read_text())["concurrency"]["pools"]["default_limit"])


# An ignored SIGINT survives exec (a parent started from a non-interactive shell passes it on), and
# `dagster dev` copies its SIGINT handler onto SIGTERM: restore SIGINT first, then run the real CLI.
_DAGSTER_WITH_SIGINT = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from dagster._cli import main; sys.argv[0] = 'dagster'; main()"
)


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on ``host`` right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def dev_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-c", _DAGSTER_WITH_SIGINT, "dev", "-w", str(REPO / "workspace.yaml"), "-h", host,
        "-p", str(port),
    ]  # fmt: skip


def prepare_home(home: Path, dagster_yaml: Path = REPO / "dagster.yaml", *, keep_existing: bool = False) -> Path:
    """Make ``home`` a Dagster instance folder holding ``dagster_yaml``; with ``keep_existing``, a
    dagster.yaml already there (a production instance's) is left as it is."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists() or (not keep_existing and target.read_bytes() != dagster_yaml.read_bytes()):
        shutil.copyfile(dagster_yaml, target)
    return home


def stop(proc: subprocess.Popen[Any], timeout: float = 30) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def wait_until_up(url: str, proc: subprocess.Popen[Any], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dagster dev exited with {proc.returncode} before answering")
        try:
            if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"dagster dev did not answer at {url} within {timeout:.0f} s")


@contextmanager
def running_dagster_dev(
    home: Path, env: Mapping[str, str], port: int, host: str = "127.0.0.1", log: IO[str] | None = None
) -> Iterator[str]:
    """`dagster dev` with DAGSTER_HOME=home and extra environment; yields its base URL."""
    prepare_home(home)
    full_env = {**os.environ, **env, "DAGSTER_HOME": str(home)}
    proc = subprocess.Popen(
        dev_command(host, port), cwd=REPO, env=full_env, start_new_session=True,
        stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://{host}:{port}"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        stop(proc)


def graphql(url: str, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": dict(variables or {})}, timeout=60)
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body["data"]


_LAUNCH = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on PartitionKeysNotFoundError { message }
  }
}
"""

_STATUS = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numPartitions }
    ... on PythonError { message }
  }
}
"""


def launch_asset_backfill(
    url: str,
    asset_keys: Sequence[Sequence[str]],
    partitions: Sequence[str],
    run_config: Mapping[str, Any] | None = None,
) -> str:
    params: dict[str, Any] = {
        "assetSelection": [{"path": list(k)} for k in asset_keys],
        "partitionNames": list(partitions),
        "title": "kz2h backfill",
    }
    if run_config:
        params["runConfigData"] = dict(run_config)
    result = graphql(url, _LAUNCH, {"params": params})["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise RuntimeError(f"backfill refused: {result}")
    return str(result["backfillId"])


def backfill_status(url: str, backfill_id: str) -> str:
    result = graphql(url, _STATUS, {"id": backfill_id})["partitionBackfillOrError"]
    if result["__typename"] != "PartitionBackfill":
        raise RuntimeError(f"backfill {backfill_id}: {result}")
    return str(result["status"])


def wait_for_backfill(
    url: str,
    backfill_id: str,
    timeout: float = 1800,
    poll: float = 2.0,
    on_poll: Callable[[str], object] | None = None,
) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = backfill_status(url, backfill_id)
        if on_poll is not None:
            on_poll(status)
        if status not in ("REQUESTED", "CANCELING", "FAILING"):
            return status
        time.sleep(poll)
    raise TimeoutError(f"backfill {backfill_id} still running after {timeout:.0f} s")


def peak_concurrent_steps(home: Path, backfill_id: str, step_keys: Sequence[str]) -> int:
    """Most of these steps ever running at once across the backfill's runs (from the instance's event log)."""
    import dagster as dg

    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    edges: list[tuple[float, int]] = []
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id)):
            for record in instance.get_records_for_run(run.run_id, of_type=kinds).records:
                entry = record.event_log_entry
                if entry.step_key in step_keys and entry.dagster_event is not None:
                    starts = entry.dagster_event.event_type == dg.DagsterEventType.STEP_START
                    edges.append((entry.timestamp, 1 if starts else -1))
    running = peak = 0
    for _, change in sorted(edges):  # at equal times an end (-1) sorts before a start
        running += change
        peak = max(peak, running)
    return peak
