"""Command line behind `make demo`, `make run` and `make dev`.

    python -m kz2h_assets.cli demo             # offline: embedded PostgreSQL, sample sources
    python -m kz2h_assets.cli run [--partition ID]
    python -m kz2h_assets.cli dev [--port 3000]

Each uses a project-local DAGSTER_HOME (.state/dagster_home) holding the repo's
dagster.yaml, so runs started here show up in the UI started by `make dev`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".state"
DAGSTER_HOME = STATE / "dagster_home"


def prepare_dagster_home() -> Path:
    DAGSTER_HOME.mkdir(parents=True, exist_ok=True)
    source, target = REPO / "dagster.yaml", DAGSTER_HOME / "dagster.yaml"
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)
    os.environ["DAGSTER_HOME"] = str(DAGSTER_HOME)
    return DAGSTER_HOME


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _execute(job_name: str) -> bool:
    import dagster as dg

    from .definitions import defs

    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data:
                error = event.step_failure_data.error
                message = error.message.strip() if error else "unknown error"
                print(f"  step {event.step_key} failed: {message}", file=sys.stderr)
    return result.success


def _summary() -> str:
    import sqlalchemy as sa

    from .definitions import database

    engine = database.get_engine()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                """
                SELECT r.sort_order, r.id, r.kind,
                       count(rc.*) FILTER (WHERE rc.relation = 'teaches' AND rc.archived_at IS NULL),
                       count(rc.*) FILTER (WHERE rc.relation = 'requires' AND rc.archived_at IS NULL)
                FROM resources r LEFT JOIN resource_concepts rc ON rc.resource_id = r.id
                WHERE r.archived_at IS NULL
                GROUP BY r.sort_order, r.id, r.kind ORDER BY r.sort_order
                """
            )
        ).all()
    lines = [f"{'sort':>4}  {'resource':<26} {'kind':<6} {'teaches':>7} {'requires':>8}"]
    lines += [f"{s:>4}  {i:<26} {k:<6} {t:>7} {q:>8}" for s, i, k, t, q in rows]
    lines.append(f"database: {database.display_url()}")
    return "\n".join(lines)


def demo(_: argparse.Namespace) -> int:
    # The demo is offline by definition: the embedded database, whatever the shell says.
    for name in ("KZ2H_DATABASE_URL", "DEEPSEEK_API_KEY"):
        os.environ.pop(name, None)
    prepare_dagster_home()
    print("kz2h-assets demo: embedded PostgreSQL, bundled catalog (offline)")
    if not _execute("catalog_sync"):
        return _fail("the demo run failed; see the messages above")
    print(_summary())
    print("\nSee the runs in the UI: make dev, then open http://127.0.0.1:3000")
    return 0


def run(args: argparse.Namespace) -> int:
    prepare_dagster_home()
    target = "the embedded database" if not os.getenv("KZ2H_DATABASE_URL") else "KZ2H_DATABASE_URL"
    print(f"kz2h-assets run: catalog sync into {target}")
    if args.partition:
        from .catalog import load_catalog

        if args.partition not in load_catalog().resource_ids:
            return _fail(
                f"unknown partition {args.partition!r}; choose one of {', '.join(load_catalog().resource_ids)}"
            )
    if not _execute("catalog_sync"):
        return _fail("the run failed; see the messages above")
    print(_summary())
    return 0


def dev(args: argparse.Namespace) -> int:
    prepare_dagster_home()
    cmd = [
        sys.executable, "-m", "dagster", "dev", "-w", str(REPO / "workspace.yaml"),
        "-h", args.host, "-p", str(args.port),
    ]  # fmt: skip
    # Own process group: a `dagster dev` that inherits an ignored SIGINT also ignores SIGTERM.
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True)

    def forward(signum: int, _frame: object) -> None:
        proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    print(f"Dagster UI: http://{args.host}:{args.port}  (Ctrl-C stops it)")
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
