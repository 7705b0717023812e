"""Caption files → snippets. Pure functions: text in, snippets out.

Formats, as people actually have them:

* ``.json``: youtube-transcript-api's raw snippet list (``to_raw_data()``).
* ``.vtt``: WebVTT. Manual captions are plain cues. YouTube auto-captions as yt-dlp
  writes them (``--write-auto-subs --sub-format vtt``) roll: each cue repeats the
  previous line and adds new words with inline ``<00:00:01.234><c> word</c>`` tags,
  with 10 ms transition cues in between. Only new words are kept.
* ``.srt``: SubRip.
* ``.txt``: YouTube's "Show transcript" copy: a timestamp line, then the text.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .models import CaptionFormat, Snippet, SourceError, Transcript

CAPTION_SUFFIXES: dict[str, CaptionFormat] = {".json": "json", ".vtt": "vtt", ".srt": "srt", ".txt": "txt"}

_CUE_TIME = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s.*)?$"
)
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}:\d{2}\.\d{3}>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}:\d{2}\.\d{3}>")
_TXT_TIME = re.compile(r"^\s*\[?(?P<t>(?:\d{1,2}:)?\d{1,2}:\d{2})\]?\s*(?P<rest>.*)$")
_SENTENCE_END = re.compile(r"[.?!](?:[\"')\]]*)(?=\s|$)")


def clock_seconds(value: str) -> float:
    """``01:02:03.456``, ``02:03,4`` or ``2:03`` → seconds."""
    value = value.strip().replace(",", ".")
    parts = value.split(":")
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise ValueError(f"{value!r} is not a timestamp")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[0]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def _clean(text: str) -> str:
    return " ".join(text.split())


def looks_generated(snippets: list[Snippet]) -> bool:
    """Auto captions have (almost) no sentence punctuation."""
    words = sum(len(s.text.split()) for s in snippets)
    if words == 0:
        return False
    ends = sum(len(_SENTENCE_END.findall(s.text)) for s in snippets)
    return ends * 100 < words  # fewer than one sentence end per 100 words


def parse_json(text: str) -> list[Snippet]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("snippets"), list):
        data = data["snippets"]
    if not isinstance(data, list):
        raise SourceError("expected a JSON list of {text, start, duration} snippets")
    snippets = []
    for i, item in enumerate(data):
        try:
            snippet_text = _clean(html.unescape(str(item["text"])))
            start, duration = float(item["start"]), float(item.get("duration", 0.0))
        except (KeyError, TypeError, ValueError):
            raise SourceError(f"snippet {i} is not {{text, start, duration}}: {str(item)[:80]}") from None
        if snippet_text:
            snippets.append(Snippet(text=snippet_text, start=start, duration=max(duration, 0.0)))
    return snippets


def _cues(text: str) -> list[tuple[float, float, list[str]]]:
    """(start, end, raw text lines) for each cue of a VTT or SRT file."""
    cues: list[tuple[float, float, list[str]]] = []
    current: tuple[float, float, list[str]] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        match = _CUE_TIME.match(line)
        if match:
            try:
                start, end = clock_seconds(match["a"]), clock_seconds(match["b"])
            except ValueError:
                raise SourceError(f"line {lineno}: bad cue time {line.strip()!r}") from None
            current = (start, end, [])
            cues.append(current)
        elif current is not None:
            # Only a truly empty line ends a cue: yt-dlp's auto-captions use a line
            # holding a single space as a cue's (blank) first or last line.
            if line.rstrip("\r") == "":
                current = None
            else:
                current[2].append(line)
        elif "-->" in line:
            raise SourceError(f"line {lineno}: bad cue time {line.strip()!r}")
    return cues


def parse_vtt(text: str) -> list[Snippet]:
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise SourceError("not a WebVTT file (it must start with WEBVTT)")
    cues = _cues(text)
    rolling = any(_INLINE_TIME.search(line) for _, _, lines in cues for line in lines)
    snippets: list[Snippet] = []
    if not rolling:
        for start, end, lines in cues:
            cue_text = _clean(html.unescape(_TAG.sub("", " ".join(lines))))
            if cue_text:
                snippets.append(Snippet(text=cue_text, start=start, duration=max(end - start, 0.0)))
        return snippets
    # yt-dlp auto-captions: a line carrying inline word timings is new speech; an untimed
    # line is new only if it does not repeat what the previous cue showed.
    previous_cue: list[str] = []
    for start, end, lines in cues:
        shown = []
        for raw in lines:
            line = _clean(html.unescape(_TAG.sub("", raw)))
            if not line:
                continue
            shown.append(line)
            if _INLINE_TIME.search(raw) or line not in previous_cue:
                first_time = _INLINE_TIME.search(raw)
                snippet_start = start
                if first_time and raw.index(first_time.group()) == 0:
                    snippet_start = clock_seconds(first_time.group()[1:-1])
                snippets.append(Snippet(text=line, start=snippet_start, duration=max(end - snippet_start, 0.0)))
        if shown:
            previous_cue = shown
    return snippets


def parse_srt(text: str) -> list[Snippet]:
    cues = _cues(text.lstrip("\ufeff"))
    if not cues:
        raise SourceError("no SubRip cues found (expected '00:00:01,000 --> 00:00:04,000' lines)")
    snippets = []
    for start, end, lines in cues:
        cue_text = _clean(_TAG.sub("", " ".join(lines)))
        if cue_text:
            snippets.append(Snippet(text=cue_text, start=start, duration=max(end - start, 0.0)))
    return snippets


def parse_txt(text: str) -> list[Snippet]:
    starts: list[float] = []
    texts: list[list[str]] = []
    for line in text.lstrip("\ufeff").splitlines():
        match = _TXT_TIME.match(line)
        if match:
            starts.append(clock_seconds(match["t"]))
            texts.append([match["rest"]] if match["rest"].strip() else [])
        elif line.strip():
            if not starts:
                raise SourceError(
                    "text before the first timestamp: a .txt transcript needs YouTube's "
                    "'Show transcript' layout (a timestamp line such as 0:25, then its text)"
                )
            texts[-1].append(line)
    if not starts:
        raise SourceError("no timestamps found: a .txt transcript needs timestamp lines such as 0:25 or 1:02:03")
    snippets = []
    for i, (start, parts) in enumerate(zip(starts, texts, strict=True)):
        following = starts[i + 1] if i + 1 < len(starts) else start + 3.0
        snippet_text = _clean(" ".join(parts))
        if snippet_text:
            snippets.append(Snippet(text=snippet_text, start=start, duration=max(following - start, 0.0)))
    return snippets


PARSERS = {"json": parse_json, "vtt": parse_vtt, "srt": parse_srt, "txt": parse_txt}


def parse_captions(text: str, fmt: CaptionFormat) -> list[Snippet]:
    """Parse caption text; snippets come back sorted by start and non-empty."""
    snippets = PARSERS[fmt](text)
    for earlier, later in zip(snippets, snippets[1:], strict=False):
        if later.start < earlier.start:
            raise SourceError(f"captions go back in time at {later.start:.2f} s ({later.text[:40]!r})")
    return snippets


def read_caption_file(path: Path, video_id: str) -> Transcript:
    """A local caption file → Transcript, or SourceError naming the file and the fix."""
    fmt = CAPTION_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(f"{path}: unknown caption format; use .json, .vtt, .srt or .txt")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}); re-save it as UTF-8") from None
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    try:
        snippets = parse_captions(text, fmt)
    except SourceError as exc:
        raise SourceError(f"{path}: {exc}. Fix or replace the file.") from None
    if not snippets:
        raise SourceError(f"{path} holds no caption text. Fix or replace the file.")
    generated = fmt == "vtt" and bool(_INLINE_TIME.search(text)) or looks_generated(snippets)
    return Transcript(
        video_id=video_id,
        is_generated=generated,
        origin=str(path),
        format=fmt,
        snippets=snippets,
    )
