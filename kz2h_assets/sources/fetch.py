"""Get a resource's English source: a local file when one is there, else the network.

``KZ2H_SOURCES_DIR/<resource_id>.<ext>`` overrides fetching: ``.json``, ``.vtt``,
``.srt`` or ``.txt`` for videos, ``.pdf`` for papers. ``make demo`` points it at the
bundled samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalog.models import PaperSource, Resource, YouTubeSource
from . import SAMPLES_DIR  # noqa: F401  (re-exported)
from .captions import CAPTION_SUFFIXES, read_caption_file
from .models import PaperText, SourceError, Transcript
from .papers import download_pdf, extract_paper, read_local_pdf
from .youtube import ProxySettings, fetch_transcript


@dataclass(frozen=True)
class FetchSettings:
    sources_dir: Path | None = None
    proxy: ProxySettings | None = None
    pdf_max_bytes: int = 50_000_000
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class Fetched:
    document: Transcript | PaperText
    raw: bytes | None  # the PDF bytes, kept for re-extraction
    local: bool


def local_source(resource: Resource, sources_dir: Path | None) -> Path | None:
    """The override file for this resource, if there is one; two candidates are an error."""
    if sources_dir is None:
        return None
    if not sources_dir.is_dir():
        raise SourceError(f"KZ2H_SOURCES_DIR={sources_dir} is not a folder; create it or unset the variable")
    suffixes = list(CAPTION_SUFFIXES) if resource.kind == "video" else [".pdf"]
    found = [sources_dir / f"{resource.id}{s}" for s in suffixes if (sources_dir / f"{resource.id}{s}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise SourceError(f"{sources_dir} holds several sources for {resource.id} ({names}); keep one")
    return found[0] if found else None


def fetch_source(resource: Resource, settings: FetchSettings) -> Fetched:
    """Read the local override or fetch from YouTube / the paper's URL. Raises SourceError."""
    path = local_source(resource, settings.sources_dir)
    if isinstance(resource.source, YouTubeSource):
        video_id = resource.source.youtube_id
        if path is not None:
            return Fetched(read_caption_file(path, video_id), None, local=True)
        try:
            transcript = fetch_transcript(video_id, proxy=settings.proxy, timeout=settings.timeout_seconds)
        except SourceError as exc:
            raise SourceError(f"{resource.id}: {exc}") from None
        if not transcript.snippets:
            raise SourceError(f"{resource.id}: YouTube returned an empty transcript for {video_id}")
        return Fetched(transcript, None, local=False)

    assert isinstance(resource.source, PaperSource)
    headings = [c.at for c in resource.chapters]
    if path is not None:
        pdf, origin, local = read_local_pdf(path), str(path), True
    else:
        pdf = download_pdf(
            resource.source.pdf_url,
            resource_id=resource.id,
            max_bytes=settings.pdf_max_bytes,
            timeout=settings.timeout_seconds,
        )
        origin, local = resource.source.pdf_url, False
    try:
        paper = extract_paper(pdf, headings, origin=origin)
    except SourceError as exc:
        raise SourceError(f"{resource.id}: {exc}") from None
    return Fetched(paper, pdf, local=local)
