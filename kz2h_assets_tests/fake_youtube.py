"""A local fake of the parts of YouTube that youtube-transcript-api 1.2.x talks to.

A real ``ThreadingHTTPServer`` on 127.0.0.1 serves:

- ``GET /watch?v=ID``: the watch page with the ``INNERTUBE_API_KEY`` the library scrapes
  (or a 429, a reCAPTCHA page, a cookie-consent form, a page without the key);
- ``POST /youtubei/v1/player?key=KEY``: the innertube player JSON (``playabilityStatus`` and
  ``captions.playerCaptionsTracklistRenderer.captionTracks``);
- ``GET /api/timedtext?v=ID&lang=..``: the caption XML (``<transcript><text start dur>``).

:func:`serve_fake_youtube` yields a ``requests.Session`` whose :class:`LoopbackAdapter` sends
``https://www.youtube.com/...`` requests to that server over plain HTTP, so the library runs unpatched.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from xml.sax.saxutils import escape, quoteattr

import requests
from requests.adapters import HTTPAdapter

API_KEY = "AIzaSyFAKE_kz2h-test-key_0123456789"
YOUTUBE = "https://www.youtube.com/"
BOT_CHECK = "Sign in to confirm you\u2019re not a bot"

Playability = dict[str, Any]


@dataclass(frozen=True)
class FakeTrack:
    """One caption track. ``cues`` are (start, dur, text); text is as YouTube has it (HTML entities)."""

    language_code: str = "en"
    name: str = "English"
    generated: bool = False
    cues: Sequence[tuple[float, float, str]] = ((0.0, 1.5, "hello"),)
    needs_po_token: bool = False  # the library refuses a baseUrl with "&exp=xpe"
    body: str | None = None  # the raw response instead of XML built from cues
    status: int = 200


@dataclass(frozen=True)
class FakeVideo:
    tracks: Sequence[FakeTrack] = ()
    playability: Playability = field(default_factory=lambda: {"status": "OK"})
    captions: bool = True  # False: no "captions" key, i.e. subtitles are disabled
    watch_status: int = 200  # 429: the library raises IpBlocked
    watch_page: Literal["normal", "recaptcha", "no-api-key"] = "normal"
    consent: Literal["none", "accept", "broken"] = "none"  # cookie-consent interstitial
    player_status: int = 200
    player_body: str | None = None  # a raw player response instead of JSON
    delay: float = 0.0  # seconds before answering the watch page


# Scenarios -------------------------------------------------------------------------------------


def manual_and_generated() -> FakeVideo:
    return FakeVideo(
        tracks=[
            FakeTrack(generated=True, name="English (auto-generated)", cues=[(0.0, 2.0, "auto words")]),
            FakeTrack(
                cues=[
                    (0.0, 1.5, "[Music]"),
                    (1.5, 2.25, "it&#39;s   a\nmanual &amp; careful"),
                    (3.75, 1.0, "  "),
                    (4.75, 2.0, "&lt;b&gt;loss&lt;/b&gt; &amp;amp; gain"),
                    (6.75, 1.0, "[Applause] ♪"),
                ]
            ),
            FakeTrack(language_code="de", name="German", cues=[(0.0, 1.0, "hallo")]),
        ]
    )


def generated_only() -> FakeVideo:
    return FakeVideo(tracks=[FakeTrack(generated=True, name="English (auto-generated)", cues=[(0.5, 1.0, "hi")])])


def only_german() -> FakeVideo:
    return FakeVideo(
        tracks=[
            FakeTrack(language_code="de", name="German", cues=[(0.0, 1.0, "hallo")]),
            FakeTrack(language_code="de", name="German (auto-generated)", generated=True),
        ]
    )


def captions_disabled() -> FakeVideo:
    return FakeVideo(captions=False)


def unavailable() -> FakeVideo:
    return FakeVideo(playability={"status": "ERROR", "reason": "This video is unavailable"})


def age_restricted() -> FakeVideo:
    return FakeVideo(
        playability={"status": "LOGIN_REQUIRED", "reason": "This video may be inappropriate for some users."}
    )


def bot_check() -> FakeVideo:
    return FakeVideo(playability={"status": "LOGIN_REQUIRED", "reason": BOT_CHECK})


def unplayable() -> FakeVideo:
    return FakeVideo(
        playability={
            "status": "UNPLAYABLE",
            "reason": "Video unavailable",
            "errorScreen": {
                "playerErrorMessageRenderer": {"subreason": {"runs": [{"text": "Not available in your country"}]}}
            },
        }
    )


def too_many_requests() -> FakeVideo:
    return FakeVideo(watch_status=429)


def recaptcha() -> FakeVideo:
    return FakeVideo(watch_page="recaptcha")


def po_token_required() -> FakeVideo:
    return FakeVideo(tracks=[FakeTrack(needs_po_token=True)])


def empty_caption_body() -> FakeVideo:
    return FakeVideo(tracks=[FakeTrack(body="")])


# Server ----------------------------------------------------------------------------------------


@dataclass
class FakeYouTube:
    videos: Mapping[str, FakeVideo]
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path?query)
    player_bodies: list[dict[str, Any]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)


def _watch_html(video_id: str, video: FakeVideo, cookie: str) -> str:
    if video.consent != "none" and "CONSENT=YES+" not in cookie:
        keep = '<input type="hidden" name="v" value="cb.20210328-17-p0.en+FX+123">' if video.consent == "accept" else ""
        return f'<html><body><form action="https://consent.youtube.com/s" method="POST">{keep}</form></body></html>'
    if video.watch_page == "recaptcha":
        return (
            '<html><body><form id="captcha-form"><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>'
        )
    config = {"INNERTUBE_API_KEY": API_KEY} if video.watch_page == "normal" else {"OTHER": 1}
    return (
        f"<!DOCTYPE html><html><head><title>{escape(video_id)} - YouTube</title>"
        f"<script>ytcfg.set({json.dumps(config)});</script></head><body></body></html>"
    )


def _caption_track(video_id: str, track: FakeTrack) -> dict[str, Any]:
    query = {"v": video_id, "lang": track.language_code, "fmt": "srv3"}
    if track.generated:
        query["kind"] = "asr"
    base_url = f"{YOUTUBE}api/timedtext?{urlencode(query)}"
    if track.needs_po_token:
        base_url += "&exp=xpe"
    entry: dict[str, Any] = {
        "baseUrl": base_url,
        "name": {"runs": [{"text": track.name}]},
        "languageCode": track.language_code,
        "isTranslatable": True,
    }
    if track.generated:
        entry["kind"] = "asr"
    return entry


def _player_json(video_id: str, video: FakeVideo) -> dict[str, Any]:
    data: dict[str, Any] = {"playabilityStatus": video.playability, "videoDetails": {"videoId": video_id}}
    if video.captions and video.playability.get("status") == "OK":
        data["captions"] = {
            "playerCaptionsTracklistRenderer": {
                "captionTracks": [_caption_track(video_id, t) for t in video.tracks],
                "translationLanguages": [{"languageCode": "es", "languageName": {"runs": [{"text": "Spanish"}]}}],
            }
        }
    return data


def _caption_xml(track: FakeTrack) -> str:
    cues = "".join(
        f"<text start={quoteattr(str(start))} dur={quoteattr(str(dur))}>{escape(text)}</text>"
        for start, dur, text in track.cues
    )
    return f'<?xml version="1.0" encoding="utf-8" ?><transcript>{cues}</transcript>'


UNAVAILABLE = FakeVideo(playability={"status": "ERROR", "reason": "This video is unavailable"})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: str, content_type: str) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if self.headers.get("Connection", "").lower() == "close":  # as with a proxy config: say so, then close
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def _video(self, video_id: str) -> FakeVideo:
        return self.server.fake.videos.get(video_id, UNAVAILABLE)

    def do_GET(self) -> None:
        self.server.fake.requests.append(("GET", self.path))
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/watch":
            video = self._video(query.get("v", ""))
            if video.delay:
                self.server.fake.stopping.wait(video.delay)
            if video.watch_status != 200:
                self._reply(video.watch_status, "<html>Too Many Requests</html>", "text/html")
                return
            self._reply(200, _watch_html(query.get("v", ""), video, self.headers.get("Cookie", "")), "text/html")
        elif url.path == "/api/timedtext":
            video = self._video(query.get("v", ""))
            kind = query.get("kind") == "asr"
            track = next(t for t in video.tracks if t.language_code == query.get("lang") and t.generated == kind)
            body = _caption_xml(track) if track.body is None else track.body
            self._reply(track.status, body, "text/xml")
        else:
            self._reply(404, "not found", "text/plain")

    def do_POST(self) -> None:
        self.server.fake.requests.append(("POST", self.path))
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        self.server.fake.player_bodies.append(body)
        url = urlsplit(self.path)
        if url.path != "/youtubei/v1/player" or parse_qs(url.query).get("key") != [API_KEY]:
            self._reply(400, json.dumps({"error": {"code": 400, "message": "API key not valid"}}), "application/json")
            return
        video = self._video(body.get("videoId", ""))
        if video.player_body is not None or video.player_status != 200:
            self._reply(video.player_status, video.player_body or "{}", "application/json")
            return
        self._reply(200, json.dumps(_player_json(body["videoId"], video)), "application/json")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeYouTube) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is expected


class LoopbackAdapter(HTTPAdapter):
    """Sends ``https://www.youtube.com/...`` to ``http://127.0.0.1:PORT/...``, ignoring proxies."""

    def __init__(self, port: int) -> None:
        super().__init__(max_retries=0)
        self.netloc = f"127.0.0.1:{port}"

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        request = request.copy()
        request.url = urlunsplit(("http", self.netloc, url.path, url.query, ""))
        kwargs["proxies"] = {}
        return super().send(request, *args, **kwargs)


def youtube_session(port: int) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no HTTP(S)_PROXY from the environment on loopback
    session.mount(YOUTUBE, LoopbackAdapter(port))
    return session


@contextmanager
def serve_fake_youtube_server(videos: Mapping[str, FakeVideo]) -> Iterator[tuple[FakeYouTube, requests.Session]]:
    """The fake (to inspect requests) and a session routed to it."""
    fake = FakeYouTube(videos)
    server = _Server(fake)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    session = youtube_session(server.server_address[1])
    try:
        yield fake, session
    finally:
        session.close()
        fake.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_fake_youtube(videos: Mapping[str, FakeVideo]) -> Iterator[requests.Session]:
    """A session whose https://www.youtube.com/ requests reach a local fake serving ``videos``."""
    with serve_fake_youtube_server(videos) as (_, session):
        yield session


@contextmanager
def youtube_down() -> Iterator[requests.Session]:
    """A session routed to a bound but not listening port: every request is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        session = youtube_session(sock.getsockname()[1])
        try:
            yield session
        finally:
            session.close()
