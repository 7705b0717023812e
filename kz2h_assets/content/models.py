"""What learners see: sections and the questions that check them.

The LLM answers with JSON that must fit ``SectionAnswer`` / ``ExercisesAnswer``; the same
models give the JSON Schema sent with the request and validate the reply.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Model):
    segment_id: Text = Field(description="id of the segment the quote comes from")
    quote_en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=12, max_length=300)] = Field(
        description="a short span copied verbatim from that segment's English text"
    )
    seconds: float | None = Field(default=None, description="filled in by the pipeline from the segment; omit")
    page: int | None = Field(default=None, description="filled in by the pipeline from the segment; omit")


class Quiz(_Model):
    prompt: Text = Field(description="the question, in Spanish")
    options: list[Text] = Field(min_length=4, max_length=4, description="four distinct options, in Spanish")
    correct_index: int = Field(ge=0, le=3, description="index of the single correct option")
    explanation: Text = Field(description="why the correct option is right, in Spanish")
    concept: Text = Field(description="the concept id it checks (one the section teaches)")
    citation: Citation


class ReadingQuestion(_Model):
    prompt: Text = Field(description="an open question to read or watch with, in Spanish")
    concept: Text = Field(description="the concept id it is about (one the section teaches)")


class SummaryAnswer(_Model):
    """The LLM's answer for a section's summary."""

    summary_es: Annotated[str, StringConstraints(strip_whitespace=True, min_length=40, max_length=1200)] = Field(
        description="a short Spanish summary of the section: 2 to 4 sentences"
    )


class QuestionsAnswer(_Model):
    """The LLM's answer for one section's questions."""

    quizzes: list[Quiz]
    reading_questions: list[ReadingQuestion]


class Exercise(_Model):
    title: Text = Field(description="a short Spanish title")
    task: Text = Field(description="the practical task, in Spanish (a coding task when the resource is about code)")
    hints: list[Text] = Field(min_length=1, max_length=5, description="hints, in Spanish")
    solution_outline: Text = Field(description="the steps of a solution, in Spanish")
    concepts: list[Text] = Field(min_length=1, description="concept ids the exercise practises")
    section: Text = Field(description="slug of the section it mostly draws on")


class ExercisesAnswer(_Model):
    """The LLM's answer for a resource's exercises."""

    exercises: list[Exercise]


class ContentSection(_Model):
    """A concept-mapped section as stored and loaded."""

    slug: str
    position: int
    title_en: str
    title_es: str
    text_es: str
    text_en: str
    summary_es: str
    concepts: list[str]
    segment_ids: list[str]
    start_seconds: float | None = None
    end_seconds: float | None = None
    page_start: int | None = None
    page_end: int | None = None


class ResourceSections(_Model):
    resource_id: str
    sections: list[ContentSection]
    is_standin: bool


class SectionQuestions(_Model):
    section: str
    quizzes: list[Quiz]
    reading_questions: list[ReadingQuestion]


class ResourceQuestions(_Model):
    resource_id: str
    sections: list[SectionQuestions]
    exercises: list[Exercise]
    is_standin: bool
