"""A polite HTTP client: one request at a time, a pause between requests to one host, retries with
exponential backoff, robots.txt honoured, a User-Agent that names the project.

Standard library only (``urllib``). Only ``http``/``https`` addresses are fetched, redirects
included; loopback addresses never go through a proxy. Every wait goes through the ``sleep``
function given to the client, so tests can record waits instead of sleeping.
"""

from __future__ import annotations

import email.utils
import http.client
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlparse

#: Who we are, sent with every request; ``contact`` (an e-mail or web address) is appended.
USER_AGENT = "coverage-lab/0.1 (news research collector; python-urllib)"
#: Statuses worth retrying: rate limited, and server-side trouble that often passes.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Hosts that ask for a longer pause than the default (seconds between requests).
HOST_INTERVALS = {"api.gdeltproject.org": 5.0}
_LOOPBACK = re.compile(r"^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$", re.I)


class FetchError(Exception):
    """A request that did not give a usable answer; ``reason`` says why in plain words."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason, self.status = reason, status


class RobotsRefusal(FetchError):
    """robots.txt does not allow us to fetch this address."""


@dataclass
class Response:
    """A successful answer: final ``url`` (after redirects), ``status``, lower-cased ``headers``, ``body``."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        return m.group(1) if m else None

    def text(self) -> str:
        """The body decoded with the declared charset, else UTF-8 (undecodable bytes replaced)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) addresses (never file:, ftp:, data:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlparse(urljoin(req.full_url, newurl)).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(req.full_url, code, f"redirect to a non-http address refused: {newurl}",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(proxies: bool) -> urllib.request.OpenerDirector:
    handlers = [urllib.request.ProxyHandler() if proxies else urllib.request.ProxyHandler({}),
                urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(), _HttpOnlyRedirects(),
                urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()]
    director = urllib.request.OpenerDirector()
    for h in handlers:
        director.add_handler(h)
    return director


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date).

    >>> retry_after_seconds("7"), retry_after_seconds(None), retry_after_seconds("soon")
    (7.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteClient:
    """GET with manners. ``rate``: requests per second to one host (default 1; some hosts ask for
    less, see :data:`HOST_INTERVALS`, and a robots.txt ``Crawl-delay`` is honoured);
    ``retries``: extra attempts after a 429/5xx answer, a timeout or a dropped connection, waiting
    ``backoff * 2**attempt`` seconds or what ``Retry-After`` asks (up to ``max_wait``);
    ``timeout``: seconds per request; ``max_bytes``: larger answers are refused.

    ``requests`` counts the requests sent (robots.txt included).
    """

    def __init__(self, *, rate: float = 1.0, retries: int = 3, backoff: float = 1.0, timeout: float = 20.0,
                 max_wait: float = 120.0, max_bytes: int = 10 * 1024 * 1024, contact: str = "",
                 respect_robots: bool = True, sleep=time.sleep, clock=time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be a positive number of requests per second")
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.interval, self.retries, self.backoff = 1.0 / rate, retries, backoff
        self.timeout, self.max_wait, self.max_bytes = timeout, max_wait, max_bytes
        self.user_agent = USER_AGENT + (f" contact: {contact}" if contact else "")
        self.respect_robots = respect_robots
        self.sleep, self.clock = sleep, clock
        self.requests = 0
        self.waits: list[float] = []
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._openers = {True: _opener(True), False: _opener(False)}

    # -- pacing ------------------------------------------------------------------------------------
    def _interval(self, host: str) -> float:
        robots = self._robots.get(host)
        delay = robots.crawl_delay(self.user_agent) if isinstance(robots, urllib.robotparser.RobotFileParser) else None
        return max(self.interval, HOST_INTERVALS.get(host, 0.0), float(delay or 0))

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waits.append(seconds)
            self.sleep(seconds)

    def _pace(self, host: str) -> None:
        if host in self._last:
            self._wait(self._last[host] + self._interval(host) - self.clock())

    # -- robots.txt --------------------------------------------------------------------------------
    def allowed(self, url: str) -> tuple[bool, str]:
        """Whether robots.txt lets us fetch ``url``; ``(False, reason)`` when not."""
        parts = urlparse(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            self._robots[host] = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        robots = self._robots[host]
        if isinstance(robots, str):
            return False, robots
        if not robots.can_fetch(self.user_agent, url):
            return False, f"robots.txt of {host} disallows this address for our user agent"
        return True, ""

    def _load_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | str:
        """The parsed robots.txt, or the reason everything on the host is refused (RFC 9309:
        401/403 and an unreachable robots.txt mean "do not crawl"; 404 and other 4xx mean "no rules")."""
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self._request(robots_url, {})
        except FetchError as err:
            if err.status is not None and 400 <= err.status < 500 and err.status not in (401, 403, 429):
                parser.parse([])
                return parser
            return f"robots.txt could not be read ({err.reason}): nothing fetched from this host"
        parser.parse(resp.text().splitlines())
        return parser

    # -- requests ----------------------------------------------------------------------------------
    def get(self, url: str, headers: dict[str, str] | None = None, robots: bool = True) -> Response:
        """Fetch ``url``; raises :class:`RobotsRefusal` or :class:`FetchError` with the reason.

        ``robots=False`` skips the robots.txt check (for documented APIs called with a query,
        such as GDELT and Media Cloud; pages and feeds are always checked).
        """
        if urlparse(url).scheme not in ("http", "https"):
            raise FetchError("not an http(s) address")
        if robots and self.respect_robots:
            ok, reason = self.allowed(url)
            if not ok:
                raise RobotsRefusal(reason)
        return self._request(url, headers or {})

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        host = urlparse(url).netloc.lower()
        hostname = (urlparse(url).hostname or "").lower()
        opener = self._openers[not _LOOPBACK.match(hostname)]
        req_headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity", **headers}
        for attempt in range(self.retries + 1):
            self._pace(host)
            self.requests += 1
            try:
                return self._once(opener, urllib.request.Request(url, headers=req_headers))
            except FetchError as err:
                delay = self._retry_delay(err, attempt)
                if delay is None:
                    raise
                self._wait(delay)
            finally:
                self._last[host] = self.clock()
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_delay(self, err: FetchError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        retryable = err.status in RETRY_STATUSES or err.status is None
        if not retryable or attempt >= self.retries or err.reason.startswith(("answer larger", "not an http")):
            return None
        asked = getattr(err, "retry_after", None)
        if asked is not None and asked > self.max_wait:
            err.reason += f" (the server asks to wait {asked:.0f} s, more than the {self.max_wait:.0f} s we wait)"
            return None
        return asked if asked is not None else min(self.backoff * 2 ** attempt, self.max_wait)

    def _once(self, opener: urllib.request.OpenerDirector, req: urllib.request.Request) -> Response:
        try:
            with opener.open(req, timeout=self.timeout) as resp:
                body = resp.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise FetchError(f"answer larger than {self.max_bytes // (1024 * 1024)} MB, not kept",
                                     resp.status)
                return Response(resp.geturl(), resp.status, {k.lower(): v for k, v in resp.headers.items()}, body)
        except urllib.error.HTTPError as err:
            reason = f"HTTP {err.code} {err.reason}".strip()
            fail = FetchError(reason, err.code)
            fail.retry_after = retry_after_seconds(err.headers.get("Retry-After") if err.headers else None)
            raise fail from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", None) or err
            raise FetchError(f"{type(err).__name__}: {reason}") from None

