#!/usr/bin/env python3
"""Build the offline sample transcripts from the prose in ``scripts/samples/``.

The pipeline's offline runs and CI need transcripts that look exactly like the
files real tools produce, without shipping copies of real transcripts.  Each
``scripts/samples/<resource_id>.yaml`` holds short, original lecture-style prose
for one video, one entry per official chapter::

    resource_id: kz2h-micrograd
    format: vtt-auto          # vtt-auto | vtt | json | json-auto | srt | txt
    duration_seconds: 8752
    chapters:
      - at: "00:00:00"
        text: |
          Hello everyone. ...

This script turns every such file into ``kz2h_assets/samples/<resource_id>.<ext>``
(``.vtt`` for vtt/vtt-auto, ``.json`` for json/json-auto, ``.srt``, ``.txt``).

Usage::

    python scripts/build_samples.py                   # rebuild every sample, print a summary
    python scripts/build_samples.py kz2h-micrograd    # rebuild only the named resources
    python scripts/build_samples.py --check           # write nothing; exit 1 if an output is stale

Timing model (deterministic: the only "randomness" is a hash of the resource id
and a position, so the same input always gives byte-identical output):

* Each chapter's words are spoken from the chapter start (plus a lead-in of at
  most 0.4 s) at about 2.6 words per second, pauses included.  If that would
  overrun the next chapter (or the end of the video) the pace is compressed to
  fit; whatever time is left in the chapter stays silent (a gap).
* Words are grouped into snippets of about 6-12 words, cut at sentence ends
  where possible (never inside a word).
* After a sentence end there is a long pause (0.8-2.0 s); between snippets
  inside a sentence a short one (0.1-0.3 s); inside a snippet none.  So pause
  length marks sentence ends even in the unpunctuated auto-caption formats.

Formats, as the real tools write them:

* ``json``: youtube-transcript-api raw snippets
  ``[{"text", "start", "duration"}]``; duration is time on screen and may
  overlap the next snippet slightly.
* ``json-auto``: the same for an auto-generated track: lowercase, no
  punctuation; each line stays on screen while the next one rolls in.
* ``srt``: SubRip, numbered cues, ``HH:MM:SS,mmm``, lines wrapped at 42 chars.
* ``vtt``: WebVTT manual captions as YouTube serves them via yt-dlp.
* ``vtt-auto``: what ``yt-dlp --write-auto-subs --sub-format vtt`` writes for
  YouTube auto-captions: two-line rolling cues (previous line, then the new
  line with ``<HH:MM:SS.mmm><c> word</c>`` word timings), each followed by a
  10 ms transition cue holding only the finished line and a single-space line.
* ``txt``: YouTube's "Show transcript" copy: a ``M:SS`` (``H:MM:SS`` from one
  hour on) line, then the snippet's text, repeated.

Standalone on purpose: standard library plus PyYAML, no ``kz2h_assets`` import.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROSE_DIR = ROOT / "scripts" / "samples"
OUT_DIR = ROOT / "kz2h_assets" / "samples"

EXTENSIONS = {
    "vtt-auto": "vtt",
    "vtt": "vtt",
    "json": "json",
    "json-auto": "json",
    "srt": "srt",
    "txt": "txt",
}
AUTO_FORMATS = {"vtt-auto", "json-auto"}

WORDS_PER_SECOND = 2.6
MAX_SNIPPET_WORDS = 12  # long sentences are cut into chunks of at most this
MIN_SNIPPET_WORDS = 4  # shorter sentences are merged with the next one when it fits
LONG_PAUSE = (0.8, 2.0)  # after a sentence end, seconds
SHORT_PAUSE = (0.1, 0.3)  # between snippets inside a sentence, seconds
MAX_LEAD_IN = 0.4  # silence before a chapter's first word, seconds
TAIL_MARGIN = 0.5  # silence kept before the next chapter when compressing, seconds
MIN_WORD_SECONDS = 0.15  # compression floor for the average word
ROLL_GAP_MS = 3000  # auto-captions: a longer silence ends the rolling display
TRANSITION_MS = 10  # auto-captions: length of the "line finished" cue
LINE_WIDTH = 42  # srt / vtt manual captions: wrap longer text on two lines

SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
NOT_SENTENCE_END = {"e.g.", "i.e.", "al.", "vs.", "etc.", "mr.", "dr.", "ms.", "no."}
CLAUSE_END = re.compile(r"[,;:][\"')\]]*$")
TIMESTAMP = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
SPOKEN_SYMBOLS = {
    "+": "plus",
    "+=": "plus equals",
    "-": "minus",
    "-=": "minus equals",
    "*": "times",
    "/": "divided by",
    "/=": "divide equals",
    "=": "equals",
    "==": "equals equals",
    "**": "to the power of",
    "@": "matrix multiply",
}


class SampleError(Exception):
    """A prose file that cannot be turned into a sample."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Word:
    text: str  # as written in the prose, punctuation included
    start: int  # milliseconds
    end: int  # milliseconds
    sentence_end: bool


@dataclass(frozen=True)
class Snippet:
    words: tuple[Word, ...]
    chapter: int

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def speech_end(self) -> int:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def sentence_end(self) -> bool:
        return self.words[-1].sentence_end


@dataclass(frozen=True)
class Sample:
    resource_id: str
    format: str
    duration_ms: int
    snippets: tuple[Snippet, ...]

    @property
    def path(self) -> Path:
        return OUT_DIR / f"{self.resource_id}.{EXTENSIONS[self.format]}"


# --------------------------------------------------------------------------- helpers


def unit(resource_id: str, *key: object) -> float:
    """A deterministic number in [0, 1) for this resource and position."""
    material = ":".join([resource_id, *map(str, key)]).encode()
    return int.from_bytes(hashlib.sha256(material).digest()[:6], "big") / float(1 << 48)


def between(bounds: tuple[float, float], fraction: float) -> float:
    low, high = bounds
    return low + (high - low) * fraction


def timestamp_seconds(value: str) -> int:
    match = TIMESTAMP.match(value)
    if not match:
        raise SampleError(f"{value!r} is not a HH:MM:SS timestamp")
    hours, minutes, seconds = map(int, match.groups())
    return hours * 3600 + minutes * 60 + seconds


def is_sentence_end(word: str) -> bool:
    return bool(SENTENCE_END.search(word)) and word.lower() not in NOT_SENTENCE_END


def clock(ms: int, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (or ``,mmm`` for SubRip)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def short_clock(ms: int) -> str:
    """YouTube transcript panel stamp: ``M:SS`` under an hour, ``H:MM:SS`` above."""
    seconds = ms // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def seconds_value(ms: int) -> float:
    return round(ms / 1000, 3)


_ALNUM_RUN = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")


def auto_tokens(word: str) -> list[str]:
    """How a word looks in YouTube auto-captions: lowercase, no punctuation.

    Apostrophes inside words (``let's``), decimal points inside numbers
    (``0.01``) and digit grouping (``228,146``) survive; every other mark
    splits or disappears (``self.grad`` -> ``self grad``).  A bare operator
    is spoken (``+=`` -> ``plus equals``).
    """
    lowered = word.lower()
    if lowered in SPOKEN_SYMBOLS:
        return SPOKEN_SYMBOLS[lowered].split()
    tokens: list[str] = []
    for run in _ALNUM_RUN.findall(lowered):
        current = run[0]
        for position in range(1, len(run)):
            char = run[position]
            if char in ".,'":
                continue
            mark = run[position - 1]
            if mark in ".,'":
                left, right = run[position - 2], char
                keep = (
                    (mark == "." and left.isdigit() and right.isdigit())
                    or (mark == "'" and left.isalpha() and right.isalpha())
                    or (mark == "," and _digit_group(run, position))
                )
                if keep:
                    current += mark + char
                else:
                    tokens.append(current)
                    current = char
            else:
                current += char
        tokens.append(current)
    return tokens


def _digit_group(run: str, position: int) -> bool:
    """A comma at ``position - 1`` that groups thousands, as in ``32,000``."""
    before = re.search(r"[0-9.,]*$", run[: position - 1]).group()
    after = re.match(r"[0-9]*", run[position:]).group()
    return bool(re.fullmatch(r"\d{1,3}(,\d{3})*", before)) and len(after) == 3


def wrap_caption(text: str) -> list[str]:
    """One line, or two lines split near the middle (never leaving a bare number)."""
    if len(text) <= LINE_WIDTH:
        return [text]
    words = text.split(" ")
    best: tuple[float, int] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if re.fullmatch(r"[\d.,:]+", first) or re.fullmatch(r"[\d.,:]+", second):
            continue
        score = max(len(first), len(second)) - (3 if CLAUSE_END.search(words[cut - 1]) else 0)
        if best is None or score < best[0]:
            best = (score, cut)
    if best is None:
        return [text]
    cut = best[1]
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- timing


def split_snippets(words: list[str]) -> list[list[int]]:
    """Group word indices into snippets of about 6-12 words."""
    sentences: list[list[int]] = [[]]
    for index, word in enumerate(words):
        sentences[-1].append(index)
        if is_sentence_end(word):
            sentences.append([])
    sentences = [sentence for sentence in sentences if sentence]

    # a very short sentence ("Okay.") rides along with the next one
    units: list[list[int]] = []
    for sentence in sentences:
        if units and len(units[-1]) < MIN_SNIPPET_WORDS:
            units[-1] = units[-1] + sentence
        else:
            units.append(list(sentence))
    if len(units) > 1 and len(units[-1]) < MIN_SNIPPET_WORDS:
        units[-2:] = [units[-2] + units[-1]]

    snippets: list[list[int]] = []
    for group in units:
        count = len(group)
        if count <= MAX_SNIPPET_WORDS:
            snippets.append(group)
            continue
        pieces = math.ceil(count / (MAX_SNIPPET_WORDS - 1))
        cuts: list[int] = []
        previous = 0
        for piece in range(1, pieces):
            ideal = round(piece * count / pieces)
            best: tuple[float, int] | None = None
            for cut in range(ideal - 2, ideal + 3):
                if cut - previous < MIN_SNIPPET_WORDS or count - cut < MIN_SNIPPET_WORDS:
                    continue
                if cut - previous > MAX_SNIPPET_WORDS:
                    continue
                score = abs(cut - ideal) - (1.5 if CLAUSE_END.search(words[group[cut - 1]]) else 0)
                if best is None or score < best[0]:
                    best = (score, cut)
            cut = best[1] if best else ideal
            cuts.append(cut)
            previous = cut
        bounds = [0, *cuts, count]
        snippets.extend(group[a:b] for a, b in pairwise(bounds))
    return snippets


def time_chapter(resource_id: str, chapter: int, text: str, start_s: float, end_s: float) -> list[Snippet]:
    words = text.split()
    if not words:
        raise SampleError(f"chapter {chapter} has no text")
    groups = split_snippets(words)
    last_of_snippet = {group[-1] for group in groups}

    weights = []
    for index, word in enumerate(words):
        letters = len(re.sub(r"[^A-Za-z0-9]", "", word)) or 1
        base = min(1.8, max(0.6, 0.5 + 0.07 * letters))
        weights.append(base * (0.85 + 0.3 * unit(resource_id, chapter, index, "word")))
    pauses = []
    for index, word in enumerate(words):
        fraction = unit(resource_id, chapter, index, "pause")
        if index == len(words) - 1:
            pauses.append(0.0)
        elif is_sentence_end(word):
            pauses.append(between(LONG_PAUSE, fraction))
        elif index in last_of_snippet:
            pauses.append(between(SHORT_PAUSE, fraction))
        else:
            pauses.append(0.0)

    count = len(words)
    pause_total = sum(pauses)
    word_budget = max(count / WORDS_PER_SECOND - pause_total, count * 0.22)
    pause_scale = 1.0
    lead = MAX_LEAD_IN * unit(resource_id, chapter, "lead")
    available = end_s - start_s - lead - TAIL_MARGIN
    if word_budget + pause_total > available:
        # compress: speak faster first, shorten the pauses only if that is not enough
        word_budget = max(available - pause_total, count * MIN_WORD_SECONDS)
        if word_budget + pause_total > available:
            pause_scale = max(0.0, (available - word_budget) / pause_total) if pause_total else 0.0
        if word_budget + pause_total * pause_scale > available + 1e-9:
            raise SampleError(f"chapter {chapter} ({count} words) does not fit in {end_s - start_s:.0f} s")
    scale = word_budget / sum(weights)

    timed: list[Word] = []
    clock_s = start_s + lead
    for index, word in enumerate(words):
        begin = round(clock_s * 1000)
        clock_s += weights[index] * scale
        finish = max(round(clock_s * 1000), begin + 1)
        timed.append(Word(word, begin, finish, is_sentence_end(word)))
        clock_s += pauses[index] * pause_scale
    return [Snippet(tuple(timed[i] for i in group), chapter) for group in groups]


def load_sample(path: Path) -> Sample:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SampleError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise SampleError(f"{path.name}: expected a mapping")
    resource_id = data.get("resource_id")
    fmt = data.get("format")
    duration = data.get("duration_seconds")
    chapters = data.get("chapters")
    if not isinstance(resource_id, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", resource_id):
        raise SampleError(f"{path.name}: resource_id must be a slug")
    if path.stem != resource_id:
        raise SampleError(f"{path.name}: file name must be <resource_id>.yaml")
    if fmt not in EXTENSIONS:
        raise SampleError(f"{path.name}: format must be one of {sorted(EXTENSIONS)}")
    if not isinstance(duration, int) or duration <= 0:
        raise SampleError(f"{path.name}: duration_seconds must be a positive integer")
    if not isinstance(chapters, list) or not chapters:
        raise SampleError(f"{path.name}: chapters must be a non-empty list")

    starts = []
    for index, chapter in enumerate(chapters):
        if not isinstance(chapter, dict) or not isinstance(chapter.get("text"), str):
            raise SampleError(f"{path.name}: chapter {index} needs at and text")
        starts.append(timestamp_seconds(str(chapter.get("at"))))
    if starts[0] != 0 or any(b <= a for a, b in pairwise(starts)) or starts[-1] >= duration:
        raise SampleError(f"{path.name}: chapter starts must begin at 0, increase, and stay in the video")

    snippets: list[Snippet] = []
    for index, chapter in enumerate(chapters):
        end = starts[index + 1] if index + 1 < len(starts) else duration
        try:
            snippets.extend(time_chapter(resource_id, index, chapter["text"], starts[index], end))
        except SampleError as error:
            raise SampleError(f"{path.name}: {error}") from error
    return Sample(resource_id, fmt, duration * 1000, tuple(snippets))


# --------------------------------------------------------------------------- writers


def hold(sample: Sample, index: int, low: float, high: float, tag: str = "hold") -> int:
    """Deterministic time a caption stays up after its last word, in ms."""
    return round(1000 * between((low, high), unit(sample.resource_id, index, tag)))


def write_json(sample: Sample) -> str:
    """youtube-transcript-api raw data for a manually created track."""
    items = []
    snippets = sample.snippets
    for index, snippet in enumerate(snippets):
        end = snippet.speech_end + hold(sample, index, 0.3, 0.9)
        if index + 1 < len(snippets):
            overlap = hold(sample, index, 0.0, 0.25, "overlap")
            end = min(end, snippets[index + 1].start + overlap)
        end = min(end, sample.duration_ms)
        items.append(
            {
                "text": snippet.text,
                "start": seconds_value(snippet.start),
                "duration": seconds_value(end - snippet.start),
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class AutoLine:
    tokens: tuple[tuple[str, int], ...]  # (token, start ms)
    speech_end: int

    @property
    def start(self) -> int:
        return self.tokens[0][1]

    @property
    def text(self) -> str:
        return " ".join(token for token, _ in self.tokens)


def auto_lines(sample: Sample) -> list[AutoLine]:
    lines = []
    for snippet in sample.snippets:
        tokens: list[tuple[str, int]] = []
        for word in snippet.words:
            parts = auto_tokens(word.text)
            for position, part in enumerate(parts):
                tokens.append((part, word.start + (word.end - word.start) * position // len(parts)))
        if not tokens:
            raise SampleError(f"{sample.resource_id}: snippet {snippet.text!r} has no speakable words")
        lines.append(AutoLine(tuple(tokens), snippet.speech_end))
    return lines


def auto_cue_ends(sample: Sample, lines: list[AutoLine]) -> list[tuple[int, bool]]:
    """End of each rolling cue, and whether the next line follows without a break."""
    ends = []
    for index, line in enumerate(lines):
        following = lines[index + 1].start if index + 1 < len(lines) else None
        if following is not None and following - line.speech_end <= ROLL_GAP_MS:
            ends.append((following - TRANSITION_MS, True))
            continue
        end = line.speech_end + hold(sample, index, 1.0, 2.0)
        limit = (following if following is not None else sample.duration_ms) - TRANSITION_MS
        ends.append((min(end, limit), False))
    return ends


def write_json_auto(sample: Sample) -> str:
    """youtube-transcript-api raw data for an auto-generated track."""
    lines = auto_lines(sample)
    ends = auto_cue_ends(sample, lines)
    items = []
    for index, line in enumerate(lines):
        end, rolls_on = ends[index]
        if rolls_on:  # stays on screen as the upper line while the next one is spoken
            end = ends[index + 1][0]
        items.append(
            {
                "text": line.text,
                "start": seconds_value(line.start),
                "duration": seconds_value(end + TRANSITION_MS - line.start),
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def write_vtt_auto(sample: Sample) -> str:
    """YouTube auto-captions as written by yt-dlp (rolling two-line cues)."""
    lines = auto_lines(sample)
    ends = auto_cue_ends(sample, lines)
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    previous = " "
    for index, line in enumerate(lines):
        end, _ = ends[index]
        (first, _), *rest = line.tokens
        timed = first + "".join(f"<{clock(at)}><c> {token}</c>" for token, at in rest)
        out += [f"{clock(line.start)} --> {clock(end)} align:start position:0%", previous, timed, ""]
        out += [
            f"{clock(end)} --> {clock(end + TRANSITION_MS)} align:start position:0%",
            line.text,
            " ",
            "",
        ]
        previous = line.text
    return "\n".join(out) + "\n"


def caption_cues(sample: Sample) -> list[tuple[int, int, list[str]]]:
    """Cues for manual caption formats: start, end, wrapped lines."""
    cues = []
    snippets = sample.snippets
    for index, snippet in enumerate(snippets):
        end = snippet.speech_end + hold(sample, index, 0.2, 0.8)
        if index + 1 < len(snippets):
            end = min(end, snippets[index + 1].start)
        end = min(end, sample.duration_ms)
        cues.append((snippet.start, end, wrap_caption(snippet.text)))
    return cues


def write_srt(sample: Sample) -> str:
    blocks = []
    for number, (start, end, lines) in enumerate(caption_cues(sample), start=1):
        blocks.append("\n".join([str(number), f"{clock(start, ',')} --> {clock(end, ',')}", *lines]))
    return "\n\n".join(blocks) + "\n"


def write_vtt(sample: Sample) -> str:
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    for start, end, lines in caption_cues(sample):
        out += [f"{clock(start)} --> {clock(end)}", *map(vtt_escape, lines), ""]
    return "\n".join(out)


def write_txt(sample: Sample) -> str:
    out = []
    for snippet in sample.snippets:
        out += [short_clock(snippet.start), snippet.text]
    return "\n".join(out) + "\n"


WRITERS = {
    "json": write_json,
    "json-auto": write_json_auto,
    "vtt-auto": write_vtt_auto,
    "vtt": write_vtt,
    "srt": write_srt,
    "txt": write_txt,
}


# --------------------------------------------------------------------------- checks and main


def check_sample(sample: Sample) -> None:
    starts = [snippet.start for snippet in sample.snippets]
    if any(not 0 <= start < sample.duration_ms for start in starts):
        raise SampleError(f"{sample.resource_id}: a snippet starts outside the video")
    if any(b <= a for a, b in pairwise(starts)):
        raise SampleError(f"{sample.resource_id}: snippet starts do not increase")
    words = [word for snippet in sample.snippets for word in snippet.words]
    if any(w.end <= w.start for w in words) or any(b.start < a.end for a, b in pairwise(words)):
        raise SampleError(f"{sample.resource_id}: word timings overlap")
    if words[-1].end > sample.duration_ms:
        raise SampleError(f"{sample.resource_id}: speech runs past the end of the video")


def output_words(sample: Sample) -> int:
    if sample.format in AUTO_FORMATS:
        return sum(len(line.tokens) for line in auto_lines(sample))
    return sum(len(snippet.words) for snippet in sample.snippets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("resource_ids", nargs="*", help="only these resources (default: all)")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if an output is stale")
    args = parser.parse_args(argv)

    paths = sorted(PROSE_DIR.glob("*.yaml"))
    if args.resource_ids:
        wanted = set(args.resource_ids)
        missing = wanted - {path.stem for path in paths}
        if missing:
            print(f"no prose for: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
        paths = [path for path in paths if path.stem in wanted]
    if not paths:
        print(f"no prose files in {PROSE_DIR}", file=sys.stderr)
        return 2

    rows = []
    stale = []
    for path in paths:
        try:
            sample = load_sample(path)
            check_sample(sample)
            content = WRITERS[sample.format](sample)
        except SampleError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        target = sample.path
        current = target.read_bytes() if target.exists() else None
        if args.check:
            if current != content.encode("utf-8"):
                stale.append(target)
        else:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            if current != content.encode("utf-8"):
                target.write_bytes(content.encode("utf-8"))
            # a resource whose format changed leaves no stale file behind
            for ext in set(EXTENSIONS.values()) - {EXTENSIONS[sample.format]}:
                (OUT_DIR / f"{sample.resource_id}.{ext}").unlink(missing_ok=True)
        snippets = sample.snippets
        rows.append(
            (
                sample.resource_id,
                sample.format,
                output_words(sample),
                len(snippets),
                f"{snippets[0].start / 1000:.3f}",
                f"{snippets[-1].start / 1000:.3f}",
                f"{sample.duration_ms // 1000}",
            )
        )

    header = ("resource", "format", "words", "snippets", "first", "last", "duration")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if stale:
        for target in stale:
            print(f"stale: {target.relative_to(ROOT)}", file=sys.stderr)
        print("run: python scripts/build_samples.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
