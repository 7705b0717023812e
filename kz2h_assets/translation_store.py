"""Finished translations (kz2h.translations): stored one by one as they finish, so a crash loses nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .sources.models import Segment
from .translation import PROMPT_VERSION


def source_key(segment: Segment) -> str:
    """Identifies what was translated: the English text under this prompt version."""
    return hashlib.sha256(f"{PROMPT_VERSION}\0{segment.text}".encode()).hexdigest()


@dataclass(frozen=True)
class StoredTranslation:
    segment_id: str
    text_es: str
    attempts: int
    model: str
    is_standin: bool
    source_sha256: str


def save_translation(
    conn: Connection,
    segment: Segment,
    text_es: str,
    *,
    attempts: int,
    call_id: int | None,
    model: str,
    is_standin: bool,
    run_id: str | None,
) -> None:
    conn.execute(
        sa.text(
            """
            INSERT INTO kz2h.translations (resource_id, segment_id, source_sha256, text_es, attempts, call_id,
                model, is_standin, run_id)
            VALUES (:rid, :sid, :sha, :es, :attempts, :call, :model, :standin, :run)
            ON CONFLICT (resource_id, segment_id) DO UPDATE SET
                source_sha256 = EXCLUDED.source_sha256, text_es = EXCLUDED.text_es, attempts = EXCLUDED.attempts,
                call_id = EXCLUDED.call_id, model = EXCLUDED.model, is_standin = EXCLUDED.is_standin,
                run_id = EXCLUDED.run_id, created_at = now()
            """
        ),
        {
            "rid": segment.resource_id,
            "sid": segment.id,
            "sha": source_key(segment),
            "es": text_es,
            "attempts": attempts,
            "call": call_id,
            "model": model,
            "standin": is_standin,
            "run": run_id,
        },
    )


def load_translations(conn: Connection, resource_id: str) -> dict[str, StoredTranslation]:
    rows = conn.execute(
        sa.text(
            "SELECT segment_id, text_es, attempts, model, is_standin, source_sha256 "
            "FROM kz2h.translations WHERE resource_id = :rid"
        ),
        {"rid": resource_id},
    ).mappings()
    return {r["segment_id"]: StoredTranslation(**r) for r in rows}


def current_translations(conn: Connection, segments: list[Segment]) -> dict[str, StoredTranslation]:
    """Stored translations that still match their segment's text and the prompt version."""
    if not segments:
        return {}
    stored = load_translations(conn, segments[0].resource_id)
    return {s.id: stored[s.id] for s in segments if s.id in stored and stored[s.id].source_sha256 == source_key(s)}
