"""The production instance example: Postgres storage (dagster-postgres), queued runs, pools, run monitoring.
A partition materializes with its runs and events stored in PostgreSQL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.definitions import build_definitions
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

from .conftest import REPO
from .standin_server import running_standin


def test_a_partition_materializes_with_postgres_instance_storage(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage_url = sa.make_url(database_url).set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    monkeypatch.setenv("KZ2H_DAGSTER_STORAGE_URL", storage_url)
    shutil.copyfile(REPO / "deploy" / "dagster.production.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance, running_standin() as server:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert instance.event_log_storage.supports_global_concurrency_limits
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 4
        assert instance.run_coordinator is not None and "Queued" in type(instance.run_coordinator).__name__
        defs = build_definitions(
            Database(url=database_url),
            SourceFetcher(sources_dir=str(SAMPLES_DIR)),
            LLM(api_key="sk-test", base_url=server.url),
        )
        assert defs.resolve_job_def("catalog_sync").execute_in_process(instance=instance).success
        result = defs.resolve_job_def("ingest").execute_in_process(instance=instance, partition_key="kz2h-tokenizers")
        assert result.success
        records = instance.fetch_materializations(dg.AssetKey("questions"), limit=5).records
        assert [r.partition_key for r in records] == ["kz2h-tokenizers"]
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT count(*) FROM runs")).scalar_one()
    engine.dispose()
    assert runs == 2 and os.environ["KZ2H_DAGSTER_STORAGE_URL"].startswith("postgresql+psycopg2://")
