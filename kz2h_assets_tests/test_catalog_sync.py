"""Syncing the catalog into a real PostgreSQL: complete, idempotent, archives without deleting."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg
import sqlalchemy as sa

from kz2h_assets.assets import catalog as catalog_assets
from kz2h_assets.catalog import load_catalog
from kz2h_assets.catalog.models import Catalog
from kz2h_assets.catalog.sync import sync_catalog
from kz2h_assets.resources import Database

from .conftest import REPO


def _count(conn: sa.Connection, sql: str) -> int:
    return int(conn.execute(sa.text(sql)).scalar_one())


def test_sync_writes_the_catalog_and_is_idempotent(engine: sa.Engine) -> None:
    catalog = load_catalog()
    with engine.begin() as conn:
        first = sync_catalog(conn, catalog, run_id="run-1")
    assert first["resources"].inserted == 11
    assert first["concepts"].inserted == len(catalog.concepts)
    declared = sum(len(r.teaches) + len(r.requires) for r in catalog.resources)
    assert first["resource_concepts"].inserted == declared

    with engine.connect() as conn:
        snapshot = conn.execute(sa.text("SELECT * FROM resource_concepts ORDER BY id")).all()
        assert _count(conn, "SELECT count(*) FROM resources WHERE phase = 2 AND archived_at IS NULL") == 11
        order = conn.execute(sa.text("SELECT id FROM resources ORDER BY sort_order")).scalars().all()
        assert order == catalog.resource_ids
        assert _count(conn, "SELECT count(*) FROM resource_concepts WHERE run_id = 'run-1'") == declared

    with engine.begin() as conn:
        second = sync_catalog(conn, catalog, run_id="run-2")
    for table, counts in second.items():
        assert (counts.inserted, counts.updated, counts.archived) == (0, 0, 0), table
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT * FROM resource_concepts ORDER BY id")).all() == snapshot


def test_sync_archives_what_left_the_catalog_and_obsolete_resources(engine: sa.Engine) -> None:
    catalog = load_catalog()
    with engine.begin() as conn:
        sync_catalog(conn, catalog, run_id="run-1")
        # What the seed found on the platform: obsolete resources and a learner-facing question.
        for rid, phase in [("p0-linear-algebra", 0), ("p2-goodfellow-dl", 2), ("p5-unrelated", 5)]:
            conn.execute(
                sa.text("INSERT INTO resources (id, kind, title, phase, sort_order) VALUES (:i, 'book', :i, :p, 1)"),
                {"i": rid, "p": phase},
            )
    smaller = Catalog.model_validate(
        catalog.model_dump() | {"resources": [r.model_dump() for r in catalog.resources if r.id != "kz2h-tokenizers"]}
    )
    with engine.begin() as conn:
        counts = sync_catalog(conn, smaller, run_id="run-2")
    # tokenizers left the catalog; p0-* and p2-goodfellow-dl are named obsolete; p5 is not ours.
    assert counts["resources"].archived == 3
    assert counts["resource_concepts"].archived == sum(
        len(r.teaches) + len(r.requires) for r in catalog.resources if r.id == "kz2h-tokenizers"
    )
    with engine.connect() as conn:
        archived = set(conn.execute(sa.text("SELECT id FROM resources WHERE archived_at IS NOT NULL")).scalars())
        assert archived == {"kz2h-tokenizers", "p0-linear-algebra", "p2-goodfellow-dl"}
        assert _count(conn, "SELECT count(*) FROM resources") == 14  # nothing deleted

    with engine.begin() as conn:  # it comes back
        counts = sync_catalog(conn, catalog, run_id="run-3")
    assert counts["resources"].updated == 1
    with engine.connect() as conn:
        assert _count(conn, "SELECT count(*) FROM resources WHERE phase = 2 AND archived_at IS NULL") == 11


def test_catalog_assets_materialize_against_postgres(database_url: str) -> None:
    result = dg.materialize(
        dg.load_assets_from_modules([catalog_assets]),
        resources={"database": Database(url=database_url)},
    )
    assert result.success
    meta = result.asset_materializations_for_node("sync_catalog_tables")
    by_key = {m.asset_key.to_user_string(): m.metadata for m in meta}
    assert by_key["platform/resources"]["resources inserted"].value == 11
    assert "password" not in str(by_key["platform/resources"]["database"].value)
    catalog_meta = result.asset_materializations_for_node("phase2_catalog")[0].metadata
    assert catalog_meta["resources"].value == 11


def test_dagster_definitions_validate() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
