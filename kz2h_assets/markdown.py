"""Markdown for the Dagster UI. Source and LLM text is data: escape it before rendering."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")


def escape(text: str) -> str:
    """Plain text that renders as itself: HTML and Markdown syntax neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def preview(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …")


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def histogram(values: list[int], bucket: int = 100, width: int = 30) -> str:
    """A text bar chart in a code block: counts of values per bucket."""
    if not values:
        return "(empty)"
    counts: dict[int, int] = {}
    for v in values:
        counts[v // bucket * bucket] = counts.get(v // bucket * bucket, 0) + 1
    top = max(counts.values())
    lines = []
    for low in range(min(counts), max(counts) + bucket, bucket):
        n = counts.get(low, 0)
        lines.append(f"{low:>5}-{low + bucket - 1:<5} {'█' * max(1 if n else 0, round(n / top * width))} {n}")
    return "```\n" + "\n".join(lines) + "\n```"
