"""The HTTP client against a real server on 127.0.0.1: every fault case ends as documented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from docbrief.errors import FetchError
from docbrief.http import HttpSettings, PoliteClient, _retry_after
from extractors.decoding import decode_html
from tests.httpserver import Reply, ScriptedServer

PAGE = b"<html><body><p>Japan-U.S. Security Arrangements</p></body></html>"


class Waits:
    """Stands in for time.sleep: records the waits instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def server():
    with ScriptedServer() as running:
        yield running


def client(waits: Waits, **settings) -> PoliteClient:
    defaults = {"min_interval": 0.0, "retries": 3, "backoff": 1.0, "read_timeout": 2.0}
    return PoliteClient(HttpSettings(**{**defaults, **settings}), sleep=waits.sleep, clock=waits.clock)


def test_200_with_identifying_user_agent_and_validators(server):
    url = server.route("/page.html", Reply(body=PAGE, etag='"v1"', headers={
        "Content-Type": "text/html; charset=utf-8", "Last-Modified": "Mon, 01 Apr 2024 00:00:00 GMT"}))
    response = client(Waits(), user_agent="docbrief-test/1 (+ops@example.org)").get(url)
    assert (response.status, response.data, response.etag) == (200, PAGE, '"v1"')
    assert response.last_modified == "Mon, 01 Apr 2024 00:00:00 GMT"
    assert server.hits("/page.html")[0]["User-Agent"] == "docbrief-test/1 (+ops@example.org)"


def test_304_when_the_etag_still_matches(server):
    url = server.route("/page.html", Reply(body=PAGE, etag='"v1"'))
    response = client(Waits()).get(url, etag='"v1"', last_modified="Mon, 01 Apr 2024 00:00:00 GMT")
    assert response.status == 304 and response.data == b""
    sent = server.hits("/page.html")[0]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Mon, 01 Apr 2024 00:00:00 GMT"


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_errors_fail_at_once(server, status):
    url = server.route("/gone", Reply(status=status))
    with pytest.raises(FetchError) as caught:
        client(Waits()).get(url)
    assert caught.value.status == status and caught.value.url == url
    assert len(server.hits("/gone")) == 1


def test_429_honours_retry_after_seconds(server):
    url = server.route("/busy", Reply(status=429, headers={"Retry-After": "7"}), Reply(body=PAGE))
    waits = Waits()
    assert client(waits).get(url).data == PAGE
    assert waits.waits and waits.waits[0] >= 7


def test_retry_after_as_http_date():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert _retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert _retry_after("120", now) == 120
    assert _retry_after("soon", now) is None


def test_500_then_200_is_retried_with_backoff(server):
    url = server.route("/flaky", Reply(status=500), Reply(body=PAGE))
    waits = Waits()
    response = client(waits, backoff=2.0).get(url)
    assert response.data == PAGE and response.attempts == 2
    assert 1.0 <= waits.waits[0] <= 3.0  # 2 s with jitter


def test_503_until_retries_run_out(server):
    url = server.route("/down", Reply(status=503))
    waits = Waits()
    with pytest.raises(FetchError, match=r"HTTP 503.*gave up after 4 attempts") as caught:
        client(waits, retries=3).get(url)
    assert caught.value.status == 503
    assert len(server.hits("/down")) == 4
    assert len(waits.waits) == 3 and waits.waits[1] > waits.waits[0] * 0.6  # grows (with jitter)


def test_total_wait_is_bounded(server):
    url = server.route("/later", Reply(status=503, headers={"Retry-After": "3600"}))
    waits = Waits()
    with pytest.raises(FetchError, match="gave up after 1 attempts"):
        client(waits, max_total_wait=60).get(url)
    assert waits.waits == []


def test_read_timeout_is_retried_then_reported(server):
    url = server.route("/slow", Reply(body=PAGE, delay=1.0))
    with pytest.raises(FetchError, match="timed out"):
        client(Waits(), read_timeout=0.2, retries=1).get(url)
    assert len(server.hits("/slow")) == 2


def test_connection_dropped_mid_body_is_retried(server):
    url = server.route("/drop", Reply(body=PAGE * 50, truncate=100), Reply(body=PAGE))
    response = client(Waits()).get(url)
    assert response.data == PAGE and response.attempts == 2


def test_oversize_body_is_refused(server):
    url = server.route("/big", Reply(body=b"x" * 5000))
    with pytest.raises(FetchError, match="over the 1,000-byte limit"):
        client(Waits(), max_bytes=1000).get(url)


def test_redirect_loop_and_limit(server):
    server.route("/a", Reply(status=302, headers={"Location": "/b"}))
    url = server.url("/a")
    server.route("/b", Reply(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        client(Waits()).get(url)
    for n in range(8):
        server.route(f"/hop{n}", Reply(status=301, headers={"Location": f"/hop{n + 1}"}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client(Waits()).get(server.url("/hop0"))


def test_redirect_to_file_scheme_is_refused(server):
    url = server.route("/sneaky", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError, match="redirect to 'file:///etc/passwd' refused"):
        client(Waits()).get(url)


def test_followed_redirect_reports_final_url(server):
    url = server.route("/old", Reply(status=301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=PAGE))
    response = client(Waits()).get(url)
    assert response.url == server.url("/new") and response.redirects == (server.url("/new"),)


def test_shift_jis_page_decodes_from_the_http_charset(server):
    page = "<html><body><p>日米安全保障体制の強化</p></body></html>".encode("shift_jis")
    url = server.route("/ja.html", Reply(body=page, headers={"Content-Type": "text/html; charset=Shift_JIS"}))
    response = client(Waits()).get(url)
    text, _ = decode_html(response.data, source=url, http_charset=response.charset)
    assert "日米安全保障体制の強化" in text


def test_robots_txt_is_honoured_unless_switched_off(server):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    url = server.route("/private/page.html", Reply(body=PAGE))
    with pytest.raises(FetchError, match="disallowed by the site's robots.txt"):
        client(Waits()).get(url)
    assert client(Waits()).get(url, respect_robots=False).data == PAGE


def test_minimum_interval_between_requests_to_one_host(server):
    url = server.route("/page.html", Reply(body=PAGE))
    waits = Waits()
    polite = client(waits, min_interval=5.0)
    polite.get(url, respect_robots=False)
    polite.get(url, respect_robots=False)
    assert waits.waits == [5.0]


def test_settings_validate_themselves():
    with pytest.raises(ValueError, match="read_timeout"):
        HttpSettings(read_timeout=0)
    with pytest.raises(ValueError, match="retries"):
        HttpSettings(retries=-1)
