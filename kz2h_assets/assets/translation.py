"""The ``translation`` group: every segment in Spanish, concurrently, resumable, with its cost."""

import asyncio
import hashlib
from typing import Any

import dagster as dg

from .. import markdown as md
from ..catalog import load_catalog
from ..resources import LLM, Database
from ..sources.store import load_segments
from ..translation import PROMPT_VERSION, Translated, Untranslated, system_prompt, translate_all
from ..translation_store import current_translations, save_translation
from .llm_support import llm_asset, llm_session, run_llm_work, standin_refusal, usage_metadata
from .source import segments


class StandinRefused(Exception):
    pass


def _preview(english: str, spanish: str) -> str:
    return f"| English | Español |\n|---|---|\n| {md.preview(english, 700)} | {md.preview(spanish, 800)} |"


@llm_asset(
    deps=[segments],
    group_name="translation",
    code_version=PROMPT_VERSION,
    description=(
        "Every segment translated into Spanish (kz2h.translations) by the LLM, up to 8 requests in flight. "
        "Each reply is validated (Spanish, length ratio, code and numbers kept, not a copy) and re-asked with "
        "the reason when it fails. Finished segments are stored as they finish: a re-run or step retry only "
        "asks for what is missing, and identical requests are never paid twice (kz2h.llm_calls)."
    ),
)
def translated_segments(context: dg.AssetExecutionContext, database: Database, llm: LLM) -> dg.MaterializeResult:
    catalog = load_catalog()
    resource = catalog.resource(context.partition_key)
    engine = database.get_engine()
    with engine.connect() as conn:
        segs = load_segments(conn, resource.id)
        done_before = current_translations(conn, segs)
    if not segs:
        raise dg.Failure(f"{resource.id}: no segments stored; materialize segments for this partition first")
    todo = {s.id for s in segs if s.id not in done_before}
    local_db = database.is_local()
    context.log.info(f"{resource.id}: {len(todo)} of {len(segs)} segments to translate with {llm.model}")

    def store(result: Translated) -> None:
        last = result.calls[-1]
        refusal = standin_refusal(llm, local_db, last.is_standin)
        if refusal:
            raise StandinRefused(refusal)
        with engine.begin() as conn:
            save_translation(
                conn,
                result.segment,
                result.text_es,
                attempts=result.asks,
                call_id=last.call_id,
                model=last.model,
                is_standin=last.is_standin,
                run_id=context.run.run_id,
            )

    async def run() -> list[Translated | Untranslated]:
        async with llm_session(llm, engine, context.run.run_id) as log:

            async def on_done(result: Translated) -> None:
                await asyncio.to_thread(store, result)

            return await translate_all(
                log, llm.model, system_prompt(catalog, resource), segs, todo, on_done, max_asks=llm.max_asks
            )

    results = run_llm_work(run, resource.id, (StandinRefused,)) if todo else []

    calls = [c for r in results for c in r.calls]
    failed = [r for r in results if isinstance(r, Untranslated)]
    translated = [r for r in results if isinstance(r, Translated)]
    with engine.connect() as conn:
        now = current_translations(conn, segs)
    first = segs[0]
    metadata: dict[str, Any] = {
        "segments": len(segs),
        "translated_now": len(translated),
        "reused_stored": len(done_before),
        "failed": len(failed),
        "re_asks": sum(r.asks - 1 for r in translated) + sum(len(r.calls) - 1 for r in failed),
        "model": llm.model,
        "standin_output": any(t.is_standin for t in now.values()),
        **usage_metadata(calls),
    }
    if first.id in now:
        metadata["preview"] = dg.MetadataValue.md(_preview(first.text, now[first.id].text_es))
    if failed:
        lines = "\n".join(
            f"  - segment {r.segment.id} ({r.segment.section}, #{r.segment.position}): {r.reason}" for r in failed
        )
        raise dg.Failure(
            description=(
                f"{resource.id}: {len(failed)} of {len(segs)} segments failed validation after "
                f"{llm.max_asks} asks; the other {len(now)} are stored and will not be asked again:\n{lines}"
            ),
            metadata=metadata,
            allow_retries=False,
        )
    return dg.MaterializeResult(
        metadata=metadata,
        data_version=dg.DataVersion(
            hashlib.sha256("".join(sorted(t.source_sha256 + k for k, t in now.items())).encode()).hexdigest()[:16]
        ),
    )
