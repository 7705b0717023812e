"""Shared fixtures: a real PostgreSQL per test (the CI server or the embedded one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kz2h_assets import db

REPO = Path(__file__).resolve().parent.parent


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
