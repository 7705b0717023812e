"""The ``source`` group: the English source of each resource, stored once, and its segments."""

import hashlib
import statistics
from typing import Any

import dagster as dg

from .. import markdown as md
from ..catalog import load_catalog
from ..catalog.models import Resource, YouTubeSource
from ..partitions import resource_partitions
from ..resources import Database, SourceFetcher
from ..segmenting import SegmentingConfig, paper_units, segment_units, video_units
from ..sources.fetch import fetch_source
from ..sources.models import PaperText, Segment, SourceError, Transcript
from ..sources.store import StoredSource, load_source, replace_segments, save_source
from .catalog import phase2_catalog

SOURCE_CODE_VERSION = "source-v1"
SEGMENTS_CODE_VERSION = "segments-v1"


class SourceConfig(dg.Config):
    refresh: bool = False
    """Fetch again even though a stored copy exists (a new caption track, a fixed PDF)."""


class SegmentsConfig(dg.Config):
    target_words: int = SegmentingConfig().target_words
    """Cut near this many words, at sentence ends or the longest pauses."""
    max_words: int = SegmentingConfig().max_words
    """No segment is longer than this."""


def _resource(context: dg.AssetExecutionContext) -> Resource:
    return load_catalog().resource(context.partition_key)


def _source_metadata(resource: Resource, stored: StoredSource, reused: bool) -> dict[str, Any]:
    doc = stored.document
    meta: dict[str, Any] = {
        "source_kind": resource.kind,
        "origin": stored.origin,
        "format": stored.format,
        "word_count": stored.word_count,
        "stored": f"reused the copy stored {stored.fetched_at}" if reused else "fetched now and stored",
        "sha256": stored.sha256[:16],
    }
    if isinstance(doc, Transcript):
        assert resource.duration_seconds is not None
        last = doc.snippets[-1]
        meta |= {
            "duration": md.clock(resource.duration_seconds),
            "captions": "generated (auto)" if doc.is_generated else "manual",
            "snippets": len(doc.snippets),
            "covered_until": md.clock(last.start + last.duration),
            "preview": dg.MetadataValue.md(md.preview(" ".join(s.text for s in doc.snippets[:40]))),
        }
    else:
        assert isinstance(doc, PaperText)
        meta |= {
            "pages": doc.pages,
            "title": doc.title,
            "headers_footers_removed": doc.removed_lines,
            "references_words": len(doc.references.split()),
            "preview": dg.MetadataValue.md(md.preview(" ".join(b.text for b in doc.blocks[:3]))),
        }
    return meta


@dg.asset(
    partitions_def=resource_partitions,
    deps=[phase2_catalog],
    group_name="source",
    kinds={"youtube", "pdf", "postgres"},
    code_version=SOURCE_CODE_VERSION,
    owners=["team:kz2h-assets"],
    description=(
        "The resource's English source, fetched once and stored in kz2h.source_documents: the YouTube "
        "transcript (manual track preferred) or the paper's text extracted from its PDF (running headers, "
        "page numbers and references set apart). A local file in KZ2H_SOURCES_DIR overrides fetching. "
        "Later runs reuse the stored copy unless run with refresh: true."
    ),
)
def source_text(
    context: dg.AssetExecutionContext, config: SourceConfig, database: Database, sources: SourceFetcher
) -> dg.MaterializeResult:
    resource = _resource(context)
    engine = database.get_engine()
    with engine.connect() as conn:
        stored = load_source(conn, resource.id)
    reused = stored is not None and not config.refresh
    if not reused:
        context.log.info(f"{resource.id}: getting the source from {sources.describe()}")
        try:
            fetched = fetch_source(resource, sources.settings())
        except SourceError as exc:
            hint = "" if sources.sources_dir else " (Offline? `make demo` runs on the bundled samples.)"
            raise dg.Failure(description=f"{exc}{hint}", allow_retries=False) from None
        with engine.begin() as conn:
            stored = save_source(conn, resource.id, fetched.document, raw=fetched.raw, run_id=context.run.run_id)
    assert stored is not None
    return dg.MaterializeResult(
        metadata=_source_metadata(resource, stored, reused),
        data_version=dg.DataVersion(stored.sha256[:16]),
    )


def _segments_table(resource: Resource, segments: list[Segment]) -> str:
    lines = ["| section | segments | words | span |", "|---|---:|---:|---|"]
    for section in resource.sections:
        mine = [s for s in segments if s.section == section.slug]
        if not mine:
            lines.append(f"| {section.slug} | 0 | 0 | — |")
            continue
        if mine[0].start_seconds is not None:
            span = f"{md.clock(mine[0].start_seconds)}–{md.clock(mine[-1].end_seconds)}"
        else:
            span = f"pp. {mine[0].page_start}–{mine[-1].page_end}"
        lines.append(f"| {section.slug} | {len(mine)} | {sum(s.words for s in mine)} | {span} |")
    return "\n".join(lines)


def _first_segment(resource: Resource, segment: Segment) -> str:
    if isinstance(resource.source, YouTubeSource) and segment.start_seconds is not None:
        link = f"{resource.source.url}&t={int(segment.start_seconds)}"
        where = f"[{md.clock(segment.start_seconds)}]({link})"
    else:
        where = f"page {segment.page_start}"
    return f"**{segment.section}**, {where}, {segment.words} words\n\n> {md.preview(segment.text, 600)}"


@dg.asset(
    partitions_def=resource_partitions,
    deps=[source_text],
    group_name="source",
    kinds={"python", "postgres"},
    code_version=SEGMENTS_CODE_VERSION,
    owners=["team:kz2h-assets"],
    description=(
        "The stored source cut into translation-sized segments (kz2h.segments). Segments never cross a "
        "catalog section; inside one they end at sentence ends near the target size, or at the longest "
        "pauses when generated captions have no punctuation. Ids are stable: they change only when text does."
    ),
)
def segments(context: dg.AssetExecutionContext, config: SegmentsConfig, database: Database) -> dg.MaterializeResult:
    resource = _resource(context)
    engine = database.get_engine()
    with engine.connect() as conn:
        stored = load_source(conn, resource.id)
    if stored is None:
        raise dg.Failure(f"{resource.id}: no stored source; materialize source_text for this partition first")
    try:
        cfg = SegmentingConfig(target_words=config.target_words, max_words=config.max_words)
    except ValueError as exc:
        raise dg.Failure(f"bad segments config: {exc}", allow_retries=False) from None
    doc = stored.document
    units = video_units(resource, doc) if isinstance(doc, Transcript) else paper_units(resource, doc)
    result = segment_units(resource.id, units, cfg)
    if not result:
        raise dg.Failure(f"{resource.id}: the stored source has no text to segment; run source_text with refresh")
    with engine.begin() as conn:
        replace_segments(conn, resource.id, result, run_id=context.run.run_id)
    sizes = [s.words for s in result]
    ids_digest = dg.DataVersion(hashlib.sha256(" ".join(s.id for s in result).encode()).hexdigest()[:16])
    return dg.MaterializeResult(
        metadata={
            "segment_count": len(result),
            "words": sum(sizes),
            "words_min_median_max": f"{min(sizes)} / {int(statistics.median(sizes))} / {max(sizes)}",
            "target_words": cfg.target_words,
            "sections": dg.MetadataValue.md(_segments_table(resource, result)),
            "size_histogram": dg.MetadataValue.md(md.histogram(sizes)),
            "first_segment": dg.MetadataValue.md(_first_segment(resource, result[0])),
        },
        data_version=ids_digest,
    )
