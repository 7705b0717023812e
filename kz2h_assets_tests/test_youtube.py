"""fetch_transcript against a local fake YouTube: real HTTP over loopback, the library unpatched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import pytest
import requests
from youtube_transcript_api import _errors as yt_errors
from youtube_transcript_api.proxies import GenericProxyConfig, WebshareProxyConfig

from kz2h_assets.sources.models import SourceError, Transcript
from kz2h_assets.sources.youtube import (
    ProxySettings,
    clean_text,
    error_message,
    fetch_transcript,
    is_sound_tag,
    network_error_message,
)
from kz2h_assets_tests import fake_youtube as fy

LOCAL_FILE = "KZ2H_SOURCES_DIR/<resource_id>.vtt"
VIDEOS: dict[str, fy.FakeVideo] = {
    "manualGen01": fy.manual_and_generated(),
    "autoOnly001": fy.generated_only(),
    "german00001": fy.only_german(),
    "disabled001": fy.captions_disabled(),
    "gone0000001": fy.unavailable(),
    "unplayable1": fy.unplayable(),
    "ageLimited1": fy.age_restricted(),
    "blocked4291": fy.too_many_requests(),
    "captcha0001": fy.recaptcha(),
    "botcheck001": fy.bot_check(),
    "poToken0001": fy.po_token_required(),
    "emptyBody01": fy.empty_caption_body(),
    "consentOk01": fy.FakeVideo(tracks=[fy.FakeTrack()], consent="accept"),
    "consentBad1": fy.FakeVideo(consent="broken"),
    "noApiKey001": fy.FakeVideo(watch_page="no-api-key"),
    "player50001": fy.FakeVideo(player_status=500),
    "playerHtml1": fy.FakeVideo(player_body="<html>not json</html>"),
    "track404001": fy.FakeVideo(tracks=[fy.FakeTrack(status=404)]),
    "slow0000001": fy.FakeVideo(tracks=[fy.FakeTrack()], delay=5),
}


@pytest.fixture
def youtube() -> Iterator[tuple[fy.FakeYouTube, requests.Session]]:
    with fy.serve_fake_youtube_server(VIDEOS) as served:
        yield served


@pytest.fixture
def session(youtube: tuple[fy.FakeYouTube, requests.Session]) -> requests.Session:
    return youtube[1]


def failure(video_id: str, session: requests.Session, **kwargs: Any) -> SourceError:
    with pytest.raises(SourceError) as info:
        fetch_transcript(video_id, session=session, **kwargs)
    assert video_id in str(info.value)
    return info.value


# Successes -------------------------------------------------------------------------------------


def test_manual_track_is_preferred_and_snippets_are_cleaned(youtube: tuple[fy.FakeYouTube, requests.Session]) -> None:
    fake, session = youtube
    transcript = fetch_transcript("manualGen01", session=session)

    assert isinstance(transcript, Transcript)
    assert (transcript.video_id, transcript.language_code, transcript.is_generated) == ("manualGen01", "en", False)
    assert transcript.origin == "https://www.youtube.com/watch?v=manualGen01"
    assert transcript.format == "youtube"
    # [Music], a blank cue and "[Applause] ♪" are gone; entities (even double-escaped ones) and tags are resolved.
    assert [(s.text, s.start, s.duration) for s in transcript.snippets] == [
        ("it's a manual & careful", 1.5, 2.25),
        ("loss & gain", 4.75, 2.0),
    ]
    assert transcript.word_count == 8

    # The library's real protocol: the watch page, the innertube player call with the scraped key, the XML.
    assert [m for m, _ in fake.requests] == ["GET", "POST", "GET"]
    assert fake.requests[0][1] == "/watch?v=manualGen01"
    assert fake.requests[1][1] == f"/youtubei/v1/player?key={fy.API_KEY}"
    assert fake.player_bodies[0]["videoId"] == "manualGen01"
    assert fake.player_bodies[0]["context"]["client"]["clientName"] == "ANDROID"
    assert fake.requests[2][1] == "/api/timedtext?v=manualGen01&lang=en"  # "&fmt=srv3" stripped: plain XML


def test_generated_track_when_there_is_no_manual_one(session: requests.Session) -> None:
    transcript = fetch_transcript("autoOnly001", session=session)
    assert transcript.is_generated is True
    assert transcript.language_code == "en"
    assert [(s.text, s.start, s.duration) for s in transcript.snippets] == [("hi", 0.5, 1.0)]


def test_languages_are_tried_in_order(session: requests.Session) -> None:
    transcript = fetch_transcript("manualGen01", session=session, languages=("de", "en"))
    assert (transcript.language_code, transcript.is_generated) == ("de", False)
    assert [s.text for s in transcript.snippets] == ["hallo"]


def test_cookie_consent_page_is_accepted(youtube: tuple[fy.FakeYouTube, requests.Session]) -> None:
    fake, session = youtube
    assert [s.text for s in fetch_transcript("consentOk01", session=session).snippets] == ["hello"]
    assert [path for _, path in fake.requests].count("/watch?v=consentOk01") == 2
    assert not session.cookies, "the caller's session is copied, not changed"


def test_the_callers_session_is_left_alone(session: requests.Session) -> None:
    adapters_before = dict(session.adapters)
    proxy = ProxySettings(webshare_username="someone", webshare_password="pw")
    fetch_transcript("autoOnly001", session=session, proxy=proxy)
    assert dict(session.adapters) == adapters_before
    assert session.proxies == {}
    assert "Accept-Language" not in session.headers


# Failures: each names the video and the fix ----------------------------------------------------

SCENARIOS: list[tuple[str, type[BaseException], list[str]]] = [
    ("disabled001", yt_errors.TranscriptsDisabled, ["captions turned off", LOCAL_FILE, "yt-dlp"]),
    ("gone0000001", yt_errors.VideoUnavailable, ["unavailable", "catalog's youtube_id"]),
    ("notInFake01", yt_errors.VideoUnavailable, ["unavailable", "catalog's youtube_id"]),
    ("unplayable1", yt_errors.VideoUnplayable, ["cannot be played", "Not available in your country", "youtube_id"]),
    ("ageLimited1", yt_errors.AgeRestricted, ["age-restricted", "signed-in", LOCAL_FILE]),
    ("blocked4291", yt_errors.IpBlocked, ["blocks this address", "KZ2H_YOUTUBE_PROXY_HTTP", "KZ2H_WEBSHARE_USERNAME"]),
    ("captcha0001", yt_errors.IpBlocked, ["blocks this address", "residential proxy", LOCAL_FILE]),
    ("botcheck001", yt_errors.RequestBlocked, ["blocks this address", "residential proxy", LOCAL_FILE]),
    ("poToken0001", yt_errors.PoTokenRequired, ["PO token", "yt-dlp", LOCAL_FILE]),
    ("emptyBody01", SyntaxError, ["empty or unreadable caption track", LOCAL_FILE]),  # xml ParseError
    ("consentBad1", yt_errors.FailedToCreateConsentCookie, ["cookie-consent", "Retry", LOCAL_FILE]),
    ("noApiKey001", yt_errors.YouTubeDataUnparsable, ["could not be read", "upgrading youtube-transcript-api"]),
    ("player50001", yt_errors.YouTubeRequestFailed, ["failed", "500 Server Error", "Retry later", LOCAL_FILE]),
    ("playerHtml1", requests.exceptions.JSONDecodeError, ["could not be read", LOCAL_FILE]),
    ("track404001", yt_errors.YouTubeRequestFailed, ["failed", "404 Client Error", LOCAL_FILE]),
]


@pytest.mark.parametrize(("video_id", "cause", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_failures_name_the_video_and_the_fix(
    session: requests.Session, video_id: str, cause: type[BaseException], expected: list[str]
) -> None:
    error = failure(video_id, session)
    assert isinstance(error.__cause__, cause)
    for text in expected:
        assert text in str(error)
    assert "github" not in str(error).lower()


def test_no_english_track_lists_the_languages_there_are(session: requests.Session) -> None:
    message = str(failure("german00001", session))
    assert "no caption track in en, en-US, en-GB" in message
    assert "available: de, de (auto)" in message
    assert LOCAL_FILE in message


def test_a_url_instead_of_an_id(session: requests.Session) -> None:
    url = "https://www.youtube.com/watch?v=abcdefghijk"
    error = failure(url, session)
    assert isinstance(error.__cause__, yt_errors.InvalidVideoId)
    assert "not a video id" in str(error) and "watch?v=" in str(error)


def test_youtube_unreachable_is_a_network_error() -> None:
    with fy.youtube_down() as session:
        error = failure("manualGen01", session)
    assert isinstance(error.__cause__, requests.exceptions.ConnectionError)
    assert "Could not reach YouTube for video manualGen01 (no proxy): ConnectionError" in str(error)
    assert "Check the network connection and the proxy settings" in str(error)


def test_the_timeout_reaches_every_request(session: requests.Session) -> None:
    error = failure("slow0000001", session, timeout=0.2)
    assert isinstance(error.__cause__, requests.exceptions.ReadTimeout)
    assert "ReadTimeout" in str(error) and "Check the network" in str(error)


def test_blocked_through_webshare_says_so_without_the_password(
    youtube: tuple[fy.FakeYouTube, requests.Session],
) -> None:
    fake, session = youtube
    proxy = ProxySettings(webshare_username="kz2h-user", webshare_password="s3cret-pw")
    message = str(failure("blocked4291", session, proxy=proxy))
    assert "even through the Webshare rotating residential proxy" in message
    assert "s3cret-pw" not in message
    # The library retries a blocked request retries_when_blocked (10) times when a proxy config asks for it.
    assert [path for _, path in fake.requests].count("/watch?v=blocked4291") == 10


def test_blocked_through_a_generic_proxy_names_its_host_only(session: requests.Session) -> None:
    proxy = ProxySettings(https_url="http://me:hunter2@proxy.example:8080")
    message = str(failure("captcha0001", session, proxy=proxy))
    assert "even through the proxy proxy.example" in message
    assert "hunter2" not in message


# Message helpers and small pieces --------------------------------------------------------------


def test_network_messages_redact_proxy_passwords() -> None:
    proxy = ProxySettings(http_url="http://me:hunter2@proxy.example:8080")
    error = requests.exceptions.ProxyError("Unable to connect to proxy http://me:hunter2@proxy.example:8080")
    message = network_error_message("abcdefghijk", error, proxy)
    assert "hunter2" not in message and "***" in message
    assert "abcdefghijk" in message and "proxy proxy.example" in message


LIBRARY_ERRORS: list[Callable[[str], BaseException]] = [
    yt_errors.TranscriptsDisabled,
    yt_errors.VideoUnavailable,
    yt_errors.InvalidVideoId,
    yt_errors.AgeRestricted,
    yt_errors.PoTokenRequired,
    yt_errors.IpBlocked,
    yt_errors.RequestBlocked,
    yt_errors.YouTubeDataUnparsable,
    yt_errors.FailedToCreateConsentCookie,
    yt_errors.NotTranslatable,
    yt_errors.TranslationLanguageNotAvailable,
    lambda v: yt_errors.VideoUnplayable(v, None, []),
    lambda v: yt_errors.YouTubeRequestFailed(v, requests.HTTPError("503 Server Error")),
    lambda v: yt_errors.NoTranscriptFound(v, ["en"], "(none)"),
    lambda v: requests.exceptions.ConnectTimeout("timed out"),
    lambda v: yt_errors.CookieError("bad cookie"),
]


@pytest.mark.parametrize("make", LIBRARY_ERRORS)
def test_every_library_error_gets_a_message(make: Callable[[str], BaseException]) -> None:
    message = error_message("abcdefghijk", make("abcdefghijk"))
    assert "abcdefghijk" in message
    assert any(fix in message for fix in ("KZ2H_SOURCES_DIR", "youtube_id", "Check the network")), message
    assert "\n" not in message


def test_clean_text_and_sound_tags() -> None:
    assert clean_text("it&#39;s \n a  &amp;  b ") == "it's a & b"
    assert all(is_sound_tag(t) for t in ["[Music]", "[Applause] [Laughter]", "♪", "♪ ♪", "[ Music ]"])
    assert not any(is_sound_tag(t) for t in ["[Music] so here", "x[0]", "(x)", "a"])


def test_proxy_settings_map_to_library_configs() -> None:
    assert ProxySettings().to_proxy_config() is None

    generic = ProxySettings(http_url="http://proxy.example:3128").to_proxy_config()
    assert isinstance(generic, GenericProxyConfig)
    assert generic.to_requests_dict() == {"http": "http://proxy.example:3128", "https": "http://proxy.example:3128"}

    both = ProxySettings(http_url="http://a:1", https_url="http://b:2").to_proxy_config()
    assert isinstance(both, GenericProxyConfig)
    assert both.to_requests_dict() == {"http": "http://a:1", "https": "http://b:2"}

    webshare = ProxySettings(webshare_username="user", webshare_password="pw").to_proxy_config()
    assert isinstance(webshare, WebshareProxyConfig)
    assert webshare.to_requests_dict()["https"] == "http://user-rotate:pw@p.webshare.io:80/"
    assert webshare.prevent_keeping_connections_alive and webshare.retries_when_blocked == 10


def test_proxy_settings_refuse_half_or_mixed_configs_and_hide_secrets() -> None:
    with pytest.raises(pydantic.ValidationError, match="both a username and a password"):
        ProxySettings(webshare_username="user")
    with pytest.raises(pydantic.ValidationError, match="not both"):
        ProxySettings(webshare_username="user", webshare_password="pw", http_url="http://a:1")
    with pytest.raises(pydantic.ValidationError):
        ProxySettings(socks_url="socks5://a:1")  # type: ignore[call-arg]
    settings = ProxySettings(webshare_username="user", webshare_password="pw-secret")
    assert "pw-secret" not in repr(settings)
    assert ProxySettings(https_url="http://u:p@host.example:1").describe() == "proxy host.example"
