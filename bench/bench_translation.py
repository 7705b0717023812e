"""Translation throughput, resume and fault tolerance against the stand-in at a fixed latency.

1. 39 segments at latency L per call: serial (1 in flight) vs the default 8 in flight,
   compared with the ideal ceil(39/8)·L.
2. The same 39 again: zero upstream calls (everything reused from the call log).
3. With 20% of calls failing transiently (429, 500, 503, dropped, truncated): the output
   is identical to the fault-free run and no segment is paid twice.

    .venv/bin/python bench/bench_translation.py [--latency 0.5]

Uses KZ2H_BENCH_DATABASE_URL (a server it may CREATE DATABASE on) or the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
import uuid

import sqlalchemy as sa
from benchdb import fresh_database

from kz2h_assets import db
from kz2h_assets.catalog import load_catalog
from kz2h_assets.llm.calls import CallLog
from kz2h_assets.llm.client import ChatClient, ClientSettings
from kz2h_assets.segmenting import SegmentingConfig, segment_units, video_units
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.sources.captions import read_caption_file
from kz2h_assets.sources.models import Segment
from kz2h_assets.standin import StandinServer
from kz2h_assets.translation import Translated, system_prompt, translate_all

N_SEGMENTS = 39


def _segments() -> list[Segment]:
    resource = load_catalog().resource("kz2h-micrograd")
    transcript = read_caption_file(SAMPLES_DIR / "kz2h-micrograd.vtt", "VMj-3S1tku0")
    segments = segment_units(resource.id, video_units(resource, transcript), SegmentingConfig(target_words=70))
    assert len(segments) >= N_SEGMENTS, len(segments)
    return segments[:N_SEGMENTS]


def _translate(url: str, engine: sa.Engine, segments: list[Segment], in_flight: int) -> tuple[float, dict[str, str]]:
    catalog = load_catalog()
    system = system_prompt(catalog, catalog.resource("kz2h-micrograd"))
    out: dict[str, str] = {}

    async def on_done(result: Translated) -> None:
        out[result.segment.id] = result.text_es

    async def run() -> None:
        settings = ClientSettings(base_url=url, api_key="bench", max_in_flight=in_flight, backoff_base=0.05,
                                  backoff_max=0.2)  # fmt: skip
        async with ChatClient(settings) as client:
            log = CallLog(client, engine, run_id=f"bench-{uuid.uuid4().hex[:6]}")
            await translate_all(log, "deepseek-flash", system, segments, {s.id for s in segments}, on_done)

    began = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - began, out


def _ok_calls(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM kz2h.llm_calls WHERE status = 'ok'")).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.5)
    args = parser.parse_args()
    latency = args.latency
    segments = _segments()
    ideal = math.ceil(N_SEGMENTS / 8) * latency

    with fresh_database() as url:
        serial_engine, engine = db.make_engine(url), db.make_engine(url)
        with StandinServer(latency=latency) as server:
            serial_s, _ = _translate(server.url, serial_engine, segments, in_flight=1)
            with serial_engine.begin() as conn:  # forget the log so the concurrent run pays again
                conn.execute(sa.text("DELETE FROM kz2h.llm_calls"))
            server.reset()
            concurrent_s, clean = _translate(server.url, engine, segments, in_flight=8)
            peak = server.stats()["peak_in_flight"]
            server.reset()
            rerun_s, again = _translate(server.url, engine, segments, in_flight=8)
            rerun_calls = server.stats()["completions"]
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM kz2h.llm_calls"))
        with StandinServer(latency=latency, fail_rate=0.2, seed=7) as server:
            faulty_s, faulty = _translate(server.url, engine, segments, in_flight=8)
            stats = server.stats()
        paid = _ok_calls(engine)
        serial_engine.dispose()
        engine.dispose()

    failed = sum(n for status, n in stats["by_outcome"].items() if status != "ok")
    print(f"segments: {N_SEGMENTS}, latency L = {latency:.2f} s per call")
    print(f"serial (1 in flight):      {serial_s:6.2f} s")
    print(f"concurrent (8 in flight):  {concurrent_s:6.2f} s  peak in flight {peak}")
    print(
        f"ideal ceil(39/8)*L:        {ideal:6.2f} s  -> concurrent/ideal = {concurrent_s / ideal:.2f} (target <= 1.2)"
    )
    print(f"speed-up serial/concurrent: {serial_s / concurrent_s:.1f}x (target > 6x)")
    print(f"re-run: {rerun_s:.2f} s, upstream calls {rerun_calls} (target 0), output identical: {again == clean}")
    print(
        f"20% transient faults: {faulty_s:.2f} s, {stats['requests']} requests ({failed} failed by design), "
        f"paid calls {paid} for {N_SEGMENTS} segments, output identical to fault-free: {faulty == clean}"
    )
    assert rerun_calls == 0 and again == clean and faulty == clean and paid == N_SEGMENTS


if __name__ == "__main__":
    main()
