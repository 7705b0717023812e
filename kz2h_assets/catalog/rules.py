"""Rules that span catalog entries. Pure: a Catalog in, a list of problems out.

Each problem names the entry and the rule it breaks, so ``load_catalog`` can
refuse a bad file with a message a person can act on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatchcase
from graphlib import CycleError, TopologicalSorter

from .models import Catalog, Resource, timestamp_seconds


@dataclass(frozen=True)
class Problem:
    entry: str
    rule: str

    def __str__(self) -> str:
        return f"{self.entry}: {self.rule}"


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique(catalog)
    problems += _known_concepts(catalog)
    problems += prerequisite_cycles(catalog)
    problems += requires_taught_earlier(catalog)
    for resource in catalog.resources:
        problems += check_sections(resource)
    return problems


def _duplicates(values: list[str] | list[int]) -> list[str]:
    return [str(v) for v, n in Counter(values).items() if n > 1]


def _unique(catalog: Catalog) -> list[Problem]:
    problems = []
    for dup in _duplicates([r.id for r in catalog.resources]):
        problems.append(Problem(f"resource {dup}", "duplicate resource id"))
    for dup in _duplicates([r.sort_order for r in catalog.resources]):
        ids = ", ".join(r.id for r in catalog.resources if str(r.sort_order) == dup)
        problems.append(Problem(f"resources {ids}", f"duplicate sort_order {dup}"))
    for dup in _duplicates([c.id for c in catalog.concepts]):
        problems.append(Problem(f"concept {dup}", "duplicate concept id"))
    for dup in _duplicates([g.term.lower() for g in catalog.glossary]):
        problems.append(Problem(f"glossary term {dup!r}", "duplicate glossary term"))
    live = {r.id for r in catalog.resources}
    for pattern in catalog.archived_resources:
        hit = sorted(rid for rid in live if fnmatchcase(rid, pattern))
        if hit:
            problems.append(
                Problem(f"archived_resources {pattern!r}", f"would archive live resource(s) {', '.join(hit)}")
            )
    for resource in catalog.resources:
        for dup in _duplicates([s.slug for s in resource.sections]):
            problems.append(Problem(f"resource {resource.id} section {dup}", "duplicate section slug"))
        for dup in _duplicates([c.at for c in resource.chapters]):
            problems.append(Problem(f"resource {resource.id} chapter {dup}", "duplicate chapter"))
    return problems


def _known_concepts(catalog: Catalog) -> list[Problem]:
    known = {c.id for c in catalog.concepts}
    problems = []
    for concept in catalog.concepts:
        for pre in concept.prerequisites:
            if pre not in known:
                problems.append(Problem(f"concept {concept.id} prerequisites", f"unknown concept {pre!r}"))
            if pre == concept.id:
                problems.append(Problem(f"concept {concept.id}", "lists itself as a prerequisite"))
    for resource in catalog.resources:
        places = [("teaches", c) for c in resource.teaches] + [("requires", c) for c in resource.requires]
        places += [(f"section {s.slug} concepts", c) for s in resource.sections for c in s.concepts]
        for where, concept_id in places:
            if concept_id not in known:
                problems.append(Problem(f"resource {resource.id} {where}", f"unknown concept {concept_id!r}"))
        both = sorted(set(resource.teaches) & set(resource.requires))
        if both:
            problems.append(Problem(f"resource {resource.id}", f"both requires and teaches {', '.join(both)}"))
    return problems


def prerequisite_cycles(catalog: Catalog) -> list[Problem]:
    known = {c.id for c in catalog.concepts}
    graph = {c.id: [p for p in c.prerequisites if p in known and p != c.id] for c in catalog.concepts}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        return [Problem("concepts", f"prerequisite cycle {cycle}")]
    return []


def requires_taught_earlier(catalog: Catalog) -> list[Problem]:
    external = {c.id for c in catalog.concepts if c.external}
    problems = []
    taught: set[str] = set()
    for resource in sorted(catalog.resources, key=lambda r: r.sort_order):
        for concept_id in resource.requires:
            if concept_id not in taught and concept_id not in external:
                problems.append(
                    Problem(
                        f"resource {resource.id} requires {concept_id}",
                        "not taught by an earlier resource (lower sort_order) nor marked external",
                    )
                )
        taught |= set(resource.teaches)
    return problems


def untaught_concepts(catalog: Catalog) -> list[Problem]:
    """Concepts (other than external ones) that no resource teaches."""
    taught = {c for r in catalog.resources for c in r.teaches}
    return [Problem(f"concept {c.id}", "taught by no resource") for c in catalog.concepts
            if not c.external and c.id not in taught]  # fmt: skip


def resources_teaching_nothing(catalog: Catalog) -> list[Problem]:
    return [Problem(f"resource {r.id}", "teaches nothing") for r in catalog.resources if not r.teaches]


def check_sections(resource: Resource) -> list[Problem]:
    """Sections must tile the chapters: contiguous, in order, complete, in range."""
    where = f"resource {resource.id}"
    problems: list[Problem] = []
    if not 4 <= len(resource.sections) <= 6:
        problems.append(Problem(where, f"has {len(resource.sections)} sections; declare 4 to 6"))
    order = {chapter.at: i for i, chapter in enumerate(resource.chapters)}

    if resource.kind == "video":
        assert resource.duration_seconds is not None
        previous = -1
        for chapter in resource.chapters:
            try:
                start = timestamp_seconds(chapter.at)
            except ValueError as exc:
                problems.append(Problem(f"{where} chapter {chapter.at!r}", str(exc)))
                continue
            if start >= resource.duration_seconds:
                problems.append(
                    Problem(
                        f"{where} chapter {chapter.at}",
                        f"starts past the end of the video ({resource.duration_seconds} s)",
                    )
                )
            if start <= previous:
                problems.append(Problem(f"{where} chapter {chapter.at}", "chapters are not in time order"))
            previous = start
        if resource.chapters and resource.chapters[0].at not in ("00:00:00", "0:00", "00:00"):
            problems.append(Problem(f"{where} chapter {resource.chapters[0].at}", "first chapter must start at 0"))

    expected = 0  # index of the chapter the next section must start at
    for section in resource.sections:
        swhere = f"{where} section {section.slug}"
        if not section.concepts:
            problems.append(Problem(swhere, "has no concepts; every section teaches at least one"))
        for concept_id in section.concepts:
            if concept_id not in resource.teaches:
                problems.append(Problem(swhere, f"concept {concept_id!r} is not in the resource's teaches"))
        first, last = order.get(section.first), order.get(section.last)
        if first is None or last is None:
            missing = section.first if first is None else section.last
            problems.append(Problem(swhere, f"runs past the end: {missing!r} is not one of the resource's chapters"))
            return problems
        if last < first:
            problems.append(Problem(swhere, f"ends ({section.last}) before it starts ({section.first})"))
            return problems
        if first > expected:
            skipped = ", ".join(c.at for c in resource.chapters[expected:first])
            problems.append(Problem(swhere, f"leaves a gap: chapters {skipped} belong to no section"))
        elif first < expected:
            problems.append(Problem(swhere, f"overlaps the previous section at chapter {resource.chapters[first].at}"))
        expected = last + 1
    if expected < len(resource.chapters):
        left = ", ".join(c.at for c in resource.chapters[expected:])
        problems.append(Problem(where, f"leaves a gap at the end: chapters {left} belong to no section"))
    taught_in_sections = {c for s in resource.sections for c in s.concepts}
    for concept_id in resource.teaches:
        if concept_id not in taught_in_sections:
            problems.append(Problem(where, f"teaches {concept_id!r} but no section covers it"))
    return problems
