"""Command line behind `make demo`, `make run` and `make dev`.

    python -m kz2h_assets.cli demo             # offline: embedded PostgreSQL, sample sources
    python -m kz2h_assets.cli run [--partition ID]
    python -m kz2h_assets.cli dev [--port 3000]

`demo` always uses a project-local DAGSTER_HOME (.state/dagster_home) holding the repo's
dagster.yaml, so its runs show up in the UI started by `make dev`. `run` and `dev` use the
same unless DAGSTER_HOME is set (a production instance, say); a DAGSTER_HOME without a
dagster.yaml gets the repo's, and one that has its own keeps it.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".state"
DAGSTER_HOME = STATE / "dagster_home"


def prepare_dagster_home(*, honour_env: bool = True) -> Path:
    """Point DAGSTER_HOME at the instance folder this command uses and make sure it is ready."""
    from .devserver import prepare_home

    configured = os.getenv("DAGSTER_HOME") if honour_env else None
    # A set DAGSTER_HOME keeps its own dagster.yaml; one without gets ours (else no `deepseek` pool limit).
    home = prepare_home(Path(configured).resolve(), keep_existing=True) if configured else prepare_home(DAGSTER_HOME)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


@contextmanager
def standin_server() -> Iterator[str]:
    """Start `python -m kz2h_assets.standin` on a free loopback port; stop it afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kz2h_assets.standin", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        if not match:
            raise RuntimeError(f"the stand-in did not start (it printed {line!r})")
        yield match.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stdout is not None:
            proc.stdout.close()


def _failures(result: Any) -> list[str]:
    lines = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data:
            error = event.step_failure_data.error
            message = error.message.strip() if error else "unknown error"
            message = re.sub(r"^[\w.]+\.Failure: ", "", message)  # a dg.Failure's text is already for people
            lines.append(f"{event.step_key}: {message}")
    return lines


class _ConsoleNotes(logging.Handler):
    """The command line's view of a run's log: the assets' own warnings, one line each, under the
    partition's line. Dagster's events are left out: failures are printed, cleaned, at the end,
    and the full log with stack traces is the run's page in the UI."""

    midline = False  # "<partition>: running ..." is waiting for its " ok" / " FAILED"

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        if meta.get("dagster_event") is not None or record.levelno >= logging.ERROR:
            return  # Dagster's events and errors (failures, steps not run after one): summarised by _failures
        text = str(meta.get("orig_message", record.getMessage())).strip().splitlines()
        where = meta.get("step_key") or "run"
        prefix = "\n" if _ConsoleNotes.midline else ""
        _ConsoleNotes.midline = False
        print(f"{prefix}    {where}: {text[0] if text else ''}", flush=True)


def _console_logger() -> Any:
    import dagster as dg

    @dg.logger(config_schema=None, description="warnings, one line each; failures are summarised by the command")
    def console_notes(_: dg.InitLoggerContext) -> logging.Logger:
        log = logging.Logger("kz2h_assets.cli", level=logging.WARNING)
        log.addHandler(_ConsoleNotes())
        return log

    return console_notes


def _execute(job_name: str, partition: str | None = None) -> tuple[list[str], str]:
    """Run a job in this process with the project's Dagster instance; return (failure messages, run id)."""
    import warnings

    import dagster as dg

    warnings.filterwarnings("ignore", category=dg.PreviewWarning)  # partitioned asset checks are "preview"
    from .definitions import defs

    with dg.DagsterInstance.get() as instance:
        job = defs.resolve_job_def(job_name).with_logger_defs({"console_notes": _console_logger()})
        result = job.execute_in_process(
            instance=instance,
            partition_key=partition,
            raise_on_error=False,
            run_config={"loggers": {"console_notes": {}}},
        )
    problems = [] if result.success else _failures(result)
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            problems.append(f"check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed")
    return problems, result.run_id


def _summary(resource_ids: list[str], run_ids: list[str]) -> str:
    from .definitions import database
    from .summary import ESTIMATE_MODEL, partition_summary

    # Outside a run the resource's EnvVars are not resolved yet: initialize it as a run would.
    with database.process_config_and_initialize_cm() as resolved:
        table = partition_summary(resolved.get_engine(), resource_ids, run_ids)
        notes = (
            "LLM calls: behind the content so far; new: requests this run sent; cost USD: billed so far\n"
            f"(0 for the stand-in); est. USD: the same tokens at {ESTIMATE_MODEL} off-peak list prices"
        )
        return f"{table}\n{notes}\ndatabase: {resolved.display_url()}"


def _ingest(partitions: list[str]) -> int:
    print("catalog: validating and syncing ...", flush=True)
    problems, _ = _execute("catalog_sync")
    if problems:
        print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return _fail("the catalog sync failed; nothing else was run")
    failed: dict[str, list[str]] = {}
    run_ids = []
    for partition in partitions:
        began = time.monotonic()
        print(f"{partition}: running ...", end="", flush=True)
        _ConsoleNotes.midline = True
        problems, run_id = _execute("ingest", partition)
        run_ids.append(run_id)
        outcome = f"{'ok' if not problems else 'FAILED'} ({time.monotonic() - began:.1f} s)"
        print(f" {outcome}" if _ConsoleNotes.midline else f"  {partition}: {outcome}", flush=True)
        _ConsoleNotes.midline = False
        if problems:
            failed[partition] = problems
    print()
    print(_summary(partitions, run_ids))
    for partition, problems in failed.items():
        print(f"\n{partition} failed (its run's full log: `make dev`, then Runs):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    return 1 if failed else 0


def _partitions(requested: str) -> list[str] | None:
    from .catalog import load_catalog

    ids = load_catalog().resource_ids
    if not requested:
        return ids
    if requested not in ids:
        return None
    return [requested]


def demo(_: argparse.Namespace) -> int:
    # The demo is offline by definition: embedded database, bundled samples, local stand-in LLM.
    for name in ("KZ2H_DATABASE_URL", "KZ2H_YOUTUBE_PROXY_HTTP", "KZ2H_YOUTUBE_PROXY_HTTPS"):
        os.environ.pop(name, None)
    from .sources import SAMPLES_DIR

    os.environ["KZ2H_SOURCES_DIR"] = str(SAMPLES_DIR)
    prepare_dagster_home(honour_env=False)
    partitions = _partitions("")
    assert partitions is not None
    print("kz2h-assets demo: embedded PostgreSQL, bundled sample sources, local stand-in LLM (offline)\n")
    with standin_server() as url:
        os.environ["DEEPSEEK_BASE_URL"] = url
        os.environ["DEEPSEEK_API_KEY"] = "standin-demo-key"
        os.environ["KZ2H_LLM_MODEL"] = "deepseek-flash"
        status = _ingest(partitions)
    if status == 0:
        print("\nAll partitions materialized. See them in the UI: `make dev`, then http://127.0.0.1:3000")
    return status


def run(args: argparse.Namespace) -> int:
    if not os.getenv("DEEPSEEK_API_KEY"):
        return _fail(
            "DEEPSEEK_API_KEY is not set. Set it (and optionally DEEPSEEK_BASE_URL, KZ2H_DATABASE_URL, "
            "KZ2H_SOURCES_DIR) to run for real, or run `make demo` to run everything offline."
        )
    partitions = _partitions(args.partition)
    if partitions is None:
        from .catalog import load_catalog

        return _fail(f"unknown partition {args.partition!r}; choose one of: {', '.join(load_catalog().resource_ids)}")
    home = prepare_dagster_home()
    target = "KZ2H_DATABASE_URL" if os.getenv("KZ2H_DATABASE_URL") else "the embedded database"
    print(f"kz2h-assets run: {len(partitions)} partition(s) into {target} (Dagster instance {home})\n")
    return _ingest(partitions)


def dev(args: argparse.Namespace) -> int:
    prepare_dagster_home()
    with ExitStack() as stack:
        if not os.getenv("DEEPSEEK_API_KEY"):
            # Offline by default: the stand-in and the bundled samples, like `make demo`.
            from .sources import SAMPLES_DIR

            url = stack.enter_context(standin_server())
            os.environ.update(DEEPSEEK_BASE_URL=url, DEEPSEEK_API_KEY="standin-dev-key")
            os.environ.setdefault("KZ2H_SOURCES_DIR", str(SAMPLES_DIR))
            print(f"offline: LLM stand-in at {url}, sources from {os.environ['KZ2H_SOURCES_DIR']}")
        else:
            print(f"LLM: {os.getenv('DEEPSEEK_BASE_URL', 'https://api.deepseek.com')}")
        from .devserver import dev_command

        # Own process group: a `dagster dev` that inherits an ignored SIGINT also ignores SIGTERM.
        proc = subprocess.Popen(dev_command(args.host, args.port), cwd=REPO, start_new_session=True)

        def forward(signum: int, _frame: object) -> None:
            proc.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        print(f"Dagster UI: http://{args.host}:{args.port}  (Ctrl-C stops it)", flush=True)
        return proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kz2h_assets", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the main job offline on embedded defaults").set_defaults(func=demo)
    p_run = sub.add_parser("run", help="run against the configured database and LLM")
    p_run.add_argument("--partition", default="", help="a resource id (all when omitted)")
    p_run.set_defaults(func=run)
    p_dev = sub.add_parser("dev", help="start the Dagster UI and daemon")
    p_dev.add_argument("--host", default="127.0.0.1")
    p_dev.add_argument("--port", type=int, default=3000)
    p_dev.set_defaults(func=dev)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
