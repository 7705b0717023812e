"""Dagster resources. Secrets arrive only through ``EnvVar`` and are never logged or shown."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr, ValidationError
from sqlalchemy.engine import Engine

from . import db
from .llm.client import ClientSettings, LLMFatalError
from .sources.fetch import FetchSettings
from .sources.models import SourceError
from .sources.youtube import ProxySettings

DEFAULT_STATE_DIR = Path(__file__).resolve().parent.parent / ".state"


class Database(dg.ConfigurableResource):
    """The platform's PostgreSQL (Supabase or any Postgres), or an embedded one.

    ``url`` comes from ``KZ2H_DATABASE_URL``. Unset, the project starts its own
    embedded PostgreSQL with data in ``<state_dir>/pgdata``. Migrations in ``sql/``
    are applied on first use.
    """

    url: str | None = None
    state_dir: str = str(DEFAULT_STATE_DIR)
    embedded_database: str = "kz2h"

    _engine: Engine | None = PrivateAttr(default=None)

    @property
    def embedded(self) -> bool:
        return not self.url

    def get_engine(self) -> Engine:
        if self._engine is None:
            url = self.url or db.start_embedded(Path(self.state_dir) / "pgdata", self.embedded_database)
            engine = db.make_engine(url)
            try:
                db.migrate(engine)
            except db.DatabaseError:
                raise
            except Exception as exc:
                engine.dispose()
                raise db.DatabaseError(
                    f"cannot reach or migrate the database at {db.safe_url(engine.url)}: "
                    f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
                    "Check KZ2H_DATABASE_URL (or unset it to use the embedded database)."
                ) from exc
            self._engine = engine
        return self._engine

    def display_url(self) -> str:
        """Where the data goes, password hidden: safe for logs and metadata."""
        return db.safe_url(self.get_engine().url)

    def is_local(self) -> bool:
        return db.is_local(self.get_engine().url)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class SourceFetcher(dg.ConfigurableResource):
    """Where English sources come from.

    ``sources_dir`` (``KZ2H_SOURCES_DIR``): local files that override fetching.
    YouTube blocks many cloud addresses: route it through a proxy with
    ``KZ2H_YOUTUBE_PROXY_HTTP``/``_HTTPS`` or Webshare credentials
    (``KZ2H_WEBSHARE_USERNAME``/``KZ2H_WEBSHARE_PASSWORD``).
    """

    sources_dir: str | None = None
    proxy_http: str | None = None
    proxy_https: str | None = None
    webshare_username: str | None = None
    webshare_password: str | None = None
    pdf_max_bytes: int = 50_000_000
    timeout_seconds: float = 60.0

    def settings(self) -> FetchSettings:
        proxy = None
        if self.proxy_http or self.proxy_https or self.webshare_username or self.webshare_password:
            try:
                proxy = ProxySettings(
                    http_url=self.proxy_http,
                    https_url=self.proxy_https,
                    webshare_username=self.webshare_username,
                    webshare_password=self.webshare_password,
                )
            except ValidationError as exc:
                problems = "; ".join(e["msg"] for e in exc.errors(include_url=False))
                raise SourceError(
                    f"bad YouTube proxy settings: {problems}. Check KZ2H_YOUTUBE_PROXY_HTTP/_HTTPS or "
                    "KZ2H_WEBSHARE_USERNAME/KZ2H_WEBSHARE_PASSWORD (use one kind of proxy)."
                ) from None
        return FetchSettings(
            sources_dir=Path(self.sources_dir) if self.sources_dir else None,
            proxy=proxy,
            pdf_max_bytes=self.pdf_max_bytes,
            timeout_seconds=self.timeout_seconds,
        )

    def describe(self) -> str:
        """Where sources come from, without secrets."""
        where = f"local files in {self.sources_dir}, else the network" if self.sources_dir else "the network"
        if self.webshare_username:
            where += " (YouTube via Webshare proxy)"
        elif self.proxy_http or self.proxy_https:
            where += " (YouTube via proxy)"
        return where


class LLM(dg.ConfigurableResource):
    """DeepSeek's chat-completions API, or any OpenAI-compatible server (vLLM, llama.cpp, the stand-in).

    ``api_key`` (``DEEPSEEK_API_KEY``) is a secret: it is sent as a bearer token and
    never logged, stored or shown. ``base_url`` is ``DEEPSEEK_BASE_URL``.

    Two bounds on requests in flight: ``max_in_flight`` per step (``KZ2H_LLM_MAX_IN_FLIGHT``)
    and ``global_in_flight`` over every run sharing the database (``KZ2H_LLM_GLOBAL_IN_FLIGHT``),
    which is what DeepSeek's per-account concurrency limit sees.
    """

    api_key: str | None = None
    base_url: str = "https://api.deepseek.com"
    model: str = "deepseek-flash"
    max_in_flight: int = 8
    global_in_flight: int = 16
    max_attempts: int = 6
    deadline_seconds: float = 900.0
    max_asks: int = 3
    json_mode: str = "json_object"  # or "json_schema" for servers that enforce a schema
    allow_standin_remote: bool = False

    def client_settings(self) -> ClientSettings:
        if not self.api_key:
            raise LLMFatalError(
                "DEEPSEEK_API_KEY is not set. Set it to use DeepSeek, or run `make demo` to run offline "
                "against the local stand-in."
            )
        for name, value in (
            ("KZ2H_LLM_MAX_IN_FLIGHT", self.max_in_flight),
            ("KZ2H_LLM_GLOBAL_IN_FLIGHT", self.global_in_flight),
        ):
            if value < 1:  # 0 would wait for a slot forever
                raise LLMFatalError(f"{name} must be at least 1, got {value}")
        return ClientSettings(
            base_url=self.base_url,
            api_key=self.api_key,
            max_in_flight=self.max_in_flight,
            max_attempts=self.max_attempts,
            deadline_seconds=self.deadline_seconds,
        )
