"""Cut a source into translation-sized segments. Pure: no I/O, no Dagster.

Segments never cross a catalog section. Inside a section the text is cut near a
target size: at sentence ends when the text is punctuated, else (generated captions)
at the longest pauses between snippets. Never inside a word; no word is lost,
duplicated or altered: joining the segments with single spaces gives the
whitespace-normalised source back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from .catalog.models import Resource
from .sources.models import PaperText, Segment, Transcript

DEFAULT_TARGET_WORDS = 620  # ~39 segments for micrograd's ~24,350 words
DEFAULT_MAX_WORDS = 900

_SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")
_NOT_AN_END = re.compile(r"^(?:e\.g\.|i\.e\.|etc\.|et|al\.|fig\.|eq\.|vs\.|mr\.|dr\.|no\.|[A-Z]\.|\d+\.\d*)$", re.I)


class SegmentingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    target_words: int = Field(default=DEFAULT_TARGET_WORDS, ge=20)
    max_words: int = Field(default=DEFAULT_MAX_WORDS, ge=30)


@dataclass(frozen=True)
class Unit:
    """A piece of source text with its position: a caption snippet or a page run."""

    text: str
    section: str
    start: float | None = None
    end: float | None = None
    page: int | None = None


def video_units(resource: Resource, transcript: Transcript) -> list[Unit]:
    """Assign each snippet to the catalog section its start time falls in."""
    from .catalog import section_spans

    spans = section_spans(resource)
    units = []
    index = 0
    for snippet in transcript.snippets:
        while index + 1 < len(spans) and snippet.start >= spans[index][2]:
            index += 1
        section, _, section_end = spans[index]
        end = min(snippet.start + snippet.duration, section_end) if snippet.duration else snippet.start
        units.append(Unit(snippet.text, section.slug, start=snippet.start, end=max(end, snippet.start)))
    return units


def paper_units(resource: Resource, paper: PaperText) -> list[Unit]:
    """Assign each block to the section whose chapter range holds its heading."""
    section_of: dict[str, str] = {}
    order = [c.at for c in resource.chapters]
    for section in resource.sections:
        for at in order[order.index(section.first) : order.index(section.last) + 1]:
            section_of[at] = section.slug
    units = []
    for block in paper.blocks:
        if block.heading not in section_of:
            raise ValueError(f"{resource.id}: block under unknown heading {block.heading!r}")
        units.append(Unit(block.text, section_of[block.heading], page=block.page))
    return units


def is_sentence_end(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) and not _NOT_AN_END.match(word)


def is_punctuated(units: Sequence[Unit]) -> bool:
    words = sum(len(u.text.split()) for u in units)
    ends = sum(1 for u in units for w in u.text.split() if is_sentence_end(w))
    return words > 0 and ends * 100 >= words


def _pauses(units: Sequence[Unit]) -> list[float]:
    """Silence after each unit, normalised by speaking rate (only meaningful for timed units)."""
    pauses = []
    rates = []
    for here, nxt in zip(units, units[1:], strict=False):
        if here.start is not None and nxt.start is not None:
            words = max(len(here.text.split()), 1)
            rates.append((nxt.start - here.start) / words)
    rate = sorted(rates)[len(rates) // 2] if rates else 0.0
    following: list[Unit | None] = [*units[1:], None]
    for here, after in zip(units, following, strict=True):
        if after is None or here.start is None or after.start is None:
            pauses.append(0.0)
        else:
            pauses.append(after.start - here.start - rate * len(here.text.split()))
    return pauses


def _choose_cuts(words: list[str], unit_of: list[int], pauses: list[float], punctuated: bool, cfg: SegmentingConfig):
    """Word indices after which to cut (exclusive ends), for one section."""
    n_words = len(words)
    pieces = max(1, round(n_words / cfg.target_words), -(-n_words // cfg.max_words))
    if pieces == 1:
        return [n_words]
    # Candidate cut points: after word i, with a score (higher is better).
    candidates: dict[int, float] = {}
    for i in range(n_words - 1):
        unit_boundary = unit_of[i] != unit_of[i + 1]
        if punctuated:
            if is_sentence_end(words[i]):
                candidates[i + 1] = 1.0 + (0.5 if unit_boundary else 0.0)
        elif unit_boundary:
            candidates[i + 1] = pauses[unit_of[i]]
    size = n_words / pieces
    cuts: list[int] = []
    previous = 0
    for k in range(1, pieces):
        ideal = k * size
        low = max(previous + 1, int(ideal - 0.35 * size))
        high = min(n_words - 1, int(ideal + 0.35 * size), previous + cfg.max_words)
        window = [c for c in candidates if low <= c <= high]
        if punctuated:
            best = min(window, key=lambda c: abs(c - ideal)) if window else None
        else:
            best = max(window, key=lambda c: (candidates[c], -abs(c - ideal))) if window else None
        if best is None:  # no sentence end or pause nearby: the nearest word boundary
            best = min(max(round(ideal), low), high)
        cuts.append(best)
        previous = best
    cuts.append(n_words)
    return _enforce_max(cuts, candidates, cfg.max_words)


def _enforce_max(cuts: list[int], candidates: dict[int, float], max_words: int) -> list[int]:
    result: list[int] = []
    start = 0
    for end in cuts:
        while end - start > max_words:
            inside = [c for c in candidates if start + max_words // 3 <= c <= start + max_words]
            split = max(inside, key=lambda c: (candidates[c], c)) if inside else start + max_words
            result.append(split)
            start = split
        result.append(end)
        start = end
    return result


def segment_id(resource_id: str, section: str, text: str, occurrence: int = 0) -> str:
    digest = hashlib.sha256(f"{resource_id}\0{section}\0{text}\0{occurrence}".encode()).hexdigest()
    return digest[:16]


def segment_units(resource_id: str, units: Sequence[Unit], cfg: SegmentingConfig | None = None) -> list[Segment]:
    """Cut units into segments, section by section, in order."""
    cfg = cfg or SegmentingConfig()
    punctuated = is_punctuated(units)
    segments: list[Segment] = []
    seen: dict[tuple[str, str], int] = {}
    start = 0
    while start < len(units):
        stop = start
        while stop < len(units) and units[stop].section == units[start].section:
            stop += 1
        section_units = units[start:stop]
        words: list[str] = []
        unit_of: list[int] = []
        for i, unit in enumerate(section_units):
            for word in unit.text.split():
                words.append(word)
                unit_of.append(i)
        if words:
            pauses = _pauses(section_units)
            begin = 0
            for end in _choose_cuts(words, unit_of, pauses, punctuated, cfg):
                first, last = section_units[unit_of[begin]], section_units[unit_of[end - 1]]
                text = " ".join(words[begin:end])
                key = (first.section, text)
                occurrence = seen.get(key, 0)
                seen[key] = occurrence + 1
                segments.append(
                    Segment(
                        id=segment_id(resource_id, first.section, text, occurrence),
                        resource_id=resource_id,
                        section=first.section,
                        position=len(segments),
                        text=text,
                        words=end - begin,
                        start_seconds=first.start,
                        end_seconds=last.end,
                        page_start=first.page,
                        page_end=last.page,
                    )
                )
                begin = end
        start = stop
    return segments


def normalised_source(units: Sequence[Unit]) -> str:
    return " ".join(" ".join(u.text.split()) for u in units if u.text.split())
