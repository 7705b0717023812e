"""Fetch a video's English captions from YouTube with youtube-transcript-api.

Every failure becomes a :class:`SourceError` whose message names the video and the fix.
The library sets no timeouts, so every request goes through a session that adds one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import requests
from pydantic import BaseModel, Field, model_validator
from youtube_transcript_api import YouTubeTranscriptApi
from youtube_transcript_api import _errors as yt_errors
from youtube_transcript_api.proxies import GenericProxyConfig, ProxyConfig, WebshareProxyConfig

from kz2h_assets.sources.models import Snippet, SourceError, Transcript

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "en-US", "en-GB")

LOCAL_FILE_HINT = (
    "download the captions another way (e.g. `yt-dlp --skip-download --write-subs --write-auto-subs "
    "--sub-langs en --sub-format vtt`) and put them at KZ2H_SOURCES_DIR/<resource_id>.vtt|.srt|.json|.txt"
)
PROXY_HINT = (
    "Configure a rotating residential proxy (KZ2H_YOUTUBE_PROXY_HTTP / KZ2H_YOUTUBE_PROXY_HTTPS, "
    "or KZ2H_WEBSHARE_USERNAME / KZ2H_WEBSHARE_PASSWORD)"
)
_SOUND_TAGS = re.compile(r"^(?:\[[^\]]*\]|[♪♫\s])+$")


class ProxySettings(BaseModel, extra="forbid"):
    """Either a generic HTTP(S) proxy or Webshare rotating residential credentials."""

    http_url: str | None = Field(default=None, repr=False)
    https_url: str | None = Field(default=None, repr=False)
    webshare_username: str | None = None
    webshare_password: str | None = Field(default=None, repr=False)

    @model_validator(mode="after")
    def _one_kind(self) -> ProxySettings:
        if bool(self.webshare_username) != bool(self.webshare_password):
            raise ValueError("Webshare needs both a username and a password")
        if self.webshare_username and (self.http_url or self.https_url):
            raise ValueError("configure either a Webshare proxy or a generic HTTP(S) proxy, not both")
        return self

    def to_proxy_config(self) -> ProxyConfig | None:
        if self.webshare_username and self.webshare_password:
            return WebshareProxyConfig(proxy_username=self.webshare_username, proxy_password=self.webshare_password)
        if self.http_url or self.https_url:
            return GenericProxyConfig(http_url=self.http_url, https_url=self.https_url)
        return None

    def describe(self) -> str:
        """Where requests go, without credentials."""
        if self.webshare_username:
            return "Webshare rotating residential proxy"
        hosts = {urlsplit(u).hostname or "?" for u in (self.http_url, self.https_url) if u}
        return f"proxy {', '.join(sorted(hosts))}" if hosts else "no proxy"

    def secrets(self) -> list[str]:
        found = [self.webshare_password or ""]
        found += [urlsplit(u).password or "" for u in (self.http_url, self.https_url) if u]
        return [s for s in found if s]


def redact(text: str, proxy: ProxySettings | None) -> str:
    for secret in proxy.secrets() if proxy else []:
        text = text.replace(secret, "***")
    return text


def no_english_message(video_id: str, languages: Sequence[str], available: Sequence[str]) -> str:
    have = ", ".join(available) or "none"
    return (
        f"YouTube video {video_id} has no caption track in {', '.join(languages)} (available: {have}). "
        f"Check the catalog's youtube_id, or {LOCAL_FILE_HINT}."
    )


def network_error_message(video_id: str, error: BaseException, proxy: ProxySettings | None = None) -> str:
    via = proxy.describe() if proxy else "no proxy"
    return (
        f"Could not reach YouTube for video {video_id} ({via}): {type(error).__name__}: "
        f"{redact(str(error), proxy)}. Check the network connection and the proxy settings, then retry."
    )


def error_message(video_id: str, error: BaseException, proxy: ProxySettings | None = None) -> str:
    """The message for a library (or network) failure: what happened and what to do."""
    name = f"YouTube video {video_id}"
    local = f"Otherwise {LOCAL_FILE_HINT}."
    check_id = "Check the catalog's youtube_id (the 11 characters after watch?v=)."
    if isinstance(error, yt_errors.TranscriptsDisabled):
        return f"{name} has captions turned off. {local}"
    if isinstance(error, yt_errors.NoTranscriptFound):
        return f"{name} has no caption track in the requested languages. {local}"
    if isinstance(error, yt_errors.InvalidVideoId):
        return f"{name}: that is not a video id (a URL?). {check_id}"
    if isinstance(error, yt_errors.VideoUnavailable):
        return f"{name} is unavailable (removed, private or a wrong id). {check_id}"
    if isinstance(error, yt_errors.VideoUnplayable):
        details = "; ".join([error.reason or "no reason given", *error.sub_reasons])
        return f"{name} cannot be played ({details}). {check_id} {local}"
    if isinstance(error, yt_errors.RequestBlocked):  # IpBlocked too: a 429, a captcha or "not a bot"
        if proxy and proxy.to_proxy_config():
            return (
                f"YouTube blocked the request for {name} even through the {proxy.describe()}. "
                f"Use a rotating residential proxy (not datacenter or static ones). {local}"
            )
        return (
            f"YouTube blocked the request for {name}: it blocks this address (typical for cloud and CI IPs, "
            f"or after many requests). {PROXY_HINT}. {local}"
        )
    if isinstance(error, yt_errors.AgeRestricted):
        return f"{name} is age-restricted: its captions need a signed-in session, which this client lacks. {local}"
    if isinstance(error, yt_errors.PoTokenRequired):
        return f"YouTube demands a PO token for the captions of {name}, which this client cannot make. {local}"
    if isinstance(error, ParseError):  # an empty caption body is YouTube's other way of asking for a PO token
        return f"YouTube sent an empty or unreadable caption track for {name} (it may want a PO token). {local}"
    if isinstance(error, yt_errors.YouTubeRequestFailed):
        return f"A request to YouTube for {name} failed ({redact(error.reason, proxy)}). Retry later. {local}"
    if isinstance(error, yt_errors.FailedToCreateConsentCookie):
        return f"YouTube showed a cookie-consent page for {name} that could not be accepted. Retry. {local}"
    if isinstance(error, yt_errors.YouTubeDataUnparsable | KeyError | TypeError):
        return (
            f"YouTube's response for {name} could not be read (its pages may have changed: "
            f"try upgrading youtube-transcript-api). {local}"
        )
    if isinstance(error, requests.exceptions.RequestException):
        return network_error_message(video_id, error, proxy)
    first_line = next((line for line in str(error).splitlines() if line.strip()), "")
    return f"Could not get captions for {name}: {type(error).__name__}: {redact(first_line, proxy)}. {local}"


def clean_text(text: str) -> str:
    """Unescape entities the library left (double-escaped captions) and collapse whitespace."""
    return " ".join(html.unescape(text).split())


def is_sound_tag(text: str) -> bool:
    """``[Music]``, ``[Applause]``, ``♪`` and the like: nothing to translate."""
    return bool(_SOUND_TAGS.match(text))


class _TimeoutSession(requests.Session):
    """A copy of ``base`` (adapters, headers, cookies, proxies) that gives every request a timeout."""

    def __init__(self, timeout: float, base: requests.Session | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self._shared = list(base.adapters.values()) if base is not None else []
        if base is not None:
            self.headers.update(base.headers)
            self.cookies.update(base.cookies)
            self.proxies.update(base.proxies)
            self.auth, self.verify, self.cert, self.trust_env = base.auth, base.verify, base.cert, base.trust_env
            for prefix, adapter in base.adapters.items():
                self.mount(prefix, adapter)

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if len(args) < 7:  # timeout is the 7th optional positional argument
            kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)

    def close(self) -> None:
        """Close our own adapters; the base session's belong to its owner."""
        for adapter in self.adapters.values():
            if not any(adapter is shared for shared in self._shared):
                adapter.close()


def fetch_transcript(
    video_id: str,
    *,
    proxy: ProxySettings | None = None,
    session: requests.Session | None = None,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    timeout: float = 30,
) -> Transcript:
    """The video's manual English captions, else its generated ones.

    ``session`` (e.g. one routed to a fake server) is copied, not changed; its adapters are shared.
    """
    http = _TimeoutSession(timeout, base=session)
    api = YouTubeTranscriptApi(proxy_config=proxy.to_proxy_config() if proxy else None, http_client=http)
    try:
        tracks = api.list(video_id)
        try:
            track = tracks.find_manually_created_transcript(languages)
        except yt_errors.NoTranscriptFound:
            try:
                track = tracks.find_generated_transcript(languages)
            except yt_errors.NoTranscriptFound:
                available = [f"{t.language_code}{' (auto)' if t.is_generated else ''}" for t in tracks]
                raise SourceError(no_english_message(video_id, languages, available)) from None
        fetched = track.fetch()
    except requests.exceptions.JSONDecodeError as error:  # a RequestException, but really unparsable data
        raise SourceError(error_message(video_id, yt_errors.YouTubeDataUnparsable(video_id), proxy)) from error
    except (yt_errors.YouTubeTranscriptApiException, requests.exceptions.RequestException) as error:
        raise SourceError(error_message(video_id, error, proxy)) from error
    except (ParseError, KeyError, TypeError) as error:  # an empty caption body, or JSON of another shape
        raise SourceError(error_message(video_id, error, proxy)) from error
    finally:
        http.close()

    snippets = [
        Snippet(text=text, start=max(s.start, 0.0), duration=max(s.duration, 0.0))
        for s in fetched.snippets
        if (text := clean_text(s.text)) and not is_sound_tag(text)
    ]
    return Transcript(
        video_id=video_id,
        language_code=track.language_code,
        is_generated=track.is_generated,
        origin=f"https://www.youtube.com/watch?v={video_id}",
        format="youtube",
        snippets=snippets,
    )
