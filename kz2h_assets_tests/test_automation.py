"""The weekly scheduled backfill: nothing before the Monday tick, then the catalog, then every partition."""

from __future__ import annotations

import datetime as dt
import warnings

import dagster as dg

from kz2h_assets.automation import WEEKLY_CRON, weekly_refresh
from kz2h_assets.catalog import load_catalog
from kz2h_assets.definitions import build_definitions
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

SUNDAY_NIGHT = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # a Monday, an hour before the tick
AFTER_TICK = SUNDAY_NIGHT + dt.timedelta(hours=1, minutes=5)


def _requested(result: dg.EvaluateAutomationConditionsResult) -> dict[str, int]:
    return {r.key.to_user_string(): r.true_subset.size for r in result.results if r.true_subset.size}


def test_the_weekly_tick_requests_the_catalog_then_every_partition(database_url: str) -> None:
    assert WEEKLY_CRON == "0 3 * * 1"
    assert weekly_refresh.default_status == dg.DefaultSensorStatus.RUNNING
    defs = build_definitions(
        Database(url=database_url), SourceFetcher(sources_dir=str(SAMPLES_DIR)), LLM(api_key="unused")
    )
    with dg.instance_for_test() as instance, warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        before = dg.evaluate_automation_conditions(defs=defs, instance=instance, evaluation_time=SUNDAY_NIGHT)
        assert before.total_requested == 0
        tick = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=before.cursor, evaluation_time=AFTER_TICK
        )
        assert _requested(tick) == {
            "phase2_catalog": 1,
            "platform/resources": 1,
            "platform/concepts": 1,
            "platform/catalog_resource_concepts": 1,
        }
        assert defs.resolve_job_def("catalog_sync").execute_in_process(instance=instance).success
        later = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=tick.cursor, evaluation_time=AFTER_TICK + dt.timedelta(minutes=1)
        )
    # One backfill: every partition's whole chain, in dependency order.
    partitions = len(load_catalog().resource_ids)
    chain = ["source_text", "segments", "translated_segments", "concept_sections", "questions"]
    chain += [f"platform/{t}" for t in ("resource_sections", "question_bank", "resource_concepts")]
    assert _requested(later) == dict.fromkeys(chain, partitions)
