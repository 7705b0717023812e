"""Segmenting a full-length generated caption file.

Builds a 24,000-word yt-dlp style auto-caption VTT (no punctuation, rolling lines)
laid out over micrograd's real chapters, then times parsing and segmentation.
Target: 35–45 segments, well under a second.

    .venv/bin/python bench/bench_segmenting.py
"""

from __future__ import annotations

import random
import time

from kz2h_assets.catalog import load_catalog, timestamp_seconds
from kz2h_assets.segmenting import segment_units, video_units
from kz2h_assets.sources.captions import parse_captions
from kz2h_assets.sources.models import Transcript

WORDS = 24_000
VOCAB = (
    "so the gradient of the loss with respect to this weight is what we want and we call backward on it "
    "then we nudge the data in the direction of the gradient by a small step size and the loss goes down "
    "here the value object keeps track of its children and the operation that produced it"
).split()


def _clock(t: float) -> str:
    return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"


def auto_vtt(duration: float, chapter_starts: list[float], words: int, seed: int = 0) -> str:
    """A yt-dlp auto-caption file: each cue repeats the previous line, new words carry <c> tags."""
    rng = random.Random(seed)
    bounds = [*chapter_starts[1:], duration]
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    previous = " "
    for start, end in zip(chapter_starts, bounds, strict=True):
        t = start + 0.1
        per_chapter = round(words * (end - start) / duration)  # speech spread evenly over the video
        rate = 0.75 * (end - start) / max(per_chapter, 1)  # seconds per word, leaving room for pauses
        left = per_chapter
        while left > 0:
            n = min(left, rng.randint(6, 11))
            words_here = [rng.choice(VOCAB) for _ in range(n)]
            line_start = t
            tagged = words_here[0]
            for w in words_here[1:]:
                t += rate
                tagged += f"<{_clock(t)}><c> {w}</c>"
            t += rate + (rng.uniform(0.8, 2.0) if rng.random() < 0.2 else 0.0)
            out += [f"{_clock(line_start)} --> {_clock(t)} align:start position:0%", previous, tagged, ""]
            plain = " ".join(words_here)
            out += [f"{_clock(t)} --> {_clock(t + 0.01)} align:start position:0%", plain, " ", ""]
            t += 0.01
            previous = plain
            left -= n
    return "\n".join(out)


def main() -> None:
    resource = load_catalog().resource("kz2h-micrograd")
    assert resource.duration_seconds is not None
    starts = [float(timestamp_seconds(c.at)) for c in resource.chapters]
    text = auto_vtt(float(resource.duration_seconds), starts, WORDS)
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        snippets = parse_captions(text, "vtt")
        transcript = Transcript(
            video_id="VMj-3S1tku0", is_generated=True, origin="bench", format="vtt", snippets=snippets
        )
        segments = segment_units(resource.id, video_units(resource, transcript))
        runs.append(time.perf_counter() - began)
    words = sum(s.words for s in segments)
    sizes = sorted(s.words for s in segments)
    print(f"words: {words}, snippets: {len(snippets)}, segments: {len(segments)} (target 35-45)")
    print(f"segment words min/median/max: {sizes[0]}/{sizes[len(sizes) // 2]}/{sizes[-1]}")
    print(f"parse + segment: best {min(runs):.3f} s, median {sorted(runs)[2]:.3f} s over 5 runs (target < 1 s)")
    assert 35 <= len(segments) <= 45, len(segments)
    assert min(runs) < 1.0


if __name__ == "__main__":
    main()
