"""Stable identifiers: the same content identity always maps to the same uuid.

``uuid5(NAMESPACE, "a/b/c")`` — Python's uuid5 and Postgres's uuid_generate_v5 agree,
so the platform can recompute an id in SQL.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1d3c1e-9a7b-5b8e-a0d2-4b7a3268c0de")


def stable_id(*parts: str) -> uuid.UUID:
    if not parts or any("/" in p for p in parts):
        raise ValueError(f"id parts must be non-empty and contain no '/': {parts!r}")
    return uuid.uuid5(NAMESPACE, "/".join(parts))
