"""Each content validation rule, broken by a reply; the re-ask that carries the errors; the final error."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

import pytest

from kz2h_assets.catalog import load_catalog
from kz2h_assets.content.generate import ContentRejected, Settings, build_questions
from kz2h_assets.content.models import ContentSection, QuestionsAnswer, ResourceSections, SummaryAnswer
from kz2h_assets.content.rules import check_exercises, check_questions, check_summary, question_plan
from kz2h_assets.llm.asking import parse_json_answer
from kz2h_assets.llm.calls import CallOutcome
from kz2h_assets.llm.models import ChatRequest, Usage
from kz2h_assets.sources.models import Segment

SEGMENT_EN = (
    "To accumulate the gradient we write self.grad += out.grad, because a node can be used more than once "
    "and each use adds its own contribution."
)
SEGMENTS = {"seg-a": SEGMENT_EN}
CONCEPTS = ["backpropagation", "computational-graph"]


def _quiz(n: int, **changes: Any) -> dict[str, Any]:
    quiz = {
        "prompt": f"¿Por qué se acumula el gradiente con += en el nodo número {n} del grafo?",
        "options": [
            "Porque un nodo puede usarse varias veces",
            "Porque la pérdida siempre es positiva",
            "Porque la tasa de aprendizaje es pequeña",
            "Porque tanh satura con valores grandes",
        ],
        "correct_index": 0,
        "explanation": "Cada uso del nodo aporta su propia contribución al gradiente.",
        "concept": "backpropagation",
        "citation": {"segment_id": "seg-a", "quote_en": "a node can be used more than once"},
    }
    quiz.update(changes)
    return quiz


def _reading(n: int, **changes: Any) -> dict[str, Any]:
    topics = ["la regla de la cadena en un grafo", "el orden topológico de los nodos", "los nodos reutilizados"]
    question = {"prompt": f"Mientras ves la sección, piensa en {topics[n]}: ¿qué cambia?", "concept": "backpropagation"}
    question.update(changes)
    return question


def _answer(quizzes: list[dict[str, Any]], reading: list[dict[str, Any]]) -> QuestionsAnswer:
    return QuestionsAnswer.model_validate({"quizzes": quizzes, "reading_questions": reading})


def _problems(answer: QuestionsAnswer, earlier: tuple[str, ...] = ()) -> list[str]:
    return check_questions(answer, quizzes=2, reading=1, concepts=CONCEPTS, segments=SEGMENTS, earlier_prompts=earlier)


GOOD = [_quiz(1), _quiz(2, prompt="¿Qué ocurre si se usa = en lugar de += al acumular el gradiente de un nodo?")]


def test_a_good_answer_has_no_problems() -> None:
    assert _problems(_answer(GOOD, [_reading(0)])) == []


@pytest.mark.parametrize(
    ("quizzes", "reading", "expected"),
    [
        (GOOD[:1], [_reading(0)], "give exactly 2 quizzes (got 1)"),
        (GOOD, [_reading(0), _reading(1)], "give exactly 1 reading_questions (got 2)"),
        (
            [_quiz(1, options=["Porque sí", "porque sí", "Porque no", "Quizás"]), GOOD[1]],
            [_reading(0)],
            "options 0 and 1 are the same or nearly",
        ),
        (
            [_quiz(1, options=["Uno", "Dos", "Tres", "Todas las anteriores"]), GOOD[1]],
            [_reading(0)],
            "do not use 'todas/ninguna de las anteriores'",
        ),
        ([_quiz(1, prompt="¿Cuál NO es una razón para usar += aquí?"), GOOD[1]], [_reading(0)], "negative stems"),
        (
            [
                _quiz(
                    1,
                    options=[
                        "Porque un nodo puede usarse varias veces en el grafo, y cada uso aporta su "
                        "contribución al gradiente total",
                        "Sí",
                        "No",
                        "Tal vez",
                    ],
                ),
                GOOD[1],
            ],  # fmt: skip
            [_reading(0)],
            "much longer than the others",
        ),
        ([_quiz(1, concept="tokenization-bpe"), GOOD[1]], [_reading(0)], "concept 'tokenization-bpe' is not one"),
        (
            [_quiz(1, citation={"segment_id": "seg-zzz", "quote_en": "a node can be used more than once"}), GOOD[1]],
            [_reading(0)],
            "citation.segment_id 'seg-zzz' is not a segment of this section",
        ),
        (
            [_quiz(1, citation={"segment_id": "seg-a", "quote_en": "gradients vanish in deep networks"}), GOOD[1]],
            [_reading(0)],
            "citation.quote_en is not found in segment seg-a",
        ),
        ([GOOD[0], _quiz(1)], [_reading(0)], "quizzes[1]: nearly the same question as quizzes[0]"),
        (GOOD, [_reading(0, concept="softmax")], "reading_questions[0]: concept 'softmax' is not one"),
        (
            [
                _quiz(
                    1,
                    prompt="Why do we accumulate the gradient with += in node one of the graph?",
                    options=[
                        "Because a node is reused",
                        "Because loss is positive",
                        "Because the rate is small",
                        "Because tanh saturates",
                    ],
                ),
                _quiz(
                    2,
                    prompt="What happens if we use = instead of += when accumulating a node's gradient?",
                    options=[
                        "It overwrites earlier contributions",
                        "Nothing changes at all",
                        "The loss doubles",
                        "Training gets faster",
                    ],
                ),
            ],  # fmt: skip
            [_reading(0, prompt="While watching, think about how reused nodes change the backward pass.")],
            "prompts and options must be written in Spanish",
        ),
    ],
)
def test_each_question_rule_rejects_a_reply_that_breaks_it(quizzes, reading, expected) -> None:  # type: ignore[no-untyped-def]
    problems = _problems(_answer(quizzes, reading))
    assert any(expected in p for p in problems), problems


def test_a_question_repeating_an_earlier_section_is_rejected() -> None:
    problems = _problems(_answer(GOOD, [_reading(0)]), earlier=(GOOD[0]["prompt"],))
    assert any("nearly the same as a question of an earlier section" in p for p in problems)


def test_schema_violations_become_re_ask_reasons() -> None:
    bad = json.dumps({"quizzes": [_quiz(1, correct_index=7, extra_field=1)], "reading_questions": []})
    value, problems = parse_json_answer(bad, QuestionsAnswer)
    assert value is None
    assert any("correct_index" in p for p in problems) and any("extra_field" in p for p in problems)
    assert parse_json_answer("{not json", QuestionsAnswer)[1][0].startswith("the reply is not valid JSON")
    assert parse_json_answer("```json\n" + json.dumps({"summary_es": "x" * 50}) + "\n```", SummaryAnswer)[0]


def test_summary_and_exercise_rules() -> None:
    assert check_summary(
        SummaryAnswer(summary_es="This section explains how gradients flow backwards, in English.")
    ) == ["summary_es must be written in Spanish"]
    exercise = {
        "title": "Implementar backward",
        "task": "Escribe la función backward de la multiplicación y comprueba el gradiente numéricamente.",
        "hints": ["Usa la regla de la cadena"],
        "solution_outline": "Multiplica el gradiente de salida por el otro operando.",
        "concepts": ["backpropagation"],
        "section": "chain-rule",
    }
    from kz2h_assets.content.models import Exercise

    one = Exercise.model_validate(exercise)
    problems = check_exercises([one], concepts=CONCEPTS, sections=["chain-rule"])
    assert "give exactly 3 exercises (got 1)" in problems
    wrong = Exercise.model_validate(exercise | {"concepts": ["unknown"], "section": "nowhere"})
    problems = check_exercises([wrong, one, one], concepts=CONCEPTS, sections=["chain-rule"])
    assert any("unknown concepts unknown" in p for p in problems)
    assert any("section 'nowhere' is not one of chain-rule" in p for p in problems)
    assert any("nearly the same question as exercises[1]" in p for p in problems)


def test_question_plan_meets_the_counts() -> None:
    for n in range(4, 7):
        plan = question_plan(n)
        assert 12 <= sum(q for q, _ in plan) <= 20 and all(q >= 2 and r >= 1 for q, r in plan)
        assert sum(r for _, r in plan) == 7


class QueueChat:
    """A fake LLM answering each task (questions, exercises, ...) from its own queue; records what it saw."""

    def __init__(self, replies: dict[str, list[str]]) -> None:
        self.replies = {task: deque(queue) for task, queue in replies.items()}
        self.requests: list[ChatRequest] = []
        self.rejections: list[str] = []

    async def chat(self, request: ChatRequest, *, resource_id: str | None, purpose: str) -> CallOutcome:
        task = request.messages[1].content.split("\n", 1)[0].removeprefix("TASK: ")
        if task == "questions":
            self.requests.append(request)
        return CallOutcome(
            call_id=len(self.requests), content=self.replies[task].popleft(), finish_reason="stop", model="fake",
            usage=Usage(), cost_usd=0.0, latency_seconds=0.0, attempts=1, retried=(), reused=False, is_standin=False,
        )  # fmt: skip

    async def reject(self, outcome: CallOutcome, reason: str) -> None:
        self.rejections.append(reason)


def _one_section_resource():  # type: ignore[no-untyped-def]
    resource = load_catalog().resource("kz2h-micrograd")
    section = resource.sections[0]
    segment = Segment(id="seg-a", resource_id=resource.id, section=section.slug, position=0, text=SEGMENT_EN,
                      words=len(SEGMENT_EN.split()), start_seconds=0.0, end_seconds=30.0)  # fmt: skip
    content = ContentSection(
        slug=section.slug, position=0, title_en=section.title_en, title_es=section.title_es, text_es="texto",
        text_en=SEGMENT_EN, summary_es="resumen", concepts=list(section.concepts), segment_ids=["seg-a"],
    )  # fmt: skip
    single = resource.model_copy(update={"sections": [section]})
    return single, segment, ResourceSections(resource_id=resource.id, sections=[content], is_standin=False)


def test_an_invalid_answer_is_asked_again_with_the_errors_then_fails_naming_them() -> None:
    resource, segment, sections = _one_section_resource()
    bad = json.dumps({"quizzes": [_quiz(1)], "reading_questions": []})
    chat = QueueChat({"questions": [bad, "{oops", bad], "exercises": ["{}"] * 3})
    with pytest.raises(ContentRejected) as info:
        asyncio.run(build_questions(chat, Settings(model="m", max_asks=3), resource, sections, [segment],
                                    {"seg-a": "texto"}, False))  # fmt: skip
    message = str(info.value)
    assert "questions for section value-and-dag failed validation 3 times" in message
    assert "give exactly" in message
    assert len(chat.requests) == 3 and len(chat.rejections) >= 3
    retry = chat.requests[1].messages[-1].content
    assert retry.startswith("Your JSON was rejected:") and "give exactly" in retry
    assert chat.requests[2].messages[-1].content.startswith("Your JSON was rejected:\n- the reply is not valid JSON")
    assert chat.requests[0].response_format == {"type": "json_object"}
    assert '"QuestionsAnswer"' in chat.requests[0].messages[0].content  # the JSON Schema travels with the request


def test_a_section_repeating_an_earlier_one_is_asked_again_in_order() -> None:
    resource = load_catalog().resource("kz2h-micrograd")
    first, second = resource.sections[0], resource.sections[1]
    two = resource.model_copy(update={"sections": [first, second]})
    segs = [
        Segment(id=f"seg-{s.slug}", resource_id=resource.id, section=s.slug, position=i, text=SEGMENT_EN,
                words=len(SEGMENT_EN.split()), start_seconds=float(i), end_seconds=float(i + 1))
        for i, s in enumerate((first, second))
    ]  # fmt: skip
    sections = ResourceSections(
        resource_id=resource.id,
        sections=[
            ContentSection(slug=s.slug, position=i, title_en=s.title_en, title_es=s.title_es, text_es="texto",
                           text_en=SEGMENT_EN, summary_es="resumen", concepts=list(s.concepts),
                           segment_ids=[f"seg-{s.slug}"])
            for i, s in enumerate((first, second))
        ],
        is_standin=False,
    )  # fmt: skip
    plan = question_plan(2)
    topics = [
        "la regla de la cadena",
        "el orden topológico",
        "la función tanh",
        "el descenso de gradiente",
        "la tasa de aprendizaje",
        "los pesos de una neurona",
        "el sesgo de una capa",
        "la pérdida cuadrática",
        "el grafo de operaciones",
        "la derivada numérica",
        "el método backward",
        "los hijos de un nodo",
        "la multiplicación de valores",
        "la suma de contribuciones",
        "PyTorch y sus tensores",
        "un perceptrón multicapa",
        "el paso de optimización",
        "la inicialización aleatoria",
    ]
    kinds = ["¿Qué papel cumple {} en micrograd?", "¿Cómo se calcula {} paso a paso?", "¿Por qué importa {} aquí?"]

    def answer(slug: str, concept: str, offset: int) -> str:
        quizzes, reading = plan[0 if slug == first.slug else 1]
        body = {
            "quizzes": [
                _quiz(n, concept=concept, citation={"segment_id": f"seg-{slug}", "quote_en": "a node can be used"},
                      prompt=kinds[n % 3].format(topics[(offset + n) % len(topics)]))
                for n in range(quizzes)
            ],
            "reading_questions": [
                _reading(0, concept=concept, prompt=f"Mientras lees, relaciona {topics[(offset + n + 7) % 18]} "
                                                    f"con {topics[(offset + n + 3) % 18]}.")
                for n in range(reading)
            ],
        }  # fmt: skip
        return json.dumps(body)

    class SectionChat(QueueChat):
        async def chat(self, request: ChatRequest, *, resource_id: str | None, purpose: str) -> CallOutcome:
            lines = request.messages[1].content.split("\n")
            task = lines[0].removeprefix("TASK: ")
            key = task if task != "questions" else lines[1].removeprefix("SECTION: ").split(" — ")[0]
            self.requests.append(request)
            return CallOutcome(
                call_id=len(self.requests), content=self.replies[key].popleft(), finish_reason="stop", model="f",
                usage=Usage(), cost_usd=0.0, latency_seconds=0.0, attempts=1, retried=(), reused=False,
                is_standin=False,
            )  # fmt: skip

    c1, c2 = first.concepts[0], second.concepts[0]
    exercise = {"title": "t", "task": "Escribe una función que calcule el gradiente de cada nodo.", "hints": ["h"],
                "solution_outline": "s", "concepts": [c1], "section": first.slug}  # fmt: skip
    tasks = ["Implementa la suma y su backward en la clase Value.", "Entrena un perceptrón con PyTorch y compara.",
             "Dibuja el grafo de una expresión y calcula cada derivada a mano."]  # fmt: skip
    exercises = json.dumps(
        {"exercises": [exercise | {"title": f"Ejercicio {k}", "task": t} for k, t in enumerate(tasks)]}
    )
    chat = SectionChat({
        first.slug: [answer(first.slug, c1, 0)],
        second.slug: [answer(second.slug, c2, 0), answer(second.slug, c2, 6)],
        "exercises": [exercises],
    })  # fmt: skip
    done, report = asyncio.run(build_questions(chat, Settings(model="m"), two, sections, segs, {}, False))
    assert done.sections[1].quizzes[0].prompt == kinds[0].format(topics[6])
    # Asked twice: concurrently first, then again (in order) because it repeated the first section.
    asked = [r for r in chat.requests if f"SECTION: {second.slug} " in r.messages[1].content]
    assert len(asked) == 2 and chat.rejections == [] and report.re_asks == 0
