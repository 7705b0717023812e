"""Validation of the LLM's content answers. Pure: an answer in, a list of problems out.

Each problem is phrased so it can be sent back to the LLM as the reason to answer again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..translation import spanish_confidence
from .models import Exercise, QuestionsAnswer, Quiz, ReadingQuestion, SummaryAnswer

QUIZZES_PER_RESOURCE = (12, 20)
READING_PER_RESOURCE = 7
EXERCISES_PER_RESOURCE = 3
NEAR_DUPLICATE = 0.85  # SequenceMatcher ratio of normalised prompts/options
_FLAWED_OPTIONS = re.compile(
    r"\b(todas las anteriores|ninguna de las anteriores|all of the above|none of the above)\b", re.I
)
_NEGATIVE_STEM = re.compile(r"\b(NO|NUNCA|EXCEPTO)\b")


def question_plan(n_sections: int) -> list[tuple[int, int]]:
    """(quizzes, reading questions) per section: 12–20 quizzes, at least two per section; ~7 reading, ≥1 each."""
    low, high = QUIZZES_PER_RESOURCE
    per_section = max(2, -(-low // n_sections))
    if per_section * n_sections > high:
        per_section = high // n_sections
    reading = [READING_PER_RESOURCE // n_sections + (1 if i < READING_PER_RESOURCE % n_sections else 0)
               for i in range(n_sections)]  # fmt: skip
    return [(per_section, max(1, r)) for r in reading]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def near_duplicate(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    return na == nb or SequenceMatcher(None, na, nb).ratio() >= NEAR_DUPLICATE


def quote_found(quote: str, source: str) -> bool:
    """The quote appears in the source, ignoring case, whitespace and punctuation differences."""
    return normalise(quote) in normalise(source)


def _quiz_problems(i: int, quiz: Quiz, concepts: Sequence[str], segments: dict[str, str]) -> list[str]:
    where = f"quizzes[{i}]"
    problems = []
    for a in range(4):
        for b in range(a + 1, 4):
            if near_duplicate(quiz.options[a], quiz.options[b]):
                problems.append(f"{where}: options {a} and {b} are the same or nearly; make four distinct options")
    if any(_FLAWED_OPTIONS.search(o) for o in quiz.options):
        problems.append(f"{where}: do not use 'todas/ninguna de las anteriores' options")
    if _NEGATIVE_STEM.search(quiz.prompt):
        problems.append(f"{where}: avoid negative stems (NO, NUNCA, EXCEPTO); ask positively")
    correct = len(quiz.options[quiz.correct_index])
    longest_other = max(len(o) for j, o in enumerate(quiz.options) if j != quiz.correct_index)
    if correct > 2 * longest_other and correct - longest_other > 30:
        problems.append(f"{where}: the correct option is much longer than the others, which gives it away")
    if quiz.concept not in concepts:
        problems.append(f"{where}: concept {quiz.concept!r} is not one this section teaches ({', '.join(concepts)})")
    source = segments.get(quiz.citation.segment_id)
    if source is None:
        problems.append(f"{where}: citation.segment_id {quiz.citation.segment_id!r} is not a segment of this section")
    elif not quote_found(quiz.citation.quote_en, source):
        problems.append(
            f"{where}: citation.quote_en is not found in segment {quiz.citation.segment_id}; copy a span verbatim"
        )
    return problems


def _reading_problems(i: int, question: ReadingQuestion, concepts: Sequence[str]) -> list[str]:
    if question.concept not in concepts:
        return [f"reading_questions[{i}]: concept {question.concept!r} is not one this section teaches"]
    return []


def _duplicates(prompts: list[tuple[str, str]], earlier: Sequence[str]) -> list[str]:
    problems = []
    for i, (where, prompt) in enumerate(prompts):
        for other_where, other in prompts[:i]:
            if near_duplicate(prompt, other):
                problems.append(f"{where}: nearly the same question as {other_where}; ask something else")
        if any(near_duplicate(prompt, e) for e in earlier):
            problems.append(f"{where}: nearly the same as a question of an earlier section; ask something else")
    return problems


def repeats_earlier(answer: QuestionsAnswer, earlier: Sequence[str]) -> bool:
    prompts = [q.prompt for q in answer.quizzes] + [q.prompt for q in answer.reading_questions]
    return any(near_duplicate(p, e) for p in prompts for e in earlier)


def _spanish(texts: list[str], what: str) -> list[str]:
    joined = " ".join(texts)
    if joined and spanish_confidence(joined) < 0.5:
        return [f"{what} must be written in Spanish"]
    return []


def check_questions(
    answer: QuestionsAnswer,
    *,
    quizzes: int,
    reading: int,
    concepts: Sequence[str],
    segments: dict[str, str],
    earlier_prompts: Sequence[str] = (),
) -> list[str]:
    """Problems with one section's questions (empty when valid)."""
    problems = []
    if len(answer.quizzes) != quizzes:
        problems.append(f"give exactly {quizzes} quizzes (got {len(answer.quizzes)})")
    if len(answer.reading_questions) != reading:
        problems.append(f"give exactly {reading} reading_questions (got {len(answer.reading_questions)})")
    for i, quiz in enumerate(answer.quizzes):
        problems += _quiz_problems(i, quiz, concepts, segments)
    for i, question in enumerate(answer.reading_questions):
        problems += _reading_problems(i, question, concepts)
    prompts = [(f"quizzes[{i}]", q.prompt) for i, q in enumerate(answer.quizzes)]
    prompts += [(f"reading_questions[{i}]", q.prompt) for i, q in enumerate(answer.reading_questions)]
    problems += _duplicates(prompts, earlier_prompts)
    texts = [q.prompt for q in answer.quizzes] + [o for q in answer.quizzes for o in q.options]
    problems += _spanish(texts + [q.prompt for q in answer.reading_questions], "prompts and options")
    return problems


def check_summary(answer: SummaryAnswer) -> list[str]:
    return _spanish([answer.summary_es], "summary_es")


def check_exercises(exercises: Sequence[Exercise], *, concepts: Sequence[str], sections: Sequence[str]) -> list[str]:
    problems = []
    if len(exercises) != EXERCISES_PER_RESOURCE:
        problems.append(f"give exactly {EXERCISES_PER_RESOURCE} exercises (got {len(exercises)})")
    for i, exercise in enumerate(exercises):
        unknown = [c for c in exercise.concepts if c not in concepts]
        if unknown:
            problems.append(f"exercises[{i}]: unknown concepts {', '.join(unknown)}; use {', '.join(concepts)}")
        if exercise.section not in sections:
            problems.append(f"exercises[{i}]: section {exercise.section!r} is not one of {', '.join(sections)}")
    titles = [(f"exercises[{i}]", e.title + " " + e.task) for i, e in enumerate(exercises)]
    problems += _duplicates(titles, ())
    problems += _spanish([e.task for e in exercises], "exercise tasks")
    return problems
