"""Reliability: a killed run resumes, a failed load leaves nothing partial, learner data and edits survive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import dagster as dg
import pytest
import sqlalchemy as sa

from .conftest import LOAD_KEYS, PARTITION, REPO, edit_stored_questions, platform_rows
from .standin_server import running_standin
from .translate_worker import materialize

pytestmark = pytest.mark.slow


def _count(engine: sa.Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(sql), params).scalar_one())


def test_a_killed_translation_resumes_asking_only_for_missing_segments(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with running_standin(latency=0.4) as server:
        worker = subprocess.Popen(
            [sys.executable, "-m", "kz2h_assets_tests.translate_worker", database_url, server.url, PARTITION],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while _count(engine, "SELECT count(*) FROM kz2h.translations") < 4:
                assert worker.poll() is None, "the worker ended before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.05)
            os.kill(worker.pid, signal.SIGKILL)  # a real kill, mid-translation
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
        segments = _count(engine, "SELECT count(*) FROM kz2h.segments")
        stored = _count(engine, "SELECT count(*) FROM kz2h.translations")
        assert 4 <= stored < segments
        while server.stats()["in_flight"]:  # requests the dead worker left on the wire finish on their own
            time.sleep(0.05)
        server.reset()

        result = materialize(database_url, server.url, PARTITION)
        assert result.success
        meta = {
            k: v.value for k, v in result.asset_materializations_for_node("translated_segments")[0].metadata.items()
        }
        missing = segments - stored
        # Only missing segments are requested; a reply that arrived before the kill is reused from the log.
        assert meta["reused_stored"] == stored and meta["translated_now"] == missing
        assert server.stats()["completions"] == meta["api_calls"] <= missing
        assert meta["api_calls"] + meta["calls_reused_from_log"] == missing
    assert _count(engine, "SELECT count(*) FROM kz2h.translations") == segments
    engine.dispose()


def _reload(defs: dg.Definitions) -> dg.ExecuteInProcessResult:
    job = defs.resolve_implicit_global_asset_job_def().get_subset(asset_selection=set(LOAD_KEYS))
    return job.execute_in_process(partition_key=PARTITION, raise_on_error=False)


def test_a_database_that_goes_away_mid_load_leaves_everything_as_it_was(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded
    edit_stored_questions(engine, lambda doc: doc["sections"][0]["quizzes"][0].update(prompt="¿Una pregunta nueva?"))
    with engine.begin() as conn:  # the server drops the connection in the middle of the question_bank upsert
        conn.execute(
            sa.text(
                "CREATE FUNCTION drop_me() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$"
            )
        )
        conn.execute(
            sa.text("CREATE TRIGGER drop_me BEFORE UPDATE ON question_bank FOR EACH ROW EXECUTE FUNCTION drop_me()")
        )
    # Make sure resource_sections changes too, so something would be half-written without a transaction.
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE resource_sections SET content_hash = 'stale' WHERE resource_id = :r"), {"r": PARTITION}
        )
    before = platform_rows(engine)
    result = _reload(defs)
    assert not result.success
    error = result.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and "rolled back" in error.message and "as it was" in error.message
    assert platform_rows(engine) == before


def test_learner_data_survives_a_reingestion_that_drops_a_question(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE learner_attempts (id serial PRIMARY KEY, "
                "question_id uuid NOT NULL REFERENCES question_bank (id), answer smallint)"  # no CASCADE
            )
        )
        dropped = conn.execute(
            sa.text(
                "SELECT id FROM question_bank WHERE resource_id = :r AND kind = 'quiz' "
                "ORDER BY position DESC, id LIMIT 1"
            ),
            {"r": PARTITION},
        ).scalar_one()
        conn.execute(sa.text("INSERT INTO learner_attempts (question_id, answer) VALUES (:q, 2)"), {"q": dropped})
    section = _count(engine, "SELECT count(*) FROM question_bank WHERE id = :q", q=dropped)
    assert section == 1

    def drop_last_quiz(doc: dict) -> None:
        for s in doc["sections"]:
            s["quizzes"] = s["quizzes"][:-1] if len(s["quizzes"]) > 2 else s["quizzes"]

    edit_stored_questions(engine, drop_last_quiz)
    result = _reload(defs)
    assert result.success
    archived = _count(engine, "SELECT count(*) FROM question_bank WHERE archived_at IS NOT NULL AND resource_id = :r",
                      r=PARTITION)  # fmt: skip
    assert archived >= 1
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT archived_at FROM question_bank WHERE id = :q"), {"q": dropped}).one()
        assert row.archived_at is not None  # archived, not deleted
        assert conn.execute(sa.text("SELECT count(*) FROM learner_attempts")).scalar_one() == 1


def test_a_persons_edit_survives_a_rerun(loaded) -> None:  # type: ignore[no-untyped-def]
    defs, engine = loaded
    with engine.begin() as conn:
        edited = conn.execute(
            sa.text("SELECT id FROM question_bank WHERE resource_id = :r AND kind = 'quiz' ORDER BY id LIMIT 1"),
            {"r": PARTITION},
        ).scalar_one()
        conn.execute(
            sa.text("UPDATE question_bank SET prompt = 'Editada por una persona', locked = true WHERE id = :q"),
            {"q": edited},
        )

    def reword_everything(doc: dict) -> None:
        for s in doc["sections"]:
            for q in s["quizzes"]:
                q["prompt"] = q["prompt"] + " (v2)"

    edit_stored_questions(engine, reword_everything)
    result = _reload(defs)
    assert result.success
    meta = {
        m.asset_key.path[-1]: {k: v.value for k, v in m.metadata.items()}
        for m in result.asset_materializations_for_node("load_platform_rows")
    }
    assert meta["question_bank"]["rows locked (left as edited)"] == 1
    assert meta["question_bank"]["rows updated"] >= 11
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT prompt FROM question_bank WHERE id = :q"), {"q": edited}).scalar_one() == (
            "Editada por una persona"
        )
