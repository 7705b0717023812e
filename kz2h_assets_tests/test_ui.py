"""The Dagster UI end to end: `dagster dev` (webserver + daemon), headless Chromium driven by Playwright.

1. Materialize the kz2h-micrograd partition through the UI, wait for success with every check
   passed, read the rows from the database.
2. Launch a backfill of all partitions through the GraphQL API; it completes under the pool limit.

Chromium is Debian's package (`make ui-deps` installs it; CI does). Set KZ2H_SCREENSHOTS=docs/screenshots
to refresh the README's screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.catalog import load_catalog
from kz2h_assets.definitions import build_definitions
from kz2h_assets.devserver import (
    INGEST_CHAIN,
    LLM_STEPS,
    free_port,
    graphql,
    launch_asset_backfill,
    peak_concurrent_steps,
    pool_limit,
    prepare_home,
    running_dagster_dev,
    wait_for_backfill,
)
from kz2h_assets.resources import LLM, Database, SourceFetcher
from kz2h_assets.sources import SAMPLES_DIR

from .conftest import REPO
from .standin_server import running_standin

pytestmark = pytest.mark.slow
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PARTITION = "kz2h-micrograd"
GLOBAL_BOUND = 3  # KZ2H_LLM_GLOBAL_IN_FLIGHT for these runs: well under the pool's steps x 8 requests each

_RUNS = """
query($filter: RunsFilter) { runsOrError(filter: $filter) { ... on Runs { results { runId status } } } }
"""


@pytest.fixture
def dev(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path, object]]:
    """`dagster dev` against this test's database, the samples and the stand-in; yields (url, home, stand-in)."""
    home = prepare_home(tmp_path / "dagster_home")
    defs = build_definitions(Database(url=database_url), SourceFetcher(), LLM())
    with dg.DagsterInstance.from_config(str(home)) as instance:  # the catalog, as the UI's instance knows it
        assert defs.resolve_job_def("catalog_sync").execute_in_process(instance=instance).success
    with running_standin(latency=0.05) as server:  # long enough for requests of different runs to overlap
        env = {
            "KZ2H_DATABASE_URL": database_url,
            "DEEPSEEK_BASE_URL": server.url,
            "DEEPSEEK_API_KEY": "sk-ui-test",
            "KZ2H_SOURCES_DIR": str(SAMPLES_DIR),
            "KZ2H_LLM_GLOBAL_IN_FLIGHT": str(GLOBAL_BOUND),
        }
        with (
            (tmp_path / "dagster-dev.log").open("w") as log,
            running_dagster_dev(home, env, free_port(), log=log) as url,
        ):
            yield url, home, server


def _runs(url: str, partition: str) -> list[dict]:
    data = graphql(url, _RUNS, {"filter": {"tags": [{"key": "dagster/partition", "value": partition}]}})
    return list(data["runsOrError"]["results"])


def _wait_for_run(url: str, partition: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = _runs(url, partition)
        if runs and runs[0]["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
            return runs[0]
        time.sleep(1)
    raise TimeoutError(f"no finished run for {partition} within {timeout} s")


def _screenshot(page, name: str, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    target = Path(os.getenv("KZ2H_SCREENSHOTS", str(tmp)))
    if not target.is_absolute():
        target = REPO / target
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / name))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed: run `make ui-deps`")
def test_materialize_one_partition_through_the_ui(dev, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    url, home, _ = dev
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        # Dagster greets a new browser profile with a newsletter dialog, at a moment of its choosing.
        skip = page.get_by_role("button", name="Skip")
        page.add_locator_handler(skip, lambda: skip.click())
        try:
            page.goto(f"{url}/locations/kz2h_assets.definitions/jobs/ingest", wait_until="networkidle", timeout=90000)
            # The welcome dialog may pop up over the click: click again until the launch dialog opens.
            dialog = page.get_by_text("Launch runs to materialize")
            for _ in range(3):
                page.get_by_text("Materialize all").first.click()
                try:
                    dialog.wait_for(timeout=15000)
                    break
                except Exception:  # noqa: BLE001 - the click landed on the welcome dialog
                    continue
            dialog.wait_for(timeout=15000)
            page.get_by_text("Custom", exact=True).click()
            # The picker starts empty or with the missing partitions selected: empty it, then pick one.
            page.get_by_text(re.compile(r"^(Select a partition or create one|\d+ partitions? selected)$")).click()
            if not page.get_by_text("0 partitions", exact=True).is_visible():
                page.get_by_text(re.compile(r"^Select all")).first.click()
            page.get_by_text("0 partitions", exact=True).wait_for(timeout=10000)
            page.keyboard.type(PARTITION)
            page.get_by_role("menuitem", name=PARTITION).first.click(timeout=10000)
            page.get_by_text("1 partition", exact=True).wait_for(timeout=10000)
            page.get_by_role("button", name="Launch 1 run").click()
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        run = _wait_for_run(url, PARTITION)
        assert run["status"] == "SUCCESS", run
        page.goto(f"{url}/runs/{run['runId']}", wait_until="networkidle", timeout=90000)
        page.get_by_text("Success").first.wait_for(timeout=30000)
        _screenshot(page, "run.png", tmp_path)
        page.goto(f"{url}/assets/questions?partition={PARTITION}", wait_until="networkidle", timeout=90000)
        page.wait_for_timeout(2000)
        _screenshot(page, "questions.png", tmp_path)
        page.goto(f"{url}/asset-groups", wait_until="networkidle", timeout=90000)
        page.wait_for_timeout(2000)
        _screenshot(page, "asset-graph.png", tmp_path)
        browser.close()

    with dg.DagsterInstance.from_config(str(home)) as instance:
        evaluations = [
            e.dagster_event.event_specific_data
            for e in instance.all_logs(run["runId"], of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
            if e.dagster_event is not None
        ]
    assert len(evaluations) == 6 and all(e.passed for e in evaluations)  # type: ignore[union-attr]
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        sections = conn.execute(
            sa.text("SELECT count(*) FROM resource_sections WHERE resource_id = :r"), {"r": PARTITION}
        ).scalar_one()
        quizzes = conn.execute(
            sa.text("SELECT count(*) FROM question_bank WHERE resource_id = :r AND kind = 'quiz'"), {"r": PARTITION}
        ).scalar_one()
    engine.dispose()
    assert sections == len(load_catalog().resource(PARTITION).sections) and 12 <= quizzes <= 20


def test_a_backfill_of_every_partition_through_graphql_stays_under_the_pool_limit(dev) -> None:  # type: ignore[no-untyped-def]
    url, home, server = dev
    partitions = load_catalog().resource_ids
    backfill_id = launch_asset_backfill(url, INGEST_CHAIN, partitions)
    assert wait_for_backfill(url, backfill_id, timeout=900) == "COMPLETED_SUCCESS"
    stats = server.stats()
    # Up to pool-limit LLM steps x 8 requests want to be in flight; the global bound lets 3 through.
    assert stats["completions"] > 0 and stats["peak_in_flight"] <= GLOBAL_BOUND
    assert peak_concurrent_steps(home, backfill_id, LLM_STEPS) <= pool_limit(home / "dagster.yaml")
    assert {r["status"] for p in partitions for r in _runs(url, p)} == {"SUCCESS"}
