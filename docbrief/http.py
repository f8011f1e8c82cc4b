"""A polite, fault-tolerant HTTP client for ministry web sites (httpx underneath).

Polite: an identifying User-Agent, robots.txt honoured (switchable per source), and a
minimum interval between two requests to the same host. Safe: redirects are followed by
hand, at most ``max_redirects``, only to http(s) (never ``file:`` or another scheme) and
never in a loop; bodies larger than ``max_bytes`` or shorter than their
``Content-Length`` are refused. Fault-tolerant: connection errors, timeouts, dropped
connections, 5xx and 429 are retried with exponential backoff and jitter, honouring
``Retry-After`` (seconds or an HTTP date), until the total wait would pass
``max_total_wait``. Conditional: ``If-None-Match``/``If-Modified-Since`` are sent when
the caller knows the last ETag/Last-Modified, and a 304 comes back as such.

Every failure is a :class:`~docbrief.errors.FetchError` carrying the URL and status.
"""

from __future__ import annotations

import random
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from docbrief import __version__
from docbrief.errors import FetchError

__all__ = ["DEFAULT_USER_AGENT", "HttpResponse", "HttpSettings", "PoliteClient"]

DEFAULT_USER_AGENT = f"docbrief/{__version__} (+policy-research document extraction; polite crawler)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpSettings:
    """How the client behaves; every value is checked."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 200_000_000
    min_interval: float = 2.0  # seconds between two requests to one host
    retries: int = 4
    backoff: float = 2.0  # first retry waits about this long, then doubles
    max_backoff: float = 120.0
    max_total_wait: float = 600.0

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "backoff", "max_backoff"):
            if not isinstance(getattr(self, name), (int, float)) or getattr(self, name) <= 0:
                raise ValueError(f"{name}: {getattr(self, name)!r} must be a positive number of seconds")
        for name in ("min_interval", "max_total_wait"):
            if not isinstance(getattr(self, name), (int, float)) or getattr(self, name) < 0:
                raise ValueError(f"{name}: {getattr(self, name)!r} must be zero or more seconds")
        for name in ("max_redirects", "retries", "max_bytes"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 0:
                raise ValueError(f"{name}: {getattr(self, name)!r} must be a whole number, zero or more")
        if not isinstance(self.user_agent, str) or not self.user_agent.strip():
            raise ValueError("user_agent: must be a non-empty string")


@dataclass(frozen=True)
class HttpResponse:
    """A completed request: 200 with a body, or 304 (not modified) without one."""

    url: str  # after redirects
    status: int
    data: bytes
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: int = 1
    redirects: tuple[str, ...] = ()


class _Transient(Exception):
    """A failure worth retrying, with the server's Retry-After if it sent one."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class PoliteClient:
    """One client per refresh: it remembers per-host timing and robots.txt rules."""

    settings: HttpSettings = field(default_factory=HttpSettings)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    transport: httpx.BaseTransport | None = None
    _last_request: dict[str, float] = field(default_factory=dict, init=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict, init=False)
    _client: httpx.Client | None = field(default=None, init=False)

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            s = self.settings
            self._client = httpx.Client(
                follow_redirects=False, transport=self.transport, headers={"User-Agent": s.user_agent},
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            )
        return self._client

    # -- politeness ---------------------------------------------------------------

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            remaining = self.settings.min_interval - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[host] = self.clock()

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(self.settings.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules; None (allow all) when it has no robots.txt (RFC 9309: 4xx)."""
        url = f"{origin}/robots.txt"
        self._wait_for_host(url)
        rules = urllib.robotparser.RobotFileParser(url)
        try:
            response = self.client.get(url)
        except httpx.HTTPError:
            return None  # unreachable robots.txt: the page request will report the real problem
        if 400 <= response.status_code < 500:
            return None
        if response.status_code >= 500:
            rules.disallow_all = True  # RFC 9309: a server error means "assume complete disallow"
            return rules
        rules.parse(response.text.splitlines())
        return rules

    # -- one request, following redirects by hand ----------------------------------

    def _request_once(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes, list[str]]:
        seen = [url]
        current = url
        while True:
            self._wait_for_host(current)
            try:
                with self.client.stream("GET", current, headers=headers) as response:
                    if response.has_redirect_location:
                        location = response.headers.get("location", "")
                        target = urljoin(current, location)
                        scheme = urlsplit(target).scheme.lower()
                        if scheme not in ("http", "https"):
                            raise FetchError(f"redirect to {target!r} refused: only http and https are followed",
                                             url=url, status=response.status_code)
                        if target in seen:
                            raise FetchError(f"redirect loop ({' -> '.join([*seen, target])})", url=url,
                                             status=response.status_code)
                        if len(seen) > self.settings.max_redirects:
                            raise FetchError(f"more than {self.settings.max_redirects} redirects", url=url,
                                             status=response.status_code)
                        seen.append(target)
                        current = target
                        continue
                    body = self._read_body(response, url) if response.status_code == 200 else b""
                    return response, body, seen[1:]
            except httpx.TimeoutException as exc:
                raise _Transient(f"timed out ({type(exc).__name__})") from exc
            except httpx.TransportError as exc:
                raise _Transient(f"connection failed ({type(exc).__name__}: {exc})") from exc

    def _read_body(self, response: httpx.Response, url: str) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"body of {int(declared):,} bytes is over the {limit:,}-byte limit", url=url,
                             status=response.status_code)
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # decoded; the limit applies to what is kept
            size += len(chunk)
            if size > limit:
                raise FetchError(f"body is over the {limit:,}-byte limit", url=url, status=response.status_code)
            chunks.append(chunk)
        if declared and declared.isdigit() and response.num_bytes_downloaded < int(declared):
            raise _Transient(f"body shorter than declared ({response.num_bytes_downloaded:,} of "
                             f"{int(declared):,} bytes)")
        return b"".join(chunks)

    # -- the public call -----------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            respect_robots: bool = True) -> HttpResponse:
        """GET ``url`` with retries; 200 and 304 are returned, anything else raises FetchError."""
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError("only http and https URLs are fetched", url=url)
        if respect_robots and not self.allowed_by_robots(url):
            raise FetchError("disallowed by the site's robots.txt", url=url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        waited, attempt = 0.0, 0
        while True:
            attempt += 1
            try:
                response, body, redirects = self._request_once(url, headers)
                status = response.status_code
                if status in _RETRY_STATUS:
                    raise _Transient(f"HTTP {status} {response.reason_phrase}", status=status,
                                     retry_after=_retry_after(response.headers.get("retry-after"), datetime.now(UTC)))
                if status not in (200, 304):
                    raise FetchError(f"HTTP {status} {response.reason_phrase}", url=url, status=status)
                content_type = response.headers.get("content-type", "")
                return HttpResponse(
                    url=str(response.url), status=status, data=body,
                    content_type=content_type.split(";")[0].strip().lower(), charset=response.charset_encoding,
                    etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
                    fetched_at=datetime.now(UTC).replace(microsecond=0), attempts=attempt,
                    redirects=tuple(redirects),
                )
            except _Transient as failure:
                delay = self._delay(attempt, failure.retry_after)
                if attempt > self.settings.retries or waited + delay > self.settings.max_total_wait:
                    raise FetchError(f"{failure} (gave up after {attempt} attempts, {waited:.0f} s of waiting)",
                                     url=url, status=failure.status) from failure
                self.sleep(delay)
                waited += delay

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        s = self.settings
        backoff = min(s.max_backoff, s.backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        return max(backoff, retry_after) if retry_after is not None else backoff
