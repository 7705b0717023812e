"""Migrations, URLs and the shared upsert, against a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from kz2h_assets import db

EXPECTED_TABLES = {
    "public": {
        "resources",
        "concepts",
        "concept_prerequisites",
        "resource_sections",
        "question_bank",
        "resource_concepts",
    },
    "kz2h": {
        "schema_migrations",
        "source_documents",
        "segments",
        "llm_calls",
        "llm_slots",
        "translations",
        "content",
    },
}

EXPECTED_FKS = {
    # (table, column) -> (referenced table, ON DELETE)
    ("resource_sections", "resource_id"): ("resources", "RESTRICT"),
    ("question_bank", "resource_id"): ("resources", "RESTRICT"),
    ("question_bank", "resource_section_id"): ("resource_sections", "RESTRICT"),
    ("question_bank", "concept_id"): ("concepts", "RESTRICT"),
    ("resource_concepts", "resource_id"): ("resources", "CASCADE"),
    ("resource_concepts", "concept_id"): ("concepts", "CASCADE"),
    ("resource_concepts", "resource_section_id"): ("resource_sections", "CASCADE"),
    ("concept_prerequisites", "concept_id"): ("concepts", "CASCADE"),
    ("concept_prerequisites", "prerequisite_id"): ("concepts", "CASCADE"),
}


def _tables(conn: sa.Connection) -> dict[str, set[str]]:
    rows = conn.execute(
        sa.text(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('public', 'kz2h') AND table_type = 'BASE TABLE'"
        )
    ).all()
    found: dict[str, set[str]] = {}
    for schema, table in rows:
        found.setdefault(schema, set()).add(table)
    return found


def _foreign_keys(conn: sa.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    rows = conn.execute(
        sa.text(
            """
            SELECT kcu.table_name, kcu.column_name, ccu.table_name, rc.delete_rule
            FROM information_schema.referential_constraints rc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
            JOIN information_schema.constraint_column_usage ccu
              ON ccu.constraint_name = rc.unique_constraint_name
             AND ccu.constraint_schema = rc.unique_constraint_schema
            WHERE rc.constraint_schema = 'public'
            """
        )
    ).all()
    return {(t, c): (ref, rule) for t, c, ref, rule in rows}


def test_migrating_an_empty_database_gives_exactly_the_expected_tables(empty_database_url: str) -> None:
    engine = db.make_engine(empty_database_url)
    try:
        applied = db.migrate(engine)
        assert applied == [m.version for m in db.read_migrations()]
        with engine.connect() as conn:
            assert _tables(conn) == EXPECTED_TABLES
            assert _foreign_keys(conn) == EXPECTED_FKS
            checks = conn.execute(
                sa.text(
                    "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
                )
            ).all()
            defs = {f"{t}: {d}" for t, d in checks}
            assert any("question_bank" in d and "'quiz'" in d and "'exercise'" in d for d in defs)
            assert any("resource_concepts" in d and "'teaches'" in d and "'requires'" in d for d in defs)
            for table in EXPECTED_TABLES["public"]:
                cols = {c["name"] for c in sa.inspect(conn).get_columns(table, schema="public")}
                assert {"locked", "archived_at", "content_hash", "run_id"} <= cols, table
        # Safe to run twice: nothing applied, nothing broken.
        assert db.migrate(engine) == []
    finally:
        engine.dispose()


def test_each_migration_file_can_run_twice_by_hand(empty_database_url: str) -> None:
    """Supabase users paste migrations into the SQL editor; a second paste must not fail."""
    engine = db.make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            for migration in db.read_migrations():
                conn.exec_driver_sql(migration.sql)
                conn.exec_driver_sql(migration.sql)
    finally:
        engine.dispose()


def test_an_edited_applied_migration_is_refused(empty_database_url: str, tmp_path: Path) -> None:
    (tmp_path / "001_first.sql").write_text("CREATE TABLE IF NOT EXISTS t1 (id int);")
    engine = db.make_engine(empty_database_url)
    try:
        assert db.migrate(engine, tmp_path) == ["001"]
        (tmp_path / "001_first.sql").write_text("CREATE TABLE IF NOT EXISTS t1 (id bigint);")
        with pytest.raises(db.DatabaseError, match="changed after it was applied"):
            db.migrate(engine, tmp_path)
    finally:
        engine.dispose()


def test_a_failing_migration_leaves_nothing_behind(empty_database_url: str, tmp_path: Path) -> None:
    (tmp_path / "001_ok.sql").write_text("CREATE TABLE ok_table (id int);")
    (tmp_path / "002_broken.sql").write_text("CREATE TABLE half (id int); SELEC broken;")
    engine = db.make_engine(empty_database_url)
    try:
        with pytest.raises(sa.exc.ProgrammingError):
            db.migrate(engine, tmp_path)
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1-first.sql").write_text("SELECT 1;")
    with pytest.raises(db.DatabaseError, match="NNN_lower_snake.sql"):
        db.read_migrations(tmp_path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ],
)
def test_urls_get_an_explicit_driver(url: str, expected: str) -> None:
    assert db.normalize_url(url) == expected


def test_non_postgres_url_is_refused_with_a_hint() -> None:
    with pytest.raises(db.DatabaseError, match="KZ2H_DATABASE_URL must be a PostgreSQL URL"):
        db.normalize_url("mysql://root@localhost/test")


def test_safe_url_hides_the_password() -> None:
    shown = db.safe_url("postgresql+psycopg://user:s3cr3t@db.example.com:5432/postgres")
    assert "s3cr3t" not in shown and "user" in shown


def test_is_local() -> None:
    assert db.is_local("postgresql+psycopg://postgres:@/postgres?host=/tmp/x")
    assert db.is_local("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert not db.is_local("postgresql+psycopg://postgres@db.abc.supabase.co:5432/postgres")


def _concepts(conn: sa.Connection) -> dict[str, tuple]:
    rows = conn.execute(sa.text("SELECT id, name, archived_at IS NOT NULL, updated_at FROM concepts")).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_upsert_inserts_updates_leaves_unchanged_and_archives(engine: sa.Engine) -> None:
    rows = [{"id": "a", "name": "A", "phase": 9}, {"id": "b", "name": "B", "phase": 9}]
    with engine.begin() as conn:
        counts = db.upsert(conn, "concepts", ["id"], rows, run_id="r1", archive_scope={"phase": 9})
    assert (counts.inserted, counts.updated, counts.unchanged, counts.archived) == (2, 0, 0, 0)
    with engine.connect() as conn:
        before = _concepts(conn)

    with engine.begin() as conn:
        counts = db.upsert(conn, "concepts", ["id"], rows, run_id="r2", archive_scope={"phase": 9})
    assert (counts.inserted, counts.updated, counts.unchanged, counts.archived) == (0, 0, 2, 0)
    with engine.connect() as conn:
        assert _concepts(conn) == before  # not even updated_at moved

    with engine.begin() as conn:
        counts = db.upsert(
            conn, "concepts", ["id"], [{"id": "a", "name": "A2", "phase": 9}], run_id="r3", archive_scope={"phase": 9}
        )
    assert (counts.inserted, counts.updated, counts.unchanged, counts.archived) == (0, 1, 0, 1)
    with engine.connect() as conn:
        after = _concepts(conn)
    assert after["a"][:2] == ("A2", False)
    assert after["b"][1] is True  # archived, still there

    with engine.begin() as conn:  # b comes back: un-archived
        counts = db.upsert(conn, "concepts", ["id"], rows, run_id="r4", archive_scope={"phase": 9})
    assert (counts.updated, counts.archived) == (2, 0)
    with engine.connect() as conn:
        assert not _concepts(conn)["b"][1]


def test_upsert_never_touches_locked_rows(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        db.upsert(conn, "concepts", ["id"], [{"id": "a", "name": "A", "phase": 9}], run_id="r1")
        conn.execute(sa.text("UPDATE concepts SET name = 'edited by a person', locked = true WHERE id = 'a'"))
    with engine.begin() as conn:
        counts = db.upsert(conn, "concepts", ["id"], [{"id": "a", "name": "A new", "phase": 9}], run_id="r2")
        assert counts.locked_skipped == ["a"] and counts.updated == 0
        counts = db.upsert(conn, "concepts", ["id"], [], run_id="r3", archive_scope={"phase": 9})
        assert counts.archived == 0
    with engine.connect() as conn:
        assert _concepts(conn)["a"][:2] == ("edited by a person", False)
