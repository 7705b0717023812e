"""Asset checks: per partition along the chain, and over the whole catalog.

Blocking checks guard publishing: when one fails, the downstream load does not run.
"""

from collections import Counter
from typing import Any

import dagster as dg
import sqlalchemy as sa

from .assets.catalog import phase2_catalog
from .assets.content import concept_sections, questions
from .assets.load import QUESTION_BANK
from .assets.source import source_text
from .assets.translation import translated_segments
from .catalog import load_catalog
from .catalog.rules import (
    prerequisite_cycles,
    requires_taught_earlier,
    resources_teaching_nothing,
    untaught_concepts,
)
from .content.models import ResourceQuestions, ResourceSections
from .content.rules import EXERCISES_PER_RESOURCE, QUIZZES_PER_RESOURCE, quote_found
from .content.store import load_content
from .load import question_rows, section_rows
from .partitions import resource_partitions
from .resources import Database
from .sources.models import Transcript
from .sources.store import load_segments, load_source
from .translation import validate_translation
from .translation_store import current_translations

READING_RANGE = (5, 9)


def _result(problems: list[str], **metadata: Any) -> dg.AssetCheckResult:
    if problems:
        metadata["problems"] = dg.MetadataValue.md("\n".join(f"- {p}" for p in problems[:50]))
    return dg.AssetCheckResult(passed=not problems, metadata={"problem_count": len(problems), **metadata})


# --------------------------------------------------------------------------- per partition


@dg.asset_check(asset=source_text, partitions_def=resource_partitions, description="The stored source has text.")
def source_present(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    with database.get_engine().connect() as conn:
        stored = load_source(conn, context.partition_key)
    if stored is None:
        return _result([f"no stored source for {context.partition_key}"])
    doc = stored.document
    units = len(doc.snippets) if isinstance(doc, Transcript) else len(doc.blocks)
    problems = [] if stored.word_count > 0 and units > 0 else ["the stored source is empty"]
    return _result(problems, words=stored.word_count, units=units)


@dg.asset_check(
    asset=translated_segments,
    partitions_def=resource_partitions,
    blocking=True,
    description="Every segment has a current translation that passes validation.",
)
def every_segment_translated(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    with database.get_engine().connect() as conn:
        segs = load_segments(conn, context.partition_key)
        done = current_translations(conn, segs)
    problems = []
    if not segs:
        problems.append("no segments")
    for s in segs:
        if s.id not in done:
            problems.append(f"segment {s.id} (#{s.position}) has no current translation")
            continue
        rejection = validate_translation(s.text, done[s.id].text_es)
        if rejection:
            problems.append(f"segment {s.id} (#{s.position}): {rejection.reason}")
    return _result(problems, segments=len(segs), translated=len(done))


def section_problems(doc: ResourceSections | None, resource_id: str, segment_ids: list[str]) -> list[str]:
    """Sections follow the catalog, in order, and every segment lands in exactly one of them, in order."""
    if doc is None:
        return ["no sections stored"]
    resource = load_catalog().resource(resource_id)
    problems = []
    expected = [s.slug for s in resource.sections]
    got = [s.slug for s in doc.sections]
    if got != expected:
        problems.append(f"sections {got} do not follow the catalog {expected}")
    placed = [i for s in doc.sections for i in s.segment_ids]
    twice = [i for i, n in Counter(placed).items() if n > 1]
    if twice:
        problems.append(f"segments in more than one section: {', '.join(twice)}")
    if placed != segment_ids:
        missing = sorted(set(segment_ids) - set(placed))
        problems.append(f"sections do not cover the segments in order (missing: {', '.join(missing) or 'none'})")
    for s in doc.sections:
        if not s.text_es.strip() or not s.summary_es.strip():
            problems.append(f"section {s.slug} has no Spanish text or summary")
    return problems


@dg.asset_check(
    asset=concept_sections,
    partitions_def=resource_partitions,
    blocking=True,
    description="Sections are contiguous and complete: every segment in exactly one section, in order.",
)
def sections_contiguous_and_complete(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    with database.get_engine().connect() as conn:
        doc = load_content(conn, context.partition_key, ResourceSections)
        segs = load_segments(conn, context.partition_key)
    problems = section_problems(doc, context.partition_key, [s.id for s in segs])
    return _result(problems, sections=len(doc.sections) if doc else 0)


def question_problems(
    doc: ResourceQuestions | None, sections: ResourceSections | None, texts: dict[str, str]
) -> list[str]:
    """Counts per kind; one correct answer among four distinct options; every citation found in its segment."""
    if doc is None or sections is None:
        return ["no questions or sections stored"]
    problems = []
    quizzes = [(s.section, q) for s in doc.sections for q in s.quizzes]
    reading = sum(len(s.reading_questions) for s in doc.sections)
    low, high = QUIZZES_PER_RESOURCE
    if not low <= len(quizzes) <= high:
        problems.append(f"{len(quizzes)} quizzes; expected {low}–{high}")
    if len(doc.exercises) != EXERCISES_PER_RESOURCE:
        problems.append(f"{len(doc.exercises)} exercises; expected {EXERCISES_PER_RESOURCE}")
    if not READING_RANGE[0] <= reading <= READING_RANGE[1]:
        problems.append(f"{reading} reading questions; expected {READING_RANGE[0]}–{READING_RANGE[1]}")
    section_segments = {s.slug: set(s.segment_ids) for s in sections.sections}
    for slug, q in quizzes:
        if len({o.casefold() for o in q.options}) != 4 or not 0 <= q.correct_index < 4:
            problems.append(f"{slug}: quiz {q.prompt[:50]!r} does not have exactly one correct of four options")
        segment = q.citation.segment_id
        if segment not in section_segments.get(slug, set()):
            problems.append(f"{slug}: quiz {q.prompt[:50]!r} cites segment {segment} outside its section")
        elif not quote_found(q.citation.quote_en, texts.get(segment, "")):
            problems.append(f"{slug}: quiz {q.prompt[:50]!r}: quote not found in segment {segment}")
    for s in doc.sections:
        if len(s.quizzes) < 2 or not s.reading_questions:
            problems.append(f"section {s.section} needs at least 2 quizzes and 1 reading question")
    return problems


@dg.asset_check(
    asset=questions,
    partitions_def=resource_partitions,
    blocking=True,
    description="12–20 quizzes, 3 exercises, 5–9 reading questions; one correct answer; citations found.",
)
def questions_complete_and_grounded(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    with database.get_engine().connect() as conn:
        doc = load_content(conn, context.partition_key, ResourceQuestions)
        sections = load_content(conn, context.partition_key, ResourceSections)
        texts = {s.id: s.text for s in load_segments(conn, context.partition_key)}
    problems = question_problems(doc, sections, texts)
    counts = {}
    if doc:
        counts = {
            "quizzes": sum(len(s.quizzes) for s in doc.sections),
            "exercises": len(doc.exercises),
            "reading_questions": sum(len(s.reading_questions) for s in doc.sections),
        }
    return _result(problems, **counts)


_ROWS = sa.text("SELECT id::text, content_hash, locked FROM {table} WHERE resource_id = :rid AND archived_at IS NULL")


@dg.asset_check(
    asset=QUESTION_BANK,
    partitions_def=resource_partitions,
    description="The platform rows match the produced content (locked rows excepted).",
)
def rows_match_content(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    from .db import content_hash

    rid = context.partition_key
    with database.get_engine().connect() as conn:
        sections = load_content(conn, rid, ResourceSections)
        produced = load_content(conn, rid, ResourceQuestions)
        if sections is None or produced is None:
            return _result(["no produced content to compare with"])
        problems = []
        for table, rows in (("resource_sections", section_rows(sections)), ("question_bank", question_rows(produced))):
            stored = {r[0]: (r[1], r[2]) for r in conn.execute(sa.text(_ROWS.text.format(table=table)), {"rid": rid})}
            for row in rows:
                if row["id"] not in stored:
                    problems.append(f"{table}: row {row['id']} missing")
                    continue
                digest, locked = stored[row["id"]]
                if not locked and digest != content_hash(row):
                    problems.append(f"{table}: row {row['id']} differs from the produced content")
            extra = set(stored) - {r["id"] for r in rows}
            if extra:
                problems.append(f"{table}: {len(extra)} live row(s) not produced any more")
    return _result(problems)


@dg.asset_check(
    asset=QUESTION_BANK,
    partitions_def=resource_partitions,
    description="No stand-in content in a database that is not local.",
)
def no_standin_in_remote_database(context: dg.AssetCheckExecutionContext, database: Database) -> dg.AssetCheckResult:
    local = database.is_local()
    with database.get_engine().connect() as conn:
        standin = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM resource_sections WHERE resource_id = :rid AND is_standin "
                "AND archived_at IS NULL) + (SELECT count(*) FROM question_bank WHERE resource_id = :rid "
                "AND is_standin AND archived_at IS NULL)"
            ),
            {"rid": context.partition_key},
        ).scalar_one()
    problems = [] if local or standin == 0 else [f"{standin} stand-in rows in the non-local database"]
    return _result(problems, database_is_local=local, standin_rows=int(standin))


# --------------------------------------------------------------------------- whole catalog


def catalog_problems() -> dict[str, list[str]]:
    """The whole-catalog rules, evaluated by the same functions that guard loading the catalog."""
    catalog = load_catalog()
    rules = {
        "acyclic": prerequisite_cycles,
        "taught_earlier": requires_taught_earlier,
        "every_concept_taught": untaught_concepts,
        "teaches": resources_teaching_nothing,
    }
    return {name: [str(p) for p in rule(catalog)] for name, rule in rules.items()}


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("prerequisite_graph_acyclic", asset=phase2_catalog),
        dg.AssetCheckSpec("requires_taught_earlier_or_external", asset=phase2_catalog),
        dg.AssetCheckSpec("every_concept_taught", asset=phase2_catalog),
        dg.AssetCheckSpec("every_resource_teaches", asset=phase2_catalog),
    ],
)
def catalog_graph_checks():
    found = catalog_problems()
    for name, key in (
        ("prerequisite_graph_acyclic", "acyclic"),
        ("requires_taught_earlier_or_external", "taught_earlier"),
        ("every_concept_taught", "every_concept_taught"),
        ("every_resource_teaches", "teaches"),
    ):
        problems = found[key]
        yield dg.AssetCheckResult(
            check_name=name,
            passed=not problems,
            metadata={"problem_count": len(problems), "problems": "\n".join(problems) or "none"},
        )


ALL_CHECKS = [
    source_present,
    every_segment_translated,
    sections_contiguous_and_complete,
    questions_complete_and_grounded,
    rows_match_content,
    no_standin_in_remote_database,
    catalog_graph_checks,
]
