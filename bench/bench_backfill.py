"""A backfill of all 11 partitions through `dagster dev` (webserver + daemon) against the stand-in.

1. The stand-in answers every LLM call after a fixed latency L. A backfill of every partition's
   chain is launched over GraphQL; the repo's dagster.yaml limits the `deepseek` pool (LLM steps
   at once) and KZ2H_LLM_GLOBAL_IN_FLIGHT bounds requests in flight over all runs. Reported:
   peak requests in flight (must never exceed the global bound), peak LLM steps at once (must
   never exceed the pool limit), and wall time against total calls × L / bound, with where the
   difference goes (before the first call, after the last one, idle slots in between).
2. Dagster's per-partition overhead with a zero-latency stand-in: in-process executor
   (`execute_in_process`) vs the multiprocess executor (`dagster asset materialize`).

    .venv/bin/python bench/bench_backfill.py [--latency 10] [--segment-words 60] [--bound 16]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import dagster as dg
from benchdb import REPO, fresh_database

from kz2h_assets.catalog import load_catalog
from kz2h_assets.definitions import build_definitions
from kz2h_assets.devserver import (
    INGEST_CHAIN,
    LLM_STEPS,
    free_port,
    launch_asset_backfill,
    peak_concurrent_steps,
    pool_limit,
    running_dagster_dev,
    wait_for_backfill,
)
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.standin import StandinServer


def _sync_catalog(database_url: str) -> None:
    defs = build_definitions(Database(url=database_url), SourceFetcher(), LLM())
    assert defs.resolve_job_def("catalog_sync").execute_in_process().success


def backfill(latency: float, bound: int, segment_words: int | None) -> None:
    partitions = load_catalog().resource_ids
    limit = pool_limit()
    home = tempfile.mkdtemp(prefix="kz2h-backfill-")  # kept: the dagster dev log and instance are there
    with fresh_database() as database_url, StandinServer(latency=latency) as server:
        _sync_catalog(database_url)
        env = {
            "KZ2H_DATABASE_URL": database_url,
            "DEEPSEEK_BASE_URL": server.url,
            "DEEPSEEK_API_KEY": "bench",
            "KZ2H_SOURCES_DIR": str(SAMPLES_DIR),
            "KZ2H_LLM_GLOBAL_IN_FLIGHT": str(bound),
        }
        log_path = Path(home) / "dagster-dev.log"
        with log_path.open("w") as log, running_dagster_dev(Path(home), env, free_port(), log=log) as url:
            began = time.monotonic()
            config = None
            if segment_words:  # real videos have ~40 segments; the samples are short
                words = {"target_words": segment_words, "max_words": segment_words * 3 // 2}
                config = {"ops": {"segments": {"config": words}}}
            backfill_id = launch_asset_backfill(url, INGEST_CHAIN, partitions, config)
            status = wait_for_backfill(
                url, backfill_id, on_poll=lambda st: print(
                    f"  {time.monotonic() - began:6.1f} s  {st:10s} calls {server.stats()['completions']:4d}  "
                    f"in flight {server.stats()['in_flight']:2d}  peak {server.stats()['peak_in_flight']:2d}",
                    flush=True,
                ),
            )  # fmt: skip
            wall = time.monotonic() - began
        stats = server.stats()
        peak_steps = peak_concurrent_steps(Path(home), backfill_id, LLM_STEPS)
    calls = stats["completions"]
    ideal = calls * latency / bound
    first, last = stats["first_request_at"] - began, began + wall - stats["last_request_end"]
    active = wall - first - last
    print(f"backfill of {len(partitions)} partitions: {status} in {wall:.1f} s (Dagster home {home})")
    print(f"LLM calls {calls} at L = {latency:.2f} s; global bound {bound}: peak requests in flight "
          f"{stats['peak_in_flight']}; pool limit {limit}: peak LLM steps at once {peak_steps}")  # fmt: skip
    print(f"ideal calls x L / bound = {ideal:.1f} s -> wall / ideal = {wall / ideal:.2f} (target <= 1.3)")
    print(f"  before the first call {first:.1f} s; after the last one {last:.1f} s; in between {active:.1f} s "
          f"with {stats['request_seconds'] / active:.1f} of {bound} slots busy on average "
          f"({stats['request_seconds'] / (active * bound):.0%})")  # fmt: skip
    assert status in ("COMPLETED", "COMPLETED_SUCCESS"), f"backfill ended {status}; see {log_path}"
    assert stats["peak_in_flight"] <= bound, "the global bound was exceeded"
    assert peak_steps <= limit, "the deepseek pool limit was exceeded"


def _cli_materialize(partitions: list[str], executor: str) -> float:
    """Mean seconds per partition for `dagster asset materialize` of the whole chain with this executor."""
    with fresh_database() as database_url, StandinServer(latency=0.0) as server, tempfile.TemporaryDirectory() as home:
        _sync_catalog(database_url)
        env = {
            **os.environ,
            "DAGSTER_HOME": home,
            "KZ2H_DATABASE_URL": database_url,
            "KZ2H_EXECUTOR": executor,
            "DEEPSEEK_BASE_URL": server.url,
            "DEEPSEEK_API_KEY": "bench",
            "KZ2H_SOURCES_DIR": str(SAMPLES_DIR),
        }
        (Path(home) / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
        times = []
        for partition in partitions:
            began = time.monotonic()
            subprocess.run(
                [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "kz2h_assets.definitions", "--select",
                 "group:source or group:translation or group:content or group:load", "--partition", partition],
                cwd=REPO, env=env, check=True, capture_output=True,
            )  # fmt: skip
            times.append(time.monotonic() - began)
    return sum(times) / len(times)


def overhead() -> None:
    partitions = load_catalog().resource_ids[:3]
    with fresh_database() as database_url, StandinServer(latency=0.0) as server:
        _sync_catalog(database_url)
        resources = (Database(url=database_url), SourceFetcher(sources_dir=str(SAMPLES_DIR)),
                     LLM(api_key="bench", base_url=server.url))  # fmt: skip
        job = build_definitions(*resources).resolve_job_def("ingest")
        times = []
        for partition in partitions:
            began = time.monotonic()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", dg.PreviewWarning)
                assert job.execute_in_process(partition_key=partition).success
            times.append(time.monotonic() - began)
        in_memory = sum(times) / len(times)
    in_process = _cli_materialize(partitions, "in_process")
    multiprocess = _cli_materialize(partitions, "multiprocess")
    print(f"per-partition time with a zero-latency stand-in ({len(partitions)} partitions, 8 steps + 6 checks):")
    print(f"  execute_in_process (warm, as in tests):          {in_memory:5.1f} s")
    print(f"  dagster asset materialize, in-process executor:  {in_process:5.1f} s")
    print(
        f"  dagster asset materialize, multiprocess executor: {multiprocess:5.1f} s  ({multiprocess / in_process:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=10.0)
    parser.add_argument("--bound", type=int, default=LLM().global_in_flight, help="KZ2H_LLM_GLOBAL_IN_FLIGHT")
    parser.add_argument(
        "--segment-words", type=int, default=60,
        help="segment target size; 60 gives the sample videos ~45 segments each, as real ones have "
        "(0: the pipeline's own 620, ~5 per sample)",
    )  # fmt: skip
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--skip-backfill", action="store_true")
    args = parser.parse_args()
    if not args.skip_backfill:
        backfill(args.latency, args.bound, args.segment_words)
    if not args.skip_overhead:
        overhead()


if __name__ == "__main__":
    main()
