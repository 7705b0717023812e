"""A throwaway database for a benchmark: on KZ2H_BENCH_DATABASE_URL's server, else the embedded one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from kz2h_assets import db

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def fresh_database() -> Iterator[str]:
    """A migrated database of its own; dropped afterwards. Yields its URL."""
    admin = os.getenv("KZ2H_BENCH_DATABASE_URL")
    admin = db.normalize_url(admin) if admin else db.start_embedded(REPO / ".state" / "bench-pgdata", "postgres")
    name = f"kz2h_bench_{uuid.uuid4().hex[:8]}"
    db.ensure_database(admin, name)
    url = sa.make_url(admin).set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    db.migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        admin_engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
