"""Segmentation: lossless, bounded, section-respecting, stable ids."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kz2h_assets.catalog import load_catalog
from kz2h_assets.segmenting import SegmentingConfig, Unit, normalised_source, segment_units, video_units
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.sources.captions import read_caption_file

VOCAB = ["the", "grad", "x.data", "0.01", "loss", "it's", "tanh", "w1", "e.g.", "backprop", "a"]
ENDING = ["", "", "", ".", ",", "?", "!"]
WORD = st.sampled_from([w + e for w in VOCAB for e in ENDING])


@st.composite
def units(draw: st.DrawFn) -> list[Unit]:
    n_sections = draw(st.integers(1, 4))
    result: list[Unit] = []
    t = 0.0
    for s in range(n_sections):
        for _ in range(draw(st.integers(1, 25))):
            words = draw(st.lists(WORD, min_size=1, max_size=14))
            spacing = draw(st.sampled_from([" ", "  ", "\n"]))
            t += draw(st.floats(0.1, 4.0))
            result.append(Unit(spacing.join(words), f"section-{s}", start=t, end=t + 2.0))
    return result


CFG = SegmentingConfig(target_words=40, max_words=60)


@settings(max_examples=100, deadline=None)
@given(units())
def test_segments_concatenate_to_the_normalised_source(source: list[Unit]) -> None:
    segments = segment_units("res", source, CFG)
    assert " ".join(s.text for s in segments) == normalised_source(source)
    assert [s.position for s in segments] == list(range(len(segments)))


@settings(max_examples=100, deadline=None)
@given(units())
def test_no_segment_exceeds_the_maximum_nor_crosses_a_section(source: list[Unit]) -> None:
    segments = segment_units("res", source, CFG)
    assert all(1 <= s.words <= CFG.max_words for s in segments)
    for section in {u.section for u in source}:
        text = " ".join(s.text for s in segments if s.section == section)
        assert text == normalised_source([u for u in source if u.section == section])


@settings(max_examples=60, deadline=None)
@given(units(), st.data())
def test_ids_are_stable_and_change_only_with_text(source: list[Unit], data: st.DataObject) -> None:
    first = segment_units("res", source, CFG)
    assert [s.id for s in segment_units("res", source, CFG)] == [s.id for s in first]
    assert len({s.id for s in first}) == len(first)
    # Change one unit's text: segments of other sections keep their ids.
    i = data.draw(st.integers(0, len(source) - 1))
    changed = list(source)
    changed[i] = Unit(source[i].text + " zzzextra", source[i].section, source[i].start, source[i].end)
    second = segment_units("res", changed, CFG)
    other = [s.id for s in first if s.section != source[i].section]
    assert other == [s.id for s in second if s.section != source[i].section]
    assert {s.id for s in first} != {s.id for s in second}


def test_punctuated_text_is_cut_at_sentence_ends() -> None:
    sentence = "this is a sentence of exactly ten words for testing."
    source = [Unit(" ".join([sentence] * 10), "only", start=0.0, end=60.0)]
    segments = segment_units("res", source, SegmentingConfig(target_words=30, max_words=45))
    assert len(segments) == 3
    assert all(s.text.endswith("testing.") for s in segments)


def test_generated_captions_are_cut_at_the_longest_pause() -> None:
    # 60 unpunctuated snippets of 5 words at 2 s each; one long silence after snippet 29.
    source = []
    t = 0.0
    for i in range(60):
        source.append(Unit(f"word{i} alpha beta gamma delta", "only", start=t, end=t + 2.0))
        t += 2.0 + (6.0 if i == 29 else 0.0) + (0.5 if i == 20 else 0.0)
    segments = segment_units("res", source, SegmentingConfig(target_words=150, max_words=220))
    assert [s.words for s in segments] == [150, 150]
    assert segments[1].text.startswith("word30 ")
    assert segments[1].start_seconds == source[30].start


def test_a_long_unpunctuated_snippet_is_cut_between_words() -> None:
    source = [Unit(" ".join(f"w{i}" for i in range(500)), "only", start=0.0, end=100.0)]
    segments = segment_units("res", source, SegmentingConfig(target_words=100, max_words=150))
    assert len(segments) == 5 and all(s.words == 100 for s in segments)


def test_every_video_sample_segments_cleanly() -> None:
    catalog = load_catalog()
    for resource in catalog.resources:
        if resource.kind != "video":
            continue
        (path,) = SAMPLES_DIR.glob(f"{resource.id}.*")
        transcript = read_caption_file(path, "x")
        source = video_units(resource, transcript)
        segments = segment_units(resource.id, source)
        assert " ".join(s.text for s in segments) == normalised_source(source)
        assert [s.section for s in segments if s.section] and {s.section for s in segments} == {
            s.slug for s in resource.sections
        }, resource.id
        for segment in segments:
            assert segment.start_seconds is not None and segment.end_seconds is not None
            assert 0 <= segment.start_seconds <= segment.end_seconds <= resource.duration_seconds  # type: ignore[operator]
