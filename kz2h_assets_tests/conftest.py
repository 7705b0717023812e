"""Shared fixtures: a real PostgreSQL per test (the CI server or the embedded one), and one
partition materialized end to end against it."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kz2h_assets import db
from kz2h_assets.definitions import build_definitions
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

from .standin_server import running_standin

REPO = Path(__file__).resolve().parent.parent
PARTITION = "kz2h-micrograd"  # the partition `loaded` materializes
LOAD_KEYS = [dg.AssetKey(["platform", t]) for t in ("resource_sections", "question_bank", "resource_concepts")]


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A URL to a maintenance database on a real server we may CREATE DATABASE on."""
    url = os.getenv("KZ2H_TEST_DATABASE_URL")
    if url:
        return db.normalize_url(url)
    data_dir = REPO / ".state" / "test-pgdata"
    return db.start_embedded(data_dir, "postgres")


def _with_db(admin_url: str, name: str) -> str:
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _admin(admin_url: str) -> Engine:
    return sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def migrated_template(pg_admin_url: str) -> Iterator[str]:
    """A database migrated once per session, cloned for each test."""
    name = f"kz2h_tpl_{uuid.uuid4().hex[:10]}"
    admin = _admin(pg_admin_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = db.make_engine(_with_db(pg_admin_url, name))
    db.migrate(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_database(admin_url: str, template: str | None) -> tuple[str, str]:
    name = f"kz2h_t_{uuid.uuid4().hex[:12]}"
    admin = _admin(admin_url)
    with admin.connect() as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
    admin.dispose()
    return name, _with_db(admin_url, name)


def _drop(admin_url: str, name: str) -> None:
    admin = _admin(admin_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(pg_admin_url: str, migrated_template: str) -> Iterator[str]:
    """A migrated database of this test's own."""
    name, url = _fresh_database(pg_admin_url, migrated_template)
    yield url
    _drop(pg_admin_url, name)


@pytest.fixture
def empty_database_url(pg_admin_url: str) -> Iterator[str]:
    """An empty database of this test's own (no migrations)."""
    name, url = _fresh_database(pg_admin_url, None)
    yield url
    _drop(pg_admin_url, name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


def offline_definitions(database_url: str, standin_url: str) -> dg.Definitions:
    """The graph as `make demo` binds it: this database, the bundled samples, the stand-in at ``standin_url``."""
    return build_definitions(
        Database(url=database_url),
        SourceFetcher(sources_dir=str(SAMPLES_DIR)),
        LLM(api_key="sk-test", base_url=standin_url),
    )


@pytest.fixture
def loaded(database_url: str) -> Iterator[tuple[dg.Definitions, Engine]]:
    """PARTITION fully materialized from the samples and the stand-in; yields (defs, engine)."""
    engine = sa.create_engine(database_url)
    with running_standin() as server:
        defs = offline_definitions(database_url, server.url)
        assert defs.resolve_job_def("catalog_sync").execute_in_process().success
        assert defs.resolve_job_def("ingest").execute_in_process(partition_key=PARTITION).success
        yield defs, engine
    engine.dispose()


def edit_stored_questions(engine: Engine, edit: Callable[[dict], None], partition: str = PARTITION) -> None:
    """Change the questions document the pipeline stored for ``partition`` (as drift or a bug would)."""
    with engine.begin() as conn:
        doc = conn.execute(
            sa.text("SELECT document FROM kz2h.content WHERE resource_id = :r AND kind = 'questions'"), {"r": partition}
        ).scalar_one()
        edit(doc)
        conn.execute(
            sa.text(
                "UPDATE kz2h.content SET document = CAST(:d AS jsonb) WHERE resource_id = :r AND kind = 'questions'"
            ),
            {"d": json.dumps(doc), "r": partition},
        )


def platform_rows(engine: Engine) -> list[list[sa.Row]]:
    """Every row of the three tables a load writes, in a stable order: compare before and after."""
    with engine.connect() as conn:
        return [
            conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all()
            for table in ("resource_sections", "question_bank", "resource_concepts")
        ]
