"""Build a resource's sections and questions with the LLM. No I/O of its own: the chat is injected."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from ..catalog.models import Resource
from ..llm.asking import Asked, Chat, ask_until_valid, parse_json_answer
from ..llm.calls import CallOutcome
from ..llm.models import ChatMessage, ChatRequest
from ..sources.models import Segment
from . import prompts
from .models import (
    ContentSection,
    ExercisesAnswer,
    QuestionsAnswer,
    Quiz,
    ResourceQuestions,
    ResourceSections,
    SectionQuestions,
    SummaryAnswer,
)
from .rules import check_exercises, check_questions, check_summary, question_plan, repeats_earlier

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class ContentRejected(Exception):
    """The LLM's answers kept failing validation; names what was wrong."""

    def __init__(self, message: str, calls: list[CallOutcome]) -> None:
        super().__init__(message)
        self.calls = calls


@dataclass(frozen=True)
class Settings:
    model: str
    json_mode: str = "json_object"
    max_asks: int = 3
    max_tokens: int = 6000


@dataclass
class Report:
    calls: list[CallOutcome] = field(default_factory=list)
    re_asks: int = 0

    def add(self, asked: Asked[Any]) -> None:
        self.calls += asked.calls
        self.re_asks += max(asked.asks - 1, 0)


def _request(settings: Settings, task: str, resource: Resource, user: str) -> ChatRequest:
    return ChatRequest(
        model=settings.model,
        messages=[
            ChatMessage(role="system", content=prompts.system_prompt(task, resource)),
            ChatMessage(role="user", content=user),
        ],
        max_tokens=settings.max_tokens,
        temperature=0.3,
        response_format=prompts.response_format(task, settings.json_mode),
    )


async def _ask(
    llm: Chat,
    settings: Settings,
    resource: Resource,
    request: ChatRequest,
    model: type[M],
    check: Callable[[M], list[str]],
    what: str,
    report: Report,
) -> M:
    def accept(outcome: CallOutcome) -> tuple[M | None, list[str]]:
        value, problems = parse_json_answer(outcome.content, model)
        return (None, problems) if value is None else (value, check(value))

    asked = await ask_until_valid(
        llm, request, accept, prompts.retry_prompt, resource_id=resource.id, purpose="content",
        max_asks=settings.max_asks,
    )  # fmt: skip
    report.add(asked)
    if asked.value is None:
        listed = "\n".join(f"  - {p}" for p in asked.problems[:12])
        raise ContentRejected(
            f"{resource.id}: the LLM's {what} failed validation {asked.asks} times; last problems:\n{listed}",
            report.calls,
        )
    return asked.value


async def _gather(*coros: Coroutine[Any, Any, T]) -> list[T]:
    """Run concurrently; on failure cancel the rest and raise the first error itself (not a group)."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(c) for c in coros]
    except BaseExceptionGroup as errors:
        first: BaseException = errors
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    return [t.result() for t in tasks]


def _located(quiz: Quiz, segments: list[Segment]) -> Quiz:
    """The citation's timestamp (videos) or page (papers), from the cited segment: never from the LLM."""
    segment = next(s for s in segments if s.id == quiz.citation.segment_id)
    citation = quiz.citation.model_copy(
        update={
            "seconds": segment.start_seconds,
            "page": segment.page_start,
        }
    )
    return quiz.model_copy(update={"citation": citation})


def _by_section(resource: Resource, segments: list[Segment]) -> dict[str, list[Segment]]:
    grouped: dict[str, list[Segment]] = {s.slug: [] for s in resource.sections}
    for segment in segments:
        grouped[segment.section].append(segment)
    missing = [slug for slug, segs in grouped.items() if not segs]
    if missing:
        raise ContentRejected(f"{resource.id}: sections without any segment: {', '.join(missing)}", [])
    return grouped


async def build_sections(
    llm: Chat,
    settings: Settings,
    resource: Resource,
    segments: list[Segment],
    spanish: dict[str, str],
    is_standin: bool,
) -> tuple[ResourceSections, Report]:
    """One section per catalog section: its text, position, concepts and an LLM summary."""
    report = Report()
    grouped = _by_section(resource, segments)

    async def one(position: int) -> ContentSection:
        section = resource.sections[position]
        segs = grouped[section.slug]
        user = prompts.summary_prompt(section.slug, section.title_en, segs, spanish)
        answer = await _ask(
            llm, settings, resource, _request(settings, "summary", resource, user), SummaryAnswer, check_summary,
            f"summary of section {section.slug}", report,
        )  # fmt: skip
        return ContentSection(
            slug=section.slug,
            position=position,
            title_en=section.title_en,
            title_es=section.title_es,
            text_es="\n\n".join(spanish[s.id] for s in segs),
            text_en="\n\n".join(s.text for s in segs),
            summary_es=answer.summary_es,
            concepts=list(section.concepts),
            segment_ids=[s.id for s in segs],
            start_seconds=segs[0].start_seconds,
            end_seconds=segs[-1].end_seconds,
            page_start=segs[0].page_start,
            page_end=segs[-1].page_end,
        )

    sections = await _gather(*(one(i) for i in range(len(resource.sections))))
    return ResourceSections(resource_id=resource.id, sections=sections, is_standin=is_standin), report


async def build_questions(
    llm: Chat,
    settings: Settings,
    resource: Resource,
    sections: ResourceSections,
    segments: list[Segment],
    spanish: dict[str, str],
    is_standin: bool,
) -> tuple[ResourceQuestions, Report]:
    """Quizzes and reading questions for every section, and the resource's exercises, concurrently.

    Sections are asked at the same time; then, in order, a section whose questions repeat an earlier
    section's is asked again with that reason (its first request is reused from the call log).
    """
    report = Report()
    grouped = _by_section(resource, segments)
    plan = question_plan(len(resource.sections))

    async def ask_section(position: int, earlier: list[str]) -> QuestionsAnswer:
        section = resource.sections[position]
        quizzes, reading = plan[position]
        segs = grouped[section.slug]
        user = prompts.questions_prompt(
            section.slug, section.title_en, list(section.concepts), quizzes, reading, segs, spanish
        )
        check = partial(
            check_questions, quizzes=quizzes, reading=reading, concepts=list(section.concepts),
            segments={s.id: s.text for s in segs}, earlier_prompts=earlier,
        )  # fmt: skip
        return await _ask(
            llm, settings, resource, _request(settings, "questions", resource, user), QuestionsAnswer, check,
            f"questions for section {section.slug}", report,
        )  # fmt: skip

    summaries = {s.slug: s.summary_es for s in sections.sections}
    excerpts = {slug: " ".join(" ".join(s.text for s in segs).split()[:120]) for slug, segs in grouped.items()}
    allowed = list(dict.fromkeys([*resource.teaches, *resource.requires]))
    slugs = [s.slug for s in resource.sections]
    exercises = _ask(
        llm, settings, resource,
        _request(settings, "exercises", resource, prompts.exercises_prompt(resource, summaries, excerpts)),
        ExercisesAnswer, lambda a: check_exercises(a.exercises, concepts=allowed, sections=slugs),
        "exercises", report,
    )  # fmt: skip
    sections_asked = [ask_section(i, []) for i in range(len(resource.sections))]
    everything: list[Any] = await _gather(*sections_asked, exercises)
    answers: list[QuestionsAnswer] = everything[:-1]
    exercises_answer: ExercisesAnswer = everything[-1]
    earlier: list[str] = []
    results: list[SectionQuestions] = []
    for position, section in enumerate(resource.sections):
        answer = answers[position]
        if repeats_earlier(answer, earlier):
            answer = await ask_section(position, list(earlier))
        earlier += [q.prompt for q in answer.quizzes] + [q.prompt for q in answer.reading_questions]
        results.append(
            SectionQuestions(
                section=section.slug,
                quizzes=[_located(q, grouped[section.slug]) for q in answer.quizzes],
                reading_questions=answer.reading_questions,
            )
        )
    questions = ResourceQuestions(
        resource_id=resource.id, sections=results, exercises=exercises_answer.exercises, is_standin=is_standin
    )
    return questions, report
