"""Caption files: each format parsed faithfully, each bad file refused by name with the fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kz2h_assets.catalog import load_catalog
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.sources.captions import clock_seconds, parse_captions, read_caption_file
from kz2h_assets.sources.models import SourceError

AUTO_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.030 --> 00:00:02.470 align:start position:0%
 
so<00:00:00.359><c> today</c><00:00:00.630><c> we</c><00:00:01.100><c> build</c>

00:00:02.470 --> 00:00:02.480 align:start position:0%
so today we build
 

00:00:02.480 --> 00:00:05.150 align:start position:0%
so today we build
micrograd<00:00:02.960><c> it's</c><00:00:03.300><c> tiny</c>

00:00:05.150 --> 00:00:05.160 align:start position:0%
micrograd it's tiny
 

00:00:05.160 --> 00:00:07.000 align:start position:0%
micrograd it's tiny
okay

00:00:07.000 --> 00:00:07.010 align:start position:0%
okay
 

00:00:07.010 --> 00:00:09.000 align:start position:0%
okay
okay<00:00:07.500><c> so</c><00:00:08.000><c> x</c><00:00:08.200><c> &amp;</c><00:00:08.500><c> y</c>
"""


def _words(snippets) -> list[str]:
    return " ".join(s.text for s in snippets).split()


def test_yt_dlp_auto_vtt_keeps_every_word_once() -> None:
    snippets = parse_captions(AUTO_VTT, "vtt")
    assert _words(snippets) == "so today we build micrograd it's tiny okay okay so x & y".split()
    assert [round(s.start, 3) for s in snippets] == [0.03, 2.48, 5.16, 7.01]


def test_manual_vtt_strips_tags_and_joins_lines() -> None:
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.500\n<v Andrej>Hello <i>everyone</i>,\nwelcome.\n\n"
        "00:00:04.000 --> 00:00:05.000\nOkay.\n\n00:00:05.000 --> 00:00:06.000\nOkay.\n"
    )
    snippets = parse_captions(text, "vtt")
    assert [s.text for s in snippets] == ["Hello everyone, welcome.", "Okay.", "Okay."]
    assert snippets[0].start == 1.0 and snippets[0].duration == 2.5


def test_srt_and_txt_and_json() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,500\nHello there,\nfriends.\n\n2\n01:02:03,250 --> 01:02:04,000\nBye.\n"
    assert [(s.text, s.start) for s in parse_captions(srt, "srt")] == [
        ("Hello there, friends.", 1.0),
        ("Bye.", 3723.25),
    ]
    txt = "0:00\nintro words here\n0:25\nmore words\n1:02:03\nlast one\n"
    snippets = parse_captions(txt, "txt")
    assert [(s.text, s.start, s.duration) for s in snippets[:2]] == [
        ("intro words here", 0.0, 25.0),
        ("more words", 25.0, 3723.0 - 25.0),
    ]
    raw = json.dumps(
        [{"text": "it&#39;s  fine", "start": 0.5, "duration": 1.0}, {"text": " ", "start": 2, "duration": 1}]
    )
    assert [s.text for s in parse_captions(raw, "json")] == ["it's fine"]


def test_clock_seconds() -> None:
    assert clock_seconds("01:02:03.456") == pytest.approx(3723.456)
    assert clock_seconds("2:03") == 123
    with pytest.raises(ValueError):
        clock_seconds("nonsense")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", b"[{'text': 1}", r"x.json: not valid JSON \(line 1, column 3\).*Fix or replace the file"),
        ("x.json", b'[{"start": 1}]', r"snippet 0 is not \{text, start, duration\}"),
        ("x.vtt", b"00:00:01.000 --> 00:00:02.000\nhi\n", r"not a WebVTT file"),
        ("x.srt", b"1\n00:00:01 --> 00:00:02\nhi\n", r"line 2: bad cue time"),
        ("x.txt", b"just words without any timestamps\n", r"text before the first timestamp"),
        ("x.txt", b"", r"no timestamps found"),
        ("x.srt", b"\xff\xfe\x00b\x00a\x00d", r"is not UTF-8 text.*re-save it as UTF-8"),
        ("x.vtt", b"WEBVTT\n\n", r"holds no caption text"),
        ("x.docx", b"PK", r"unknown caption format; use .json, .vtt, .srt or .txt"),
        (
            "x.srt",
            b"1\n00:00:05,000 --> 00:00:06,000\nlater\n\n2\n00:00:01,000 --> 00:00:02,000\nearlier\n",
            r"captions go back in time at 1.00 s",
        ),
    ],
)
def test_bad_caption_files_name_the_file_and_the_fix(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        read_caption_file(path, "VMj-3S1tku0")
    assert str(path) in str(info.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"cannot read .*gone.vtt"):
        read_caption_file(tmp_path / "gone.vtt", "VMj-3S1tku0")


def test_every_video_sample_parses_and_reaches_its_last_chapter() -> None:
    catalog = load_catalog()
    generated = {}
    for resource in catalog.resources:
        if resource.kind != "video":
            continue
        (path,) = [p for p in SAMPLES_DIR.glob(f"{resource.id}.*")]
        transcript = read_caption_file(path, resource.source.youtube_id)  # type: ignore[union-attr]
        assert transcript.word_count > 2000, resource.id
        last_chapter = clock_seconds(resource.chapters[-1].at)
        assert transcript.snippets[-1].start >= last_chapter, resource.id
        assert transcript.snippets[-1].start < resource.duration_seconds  # type: ignore[operator]
        assert not any(re.search(r"<\d\d:\d\d", s.text) for s in transcript.snippets)
        generated[resource.id] = transcript.is_generated
    assert generated["kz2h-micrograd"] and generated["kz2h-makemore-backprop"]
    assert not generated["kz2h-building-gpt"] and not generated["kz2h-makemore-bigram"]
