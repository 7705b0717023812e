"""Every partition end to end, as `make demo` runs it: samples, stand-in, a real PostgreSQL, every check.
Then again: nothing changes and no API call is made."""

from __future__ import annotations

import warnings

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.catalog import load_catalog
from kz2h_assets.summary import partition_summary, summary_rows

from .conftest import offline_definitions
from .standin_server import running_standin

pytestmark = pytest.mark.slow

_SNAPSHOT = {
    "resource_sections": "SELECT id::text, content_hash, updated_at FROM resource_sections ORDER BY id",
    "question_bank": "SELECT id::text, content_hash, updated_at FROM question_bank ORDER BY id",
    "resource_concepts": "SELECT id::text, content_hash, updated_at FROM resource_concepts ORDER BY id",
    "resources": "SELECT id, content_hash, updated_at FROM resources ORDER BY id",
}


def _run_all(defs: dg.Definitions, partitions: list[str]) -> list[str]:
    """Materialize every partition like `make demo`; return the ingest runs' ids."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        catalog = defs.resolve_job_def("catalog_sync").execute_in_process(raise_on_error=False)
    assert catalog.success
    assert all(e.passed for e in catalog.get_asset_check_evaluations())
    run_ids = []
    for partition in partitions:
        result = defs.resolve_job_def("ingest").execute_in_process(partition_key=partition, raise_on_error=False)
        assert result.success, partition
        run_ids.append(result.run_id)
        evaluations = result.get_asset_check_evaluations()
        assert len(evaluations) == 6 and all(e.passed for e in evaluations), (
            partition,
            [(e.check_name, e.metadata) for e in evaluations if not e.passed],
        )
    return run_ids


def _snapshot(engine: sa.Engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {table: conn.execute(sa.text(sql)).all() for table, sql in _SNAPSHOT.items()}


def test_every_partition_end_to_end_then_a_rerun_changes_nothing(database_url: str) -> None:
    catalog = load_catalog()
    partitions = catalog.resource_ids
    engine = sa.create_engine(database_url)
    with running_standin() as server:
        defs = offline_definitions(database_url, server.url)
        first_runs = _run_all(defs, partitions)
        calls_first = server.stats()["completions"]
        first = _snapshot(engine)
        rows = summary_rows(engine, partitions, first_runs)  # what `make demo` prints
        assert sum(r.new_calls for r in rows.values()) == calls_first
        assert all(r.calls == r.new_calls > 0 and r.tokens_in > 0 for r in rows.values())

        with engine.connect() as conn:
            for resource in catalog.resources:
                rid = {"rid": resource.id}
                sections = (
                    conn.execute(
                        sa.text("SELECT slug FROM resource_sections WHERE resource_id = :rid ORDER BY position"), rid
                    )
                    .scalars()
                    .all()
                )
                assert sections == [s.slug for s in resource.sections]
                kinds = dict(
                    conn.execute(
                        sa.text("SELECT kind, count(*) FROM question_bank WHERE resource_id = :rid GROUP BY kind"), rid
                    ).all()
                )
                assert 12 <= kinds["quiz"] <= 20 and kinds["exercise"] == 3 and 5 <= kinds["reading"] <= 9
                lineage = conn.execute(
                    sa.text(
                        "SELECT count(*) FROM resource_concepts WHERE resource_id = :rid AND provenance = 'section' "
                        "AND resource_section_id IS NOT NULL AND run_id IS NOT NULL"
                    ),
                    rid,
                ).scalar_one()
                assert lineage == sum(len(s.concepts) for s in resource.sections)
            standin = conn.execute(sa.text("SELECT bool_and(is_standin) FROM question_bank")).scalar_one()
            assert standin is True

        second_runs = _run_all(defs, partitions)
        assert server.stats()["completions"] == calls_first  # no API call the second time
        rows = summary_rows(engine, partitions, second_runs)
        assert [r.new_calls for r in rows.values()] == [0] * len(partitions)
        table = partition_summary(engine, partitions, second_runs).splitlines()
        assert len(table) == 2 + len(partitions) and all(p in "\n".join(table) for p in partitions)
        assert table[0].split()[-4:] == ["cost", "USD", "est.", "USD"]
        assert all(float(line.split()[-1]) > 0 for line in table[2:])  # stand-in tokens, priced as DeepSeek's
    assert _snapshot(engine) == first  # not a row touched
    engine.dispose()
