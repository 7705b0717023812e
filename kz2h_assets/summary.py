"""A short per-resource table of what is in the database: printed by `make demo` and `make run`."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .catalog import load_catalog
from .llm.prices import off_peak_estimate_usd

ESTIMATE_MODEL = "deepseek-flash"  # the `est. USD` column: what the same tokens cost on DeepSeek

_QUERY = sa.text(
    """
    SELECT r.id,
           (SELECT count(*) FROM kz2h.segments s WHERE s.resource_id = r.id) AS segments,
           (SELECT count(*) FROM kz2h.translations t WHERE t.resource_id = r.id) AS translated,
           (SELECT count(*) FROM kz2h.llm_calls c WHERE c.resource_id = r.id AND c.status = 'ok') AS calls,
           (SELECT count(*) FROM kz2h.llm_calls c WHERE c.resource_id = r.id AND c.run_id = ANY(:run_ids))
               AS new_calls,
           (SELECT count(*) FROM resource_sections x WHERE x.resource_id = r.id AND x.archived_at IS NULL)
               AS loaded_sections,
           (SELECT count(*) FROM question_bank q WHERE q.resource_id = r.id AND q.archived_at IS NULL
               AND q.kind = 'quiz') AS quizzes,
           (SELECT count(*) FROM question_bank q WHERE q.resource_id = r.id AND q.archived_at IS NULL
               AND q.kind = 'exercise') AS exercises,
           (SELECT count(*) FROM question_bank q WHERE q.resource_id = r.id AND q.archived_at IS NULL
               AND q.kind = 'reading') AS reading,
           (SELECT coalesce(sum(c.prompt_tokens), 0) FROM kz2h.llm_calls c WHERE c.resource_id = r.id) AS tokens_in,
           (SELECT coalesce(sum(c.completion_tokens), 0) FROM kz2h.llm_calls c WHERE c.resource_id = r.id)
               AS tokens_out,
           (SELECT coalesce(sum(c.cost_usd), 0) FROM kz2h.llm_calls c WHERE c.resource_id = r.id) AS cost,
           (SELECT coalesce(sum(c.prompt_cache_hit_tokens), 0) FROM kz2h.llm_calls c WHERE c.resource_id = r.id)
               AS cache_hit,
           (SELECT coalesce(sum(CASE WHEN c.prompt_cache_hit_tokens + c.prompt_cache_miss_tokens > 0
                                     THEN c.prompt_cache_miss_tokens ELSE c.prompt_tokens END), 0)
              FROM kz2h.llm_calls c WHERE c.resource_id = r.id) AS cache_miss
    FROM resources r
    WHERE r.id = ANY(:ids)
    """
)


def summary_rows(engine: Engine, resource_ids: list[str], run_ids: list[str] | None = None) -> dict[str, sa.Row]:
    """Per resource in the database: counts, tokens and cost; ``calls`` every call that produced its
    content so far, ``new_calls`` the requests sent by ``run_ids`` (0 when nothing changed)."""
    with engine.connect() as conn:
        return {r.id: r for r in conn.execute(_QUERY, {"ids": resource_ids, "run_ids": run_ids or []})}


def partition_summary(engine: Engine, resource_ids: list[str], run_ids: list[str] | None = None) -> str:
    """The table `make demo` and `make run` print: one line per resource (see ``summary_rows``)."""
    catalog = load_catalog()
    rows = summary_rows(engine, resource_ids, run_ids)
    now = datetime.now(UTC)
    header = (
        f"{'resource':<26} {'kind':<5} {'sections':>8} {'segments':>8} {'translated':>10} {'quiz/ex/read':>12} "
        f"{'LLM calls':>9} {'new':>4} {'tokens in/out':>15} {'cost USD':>9} {'est. USD':>9}"
    )
    lines = [header, "-" * len(header)]
    for resource_id in resource_ids:
        resource = catalog.resource(resource_id)
        row = rows.get(resource_id)
        if row is None:
            lines.append(f"{resource_id:<26} (not in the database)")
            continue
        tokens = f"{row.tokens_in}/{row.tokens_out}"
        estimate = off_peak_estimate_usd(ESTIMATE_MODEL, row.cache_hit, row.cache_miss, row.tokens_out, now)
        questions = f"{row.quizzes}/{row.exercises}/{row.reading}"
        lines.append(
            f"{resource_id:<26} {resource.kind:<5} {row.loaded_sections:>8} {row.segments:>8} "
            f"{row.translated:>10} {questions:>12} {row.calls:>9} {row.new_calls:>4} {tokens:>15} "
            f"{float(row.cost):>9.4f} {'?' if estimate is None else f'{estimate:.4f}':>9}"
        )
    return "\n".join(lines)
