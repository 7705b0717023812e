"""The ``content`` group: concept-mapped sections, then the quizzes, exercises and reading questions."""

from typing import Any, TypeVar

import dagster as dg

from .. import markdown as md
from ..catalog import load_catalog
from ..catalog.models import Resource
from ..content import prompts
from ..content.generate import ContentRejected, Report, Settings, build_questions, build_sections
from ..content.models import ResourceQuestions, ResourceSections
from ..content.store import load_content, save_content
from ..resources import LLM, Database
from ..sources.models import Segment
from ..sources.store import load_segments
from ..translation_store import current_translations
from .llm_support import llm_asset, llm_session, run_llm_work, standin_refusal, usage_metadata
from .translation import translated_segments

D = TypeVar("D", ResourceSections, ResourceQuestions)

CONTENT_CODE_VERSION = f"{prompts.PROMPT_VERSION}-1"


def _inputs(database: Database, resource: Resource) -> tuple[list[Segment], dict[str, str], bool]:
    with database.get_engine().connect() as conn:
        segs = load_segments(conn, resource.id)
        done = current_translations(conn, segs)
    missing = [s for s in segs if s.id not in done]
    if not segs or missing:
        raise dg.Failure(
            f"{resource.id}: {len(missing)} of {len(segs)} segments have no current translation; "
            "materialize translated_segments for this partition first",
            allow_retries=False,
        )
    return segs, {k: t.text_es for k, t in done.items()}, any(t.is_standin for t in done.values())


def _store(doc: D, report: Report, llm: LLM, database: Database, run_id: str) -> tuple[D, str]:
    """Label stand-in output, refuse it for a non-local database, store it; return it and its hash."""
    doc = doc.model_copy(update={"is_standin": doc.is_standin or any(c.is_standin for c in report.calls)})
    refusal = standin_refusal(llm, database.is_local(), doc.is_standin)
    if refusal:
        raise dg.Failure(refusal, allow_retries=False)
    with database.get_engine().begin() as conn:
        return doc, save_content(conn, doc, run_id)


def _settings(llm: LLM) -> Settings:
    return Settings(model=llm.model, json_mode=llm.json_mode, max_asks=llm.max_asks)


def _concepts_line(resource: Resource, covered: set[str]) -> str:
    taught = list(resource.teaches)
    missing = [c for c in taught if c not in covered]
    return f"{len([c for c in taught if c in covered])}/{len(taught)}" + (
        f" (missing: {', '.join(missing)})" if missing else ""
    )


def _sections_markdown(doc: ResourceSections) -> str:
    parts = []
    for s in doc.sections:
        span = (
            f"{md.clock(s.start_seconds)}–{md.clock(s.end_seconds)}"
            if s.start_seconds is not None
            else f"pp. {s.page_start}–{s.page_end}"
        )
        parts.append(
            f"### {s.position + 1}. {md.escape(s.title_es)}\n*{md.escape(s.title_en)}* · {span} · "
            f"{len(s.segment_ids)} segments · concepts: {', '.join(s.concepts)}\n\n{md.preview(s.summary_es, 600)}"
        )
    return "\n\n".join(parts)


@llm_asset(
    deps=[translated_segments],
    group_name="content",
    code_version=CONTENT_CODE_VERSION,
    description=(
        "One section per catalog section, in order: Spanish and English titles, the Spanish text (its segments' "
        "translations), the English text, start/end seconds (videos) or pages (papers), the concepts it teaches "
        "and a short Spanish summary by the LLM. Every segment lands in exactly one section."
    ),
)
def concept_sections(context: dg.AssetExecutionContext, database: Database, llm: LLM) -> dg.MaterializeResult:
    catalog = load_catalog()
    resource = catalog.resource(context.partition_key)
    segs, spanish, standin_text = _inputs(database, resource)
    engine = database.get_engine()

    async def work() -> tuple[ResourceSections, Any]:
        async with llm_session(llm, engine, context.run.run_id) as log:
            return await build_sections(log, _settings(llm), resource, segs, spanish, standin_text)

    doc, report = run_llm_work(work, resource.id, (ContentRejected,))
    doc, digest = _store(doc, report, llm, database, context.run.run_id)
    covered = {c for s in doc.sections for c in s.concepts}
    table = ["| # | section | span | segments | words (es) | concepts |", "|---:|---|---|---:|---:|---|"]
    for s in doc.sections:
        span = md.clock(s.start_seconds) if s.start_seconds is not None else f"p. {s.page_start}"
        table.append(f"| {s.position + 1} | {s.slug} | {span} | {len(s.segment_ids)} | {len(s.text_es.split())} | "
                     f"{', '.join(s.concepts)} |")  # fmt: skip
    metadata: dict[str, Any] = {
        "sections": len(doc.sections),
        "segments": sum(len(s.segment_ids) for s in doc.sections),
        "concepts_covered_vs_taught": _concepts_line(resource, covered),
        "standin_output": doc.is_standin,
        "re_asks": report.re_asks,
        "table": dg.MetadataValue.md("\n".join(table)),
        "preview": dg.MetadataValue.md(_sections_markdown(doc)),
        **usage_metadata(report.calls),
    }
    return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(digest[:16]))


def _questions_markdown(doc: ResourceQuestions) -> str:
    parts = []
    for section in doc.sections:
        parts.append(f"### {section.section}")
        for i, q in enumerate(section.quizzes, 1):
            options = "\n".join(
                f"   - {'**✓**' if j == q.correct_index else '·'} {md.escape(o)}" for j, o in enumerate(q.options)
            )
            parts.append(
                f"{i}. {md.escape(q.prompt)} *({q.concept})*\n{options}\n   - cita `{q.citation.segment_id}` "
                f"({md.clock(q.citation.seconds) if q.citation.seconds is not None else f'p. {q.citation.page}'}): "
                f"“{md.preview(q.citation.quote_en, 200)}”"
            )
        for r in section.reading_questions:
            parts.append(f"- 📖 {md.escape(r.prompt)} *({r.concept})*")
    parts.append("### Ejercicios")
    for i, e in enumerate(doc.exercises, 1):
        parts.append(f"{i}. **{md.escape(e.title)}** ({e.section}; {', '.join(e.concepts)}): {md.preview(e.task, 400)}")
    return "\n\n".join(parts)


@llm_asset(
    deps=[concept_sections],
    group_name="content",
    code_version=CONTENT_CODE_VERSION,
    description=(
        "Spanish questions grounded in the source: 12–20 multiple-choice quizzes (at least two per section, one "
        "correct answer, a citation whose English quote is found in the cited segment), 3 exercises and about 7 "
        "reading questions (at least one per section). Produced with structured output, validated against the "
        "models and rules, and asked again with the errors when invalid."
    ),
)
def questions(context: dg.AssetExecutionContext, database: Database, llm: LLM) -> dg.MaterializeResult:
    catalog = load_catalog()
    resource = catalog.resource(context.partition_key)
    segs, spanish, standin_text = _inputs(database, resource)
    engine = database.get_engine()
    with engine.connect() as conn:
        sections = load_content(conn, resource.id, ResourceSections)
    if sections is None:
        raise dg.Failure(f"{resource.id}: no sections stored; materialize concept_sections first", allow_retries=False)

    async def work() -> tuple[ResourceQuestions, Any]:
        async with llm_session(llm, engine, context.run.run_id) as log:
            return await build_questions(log, _settings(llm), resource, sections, segs, spanish, standin_text)

    doc, report = run_llm_work(work, resource.id, (ContentRejected,))
    doc, digest = _store(doc, report, llm, database, context.run.run_id)
    quizzes = sum(len(s.quizzes) for s in doc.sections)
    reading = sum(len(s.reading_questions) for s in doc.sections)
    covered = {q.concept for s in doc.sections for q in s.quizzes} | {
        q.concept for s in doc.sections for q in s.reading_questions
    }
    per_section = ["| section | quizzes | reading |", "|---|---:|---:|"] + [
        f"| {s.section} | {len(s.quizzes)} | {len(s.reading_questions)} |" for s in doc.sections
    ]
    metadata: dict[str, Any] = {
        "quizzes": quizzes,
        "exercises": len(doc.exercises),
        "reading_questions": reading,
        "per_section": dg.MetadataValue.md("\n".join(per_section)),
        "concepts_covered_vs_taught": _concepts_line(resource, covered),
        "standin_output": doc.is_standin,
        "re_asks": report.re_asks,
        "questions": dg.MetadataValue.md(_questions_markdown(doc)),
        **usage_metadata(report.calls),
    }
    return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(digest[:16]))
