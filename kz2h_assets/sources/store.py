"""Stored sources and segments (schema ``kz2h``). Parameterized SQL only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .models import PaperText, Segment, Transcript


@dataclass(frozen=True)
class StoredSource:
    resource_id: str
    kind: str
    origin: str
    format: str
    is_generated: bool | None
    word_count: int
    document: Transcript | PaperText
    sha256: str
    fetched_at: str


def save_source(
    conn: Connection,
    resource_id: str,
    document: Transcript | PaperText,
    *,
    raw: bytes | None = None,
    run_id: str | None,
) -> StoredSource:
    payload = document.model_dump_json()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    is_video = isinstance(document, Transcript)
    conn.execute(
        sa.text(
            """
            INSERT INTO kz2h.source_documents
                (resource_id, kind, origin, format, is_generated, word_count, document, raw, sha256, run_id)
            VALUES (:rid, :kind, :origin, :format, :gen, :words, CAST(:doc AS jsonb), :raw, :sha, :run)
            ON CONFLICT (resource_id) DO UPDATE SET
                kind = EXCLUDED.kind, origin = EXCLUDED.origin, format = EXCLUDED.format,
                is_generated = EXCLUDED.is_generated, word_count = EXCLUDED.word_count,
                document = EXCLUDED.document, raw = EXCLUDED.raw, sha256 = EXCLUDED.sha256,
                fetched_at = now(), run_id = EXCLUDED.run_id
            """
        ),
        {
            "rid": resource_id,
            "kind": "video" if is_video else "paper",
            "origin": document.origin,
            "format": document.format if isinstance(document, Transcript) else "pdf",
            "gen": document.is_generated if isinstance(document, Transcript) else None,
            "words": document.word_count,
            "doc": payload,
            "raw": raw,
            "sha": digest,
            "run": run_id,
        },
    )
    stored = load_source(conn, resource_id)
    assert stored is not None
    return stored


def load_source(conn: Connection, resource_id: str) -> StoredSource | None:
    row = (
        conn.execute(
            sa.text(
                "SELECT resource_id, kind, origin, format, is_generated, word_count, document, sha256, "
                "fetched_at::text AS fetched_at FROM kz2h.source_documents WHERE resource_id = :rid"
            ),
            {"rid": resource_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    model = Transcript if row["kind"] == "video" else PaperText
    return StoredSource(**{**row, "document": model.model_validate(row["document"])})


def replace_segments(conn: Connection, resource_id: str, segments: list[Segment], run_id: str | None) -> None:
    """Segments are working state nothing references: replace the resource's set in one go."""
    conn.execute(sa.text("DELETE FROM kz2h.segments WHERE resource_id = :rid"), {"rid": resource_id})
    if segments:
        conn.execute(
            sa.text(
                """
                INSERT INTO kz2h.segments (resource_id, id, position, section, text_en, words,
                    start_seconds, end_seconds, page_start, page_end, run_id)
                VALUES (:resource_id, :id, :position, :section, :text, :words,
                    :start_seconds, :end_seconds, :page_start, :page_end, :run_id)
                """
            ),
            [s.model_dump() | {"run_id": run_id} for s in segments],
        )


def load_segments(conn: Connection, resource_id: str) -> list[Segment]:
    rows = conn.execute(
        sa.text(
            "SELECT resource_id, id, position, section, text_en AS text, words, "
            "start_seconds::float AS start_seconds, end_seconds::float AS end_seconds, page_start, page_end "
            "FROM kz2h.segments WHERE resource_id = :rid ORDER BY position"
        ),
        {"rid": resource_id},
    ).mappings()
    return [Segment.model_validate(dict(r)) for r in rows]
