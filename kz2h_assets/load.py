"""Load a resource's produced content into the platform tables. Row builders are pure;
``load_resource`` writes everything for one resource in one transaction.

Ids are stable (uuid5 of resource, section and question identity), so a re-run updates
rows in place; unchanged rows are not touched; locked rows are never overwritten; rows
no longer produced are archived, never deleted, so learner data that references them survives.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .content.models import ResourceQuestions, ResourceSections
from .db import DatabaseError, UpsertCounts, upsert
from .ids import stable_id


def section_id(resource_id: str, slug: str) -> str:
    return str(stable_id("section", resource_id, slug))


def question_id(resource_id: str, slug: str, kind: str, position: int) -> str:
    return str(stable_id("question", resource_id, slug, kind, str(position)))


def section_rows(doc: ResourceSections) -> list[dict[str, Any]]:
    return [
        {
            "id": section_id(doc.resource_id, s.slug),
            "resource_id": doc.resource_id,
            "position": s.position,
            "slug": s.slug,
            "title": s.title_en,
            "title_es": s.title_es,
            "content_es": s.text_es,
            "content_en": s.text_en,
            "summary_es": s.summary_es,
            "start_seconds": s.start_seconds,
            "end_seconds": s.end_seconds,
            "page_start": s.page_start,
            "page_end": s.page_end,
            "concepts": list(s.concepts),
            "is_standin": doc.is_standin,
        }
        for s in doc.sections
    ]


def question_rows(doc: ResourceQuestions) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    rid = doc.resource_id

    def row(slug: str, kind: str, position: int, prompt: str, concept: str | None, **extra: Any) -> dict[str, Any]:
        return {
            "id": question_id(rid, slug, kind, position),
            "resource_id": rid,
            "resource_section_id": section_id(rid, slug),
            "kind": kind,
            "concept_id": concept,
            "position": position,
            "prompt": prompt,
            "options": extra.get("options"),
            "correct_index": extra.get("correct_index"),
            "explanation": extra.get("explanation"),
            "body": extra.get("body", {}),
            "citation": extra.get("citation"),
            "is_standin": doc.is_standin,
        }

    for section in doc.sections:
        for i, q in enumerate(section.quizzes):
            rows.append(
                row(
                    section.section, "quiz", i, q.prompt, q.concept,
                    options=list(q.options), correct_index=q.correct_index, explanation=q.explanation,
                    citation=q.citation.model_dump(),
                )
            )  # fmt: skip
        for i, r in enumerate(section.reading_questions):
            rows.append(row(section.section, "reading", i, r.prompt, r.concept))
    for i, e in enumerate(doc.exercises):
        body = {"title": e.title, "hints": list(e.hints), "solution_outline": e.solution_outline,
                "concepts": list(e.concepts)}  # fmt: skip
        rows.append(row(e.section, "exercise", i, e.task, e.concepts[0], body=body))
    return rows


def section_concept_rows(doc: ResourceSections) -> list[dict[str, Any]]:
    return [
        {
            "id": str(stable_id("resource-concept", doc.resource_id, c, "teaches", "section", s.slug)),
            "resource_id": doc.resource_id,
            "concept_id": c,
            "relation": "teaches",
            "provenance": "section",
            "resource_section_id": section_id(doc.resource_id, s.slug),
        }
        for s in doc.sections
        for c in s.concepts
    ]


def load_resource(
    conn: Connection, sections: ResourceSections, questions: ResourceQuestions, run_id: str | None
) -> dict[str, UpsertCounts]:
    """Write one resource's sections, questions and section lineage. Call inside a transaction."""
    rid = sections.resource_id
    present = conn.execute(sa.text("SELECT 1 FROM resources WHERE id = :rid"), {"rid": rid}).first()
    if present is None:
        raise DatabaseError(f"resource {rid} is not in the resources table; materialize the catalog group first")
    scope = {"resource_id": rid}
    return {
        "resource_sections": upsert(
            conn, "resource_sections", ["id"], section_rows(sections), run_id=run_id, archive_scope=scope
        ),
        "question_bank": upsert(
            conn,
            "question_bank",
            ["id"],
            question_rows(questions),
            run_id=run_id,
            archive_scope=scope,
            json_columns=("options", "body", "citation"),
        ),  # fmt: skip
        "resource_concepts": upsert(
            conn,
            "resource_concepts",
            ["id"],
            section_concept_rows(sections),
            run_id=run_id,
            archive_scope={"resource_id": rid, "provenance": "section"},
        ),  # fmt: skip
    }
