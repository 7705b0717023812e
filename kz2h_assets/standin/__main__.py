"""python -m kz2h_assets.standin --port N: run the stand-in until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence

from .server import DEFAULT_FAULTS, FAULTS, StandinServer


def _faults(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in FAULTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown fault kinds {', '.join(unknown)}; choose from {', '.join(FAULTS)}")
    return kinds


def _rate(value: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return rate


def _seconds(value: str) -> float:
    seconds = float(value)
    if seconds < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return seconds


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m kz2h_assets.standin",
        description="A local stand-in for DeepSeek's chat-completions API (labelled kz2h-standin).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (printed)")
    parser.add_argument("--latency", type=_seconds, default=0.0, help="seconds each completion takes")
    parser.add_argument("--fail-rate", type=_rate, default=0.0, help="probability of a fault per request")
    parser.add_argument(
        "--faults",
        type=_faults,
        default=DEFAULT_FAULTS,
        help=f"comma-separated fault kinds drawn with --fail-rate (default {','.join(DEFAULT_FAULTS)}; "
        f"all: {','.join(FAULTS)})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the reproducible fault draws")
    parser.add_argument("--api-key", default=None, help="accept only this bearer key (default: any non-blank key)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    server = StandinServer(
        host=args.host,
        port=args.port,
        latency=args.latency,
        fail_rate=args.fail_rate,
        faults=args.faults,
        seed=args.seed,
        api_key=args.api_key,
        verbose=args.verbose,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"stand-in cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"stand-in listening on {server.url}", flush=True)
    try:
        while not stop_requested:
            time.sleep(0.1)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
