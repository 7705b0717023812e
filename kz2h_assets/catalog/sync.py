"""Sync the catalog into the platform tables: resources, concepts, their prerequisites
and the catalog-declared resource_concepts. Row builders are pure; ``sync_catalog``
writes them in one transaction through the shared ``db.upsert``.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..db import UpsertCounts, upsert
from ..ids import stable_id
from .models import Catalog, YouTubeSource


def resource_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "title": r.title_en,
            "title_es": r.title_es,
            "phase": catalog.phase,
            "sort_order": r.sort_order,
            "source_url": r.source_url,
            "youtube_id": r.source.youtube_id if isinstance(r.source, YouTubeSource) else None,
            "duration_seconds": r.duration_seconds,
            "pages": r.pages,
        }
        for r in catalog.resources
    ]


def concept_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "name": c.name_en, "name_es": c.name_es, "phase": catalog.phase, "external": c.external}
        for c in catalog.concepts
    ]


def prerequisite_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [{"concept_id": c.id, "prerequisite_id": p} for c in catalog.concepts for p in c.prerequisites]


def catalog_resource_concept_rows(catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for r in catalog.resources:
        for relation, concept_ids in (("teaches", r.teaches), ("requires", r.requires)):
            for concept_id in concept_ids:
                rows.append(
                    {
                        "id": stable_id("resource-concept", r.id, concept_id, relation, "catalog"),
                        "resource_id": r.id,
                        "concept_id": concept_id,
                        "relation": relation,
                        "provenance": "catalog",
                        "resource_section_id": None,
                    }
                )
    return rows


def sync_catalog(conn: Connection, catalog: Catalog, run_id: str | None) -> dict[str, UpsertCounts]:
    """Upsert the catalog; archive what left it and the obsolete resources it names. Never deletes."""
    counts: dict[str, UpsertCounts] = {}
    counts["concepts"] = upsert(
        conn, "concepts", ["id"], concept_rows(catalog), run_id=run_id, archive_scope={"phase": catalog.phase}
    )
    counts["concept_prerequisites"] = upsert(
        conn,
        "concept_prerequisites",
        ["concept_id", "prerequisite_id"],
        prerequisite_rows(catalog),
        run_id=run_id,
        archive_scope={"concept_id": [c.id for c in catalog.concepts]},
    )
    counts["resources"] = upsert(
        conn, "resources", ["id"], resource_rows(catalog), run_id=run_id, archive_scope={"phase": catalog.phase}
    )
    counts["resources"].archived += archive_obsolete(conn, catalog)
    phase_resources = conn.execute(sa.text("SELECT id FROM resources WHERE phase = :p"), {"p": catalog.phase}).scalars()
    counts["resource_concepts"] = upsert(
        conn,
        "resource_concepts",
        ["id"],
        catalog_resource_concept_rows(catalog),
        run_id=run_id,
        archive_scope={"provenance": "catalog", "resource_id": list(phase_resources)},
    )
    return counts


def archive_obsolete(conn: Connection, catalog: Catalog) -> int:
    """Archive resources the catalog lists as obsolete (ids or fnmatch patterns), when present."""
    live_ids = conn.execute(sa.text("SELECT id FROM resources WHERE archived_at IS NULL AND NOT locked")).scalars()
    obsolete = [rid for rid in live_ids if any(fnmatchcase(rid, p) for p in catalog.archived_resources)]
    if not obsolete:
        return 0
    result = conn.execute(
        sa.text("UPDATE resources SET archived_at = now(), updated_at = now() WHERE id = ANY(:ids)"),
        {"ids": obsolete},
    )
    return result.rowcount or 0
