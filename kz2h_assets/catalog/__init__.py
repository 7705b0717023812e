"""The catalog: the single source of truth for what Phase 2 ingests."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from .models import Catalog, Chapter, Concept, GlossaryTerm, Resource, Section, timestamp_seconds
from .rules import Problem, check_catalog

DEFAULT_CATALOG_PATH = Path(__file__).with_name("phase2.yaml")

__all__ = [
    "DEFAULT_CATALOG_PATH",
    "Catalog",
    "CatalogError",
    "Chapter",
    "Concept",
    "GlossaryTerm",
    "Problem",
    "Resource",
    "Section",
    "load_catalog",
    "parse_catalog",
    "section_spans",
    "timestamp_seconds",
]


class CatalogError(ValueError):
    """The catalog file is unreadable or breaks a rule; the message names file, entry and rule."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"catalog {self.path} is invalid ({len(problems)} problem(s)):\n{lines}")


def _entry_name(data: object, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'resources[3] (kz2h-micrograd).sections[1].first'."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                ident = node.get("id") or node.get("slug") or node.get("term") if isinstance(node, dict) else None
                if ident:
                    label += f" ({ident})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + key)
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def parse_catalog(text: str, path: Path | str = "<string>") -> Catalog:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(path, [f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogError(path, ["top level must be a mapping with resources, concepts, glossary"])
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_entry_name(data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors(include_url=False)]
        raise CatalogError(path, problems) from None
    broken = check_catalog(catalog)
    if broken:
        raise CatalogError(path, [str(p) for p in broken])
    return catalog


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Read and validate the catalog. Raises CatalogError naming the file, entry and rule."""
    path = Path(path) if path else DEFAULT_CATALOG_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(path, [f"cannot read the file: {exc.strerror}"]) from exc
    return parse_catalog(text, path)


def section_spans(resource: Resource) -> list[tuple[Section, float, float]]:
    """Each video section with its start and end second (end = next section's start or the duration)."""
    if resource.kind != "video" or resource.duration_seconds is None:
        raise ValueError(f"{resource.id} is not a video")
    starts = [timestamp_seconds(s.first) for s in resource.sections]
    ends = starts[1:] + [resource.duration_seconds]
    return [(s, float(a), float(b)) for s, a, b in zip(resource.sections, starts, ends, strict=True)]
