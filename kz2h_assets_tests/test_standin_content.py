"""The stand-in's content answers pass the project's own validation for every bundled sample, unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from pydantic import BaseModel

from kz2h_assets.catalog import load_catalog
from kz2h_assets.catalog.models import Resource, YouTubeSource
from kz2h_assets.content import prompts
from kz2h_assets.content.models import ExercisesAnswer, QuestionsAnswer, SummaryAnswer
from kz2h_assets.content.rules import check_exercises, check_questions, check_summary, question_plan
from kz2h_assets.llm.asking import parse_json_answer
from kz2h_assets.segmenting import paper_units, segment_units, video_units
from kz2h_assets.sources import SAMPLES_DIR
from kz2h_assets.sources.captions import read_caption_file
from kz2h_assets.sources.models import Segment
from kz2h_assets.sources.papers import extract_paper
from kz2h_assets.standin.content import answer_content

CAPTION_SUFFIXES = (".json", ".vtt", ".srt", ".txt")


def _translator() -> Callable[[str], str]:
    try:
        from kz2h_assets.standin.spanish import to_spanish
    except ImportError as exc:  # pragma: no cover - the stand-in translator ships with the package
        pytest.skip(f"kz2h_assets.standin.spanish.to_spanish is not available ({exc}); no ES text to build requests")
    return to_spanish


def _sample_ids() -> list[str]:
    ids = []
    for resource in load_catalog().resources:
        suffixes = CAPTION_SUFFIXES if resource.kind == "video" else (".pdf",)
        if any((SAMPLES_DIR / f"{resource.id}{s}").is_file() for s in suffixes):
            ids.append(resource.id)
    return ids


SAMPLE_IDS = _sample_ids()


@dataclass(frozen=True)
class Sample:
    resource: Resource
    segments: list[Segment]
    spanish: dict[str, str]

    def section_segments(self, slug: str) -> list[Segment]:
        return [s for s in self.segments if s.section == slug]


@cache
def _sample(resource_id: str) -> Sample:
    to_spanish = _translator()
    resource = load_catalog().resource(resource_id)
    if isinstance(resource.source, YouTubeSource):
        path = next(
            SAMPLES_DIR / f"{resource.id}{s}" for s in CAPTION_SUFFIXES if (SAMPLES_DIR / f"{resource.id}{s}").is_file()
        )
        units = video_units(resource, read_caption_file(path, resource.source.youtube_id))
    else:
        path = SAMPLES_DIR / f"{resource.id}.pdf"
        paper = extract_paper(path.read_bytes(), [c.at for c in resource.chapters], origin=str(path))
        units = paper_units(resource, paper)
    segments = segment_units(resource.id, units)
    return Sample(resource, segments, {s.id: to_spanish(s.text) for s in segments})


def _messages(task: str, resource: Resource, user: str) -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": prompts.system_prompt(task, resource)},
        {"role": "user", "content": user},
    ]


def _ask(task: str, resource: Resource, user: str) -> str:
    reply = answer_content(_messages(task, resource, user))
    assert reply is not None, f"the stand-in did not answer TASK: {task}"
    return reply


def test_the_samples_are_found() -> None:
    assert len(SAMPLE_IDS) >= 10


@pytest.mark.parametrize("resource_id", SAMPLE_IDS)
def test_answers_pass_validation_for_every_section(resource_id: str) -> None:
    sample = _sample(resource_id)
    resource = sample.resource

    summaries: dict[str, str] = {}
    for section in resource.sections:
        segs = sample.section_segments(section.slug)
        assert segs, f"{resource_id}: section {section.slug} has no segment"
        user = prompts.summary_prompt(section.slug, section.title_en, segs, sample.spanish)
        summary, problems = parse_json_answer(_ask("summary", resource, user), SummaryAnswer)
        assert summary is not None, problems
        assert check_summary(summary) == [], (section.slug, summary.summary_es)
        assert "stand-in" in summary.summary_es
        summaries[section.slug] = summary.summary_es

    earlier: list[str] = []
    plan = question_plan(len(resource.sections))
    for section, (quizzes, reading) in zip(resource.sections, plan, strict=True):
        segs = sample.section_segments(section.slug)
        concepts = list(section.concepts)
        user = prompts.questions_prompt(
            section.slug, section.title_en, concepts, quizzes, reading, segs, sample.spanish
        )
        answer, problems = parse_json_answer(_ask("questions", resource, user), QuestionsAnswer)
        assert answer is not None, problems
        problems = check_questions(
            answer,
            quizzes=quizzes,
            reading=reading,
            concepts=concepts,
            segments={s.id: s.text for s in segs},
            earlier_prompts=list(earlier),
        )
        assert problems == [], (section.slug, problems, [q.prompt for q in answer.quizzes])
        # Not always the first option, and the correct option is the word the translation really has.
        for quiz in answer.quizzes:
            assert quiz.options[quiz.correct_index] in sample.spanish[quiz.citation.segment_id]
        earlier += [q.prompt for q in answer.quizzes] + [q.prompt for q in answer.reading_questions]

    excerpts = {
        s.slug: " ".join(" ".join(seg.text for seg in sample.section_segments(s.slug)).split()[:120])
        for s in resource.sections
    }
    user = prompts.exercises_prompt(resource, summaries, excerpts)
    exercises, problems = parse_json_answer(_ask("exercises", resource, user), ExercisesAnswer)
    assert exercises is not None, problems
    allowed = list(dict.fromkeys([*resource.teaches, *resource.requires]))
    slugs = [s.slug for s in resource.sections]
    assert check_exercises(exercises.exercises, concepts=allowed, sections=slugs) == []
    assert len({e.section for e in exercises.exercises}) == min(3, len(slugs))
    assert all(1 <= len(e.hints) <= 5 and "stand-in" in e.task for e in exercises.exercises)


def test_correct_answers_are_not_always_in_the_same_place() -> None:
    sample = _sample(SAMPLE_IDS[0])
    resource = sample.resource
    indices = []
    for section, (quizzes, reading) in zip(resource.sections, question_plan(len(resource.sections)), strict=True):
        segs = sample.section_segments(section.slug)
        user = prompts.questions_prompt(
            section.slug, section.title_en, list(section.concepts), quizzes, reading, segs, sample.spanish
        )
        answer, _ = parse_json_answer(_ask("questions", resource, user), QuestionsAnswer)
        assert answer is not None
        indices += [q.correct_index for q in answer.quizzes]
    assert len(set(indices)) >= 3


def test_answers_are_deterministic_and_re_asks_answer_the_original_task() -> None:
    sample = _sample(SAMPLE_IDS[0])
    resource = sample.resource
    section = resource.sections[0]
    segs = sample.section_segments(section.slug)
    users = {
        "summary": prompts.summary_prompt(section.slug, section.title_en, segs, sample.spanish),
        "questions": prompts.questions_prompt(
            section.slug, section.title_en, list(section.concepts), 3, 2, segs, sample.spanish
        ),
        "exercises": prompts.exercises_prompt(resource, {}, {}),
    }
    for task, user in users.items():
        first = answer_content(_messages(task, resource, user))
        assert first is not None
        assert answer_content(_messages(task, resource, user)) == first
        json.loads(first)
        re_ask = [
            *_messages(task, resource, user),
            {"role": "assistant", "content": first},
            {"role": "user", "content": prompts.retry_prompt(["something was wrong"])},
        ]
        again = answer_content(re_ask)
        assert again is not None and answer_content(re_ask) == again
        models: dict[str, type[BaseModel]] = {
            "summary": SummaryAnswer,
            "questions": QuestionsAnswer,
            "exercises": ExercisesAnswer,
        }
        assert parse_json_answer(again, models[task])[0] is not None


@pytest.mark.parametrize(
    "messages",
    [
        [],
        [{"role": "system", "content": "Translate into Spanish."}, {"role": "user", "content": "Hello there."}],
        [{"role": "user", "content": "Please write TASK: summary"}],
        [{"role": "user", "content": "TASK: poem\nSECTION: x — y"}],
        [{"role": "assistant", "content": "TASK: summary"}],
    ],
)
def test_other_requests_are_not_answered(messages: list[dict[str, Any]]) -> None:
    assert answer_content(messages) is None
