"""What the source stage produces: transcripts, paper text and segments.

These cross boundaries (stored in ``kz2h.source_documents`` / ``kz2h.segments``,
read by translation), so they forbid unknown fields.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceError(Exception):
    """A source could not be obtained or read. The message names the thing and the fix."""


class Snippet(_Model):
    """One caption as shown on screen: ``start`` and ``duration`` in seconds."""

    text: str
    start: float = Field(ge=0)
    duration: float = Field(ge=0)


CaptionFormat = Literal["youtube", "json", "vtt", "srt", "txt"]


class Transcript(_Model):
    video_id: str
    language_code: str = "en"
    is_generated: bool
    origin: str = Field(description="where it came from: a YouTube URL or a local file path")
    format: CaptionFormat
    snippets: list[Snippet]

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.snippets)


class PaperBlock(_Model):
    """A run of body text on one page, inside one catalog heading.

    Text before the first heading (authors, abstract) belongs to the first heading.
    """

    page: int = Field(ge=1)
    heading: str = Field(description="the catalog heading (`at`) this text belongs to")
    text: str


class PaperText(_Model):
    origin: str
    pages: int = Field(ge=1)
    title: str = ""
    blocks: list[PaperBlock]
    references: str = Field(default="", description="the references section, set apart: never translated")
    removed_lines: int = Field(default=0, description="running headers, footers and page numbers dropped")

    @property
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


class Segment(_Model):
    """A translation-sized piece of one catalog section."""

    id: str
    resource_id: str
    section: str = Field(description="catalog section slug")
    position: int = Field(ge=0, description="0-based order within the resource")
    text: str
    words: int = Field(ge=1)
    start_seconds: float | None = None
    end_seconds: float | None = None
    page_start: int | None = None
    page_end: int | None = None
