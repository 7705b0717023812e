"""Run the source → translation chain for one partition in its own process (killed by a test).

python -m kz2h_assets_tests.translate_worker DATABASE_URL STANDIN_URL PARTITION
"""

from __future__ import annotations

import sys

import dagster as dg

from kz2h_assets.assets import source as source_assets
from kz2h_assets.assets import translation as translation_assets
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

SMALL_SEGMENTS = {"ops": {"segments": {"config": {"target_words": 60, "max_words": 90}}}}


def materialize(database_url: str, standin_url: str, partition: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [source_assets.source_text, source_assets.segments, translation_assets.translated_segments],
        partition_key=partition,
        resources={
            "database": Database(url=database_url),
            "sources": SourceFetcher(sources_dir=str(SAMPLES_DIR)),
            "llm": LLM(api_key="sk-test", base_url=standin_url, max_in_flight=2),
        },
        run_config=SMALL_SEGMENTS,
        raise_on_error=False,
    )


if __name__ == "__main__":
    result = materialize(*sys.argv[1:4])
    sys.exit(0 if result.success else 1)
