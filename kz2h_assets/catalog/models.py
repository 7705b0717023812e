"""The catalog's shape: what Phase 2 ingests, as pydantic models.

The YAML file beside this module (``phase2.yaml``) is parsed into these models.
Field-level rules (formats, enums) live here; rules that span entries (unique
ids, prerequisite graph, section contiguity) live in ``rules.py``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_TIMESTAMP = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")


def timestamp_seconds(value: str) -> int:
    """``"01:02:03"`` or ``"2:03"`` → seconds. Raises ValueError on anything else."""
    match = _TIMESTAMP.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a timestamp like 01:02:03")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Chapter(_Model):
    """One unit of the source's own structure.

    Videos: an official chapter, ``at`` is its start timestamp ("00:08:08").
    Papers: one of the paper's own headings, ``at`` is the heading as printed
    ("3.2 Attention"); the PDF extractor finds section boundaries by it.
    """

    at: Text
    title: Text


class Section(_Model):
    """A concept-mapped section: a contiguous run of chapters, first to last inclusive."""

    slug: Slug
    title_en: Text
    title_es: Text
    first: Text = Field(description="`at` of the first chapter in this section")
    last: Text = Field(description="`at` of the last chapter in this section (inclusive)")
    concepts: list[Slug] = Field(description="concepts this section teaches; at least one")


class YouTubeSource(_Model):
    youtube_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{11}$")]

    @property
    def url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.youtube_id}"


class PaperSource(_Model):
    pdf_url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")]
    landing_url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    authors: Text
    venue: Text
    year: int

    @property
    def url(self) -> str:
        return self.pdf_url


class Resource(_Model):
    id: Slug
    sort_order: int = Field(ge=0)
    kind: Literal["video", "paper"]
    title_en: Text
    title_es: Text
    source: YouTubeSource | PaperSource
    duration_seconds: int | None = Field(default=None, gt=0, description="videos only")
    pages: int | None = Field(default=None, gt=0, description="papers only")
    chapters: list[Chapter] = Field(min_length=1)
    sections: list[Section]
    teaches: list[Slug] = Field(min_length=1)
    requires: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_fields(self) -> Resource:
        if self.kind == "video":
            if not isinstance(self.source, YouTubeSource):
                raise ValueError("a video needs source.youtube_id")
            if self.duration_seconds is None:
                raise ValueError("a video needs duration_seconds")
            if self.pages is not None:
                raise ValueError("a video has no pages")
        else:
            if not isinstance(self.source, PaperSource):
                raise ValueError("a paper needs source.pdf_url")
            if self.pages is None:
                raise ValueError("a paper needs pages")
            if self.duration_seconds is not None:
                raise ValueError("a paper has no duration_seconds")
        return self

    @property
    def source_url(self) -> str:
        return self.source.url


class Concept(_Model):
    id: Slug
    name_en: Text
    name_es: Text
    prerequisites: list[Slug] = Field(default_factory=list)
    external: bool = Field(
        default=False,
        description="taught outside Phase 2 (a math prerequisite): may be required without an earlier resource",
    )


class GlossaryTerm(_Model):
    """A technical term and how the Spanish text renders it.

    ``es`` absent: the term stays in English (``tensor``, ``softmax``).
    """

    term: Text
    es: Text | None = None
    note: str | None = None


class Catalog(_Model):
    version: int = Field(ge=1, description="bump when the catalog's meaning changes")
    phase: int = Field(ge=0)
    resources: list[Resource] = Field(min_length=1)
    concepts: list[Concept] = Field(min_length=1)
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    archived_resources: list[Text] = Field(
        default_factory=list,
        description="obsolete resource ids (fnmatch patterns allowed, e.g. p0-*): archived when present",
    )

    def resource(self, resource_id: str) -> Resource:
        for resource in self.resources:
            if resource.id == resource_id:
                return resource
        raise KeyError(resource_id)

    @property
    def resource_ids(self) -> list[str]:
        return [r.id for r in sorted(self.resources, key=lambda r: r.sort_order)]
