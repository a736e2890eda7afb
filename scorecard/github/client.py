"""The one module that talks to GitHub: REST and GraphQL over one ``requests`` session, archive
downloads over one urllib3 pool, with retries, rate limits, request counting and clear errors.

- Tokens are sent as GitHub documents them; a GitHub App installation's token comes from a
  :class:`TokenSource` (:class:`scorecard.github.auth.AppInstallation`, PyGithub's documented
  App API). PyGithub is used only for that: its own transport costs milliseconds of CPU per
  call (request encoding, proxy settings re-read from the environment at every call), which an
  org scan of thousands of calls pays under the interpreter lock.

- Base URLs: ``--api-url`` or ``GITHUB_API_URL`` (GitHub Enterprise Server:
  ``https://HOST/api/v3``); GraphQL from ``GITHUB_GRAPHQL_URL`` or derived from the API URL.
- Retries with exponential backoff on 5xx, time-outs and dropped connections; ``Retry-After``
  and the primary limit (``X-RateLimit-Remaining: 0`` until ``X-RateLimit-Reset``) honoured, as
  is GraphQL's ``RATE_LIMITED`` error, which GitHub sends with HTTP 200. A wait longer than
  ``max_wait`` seconds gives up with a message saying when the limit resets.
- At most ``concurrency`` requests in flight from one client, shared by all threads.
- Each request has an overall deadline (``deadline`` seconds, default 60, or
  ``SCORECARD_REQUEST_DEADLINE``), whatever the server's pace: a socket time-out alone bounds
  each read, and a server that trickles one byte at a time never lets one expire. An archive
  download's deadline grows by one second per ``DOWNLOAD_RATE`` bytes (256 KiB) received. A
  request that misses its deadline is tried once more, then fails with
  :class:`DeadlineExceeded` (see :mod:`scorecard.github.deadline`).
- Errors are :class:`GitHubError` with one sentence for a person; the token never appears in
  a message or a log: the client registers its token, and each installation token it is given,
  with :mod:`scorecard.secrets`, and every error message is redacted where it is made.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol
from urllib.parse import urlencode, urljoin, urlparse, urlunparse

from scorecard import secrets
from scorecard.github.errors import (
    BadCredentials,
    BadResponse,
    DeadlineExceeded,
    Forbidden,
    GitHubError,
    NotFound,
    RateLimited,
    SSORequired,
)
from scorecard.github.pacing import Pacer

__all__ = [
    "BadCredentials",
    "BadResponse",
    "DeadlineExceeded",
    "Forbidden",
    "GitHubClient",
    "GitHubError",
    "NotFound",
    "RateLimited",
    "SSORequired",
    "TokenSource",
    "graphql_url_for",
]

log = logging.getLogger("scorecard.github")

DEFAULT_API_URL = "https://api.github.com"
#: What a token's prefix says it is (GitHub's documented prefixes).
TOKEN_PREFIXES = (
    ("github_pat_", "a fine-grained personal access token"),
    ("ghp_", "a classic personal access token"),
    ("gho_", "an OAuth app token"),
    ("ghu_", "a GitHub App user token"),
    ("ghs_", "a GitHub App installation token (the workflow's GITHUB_TOKEN is one)"),
)
USER_AGENT = "repo-scorecard"
RETRY_STATUSES = (500, 502, 503, 504)
#: Seconds one request may take in all (its connection, headers and body), however slowly the
#: server sends them; ``SCORECARD_REQUEST_DEADLINE`` or ``GitHubClient(deadline=)`` changes it.
DEFAULT_DEADLINE = 60.0
#: An archive download gets the deadline plus one second per this many bytes received: a
#: large archive that arrives at a working speed is never cut, one that trickles is.
DOWNLOAD_RATE = 256 << 10


def _deadline_from_environment() -> float:
    value = os.environ.get("SCORECARD_REQUEST_DEADLINE", "").strip()
    if not value:
        return DEFAULT_DEADLINE
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise GitHubError(
            f"SCORECARD_REQUEST_DEADLINE={value!r}: a number of seconds above 0 "
            f"(default {DEFAULT_DEADLINE:.0f})"
        )
    return seconds


def graphql_url_for(api_url: str) -> str:
    """GitHub's rule: ``https://api.github.com/graphql``; Enterprise Server
    ``https://HOST/api/v3`` -> ``https://HOST/api/graphql``."""
    o = urlparse(api_url.rstrip("/"))
    path = o.path[: -len("/v3")] if o.path.endswith("/v3") else o.path
    return urlunparse(o._replace(path=path + "/graphql"))


@dataclass
class Stats:
    """Requests sent, by kind (retries included)."""

    rest: int = 0
    graphql: int = 0
    download: int = 0
    meta: int = 0  # GET /rate_limit: not counted by GitHub
    retries: int = 0
    waited: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def total(self) -> int:
        return self.rest + self.graphql + self.download

    def add(self, kind: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, kind, getattr(self, kind) + n)


@dataclass
class GraphQLResult:
    """``data`` may be partial: ``errors`` then say which aliases failed (by ``path``)."""

    data: dict[str, Any]
    errors: list[dict[str, Any]]

    def error_for(self, alias: str) -> dict[str, Any] | None:
        for err in self.errors:
            path = err.get("path") or []
            if path and path[0] == alias:
                return err
        return None


def _header(headers: dict[str, Any], name: str) -> str | None:
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return str(v)
    return None


def _retry_after(headers: dict[str, Any]) -> float | None:
    value = _header(headers, "retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        import email.utils

        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time())


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or data.get("errors") or "")
    return str(data or "")


class TokenSource(Protocol):
    """Where a client gets its token when it is not given one: a GitHub App installation."""

    def token(self) -> str:
        """The current token (renewed when it nears its expiry); raises :class:`HTTPFailure`
        when GitHub refuses to issue one."""
        ...


class GitHubClient:
    """A client for one token (or GitHub App installation) and one GitHub host."""

    def __init__(
        self,
        token: str | None = None,
        *,
        api_url: str | None = None,
        graphql_url: str | None = None,
        app_auth: TokenSource | None = None,
        concurrency: int = 20,
        max_retries: int = 6,
        backoff: float = 1.0,
        max_wait: float = 300.0,
        timeout: int = 30,
        deadline: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = (api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        self.graphql_url = (
            graphql_url or os.environ.get("GITHUB_GRAPHQL_URL") or graphql_url_for(self.api_url)
        )
        secrets.register(token)
        self._token = token
        self._auth = app_auth
        self._session: Any = None
        self._http_session: Any = None
        self._session_lock = threading.Lock()
        self._pool_size = max(concurrency, 10)
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else _deadline_from_environment()
        self.download_rate = DOWNLOAD_RATE
        self._slots = threading.BoundedSemaphore(concurrency)
        self.max_retries, self.backoff, self.max_wait = max_retries, backoff, max_wait
        self.sleep = sleep
        self.stats = Stats()
        self.pacer = Pacer(sleep, max_wait)
        # Whether download links from GraphQL (``tarballUrl``) work on this host: unknown
        # until the first one is tried (see ``sources.github.download_archive``).
        self.links_work: bool | None = None
        self._etags: dict[str, tuple[str, Any]] = {}
        self._etag_lock = threading.Lock()
        self._rng = random.Random()

    def credentials(self) -> str:
        """What authenticates this client, in words (from the token's documented prefix;
        never the token itself)."""
        if self._auth is not None:
            number = getattr(self._auth, "installation_id", "?")
            return f"a GitHub App installation (installation {number})"
        if not self._token:
            return "none"
        for prefix, kind in TOKEN_PREFIXES:
            if self._token.startswith(prefix):
                return kind
        return "a token of a form GitHub does not document (an older classic token?)"

    # ---- the retry loop --------------------------------------------------------------------

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.max_wait:
            raise RateLimited(
                f"GitHub asks to wait {seconds:.0f} s ({why}), longer than the "
                f"{self.max_wait:.0f} s this run allows; try again later"
            )
        log.info("waiting %.1f s: %s", seconds, why)
        self.stats.add("retries")
        with self.stats.lock:
            self.stats.waited += seconds
        self.sleep(seconds)

    def _backoff(self, attempt: int) -> float:
        return float(min(30.0, self.backoff * (2**attempt)) * (0.5 + self._rng.random() / 2))

    def _call(self, kind: str, fn: Callable[[], Any], what: str) -> Any:
        """Run ``fn`` (one HTTP request) with retries; map failures to GitHubError."""
        import urllib3
        from requests import exceptions as rx

        attempt = 0
        missed = False  # a deadline: missed twice, the server is too slow, not passing slow
        resource = _RESOURCES.get(kind)
        while True:
            self.stats.add(kind)
            try:
                if resource is None:
                    with self._slots:
                        return fn()
                self.pacer.take(resource, what)
                answered: dict[str, str] = {}
                try:
                    with self._slots:
                        result = fn()
                    answered = result[1]
                    return result
                except HTTPFailure as exc:
                    answered = exc.headers
                    raise
                finally:
                    self.pacer.settle(resource, answered)
            except DeadlineExceeded:
                if missed or attempt >= self.max_retries:
                    raise
                missed = True
                self._wait(self._backoff(attempt), f"deadline missed on {what}")
                attempt += 1
                continue
            except HTTPFailure as exc:
                status, data, headers = exc.status, exc.data, exc.headers
                wait = self._rate_limit_wait(status, data, headers)
                if wait is not None and attempt < self.max_retries:
                    self._wait(wait, f"rate limit on {what}")
                    attempt += 1
                    continue
                if status in RETRY_STATUSES and attempt < self.max_retries:
                    self._wait(self._backoff(attempt), f"HTTP {status} on {what}")
                    attempt += 1
                    continue
                raise self._error(status, data, headers, what) from None
            except (
                rx.ConnectionError,
                rx.Timeout,
                rx.ChunkedEncodingError,
                urllib3.exceptions.HTTPError,
                ConnectionError,
                TimeoutError,
            ) as exc:
                if attempt < min(self.max_retries, 3):  # a host that is down stays down
                    self._wait(self._backoff(attempt), f"{type(exc).__name__} on {what}")
                    attempt += 1
                    continue
                raise GitHubError(
                    f"cannot reach GitHub at {self.api_url} ({what}): {type(exc).__name__}"
                ) from None

    def _rate_limit_wait(self, status: int, data: Any, headers: dict[str, str]) -> float | None:
        if status not in (403, 429):
            return None
        retry_after = _retry_after(headers)
        if retry_after is not None:
            return retry_after
        if _header(headers, "x-ratelimit-remaining") == "0":
            reset = _header(headers, "x-ratelimit-reset")
            return max(1.0, float(reset) - time.time() + 1) if reset else 60.0
        if "secondary rate limit" in _message(data).lower():
            return min(60.0, self.max_wait)
        return None

    def _error(self, status: int, data: Any, headers: dict[str, str], what: str) -> GitHubError:
        msg = _message(data)
        if status == 401:
            return BadCredentials(
                f"GitHub rejected the token (401 {msg or 'Bad credentials'}): "
                "check --token, GITHUB_TOKEN or GH_TOKEN",
                status,
                data,
                headers,
            )
        if status == 404:
            return NotFound(
                f"{what}: not found (404), or the token cannot see it", status, data, headers
            )
        sso = _header(headers, "x-github-sso")
        if status == 403 and sso:
            url = sso.partition("url=")[2]
            return SSORequired(
                "the organisation requires SAML single sign-on: authorise the "
                f"token for it{' at ' + url if url else ''}",
                status,
                data,
                headers,
            )
        if status in (403, 429) and (
            _header(headers, "x-ratelimit-remaining") == "0" or "rate limit" in msg.lower()
        ):
            return RateLimited(f"GitHub's rate limit stopped {what}: {msg}", status, data, headers)
        if status == 403:
            return Forbidden(f"{what}: forbidden (403 {msg})", status, data, headers)
        return GitHubError(f"{what}: HTTP {status} {msg}".rstrip(), status, data, headers)

    # ---- REST ------------------------------------------------------------------------------

    def rest(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        *,
        cache: bool = False,
    ) -> tuple[dict[str, Any], Any]:
        """One REST call: ``(headers, data)``. With ``cache``, a GET's answer is kept with its
        ETag and revalidated next time (a 304 costs no rate limit); off by default, since an
        org scan reads each URL once and must not hold every answer in memory."""
        url = path if path.startswith("http") else self.api_url + path
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        headers: dict[str, str] = {"Accept": "application/vnd.github+json"}
        cached = None
        if method == "GET" and cache:
            with self._etag_lock:
                cached = self._etags.get(url)
            if cached:
                headers["If-None-Match"] = cached[0]

        def send() -> tuple[int, dict[str, str], Any]:
            return self._send(method, url, headers, body)

        what = f"{method} {urlparse(url).path}"
        status, resp_headers, data = self._call("rest", send, what)
        if cached is not None and status == 304:
            return resp_headers, cached[1]
        etag = _header(resp_headers, "etag")
        if method == "GET" and cache and etag:
            with self._etag_lock:
                self._etags[url] = (etag, data)
        return resp_headers, data

    def read_budgets(self) -> None:
        """Learn the token's budgets (``GET /rate_limit``, which spends none) so that the first
        requests of a run are paced too. Nothing on a server without rate limits (404)."""
        url = self.api_url + "/rate_limit"

        def send() -> tuple[int, dict[str, str], Any]:
            return self._send("GET", url, {"Accept": "application/vnd.github+json"}, None)

        try:
            _status, _headers, data = self._call("meta", send, "GET /rate_limit")
        except NotFound:
            return
        resources = data.get("resources") if isinstance(data, dict) else None
        for name in ("core", "graphql"):
            r = resources.get(name) if isinstance(resources, dict) else None
            try:
                self.pacer.observe(name, int(r["remaining"]), float(r["reset"]))  # type: ignore[index]
            except (KeyError, TypeError, ValueError):
                continue

    def get(self, path: str, *, cache: bool = False, **params: Any) -> Any:
        return self.rest("GET", path, params or None, cache=cache)[1]

    def paginate(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        key: str | None = None,
        *,
        parallel: int = 1,
    ) -> Iterator[Any]:
        """Every item of a paginated list, following ``Link: rel="next"``. With ``parallel``
        above 1, a list numbered by ``page`` (its first answer links to the last page) has its
        other pages fetched that many at a time, still yielded in order: an organisation's
        10,000 repositories are 100 pages, which one after another cost 100 round trips."""

        def items(data: Any, url: str) -> list[Any]:
            found = data.get(key, []) if key and isinstance(data, dict) else data
            found = [] if found is None else found
            if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
                raise BadResponse(
                    f"GET {urlparse(url).path}: the server's answer was not the "
                    "list of objects GitHub sends"
                )
            return found

        first = path if path.startswith("http") else self.api_url + path
        headers, data = self.rest("GET", path, {"per_page": 100, **(params or {})})
        yield from items(data, first)
        link = _header(headers, "link")
        url = _next_link(link)
        pages = _numbered_pages(url, _next_link(link, "last")) if parallel > 1 else None
        if pages:
            import concurrent.futures as cf

            with cf.ThreadPoolExecutor(
                max_workers=min(parallel, len(pages)), thread_name_prefix="pages"
            ) as pool:
                for page, data in zip(
                    pages, pool.map(lambda u: self.rest("GET", u)[1], pages), strict=True
                ):
                    yield from items(data, page)
            return
        while url:
            headers, data = self.rest("GET", url)
            yield from items(data, url)
            url = _next_link(_header(headers, "link"))

    # ---- GraphQL ---------------------------------------------------------------------------

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, what: str = "GraphQL query"
    ) -> GraphQLResult:
        """A GraphQL query. Partial answers are returned with their errors; ``RATE_LIMITED``
        is waited out and retried."""
        attempt = 0
        while True:

            def send() -> tuple[int, dict[str, str], Any]:
                return self._send(
                    "POST",
                    self.graphql_url,
                    {"Accept": "application/json"},
                    {"query": query, "variables": variables or {}},
                )

            _status, headers, data = self._call("graphql", send, what)
            errors = _graphql_shape(data, f"{what} (POST {urlparse(self.graphql_url).path})")
            if any(e.get("type") == "RATE_LIMITED" for e in errors):
                if attempt >= self.max_retries:
                    raise RateLimited(f"GitHub's GraphQL rate limit stopped the {what}")
                reset = _header(headers, "x-ratelimit-reset")
                wait = (
                    (float(reset) - time.time() + 1)
                    if reset and _header(headers, "x-ratelimit-remaining") == "0"
                    else self._backoff(attempt)
                )
                self._wait(max(wait, 0.0), f"GraphQL RATE_LIMITED on {what}")
                attempt += 1
                continue
            if data.get("data") is None and errors:
                raise GitHubError(
                    f"{what} failed: " + "; ".join(str(e.get("message")) for e in errors[:3]),
                    200,
                    data,
                    headers,
                )
            return GraphQLResult(data.get("data") or {}, errors)

    # ---- the transport ---------------------------------------------------------------------

    def _http(self) -> Any:
        """One ``requests`` session for REST and GraphQL. The environment's proxy and CA
        settings are read once, here: a session that trusts the environment re-reads every
        variable at every call."""
        with self._session_lock:
            if self._http_session is None:
                import requests
                from requests.adapters import HTTPAdapter

                from scorecard.github.deadline import watch

                class Adapter(HTTPAdapter):
                    """Connections that honour the request's deadline, proxied or not."""

                    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                        super().init_poolmanager(*args, **kwargs)
                        watch(self.poolmanager)

                    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
                        return watch(super().proxy_manager_for(proxy, **kwargs))

                session = requests.Session()
                session.trust_env = False  # no .netrc either: the token is ours to send
                session.proxies = requests.utils.get_environ_proxies(self.api_url)
                session.verify = (
                    os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
                )
                session.headers["User-Agent"] = USER_AGENT
                adapter = Adapter(pool_connections=4, pool_maxsize=self._pool_size, max_retries=0)
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                self._http_session = session
            return self._http_session

    def _send(
        self, method: str, url: str, headers: dict[str, str], body: Any = None
    ) -> tuple[int, dict[str, str], Any]:
        """One request: ``(status, headers with lower-case names, JSON data)``; an answer of
        400 or more raises :class:`HTTPFailure`. Redirects are followed for reads only
        (a renamed repository answers 301), and ``requests`` drops the token when one leads
        to another host."""
        headers = dict(headers)
        self._authorize(headers)
        data_bytes = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data_bytes = json.dumps(body).encode("utf-8")
        with self._deadline(f"{method} {urlparse(url).path}"):
            resp = self._http().request(
                method,
                url,
                headers=headers,
                data=data_bytes,
                timeout=self.timeout,
                allow_redirects=method in ("GET", "HEAD"),
            )
            content = resp.content
        resp_headers = _lower(resp.headers)
        data = _json(content)
        if data is None and content:
            if resp.status_code < 400:
                kind = resp_headers.get("content-type", "").split(";")[0].strip()
                raise BadResponse(
                    f"{method} {urlparse(url).path}: the server's answer was not "
                    f"valid JSON (HTTP {resp.status_code}"
                    f"{', ' + kind if kind else ''})",
                    resp.status_code,
                )
            data = content[:200].decode("utf-8", "replace")
        if resp.status_code >= 400:
            raise HTTPFailure(resp.status_code, data, resp_headers)
        return resp.status_code, resp_headers, data

    @contextlib.contextmanager
    def _deadline(self, what: str) -> Iterator[Any]:
        """A request made in this block ends within ``self.deadline`` seconds (which the block
        may extend): past it, the connection is shut down and :class:`DeadlineExceeded`
        raised, whatever the transport made of the cut answer (an error, or an answer cut
        short that looks whole: headers cut before their end read as complete)."""
        from scorecard.github import deadline

        with deadline.running(self.deadline) as watch:
            try:
                yield watch
            except Exception:
                if not watch.expired:
                    raise
            else:
                if not watch.expired:
                    return
            raise DeadlineExceeded(
                f"{what}: no complete answer within "
                f"{watch.end - watch.start:.0f} s (the server is too slow; "
                "SCORECARD_REQUEST_DEADLINE sets the limit)"
            )

    # ---- downloads -------------------------------------------------------------------------

    def _pool(self) -> Any:
        """One urllib3 pool for archive downloads (thousands in an org scan: requests' per-call
        work would cost more than grading). Proxy and CA settings are read once."""
        if self._session is None:
            import certifi
            import urllib3

            ca = (
                os.environ.get("REQUESTS_CA_BUNDLE")
                or os.environ.get("CURL_CA_BUNDLE")
                or certifi.where()
            )
            proxy = urllib.request.getproxies().get(urlparse(self.api_url).scheme)
            bypass = urllib.request.proxy_bypass(urlparse(self.api_url).hostname or "")
            kw: dict[str, Any] = {
                "num_pools": 4,
                "maxsize": 64,
                "ca_certs": ca,
                "headers": {"User-Agent": USER_AGENT},
            }
            from scorecard.github.deadline import watch

            self._session = watch(
                urllib3.ProxyManager(proxy, **kw)
                if proxy and not bypass
                else urllib3.PoolManager(**kw)
            )
        return self._session

    def download(
        self,
        path: str,
        dest: IO[bytes],
        max_bytes: int,
        *,
        link: str | None = None,
        what: str | None = None,
    ) -> int:
        """Stream a binary answer (an archive) into ``dest``, following GitHub's redirect to
        its download host (``codeload``, or ``/_codeload`` on Enterprise Server) without the
        token: the redirect carries its own. Returns the bytes written.

        With ``link`` (a download URL GitHub gave, such as a commit's GraphQL ``tarballUrl``),
        that URL is fetched instead of ``path``, never with the token: private repositories'
        links carry their own short-lived one. ``what`` names the download in errors, which
        never show the link itself."""
        pool = self._pool()
        what = what or f"GET {path}"
        if link is not None and urlparse(link).scheme not in ("http", "https"):
            raise GitHubError(f"{what}: GitHub gave a download link that is not http(s)")

        def send() -> int:
            headers = {"Accept": "application/vnd.github+json"}
            if link is None:
                self._authorize(headers)
                url = self.api_url + path
            else:
                headers, url = {"Accept": "*/*"}, link
            with self._deadline(what) as deadline:
                return fetch(headers, url, deadline)

        def fetch(headers: dict[str, str], url: str, deadline: Any) -> int:
            for _hop in range(5):
                resp = pool.request(
                    "GET",
                    url,
                    headers=headers,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    timeout=self.timeout,
                )
                location = resp.headers.get("location")
                if resp.status in (301, 302, 303, 307, 308) and location:
                    target = urljoin(url, location)
                    if urlparse(target).netloc != urlparse(url).netloc or "/_codeload/" in target:
                        headers = {"Accept": "*/*"}  # the token stays with the API host
                    url = target
                    resp.drain_conn()
                    resp.release_conn()
                    continue
                break
            try:
                if resp.status >= 400:
                    body = resp.read(64 * 1024)
                    data = _json(body)
                    if data is None:
                        data = {"message": body[:200].decode("utf-8", "replace")}
                    raise HTTPFailure(resp.status, data, _lower(resp.headers))
                written = 0
                dest.seek(0)
                dest.truncate()
                for chunk in resp.stream(1 << 16):
                    deadline.extend(len(chunk) / self.download_rate)
                    written += len(chunk)
                    if written > max_bytes:
                        raise GitHubError(
                            f"{what}: the archive is larger than {max_bytes // (1 << 20)} MiB"
                        )
                    dest.write(chunk)
                return written
            finally:
                resp.release_conn()

        written: int = self._call("download", send, what)
        return written

    def _authorize(self, headers: dict[str, str]) -> None:
        """The Authorization header: the token, or the App installation's current token."""
        if self._token:
            headers["Authorization"] = f"token {self._token}"
        elif self._auth is not None:
            headers["Authorization"] = f"token {self._auth.token()}"


#: The rate-limit resource each kind of call spends (archive downloads spend none: codeload).
_RESOURCES = {"rest": "core", "graphql": "graphql"}


def _lower(headers: Any) -> dict[str, str]:
    """Response headers by lower-case name."""
    return {str(k).lower(): v for k, v in headers.items()}


def _json(content: bytes) -> Any:
    """The JSON of a body; None when it is empty or not JSON."""
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def _graphql_shape(data: Any, what: str) -> list[dict[str, Any]]:
    """The ``errors`` of a GraphQL answer, once the answer is known to have GraphQL's shape
    (an object, ``data`` an object or null, ``errors`` a list of objects)."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("data"), (dict, type(None)))
        or not isinstance(errors, (list, type(None)))
        or not all(isinstance(e, dict) for e in errors or [])
    ):
        raise BadResponse(f"{what}: the server's answer was not a GraphQL answer")
    return list(errors or [])


class HTTPFailure(Exception):
    """An answer of 400 or more, before the retry loop turns it into a :class:`GitHubError`."""

    def __init__(self, status: int, data: Any, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status, self.data, self.headers = status, data, headers


def _next_link(link: str | None, rel_name: str = "next") -> str | None:
    if not link:
        return None
    for part in link.split(","):
        url, _, rel = part.partition(";")
        if f'rel="{rel_name}"' in rel:
            return url.strip().strip("<>")
    return None


def _numbered_pages(next_url: str | None, last_url: str | None) -> list[str] | None:
    """The URLs of pages 2 to N when ``next`` and ``last`` differ only by their ``page``
    number (GitHub's numbered lists), else None (cursor-based lists go one by one)."""
    from urllib.parse import parse_qsl

    if not next_url or not last_url:
        return None
    nxt, last = urlparse(next_url), urlparse(last_url)
    q_next, q_last = dict(parse_qsl(nxt.query)), dict(parse_qsl(last.query))
    try:
        first, final = int(q_next.pop("page", "")), int(q_last.pop("page", ""))
    except ValueError:
        return None
    if (
        (nxt._replace(query=""), q_next) != (last._replace(query=""), q_last)
        or first != 2
        or not 2 <= final <= 10_000
    ):
        return None
    return [
        urlunparse(nxt._replace(query=urlencode({**q_next, "page": n})))
        for n in range(2, final + 1)
    ]
