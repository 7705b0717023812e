"""Produced content documents (kz2h.content): sections and questions per resource."""

from __future__ import annotations

import hashlib
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .models import ResourceQuestions, ResourceSections

D = TypeVar("D", ResourceSections, ResourceQuestions)
_KIND = {ResourceSections: "sections", ResourceQuestions: "questions"}


def save_content(conn: Connection, document: ResourceSections | ResourceQuestions, run_id: str | None) -> str:
    payload = document.model_dump_json()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    conn.execute(
        sa.text(
            """
            INSERT INTO kz2h.content (resource_id, kind, document, sha256, is_standin, run_id)
            VALUES (:rid, :kind, CAST(:doc AS jsonb), :sha, :standin, :run)
            ON CONFLICT (resource_id, kind) DO UPDATE SET document = EXCLUDED.document, sha256 = EXCLUDED.sha256,
                is_standin = EXCLUDED.is_standin, run_id = EXCLUDED.run_id, created_at = now()
            """
        ),
        {
            "rid": document.resource_id,
            "kind": _KIND[type(document)],
            "doc": payload,
            "sha": digest,
            "standin": document.is_standin,
            "run": run_id,
        },
    )
    return digest


def load_content(conn: Connection, resource_id: str, model: type[D]) -> D | None:
    row = conn.execute(
        sa.text("SELECT document FROM kz2h.content WHERE resource_id = :rid AND kind = :kind"),
        {"rid": resource_id, "kind": _KIND[model]},
    ).first()
    return None if row is None else model.model_validate(row[0])
