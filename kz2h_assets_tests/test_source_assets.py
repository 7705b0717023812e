"""The source group materialized per partition against a real PostgreSQL and the bundled samples."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.assets import source as source_assets
from kz2h_assets.catalog import load_catalog
from kz2h_assets.resources import Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

ASSETS = [source_assets.source_text, source_assets.segments]


def _materialize(database_url: str, partition: str, sources_dir: Path | None = SAMPLES_DIR, **config):
    run_config = {"ops": {"source_text": {"config": config}}} if config else None
    return dg.materialize(
        ASSETS,
        partition_key=partition,
        resources={
            "database": Database(url=database_url),
            "sources": SourceFetcher(sources_dir=str(sources_dir) if sources_dir else None),
        },
        run_config=run_config,
        raise_on_error=False,
    )


def _meta(result: dg.ExecuteInProcessResult, node: str) -> dict:
    return {k: v.value for k, v in result.asset_materializations_for_node(node)[0].metadata.items()}


def test_every_partition_materializes_from_the_samples(database_url: str) -> None:
    catalog = load_catalog()
    for resource in catalog.resources:
        result = _materialize(database_url, resource.id)
        assert result.success, resource.id
        source = _meta(result, "source_text")
        segs = _meta(result, "segments")
        assert source["word_count"] > 1000, resource.id
        assert source["stored"] == "fetched now and stored"
        if resource.kind == "video":
            assert source["captions"] in ("manual", "generated (auto)")
        else:
            assert source["pages"] >= 4 and source["references_words"] > 20
        assert segs["segment_count"] >= len(resource.sections)
        assert "first_segment" in segs and "size_histogram" in segs
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        counts = dict(
            conn.execute(sa.text("SELECT resource_id, count(*) FROM kz2h.segments GROUP BY resource_id")).all()
        )
        sections = conn.execute(
            sa.text("SELECT resource_id, count(DISTINCT section) FROM kz2h.segments GROUP BY resource_id")
        ).all()
    engine.dispose()
    assert set(counts) == set(catalog.resource_ids)
    for resource_id, n_sections in sections:
        assert n_sections == len(catalog.resource(resource_id).sections), resource_id


def test_a_stored_source_is_not_fetched_again_unless_refreshed(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "kz2h-micrograd.vtt").write_text((SAMPLES_DIR / "kz2h-micrograd.vtt").read_text())
    assert _materialize(database_url, "kz2h-micrograd", tmp_path).success
    (tmp_path / "kz2h-micrograd.vtt").unlink()  # the file is gone: a second run must not need it
    second = _materialize(database_url, "kz2h-micrograd", tmp_path)
    assert second.success
    assert _meta(second, "source_text")["stored"].startswith("reused the copy stored")
    refreshed = _materialize(database_url, "kz2h-micrograd", tmp_path, refresh=True)
    assert not refreshed.success
    failure = refreshed.get_step_failure_events()[0].step_failure_data.error
    assert failure is not None and "kz2h-micrograd" in failure.message


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"kz2h-micrograd.srt": "1\n00:00:01 --> 00:00:02\nhi\n"}, "kz2h-micrograd.srt: line 2: bad cue time"),
        ({"kz2h-micrograd.srt": "x", "kz2h-micrograd.txt": "0:01\nhi"}, "holds several sources for kz2h-micrograd"),
    ],
)
def test_a_bad_local_file_fails_with_its_name(database_url: str, tmp_path: Path, files: dict, message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = _materialize(database_url, "kz2h-micrograd", tmp_path)
    assert not result.success
    error = result.get_step_failure_events()[0].step_failure_data.error
    assert error is not None and message in error.message
