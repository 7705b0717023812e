"""The translation asset per partition: the stand-in over loopback, a real PostgreSQL, resume and reuse."""

from __future__ import annotations

import dagster as dg
import sqlalchemy as sa

from kz2h_assets.assets import source as source_assets
from kz2h_assets.assets import translation as translation_assets
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

from .standin_server import running_standin

ASSETS = [source_assets.source_text, source_assets.segments, translation_assets.translated_segments]


def _materialize(database_url: str, url: str, partition: str = "kz2h-micrograd", **llm: object):
    return dg.materialize(
        ASSETS,
        partition_key=partition,
        resources={
            "database": Database(url=database_url),
            "sources": SourceFetcher(sources_dir=str(SAMPLES_DIR)),
            "llm": LLM(api_key="sk-test", base_url=url, **llm),  # type: ignore[arg-type]
        },
        raise_on_error=False,
    )


def _meta(result: dg.ExecuteInProcessResult) -> dict:
    events = result.asset_materializations_for_node("translated_segments")
    if events:
        return {k: v.value for k, v in events[0].metadata.items()}
    failure = result.get_step_failure_events()[0].step_failure_data
    return {k: v.value for k, v in (failure.user_failure_data.metadata if failure.user_failure_data else {}).items()}


def test_translate_resume_and_reuse(database_url: str) -> None:
    with running_standin() as server:
        first = _materialize(database_url, server.url)
        assert first.success
        meta = _meta(first)
        segments = meta["segments"]
        assert meta["translated_now"] == segments and meta["api_calls"] == segments
        assert meta["cache_hit_ratio"] > 0 and meta["standin_output"] is True
        assert "| English | Español |" in meta["preview"]

        second = _materialize(database_url, server.url)
        assert second.success and _meta(second)["api_calls"] == 0 and _meta(second)["reused_stored"] == segments
        assert server.stats()["completions"] == segments

        # Lose two finished translations (a crash before they were stored): only those are asked again,
        # and their identical requests are reused from the call log, so nothing is paid twice.
        engine = sa.create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM kz2h.translations WHERE segment_id IN "
                                 "(SELECT segment_id FROM kz2h.translations ORDER BY segment_id LIMIT 2)"))  # fmt: skip
        third = _materialize(database_url, server.url)
        meta = _meta(third)
        assert meta["translated_now"] == 2 and meta["calls_reused_from_log"] == 2 and meta["api_calls"] == 0
        assert server.stats()["completions"] == segments
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*), bool_and(is_standin) FROM kz2h.translations")).one()
        engine.dispose()
        assert tuple(stored) == (segments, True)


def test_402_fails_at_once_keeping_finished_segments(database_url: str) -> None:
    with running_standin() as server:
        server.script(["ok", "ok", "402"] + ["402"] * 30)
        result = _materialize(database_url, server.url, max_in_flight=1)
    assert not result.success
    error = result.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and "insufficient balance (402" in error.message
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT count(*) FROM kz2h.translations")).scalar_one()
    engine.dispose()
    assert kept == 2


def test_without_a_key_the_failure_points_to_the_demo(database_url: str) -> None:
    result = dg.materialize(
        ASSETS,
        partition_key="kz2h-micrograd",
        resources={
            "database": Database(url=database_url),
            "sources": SourceFetcher(sources_dir=str(SAMPLES_DIR)),
            "llm": LLM(),
        },
        raise_on_error=False,
    )
    error = result.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and "DEEPSEEK_API_KEY is not set" in error.message and "make demo" in error.message


def test_stand_in_text_is_refused_for_a_remote_database(database_url: str) -> None:
    remote_looking = database_url  # same server, but the resource says it is not local
    with running_standin() as server:
        result = dg.materialize(
            ASSETS,
            partition_key="kz2h-makemore-wavenet",
            resources={
                "database": _RemoteDatabase(url=remote_looking),
                "sources": SourceFetcher(sources_dir=str(SAMPLES_DIR)),
                "llm": LLM(api_key="sk-test", base_url=server.url),
            },
            raise_on_error=False,
        )
    error = result.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and "stand-in" in error.message and "KZ2H_ALLOW_STANDIN_REMOTE" in error.message


class _RemoteDatabase(Database):
    def is_local(self) -> bool:
        return False
