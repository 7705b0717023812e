"""Prompts for summaries, questions and exercises. Each carries the JSON Schema of its answer.

The user message is line-structured (``TASK:``, ``SECTION:``, ``CONCEPTS:``, ``[segment ID]``
blocks) so any model, and the local stand-in, can find each part.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..catalog.models import Resource
from ..markdown import clock
from ..sources.models import Segment
from .models import ExercisesAnswer, QuestionsAnswer, SummaryAnswer

PROMPT_VERSION = "content-v1"

_COMMON = (
    "You write learning material in Spanish for a Spanish-language machine-learning course, grounded only in "
    "the source text you are given (an English lecture transcript or paper, with its Spanish translation). "
    "Answer with one JSON object and nothing else: no markdown fences, no comments. The JSON must validate "
    "against this JSON Schema:\n{schema}\n"
)

_RULES = {
    "summary": "Write summary_es: 2 to 4 Spanish sentences that say what the section teaches.",
    "questions": (
        "Write exactly the requested number of quizzes and reading_questions for the section.\n"
        "Quizzes: multiple choice with four distinct, plausible options and exactly one correct answer "
        "(correct_index). Distractors come from real misconceptions (forgetting to zero gradients, = instead of "
        "+= when accumulating gradients, a missing keepdim, BatchNorm statistics at inference). No 'todas/"
        "ninguna de las anteriores', no negative stems, no longest-option giveaway. Each quiz checks one concept "
        "id from CONCEPTS and cites the segment it is grounded in: citation.segment_id is the id in [segment ID], "
        "citation.quote_en is a short span (a clause or sentence) copied verbatim from that segment's English "
        "text. No two questions alike.\n"
        "Reading questions: open questions a learner keeps in mind while reading or watching the section, each "
        "about one concept id from CONCEPTS."
    ),
    "exercises": (
        "Write exactly 3 practical exercises for the whole resource: a coding task when the resource is about "
        "code (use the resource's own material: its code, data and experiments), with hints, a solution outline "
        "and the concept ids involved (from CONCEPTS), and the slug of the section it draws on (from SECTIONS)."
    ),
}

_ANSWERS: dict[str, type[BaseModel]] = {
    "summary": SummaryAnswer,
    "questions": QuestionsAnswer,
    "exercises": ExercisesAnswer,
}


def answer_schema(task: str) -> dict[str, Any]:
    return _ANSWERS[task].model_json_schema()


def system_prompt(task: str, resource: Resource) -> str:
    """Byte-identical for every section of a resource (the context cache hits)."""
    schema = json.dumps(answer_schema(task), ensure_ascii=False, separators=(",", ":"))
    return (
        _COMMON.format(schema=schema)
        + "\n"
        + _RULES[task]
        + f"\n\nResource: {resource.id}, {resource.kind} «{resource.title_en}» (Spanish title «{resource.title_es}»)."
    )


def response_format(task: str, mode: str) -> dict[str, Any]:
    """``json_object`` (DeepSeek) or ``json_schema`` (servers that enforce a schema)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": f"{task}_answer", "schema": answer_schema(task)}}
    return {"type": "json_object"}


def _position(segment: Segment) -> str:
    if segment.start_seconds is not None:
        return clock(segment.start_seconds)
    return f"p. {segment.page_start}"


def segment_blocks(segments: list[Segment], spanish: dict[str, str]) -> str:
    blocks = []
    for s in segments:
        blocks.append(f"[segment {s.id}] ({_position(s)})\nEN: {s.text}\nES: {spanish.get(s.id, '')}")
    return "\n\n".join(blocks)


def summary_prompt(section_slug: str, title: str, segments: list[Segment], spanish: dict[str, str]) -> str:
    return (
        f"TASK: summary\nSECTION: {section_slug} — {title}\n\nSEGMENTS:\n{segment_blocks(segments, spanish)}\n\n"
        "Reply with the JSON object."
    )


def questions_prompt(
    section_slug: str,
    title: str,
    concepts: list[str],
    quizzes: int,
    reading: int,
    segments: list[Segment],
    spanish: dict[str, str],
) -> str:
    return (
        f"TASK: questions\nSECTION: {section_slug} — {title}\nCONCEPTS: {', '.join(concepts)}\n"
        f"QUIZZES: {quizzes}\nREADING_QUESTIONS: {reading}\n\nSEGMENTS:\n{segment_blocks(segments, spanish)}\n\n"
        "Reply with the JSON object."
    )


def exercises_prompt(resource: Resource, summaries: dict[str, str], excerpts: dict[str, str]) -> str:
    lines = [f"TASK: exercises\nCONCEPTS: {', '.join(resource.teaches)}\nSECTIONS:"]
    for section in resource.sections:
        lines.append(
            f"- {section.slug} — {section.title_en} (concepts: {', '.join(section.concepts)})\n"
            f"  summary: {summaries.get(section.slug, '')}\n  excerpt: {excerpts.get(section.slug, '')}"
        )
    lines.append("\nReply with the JSON object.")
    return "\n".join(lines)


def retry_prompt(problems: list[str]) -> str:
    listed = "\n".join(f"- {p}" for p in problems[:20])
    return f"Your JSON was rejected:\n{listed}\nAnswer again with one corrected JSON object only."
