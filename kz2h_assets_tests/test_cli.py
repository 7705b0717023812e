"""`make run` (python -m kz2h_assets.cli run): its refusals, a real run, and a failed one.

Each runs the command in a subprocess with the environment a user would set: the stand-in at
DEEPSEEK_BASE_URL, this test's database at KZ2H_DATABASE_URL, the samples at KZ2H_SOURCES_DIR,
and a DAGSTER_HOME of the test's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from kz2h_assets.catalog import load_catalog
from kz2h_assets.cli import _console_logger
from kz2h_assets.devserver import prepare_home
from kz2h_assets.sources import SAMPLES_DIR

from .conftest import PARTITION, REPO
from .standin_server import running_standin

pytestmark = pytest.mark.slow
_OURS = ("DEEPSEEK_", "KZ2H_", "DAGSTER_HOME")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    return subprocess.run(
        [sys.executable, "-m", "kz2h_assets.cli", "run", *args],
        cwd=REPO, env={**clean, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_without_an_api_key_it_stops_at_once_and_points_to_the_demo(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    done = _run({"DAGSTER_HOME": str(home)}, "--partition", PARTITION)
    assert done.returncode == 1
    assert "DEEPSEEK_API_KEY is not set" in done.stderr and "make demo" in done.stderr
    assert not home.exists()  # nothing was started


def test_an_unknown_partition_is_refused_with_the_choices(tmp_path: Path) -> None:
    done = _run({"DEEPSEEK_API_KEY": "sk-x", "DAGSTER_HOME": str(tmp_path)}, "--partition", "kz2h-nope")
    assert done.returncode == 1
    assert "unknown partition 'kz2h-nope'" in done.stderr
    assert all(rid in done.stderr for rid in load_catalog().resource_ids)


def test_a_run_loads_the_partition_and_a_failed_one_exits_non_zero(database_url: str, tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    with running_standin() as server:
        env = {
            "DEEPSEEK_API_KEY": "sk-cli-test",
            "DEEPSEEK_BASE_URL": server.url,
            "KZ2H_DATABASE_URL": database_url,
            "KZ2H_SOURCES_DIR": str(SAMPLES_DIR),
            "DAGSTER_HOME": str(home),
        }
        done = _run(env, "--partition", PARTITION)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "catalog: validating and syncing" in done.stdout and f"{PARTITION}: running ... ok" in done.stdout
        assert "sk-cli-test" not in done.stdout + done.stderr  # the key is never shown
        assert (home / "dagster.yaml").read_text() == (REPO / "dagster.yaml").read_text()
        engine = sa.create_engine(database_url)
        with engine.connect() as conn:
            quizzes = conn.execute(
                sa.text("SELECT count(*) FROM question_bank WHERE resource_id = :r AND kind = 'quiz'"),
                {"r": PARTITION},
            ).scalar_one()
        assert 12 <= quizzes <= 20

        # Another partition, and the account runs out of balance on its first call.
        server.script(["402"])
        other = "kz2h-makemore-bigram"
        failed = _run(env, "--partition", other)
        assert failed.returncode == 1
        assert f"{other}: running ... FAILED" in failed.stdout
        assert f"  translated_segments: {other}: the LLM account has insufficient balance (402" in failed.stderr
        assert "Top up the DeepSeek account" in failed.stderr
        assert "Traceback" not in failed.stderr + failed.stdout and "Not executing" not in failed.stdout
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT count(*) FROM question_bank WHERE resource_id = :r"), {"r": other}
            ).scalar_one()
        assert rows == 0
        engine.dispose()


def test_the_console_shows_warnings_one_line_each_and_leaves_failures_to_the_summary(capsys) -> None:  # type: ignore[no-untyped-def]
    @dg.op
    def flaky(context) -> int:  # type: ignore[no-untyped-def]  # dagster reads the name, not a string annotation
        context.log.info("progress nobody asked for")
        context.log.warning("429 from the API, retrying in 2 s\nsecond line")
        raise dg.Failure("the message for people")

    @dg.op
    def after(value: int) -> int:
        return value

    @dg.job(logger_defs={"console_notes": _console_logger()})
    def job() -> None:
        after(flaky())

    result = job.execute_in_process(run_config={"loggers": {"console_notes": {}}}, raise_on_error=False)
    assert not result.success
    out, err = capsys.readouterr()
    assert out == "    flaky: 429 from the API, retrying in 2 s\n" and "Traceback" not in err


def test_a_dagster_home_of_your_own_keeps_its_dagster_yaml(tmp_path: Path) -> None:
    own = "telemetry:\n  enabled: false\n"  # a production instance's, say
    (tmp_path / "dagster.yaml").write_text(own)
    assert prepare_home(tmp_path, keep_existing=True) == tmp_path
    assert (tmp_path / "dagster.yaml").read_text() == own
    prepare_home(tmp_path)  # the project's own home is always brought in line with the repo
    assert (tmp_path / "dagster.yaml").read_text() == (REPO / "dagster.yaml").read_text()
