"""Wiring only: assets, checks, jobs and resources."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import dagster as dg

from .assets import catalog as catalog_assets
from .assets import content as content_assets
from .assets import load as load_assets
from .assets import source as source_assets
from .assets import translation as translation_assets
from .automation import WEEKLY, weekly_refresh
from .checks import ALL_CHECKS
from .resources import LLM, Database, SourceFetcher

if TYPE_CHECKING:
    from dagster._config.field_utils import IntEnvVar  # what dg.EnvVar.int returns; not exported


def _env(name: str) -> dg.EnvVar | None:
    """EnvVar for a variable that is set, else None (EnvVar keeps values out of the UI's config view)."""
    return dg.EnvVar(name) if os.getenv(name) else None


def _env_int(name: str) -> IntEnvVar | None:
    return dg.EnvVar.int(name) if os.getenv(name) else None


def _database() -> Database:
    url = _env("KZ2H_DATABASE_URL")
    return Database(url=url) if url else Database()


def _sources() -> SourceFetcher:
    settings: dict[str, Any] = {
        "sources_dir": _env("KZ2H_SOURCES_DIR"),
        "proxy_http": _env("KZ2H_YOUTUBE_PROXY_HTTP"),
        "proxy_https": _env("KZ2H_YOUTUBE_PROXY_HTTPS"),
        "webshare_username": _env("KZ2H_WEBSHARE_USERNAME"),
        "webshare_password": _env("KZ2H_WEBSHARE_PASSWORD"),
    }
    return SourceFetcher(**{k: v for k, v in settings.items() if v is not None})


def _llm() -> LLM:
    settings: dict[str, Any] = {
        "api_key": _env("DEEPSEEK_API_KEY"),
        "base_url": _env("DEEPSEEK_BASE_URL"),
        "model": _env("KZ2H_LLM_MODEL"),
        "json_mode": _env("KZ2H_LLM_JSON_MODE"),
        "max_in_flight": _env_int("KZ2H_LLM_MAX_IN_FLIGHT"),
        "global_in_flight": _env_int("KZ2H_LLM_GLOBAL_IN_FLIGHT"),
        "allow_standin_remote": os.getenv("KZ2H_ALLOW_STANDIN_REMOTE", "") in ("1", "true", "yes"),
    }
    return LLM(**{k: v for k, v in settings.items() if v is not None})


def _executor() -> dg.ExecutorDefinition:
    """In-process by default: a partition's chain is sequential anyway, and a subprocess per step costs
    seconds of start-up on a small machine. Pools and step retries apply either way.
    KZ2H_EXECUTOR=multiprocess runs each step in its own process (bigger machines, isolation)."""
    choice = os.getenv("KZ2H_EXECUTOR", "in_process")
    if choice not in ("in_process", "multiprocess"):
        raise ValueError(f"KZ2H_EXECUTOR must be in_process or multiprocess, not {choice!r}")
    return dg.multiprocess_executor if choice == "multiprocess" else dg.in_process_executor


catalog_job = dg.define_asset_job(
    "catalog_sync",
    selection=dg.AssetSelection.groups("catalog"),
    description="Validate the catalog and sync resources, concepts and resource_concepts.",
)

ingest_job = dg.define_asset_job(
    "ingest",
    selection=dg.AssetSelection.groups("source", "translation", "content", "load"),
    description="The per-resource chain: source, segments, translation, sections, questions, platform rows.",
)


def build_definitions(database: Database, sources: SourceFetcher, llm: LLM) -> dg.Definitions:
    """The whole graph bound to these resources (tests bind their own)."""
    return dg.Definitions(
        assets=dg.load_assets_from_modules(
            [catalog_assets, source_assets, translation_assets, content_assets, load_assets],
            automation_condition=WEEKLY,
        ),
        asset_checks=ALL_CHECKS,
        jobs=[catalog_job, ingest_job],
        sensors=[weekly_refresh],
        executor=_executor(),
        resources={"database": database, "sources": sources, "llm": llm},
    )


database = _database()
defs = build_definitions(database, _sources(), _llm())
