"""The stand-in's answers to the content requests (summary, questions, exercises).

Offline runs have no LLM, so the local stand-in answers ``TASK: summary|questions|exercises``
requests (see :mod:`kz2h_assets.content.prompts`) with content derived only from the request's
own text: Spanish sentences lifted from the section's ES lines, cloze quizzes whose blank is a
translated word with distractors from the same section, open reading questions about the
section's key terms, and three templated exercises. Every answer is built to pass
:mod:`kz2h_assets.content.rules` as it is, and is labelled as stand-in output.

Deterministic: the same messages give the same bytes (choices use SHA-256, never ``hash``).
A re-ask answers the first user message again, shifting its choices by the number of re-asks.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..content.models import (
    Citation,
    Exercise,
    ExercisesAnswer,
    QuestionsAnswer,
    Quiz,
    ReadingQuestion,
    SummaryAnswer,
)
from ..content.rules import near_duplicate

__all__ = ["answer_content"]

_RETRY = "Your JSON was rejected:"
_LABEL_SUMMARY = "(Resumen generado por el stand-in local a partir del texto.)"
_LABEL_QUIZ = "(Pregunta generada por el stand-in local a partir del texto.)"
_LABEL_EXERCISE = "Ejercicio generado por el stand-in local a partir del texto."

_SEGMENT = re.compile(
    r"^\[segment (?P<id>[^\]\n]+)\] \((?P<pos>[^)\n]*)\)\nEN: (?P<en>.*?)\nES: (?P<es>.*?)"
    r"(?=\n\n\[segment |\n\nReply with the JSON object\.|\Z)",
    re.S | re.M,
)
_EXERCISE_SECTION = re.compile(
    r"^- (?P<slug>\S+) — (?P<title>.*?)(?: \(concepts: (?P<concepts>[^()\n]*)\))?\n"
    r"  summary: (?P<summary>.*?)\n  excerpt: (?P<excerpt>.*?)(?=\n- \S+ — |\n\nReply with the JSON object\.|\n*\Z)",
    re.S | re.M,
)
_SENTENCE_END = re.compile(r"[.?!][\"'»”)\]]*$")
_SPANISH_WORD = re.compile(r"^[a-záéíóúüñ]+$")
_NEGATIVE = re.compile(r"\b(NO|NUNCA|EXCEPTO)\b")
_EDGE = "\"'«»“”‘’()[]{}.,;:¿?¡!…"

# Function words and fillers: never a blank, a distractor or a key term.
_STOPWORDS = frozenset(
    """
    ahora algo alguna algunas alguno algunos alrededor ambos antes aquel aquella aquellos aquí así aunque bajo
    bien bueno buena cada casi cierto como cómo con contra cosas cual cuál cuales cuando cuándo cuanto cuánto
    debajo decir desde después dice dicen donde dónde durante ellas ellos encima entonces entre esas esos esta
    está estas estos este estar están estaba esto ésta éste gracias hace hacen hacer hacia hasta hola luego
    mediante menos mientras mismo misma mismos mismas mucho mucha muchos muchas nada ninguna ninguno nosotros
    nosotras nuestra nuestro nuestras nuestros otra otro otras otros para pero poco porque puede pueden pues
    quizá querer realmente sería siempre sobre solo sólo suyo también tanto tener tiene tienen todas todos
    todavía través ustedes vamos veces ahí dentro aquellas básicamente simplemente probablemente ligeramente
    exactamente anteriores anterior siguiente ejemplo manera forma parte igual hecho cosa tomar poner mirar
    """.split()
)
# When a section's text offers too few distractors.
_FALLBACK_WORDS = (
    "gradiente",
    "pérdida",
    "neurona",
    "capa",
    "peso",
    "sesgo",
    "muestra",
    "probabilidad",
    "entrenamiento",
    "activación",
    "derivada",
    "vocabulario",
    "atención",
    "predicción",
    "optimización",
    "normalización",
)


def answer_content(messages: list[dict[str, Any]]) -> str | None:
    """The JSON answer for a content request, or None when the messages are not one."""
    users = [m.get("content") for m in messages if m.get("role") == "user"]
    if not users or not isinstance(users[0], str) or not users[0].startswith("TASK: "):
        return None
    user = users[0]
    salt = sum(1 for u in users[1:] if isinstance(u, str) and u.startswith(_RETRY))
    system = next((m.get("content") for m in messages if m.get("role") == "system"), None)
    is_paper = isinstance(system, str) and ", paper «" in system
    task = user.split("\n", 1)[0][len("TASK: ") :].strip()
    if task == "summary":
        return _summary(user, salt).model_dump_json()
    if task == "questions":
        return _questions(user, salt).model_dump_json()
    if task == "exercises":
        return _exercises(user, salt, is_paper).model_dump_json()
    return None


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Segment:
    id: str
    position: str
    en: str
    es: str


@dataclass(frozen=True)
class _Section:
    slug: str
    title: str
    concepts: list[str]
    summary: str
    excerpt: str


def _field(user: str, name: str) -> str:
    match = re.search(rf"^{name}: (.*)$", user, re.M)
    return match.group(1).strip() if match else ""


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _segments(user: str) -> list[_Segment]:
    return [
        _Segment(m["id"].strip(), m["pos"].strip(), " ".join(m["en"].split()), " ".join(m["es"].split()))
        for m in _SEGMENT.finditer(user)
    ]


def _section_title(user: str) -> tuple[str, str]:
    slug, _, title = _field(user, "SECTION").partition(" — ")
    return slug.strip(), title.strip()


# --------------------------------------------------------------------------- text helpers


def _digest(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _core(token: str) -> str:
    return token.strip(_EDGE)


def _word_set(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def _good_word(word: str, english: set[str]) -> bool:
    """A lowercase Spanish-looking content word: translated (absent from the English), not a function word."""
    return (
        len(word) >= 5
        and _SPANISH_WORD.match(word) is not None
        and word not in _STOPWORDS
        and word.casefold() not in english
    )


def _sentences(tokens: list[str]) -> list[tuple[int, int]]:
    """[start, end) token ranges of the sentences (one range when the text has no punctuation)."""
    ranges, start = [], 0
    for i, token in enumerate(tokens):
        if _SENTENCE_END.search(token):
            ranges.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


@dataclass(frozen=True)
class _Unit:
    """A short run of ES words inside one segment: whole sentences, or a piece of a long one."""

    segment: _Segment
    start: int  # token range in the segment's ES text
    end: int
    first: int  # the sentences it lies in
    last: int
    sentence_start: int  # token range of those sentences
    sentence_end: int

    def tokens(self) -> list[str]:
        return self.segment.es.split()[self.start : self.end]


def _units(segment: _Segment, max_words: int = 24, min_words: int = 10) -> list[_Unit]:
    """Consecutive short sentences merged up to ``min_words``; long ones cut into pieces of ≤ ``max_words``."""
    sentences = _sentences(segment.es.split())
    units: list[_Unit] = []
    group: list[int] = []  # sentence indices waiting to reach min_words

    def flush() -> None:
        if group:
            a, b = sentences[group[0]][0], sentences[group[-1]][1]
            if b - a >= min_words:
                units.append(_Unit(segment, a, b, group[0], group[-1], a, b))
            group.clear()

    for n, (a, b) in enumerate(sentences):
        length = b - a
        if length > max_words:
            flush()
            pieces = -(-length // max_words)
            size = -(-length // pieces)
            for p in range(pieces):
                start, end = a + p * size, min(b, a + (p + 1) * size)
                if end - start >= min_words:
                    units.append(_Unit(segment, start, end, n, n, a, b))
            continue
        if group and b - sentences[group[0]][0] > max_words:
            flush()
        group.append(n)
        if b - sentences[group[0]][0] >= min_words:
            flush()
    flush()
    return units


def _quote_en(unit: _Unit) -> str:
    """A span of the segment's English text at the place the unit's Spanish comes from, 12–300 chars."""
    es_tokens, en_tokens = unit.segment.es.split(), unit.segment.en.split()
    if not en_tokens:
        return unit.segment.en
    es_sentences, en_sentences = _sentences(es_tokens), _sentences(en_tokens)
    if len(es_sentences) == len(en_sentences) and len(es_sentences) > 1:
        s_a, s_b = unit.sentence_start, unit.sentence_end
        e_a, e_b = en_sentences[unit.first][0], en_sentences[unit.last][1]
    else:
        s_a, s_b, e_a, e_b = 0, len(es_tokens), 0, len(en_tokens)
    span = max(s_b - s_a, 1)
    a = e_a + (unit.start - s_a) * (e_b - e_a) // span
    b = e_a + -(-(unit.end - s_a) * (e_b - e_a) // span)
    a, b = max(0, min(a, len(en_tokens) - 1)), max(a + 1, min(b, len(en_tokens)))
    while len(" ".join(en_tokens[a:b])) < 12 and (b < len(en_tokens) or a > 0):
        if b < len(en_tokens):
            b += 1
        else:
            a -= 1
    while b - a > 1 and len(" ".join(en_tokens[a:b])) > 300:
        b -= 1
    return " ".join(en_tokens[a:b])[:300]


def _snippet(tokens: list[str], words: int = 8) -> str:
    return " ".join(_core(t) if i == 0 else t for i, t in enumerate(tokens[:words])).rstrip(_EDGE)


def _key_terms(text: str, english: set[str]) -> list[str]:
    counts = Counter(_core(t) for t in text.split())
    good = [w for w in counts if _good_word(w, english)]
    return sorted(good, key=lambda w: (-counts[w], -len(w), w))


# --------------------------------------------------------------------------- summary


def _summary(user: str, salt: int) -> SummaryAnswer:
    _, title = _section_title(user)
    segments = _segments(user)
    candidates: list[tuple[float, int, str]] = []  # (share of translated words, order, sentence)
    for segment in segments:
        english = _word_set(segment.en)
        tokens = segment.es.split()
        for a, b in _sentences(tokens):
            words = tokens[a:b]
            if len(words) < 5:
                continue
            cut = words[:40]
            sentence = " ".join(cut).rstrip(",;:")
            if len(words) > 40 or not _SENTENCE_END.search(sentence):
                sentence = sentence.rstrip(_EDGE) + "…"
            spanish = sum(1 for w in cut if _core(w).casefold() not in english) / len(cut)
            candidates.append((spanish, len(candidates), sentence[0].upper() + sentence[1:]))
        if len(candidates) >= 12:
            break
    # The most Spanish of the first sentences (two, or three on odd re-asks), in text order.
    best = sorted(candidates, key=lambda c: (-c[0], c[1]))[: 2 + (salt % 2)]
    chosen = [c[2] for c in sorted(best, key=lambda c: c[1])]
    title = title if len(title) <= 200 else title[:200].rsplit(" ", 1)[0] + "…"
    intro = f"Esta sección trata sobre «{title}» y se apoya en el propio texto traducido." if title else ""
    body = " ".join(chosen)
    budget = 1100 - len(intro) - len(_LABEL_SUMMARY)
    if len(body) > budget:
        body = body[: max(budget, 0)].rsplit(" ", 1)[0].rstrip(_EDGE) + "…"
    summary = " ".join(p for p in (intro, body, _LABEL_SUMMARY) if p)
    if len(summary) < 40:
        summary = f"Esta sección presenta el contenido del texto original traducido al español. {_LABEL_SUMMARY}"
    return SummaryAnswer(summary_es=summary)


# --------------------------------------------------------------------------- questions

_QUIZ_TEMPLATES = (
    "¿Qué palabra completa la frase de la traducción ({pos}): «{cloze}»?",
    "En el fragmento traducido ({pos}) se lee: «{cloze}». ¿Qué palabra falta en el hueco?",
    "Completa el hueco de esta frase traducida ({pos}): «{cloze}». ¿Cuál es la palabra correcta?",
    "Según la traducción de esta sección ({pos}), ¿qué término va en el hueco de «{cloze}»?",
)
_READING_TEMPLATES = (
    "Mientras avanzas por la parte que empieza «{snippet}…» ({pos}), ¿qué papel cumple «{term}» y por qué "
    "importa aquí?",
    "Antes de seguir, ¿sabrías explicar con tus propias palabras qué significa «{term}» tal como aparece en "
    "«{snippet}…» ({pos})?",
    "¿Qué problema intenta resolver el texto cuando habla de «{term}» en el fragmento «{snippet}…» ({pos}), "
    "y cómo lo resuelve?",
    "Al terminar la parte que empieza «{snippet}…» ({pos}), ¿qué relación encuentras entre «{term}» y lo "
    "explicado antes?",
)


@dataclass(frozen=True)
class _Cloze:
    unit: _Unit
    answer: str
    cloze: str
    full: str


def _cloze(unit: _Unit, english: set[str]) -> _Cloze | None:
    tokens = unit.tokens()
    if _NEGATIVE.search(" ".join(tokens)):
        return None
    cores = [_core(t) for t in tokens]
    counts = Counter(c.casefold() for c in cores)
    choices = [i for i, c in enumerate(cores) if _good_word(c, english) and counts[c.casefold()] == 1]
    if not choices:
        return None
    i = max(choices, key=lambda j: (len(cores[j]), -j))
    blanked = list(tokens)
    blanked[i] = tokens[i].replace(cores[i], "____", 1)
    lead = "" if unit.start == unit.sentence_start else "… "
    tail = "" if unit.end == unit.sentence_end else " …"
    return _Cloze(unit, cores[i], f"{lead}{' '.join(blanked)}{tail}", f"{lead}{' '.join(tokens)}{tail}")


def _spread(n: int, k: int, offset: int) -> list[int]:
    """k indices spread over range(n), then the rest, rotated by offset."""
    if n == 0:
        return []
    first = [((2 * i + 1) * n // (2 * k) + offset) % n for i in range(min(k, n))]
    seen = dict.fromkeys(first)
    return list(seen) + [(j + offset) % n for j in range(n) if (j + offset) % n not in seen]


def _distractors(answer: str, pool: list[str], avoid: set[str]) -> list[str]:
    chosen: list[str] = []
    ranked = sorted(pool, key=lambda w: (abs(len(w) - len(answer)), _digest(answer, w)))
    for word in [*ranked, *_FALLBACK_WORDS]:
        if len(chosen) == 3:
            break
        if word.casefold() in avoid or any(near_duplicate(word, other) for other in [answer, *chosen]):
            continue
        chosen.append(word)
    return chosen


def _quizzes(
    segments: list[_Segment], concepts: list[str], count: int, salt: int
) -> tuple[list[Quiz], set[tuple[str, int]]]:
    section_english = _word_set(" ".join(s.en for s in segments))
    pool = _key_terms(" ".join(s.es for s in segments), section_english)
    clozes: list[_Cloze] = []
    for max_words, min_words in ((24, 10), (14, 6), (8, 4)):  # smaller pieces only when a section has too few
        units = [u for s in segments for u in _units(s, max_words, min_words)]
        clozes = [c for u in units if (c := _cloze(u, _word_set(u.segment.en)))]
        if len(clozes) >= count:
            break
    quizzes: list[Quiz] = []
    used: set[tuple[str, int]] = set()
    offset = _digest("quizzes", salt, *[s.id for s in segments]) % max(len(clozes), 1) if salt else 0
    for index in _spread(len(clozes), count, offset):
        if len(quizzes) == count:
            break
        c = clozes[index]
        n = len(quizzes)
        template = _QUIZ_TEMPLATES[(_digest(c.unit.segment.id, c.unit.start) + n + salt) % len(_QUIZ_TEMPLATES)]
        prompt = template.format(pos=c.unit.segment.position, cloze=c.cloze)
        if any(near_duplicate(prompt, q.prompt) for q in quizzes):
            continue
        avoid = {_core(t).casefold() for t in c.unit.tokens()}
        options = [*_distractors(c.answer, pool, avoid)]
        correct = _digest(c.unit.segment.id, c.unit.start, c.answer, salt) % 4
        options.insert(correct, c.answer)
        quote = _quote_en(c.unit)
        explanation = (
            f"En la traducción del segmento {c.unit.segment.id} ({c.unit.segment.position}) la frase completa es: "
            f"«{c.full}». La palabra que falta es «{c.answer}». El texto original en inglés dice: «{quote}». "
            f"{_LABEL_QUIZ}"
        )
        quizzes.append(
            Quiz(
                prompt=prompt,
                options=options,
                correct_index=correct,
                explanation=explanation,
                concept=concepts[n % len(concepts)] if concepts else "concepto",
                citation=Citation(segment_id=c.unit.segment.id, quote_en=quote),
            )
        )
        used.add((c.unit.segment.id, c.unit.start))
    return quizzes, used


def _reading(
    slug: str, segments: list[_Segment], concepts: list[str], count: int, used: set[tuple[str, int]], salt: int
) -> list[ReadingQuestion]:
    section_english = _word_set(" ".join(s.en for s in segments))
    terms = _key_terms(" ".join(s.es for s in segments), section_english) or ["el tema de la sección"]
    units = [u for s in segments for u in _units(s)]
    fresh = [u for u in units if (u.segment.id, u.start) not in used] or units
    counts = Counter(_core(t) for s in segments for t in s.es.split())
    questions: list[ReadingQuestion] = []
    taken: set[str] = set()
    for i in range(count):
        if fresh:
            unit = fresh[((2 * i + 1) * len(fresh) // (2 * count) + salt) % len(fresh)]
            snippet, pos = _snippet(unit.tokens(), 12), unit.segment.position
            # The term comes from the snippet itself, so the question is specific to this place in the text.
            own = sorted(
                {_core(t) for t in unit.tokens() if _good_word(_core(t), section_english)} - taken,
                key=lambda w: (-counts[w], -len(w), w),
            )
        else:
            snippet = _snippet(segments[0].es.split(), 12) if segments else "esta sección"
            pos = segments[0].position if segments else "inicio"
            own = []
        term = own[0] if own else terms[(i + salt) % len(terms)]
        taken.add(term)
        template = _READING_TEMPLATES[(_digest(slug) + i + salt) % len(_READING_TEMPLATES)]
        prompt = template.format(snippet=snippet, pos=pos, term=term)
        questions.append(
            ReadingQuestion(prompt=prompt, concept=concepts[i % len(concepts)] if concepts else "concepto")
        )
    return questions


def _questions(user: str, salt: int) -> QuestionsAnswer:
    slug, _ = _section_title(user)
    concepts = _list(_field(user, "CONCEPTS"))
    segments = _segments(user)
    quizzes, used = _quizzes(segments, concepts, _int(_field(user, "QUIZZES"), 2), salt)
    reading = _reading(slug, segments, concepts, _int(_field(user, "READING_QUESTIONS"), 1), used, salt)
    return QuestionsAnswer(quizzes=quizzes, reading_questions=reading)


# --------------------------------------------------------------------------- exercises


def _exercise_sections(user: str) -> list[_Section]:
    _, _, rest = user.partition("\nSECTIONS:\n")
    return [
        _Section(
            m["slug"].strip(),
            m["title"].strip(),
            _list(m["concepts"] or ""),
            " ".join(m["summary"].split()),
            " ".join(m["excerpt"].split()),
        )
        for m in _EXERCISE_SECTION.finditer(rest)
    ]


def _terms_phrase(terms: list[str]) -> str:
    quoted = [f"«{t}»" for t in terms]
    if not quoted:
        return "las ideas principales del texto"
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " y " + quoted[-1]


def _exercise(k: int, section: _Section, concepts: list[str], is_paper: bool) -> Exercise:
    terms = _key_terms(section.summary, _word_set(section.excerpt))[:3]
    about = _terms_phrase(terms)
    first = terms[0] if terms else "la idea central"
    title = section.title or section.slug
    if k == 0:
        name = f"Reproduce en código: {title}"
        medium = (
            "un pequeño programa en Python (o un cálculo paso a paso)" if is_paper else "un pequeño programa en Python"
        )
        task = (
            f"Escribe {medium} que reproduzca la idea principal de la sección «{title}», centrada en {about}. "
            "Empieza con un ejemplo mínimo, imprime los valores intermedios y compara el resultado con lo que "
            f"describe el texto. {_LABEL_EXERCISE}"
        )
        hints = [
            "Vuelve a leer el fragmento de la sección y anota las cantidades que aparecen.",
            "Trabaja primero con datos diminutos que puedas comprobar a mano.",
            f"Relaciona cada línea de tu código con «{first}».",
        ]
        outline = (
            "1) Identificar las entradas y salidas que describe la sección. 2) Implementar el caso más sencillo. "
            "3) Comprobar los resultados intermedios a mano. 4) Generalizar y comparar con el texto."
        )
    elif k == 1:
        name = f"Experimento guiado: {title}"
        task = (
            f"Diseña un experimento breve a partir de la sección «{title}»: cambia un solo parámetro relacionado "
            f"con {about}, mide cómo varía el resultado y explica por escrito lo que observas. {_LABEL_EXERCISE}"
        )
        hints = [
            "Cambia una sola cosa cada vez y deja fijo todo lo demás.",
            "Anota en una tabla el valor del parámetro y el resultado obtenido.",
        ]
        outline = (
            "1) Elegir el parámetro y los valores a probar. 2) Ejecutar cada variante con la misma semilla. "
            "3) Registrar los resultados. 4) Explicar la tendencia con las palabras de la sección."
        )
    else:
        name = f"Explicación con un ejemplo propio: {title}"
        task = (
            f"Prepara una explicación en español, con un ejemplo numérico inventado por ti, de cómo funciona "
            f"{about} según la sección «{title}», y verifica el ejemplo con unas pocas líneas de código o un "
            f"cálculo a mano. {_LABEL_EXERCISE}"
        )
        hints = [
            "Usa números pequeños para que cada paso se pueda seguir.",
            f"Empieza por definir «{first}» antes de usarlo.",
            "Termina comparando tu ejemplo con el resumen de la sección.",
        ]
        outline = (
            "1) Definir los términos clave. 2) Plantear un ejemplo con números pequeños. 3) Resolverlo paso a paso. "
            "4) Verificarlo con código o a mano y relacionarlo con el texto."
        )
    mine = [c for c in section.concepts if c in concepts] or [concepts[k % len(concepts)] if concepts else "concepto"]
    return Exercise(
        title=name, task=task, hints=hints, solution_outline=outline, concepts=mine[:3], section=section.slug
    )


def _exercises(user: str, salt: int, is_paper: bool) -> ExercisesAnswer:
    concepts = _list(_field(user, "CONCEPTS"))
    sections = _exercise_sections(user)
    if not sections:
        return ExercisesAnswer(exercises=[])
    n = len(sections)
    picks = [sections[(k * n // 3 + salt) % n] if n >= 3 else sections[(k + salt) % n] for k in range(3)]
    return ExercisesAnswer(exercises=[_exercise(k, s, concepts, is_paper) for k, s in enumerate(picks)])
