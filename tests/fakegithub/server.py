"""The HTTP server: authentication, rate limits, faults, ETags, logging, and dispatch to the
REST routes, GraphQL and the codeload archive downloads."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import random
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import gql
from .openapi import shared_validator
from .rest import Request, Response, Rest, error_response
from .shapes import error_body
from .state import FakeError, Repo, State, Token

GRAPHQL_DOCS = "https://docs.github.com/graphql"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits"
SECONDARY_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
FAULT_KINDS = ("502", "503", "slow", "drop")


@dataclass
class RequestRecord:
    """One request the fake answered (or dropped: status 0)."""

    method: str
    path: str  # /repos/acme/widgets (REST, without /api/v3), /graphql, /_codeload/...
    query: dict[str, list[str]]
    status: int
    token_kind: str | None
    kind: str  # rest | graphql | codeload | other
    operation: str | None = None  # GraphQL operation name
    aliases: int = 0  # GraphQL: top-level fields (aliases) in the operation
    cost: int = 0  # GraphQL: rate-limit cost
    fault: str | None = None  # 502 | 503 | slow | drop | secondary | primary | rate_limited
    duration: float = 0.0
    route: str = ""  # path with /repositories/{id} and /organizations/{id} resolved


@dataclass
class _Window:
    used: int = 0
    started: float = 0.0


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class FakeGitHub(State):
    """A local GitHub (REST under ``/api/v3``, GraphQL at ``/api/graphql``).

    ``with FakeGitHub() as gh:`` starts and stops it. Switches are plain attributes that may
    change at any time: ``latency``, ``fault_rate``/``fault_kinds``/``slow_seconds``/``seed``,
    ``primary_limit``/``primary_reset_seconds``/``primary_status``, ``graphql_limit``,
    ``secondary_rate``/``retry_after``/``max_concurrent``/``secondary_status``,
    ``graphql_rate_limited``, ``validate``, ``workflow_reads_public``, ``echo_auth``,
    ``garbage``.
    """

    def __init__(
        self, *, validate: bool = True, strict: bool = True, seed: int = 0, latency: float = 0.0
    ) -> None:
        super().__init__()
        self.validate = validate
        self.strict = strict
        self.latency = latency
        self.fault_rate = 0.0
        self.fault_kinds = FAULT_KINDS
        self.slow_seconds = 1.0
        self.primary_limit: int | None = None
        self.primary_reset_seconds = 3600.0
        self.primary_status = 403
        self.graphql_limit: int | None = None
        self.secondary_rate = 0.0
        self.secondary_status = 403
        self.retry_after = 1
        self.max_concurrent: int | None = None
        self.graphql_rate_limited = 0
        # {path prefix: status}: answer that status with a body that echoes the request's
        # Authorization header, as a careless proxy or server does
        self.echo_auth: dict[str, int] = {}
        # path prefixes answered 200 with a body that is not JSON (a captive portal's page)
        self.garbage: tuple[str, ...] = ()
        self.seed = seed
        self.requests: list[RequestRecord] = []
        self.graphql_invalid: list[dict[str, Any]] = []
        self.graphql_unimplemented: list[str] = []
        self.schema_errors: list[str] = []
        self.problems: list[str] = []
        self.codeload_tickets: dict[str, tuple[str, str]] = {}
        self.graphql_links_expired = False
        # {"owner/repo": bytes}: the archive download of that repository answers these bytes
        # (a crafted, cut or empty archive) instead of `git archive`'s
        self.archive_bodies: dict[str, bytes] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._log_lock = threading.Lock()
        self._rate_lock = threading.Lock()
        self._windows: dict[tuple[str, str], _Window] = {}
        self._flight: dict[str, int] = {}
        self.rest = Rest(self)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        gql.preload()

    # -- switches --------------------------------------------------------------------------
    @property
    def fault_kinds(self) -> tuple[str, ...]:
        """Which faults ``fault_rate`` draws from: "502", "503", "slow", "drop"."""
        return self._fault_kinds

    @fault_kinds.setter
    def fault_kinds(self, kinds: Any) -> None:
        kinds = tuple(str(k) for k in kinds)
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        self._fault_kinds = kinds

    @property
    def seed(self) -> int:
        return self._seed

    @seed.setter
    def seed(self, value: int) -> None:
        self._seed = value
        self.rng = random.Random(value)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeGitHub:
        if self._server is not None:
            return self
        self.git.closed = False  # restartable
        server = _Server(("127.0.0.1", 0), _Handler)
        server.gh = self
        self._server = server
        port = server.server_address[1]
        self.web_url = f"http://127.0.0.1:{port}"
        self.api_url = f"{self.web_url}/api/v3"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"fakegithub-{port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        deadline = time.monotonic() + 2
        while self.in_flight and time.monotonic() < deadline:  # let answers being made finish
            time.sleep(0.01)
        self.git.close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.stop()
        if exc_type is None and self.strict:
            self.assert_clean()

    @property
    def graphql_url(self) -> str:
        return f"{self.web_url}/api/graphql"

    # -- observations ----------------------------------------------------------------------
    def note_problem(self, message: str) -> None:
        with self._log_lock:
            self.problems.append(message)

    def note_unimplemented(self, name: str) -> None:
        with self._log_lock:
            if name not in self.graphql_unimplemented:
                self.graphql_unimplemented.append(name)

    def assert_clean(self) -> None:
        """Fail if the fake drifted from GitHub or broke: answers that do not match the
        OpenAPI description, GraphQL fields it does not implement, internal errors."""
        issues = (
            [f"schema: {e}" for e in self.schema_errors]
            + [
                f"GraphQL field not implemented by the fake: {n}"
                for n in self.graphql_unimplemented
            ]
            + [f"fake error: {p}" for p in self.problems]
        )
        if issues:
            raise AssertionError("fake GitHub problems:\n" + "\n".join(issues[:30]))

    def count(
        self,
        method: str | None = None,
        path_prefix: str | None = None,
        *,
        kind: str | None = None,
        status: int | None = None,
        include_codeload: bool = False,
    ) -> int:
        """Requests answered (dropped ones included, status 0). By default API requests only
        (REST and GraphQL); ``include_codeload=True`` adds archive downloads, ``kind=`` picks
        one of rest, graphql, codeload, other. ``path_prefix`` matches the API path
        (``/repos/acme/x``, ``/graphql``; an ``/api/v3`` prefix is ignored) or its canonical
        form (``/repositories/{id}/...`` resolved)."""
        if path_prefix and path_prefix.startswith("/api/v3"):
            path_prefix = path_prefix[len("/api/v3") :] or "/"
        if path_prefix == "/api/graphql":
            path_prefix = "/graphql"
        with self._log_lock:
            records = list(self.requests)
        total = 0
        for rec in records:
            if kind is not None and rec.kind != kind:
                continue
            if (
                kind is None
                and rec.kind not in ("rest", "graphql")
                and not (include_codeload and rec.kind == "codeload")
            ):
                continue
            if method is not None and rec.method != method.upper():
                continue
            if path_prefix is not None and not (
                rec.path.startswith(path_prefix) or rec.route.startswith(path_prefix)
            ):
                continue
            if status is not None and rec.status != status:
                continue
            total += 1
        return total

    def reset_log(self) -> None:
        with self._log_lock:
            self.requests.clear()
            self.graphql_invalid.clear()
            self.max_in_flight = self.in_flight

    def _record(self, rec: RequestRecord) -> None:
        with self._log_lock:
            self.requests.append(rec)

    # -- rate limits -----------------------------------------------------------------------
    def _window(self, token: Token, resource: str) -> _Window:
        """The token's current rate-limit window; it ends ``primary_reset_seconds`` after its
        first request (read at every call, so changing the switch takes effect at once)."""
        key = (token.value, resource)
        window = self._windows.get(key)
        current = time.time()
        if window is None or current >= window.started + self.primary_reset_seconds:
            window = _Window(0, current)
            self._windows[key] = window
        return window

    def _reset_at(self, window: _Window) -> int:
        return math.ceil(window.started + self.primary_reset_seconds)

    def _limit(self, resource: str) -> tuple[int, bool]:
        """(limit, enforced)."""
        configured = self.primary_limit if resource == "core" else self.graphql_limit
        return (configured, True) if configured is not None else (5000, False)

    def rate_status(self, token: Token, resource: str) -> dict[str, int]:
        with self._rate_lock:
            window = self._window(token, resource)
            limit, _ = self._limit(resource)
            return {
                "limit": limit,
                "remaining": max(0, limit - window.used),
                "reset": self._reset_at(window),
                "used": window.used,
            }

    def _charge(self, token: Token, resource: str, amount: int) -> bool:
        """Take ``amount`` from the token's budget; False when it is exhausted."""
        with self._rate_lock:
            window = self._window(token, resource)
            limit, enforced = self._limit(resource)
            if window.used + amount > limit:
                if enforced:
                    return False
                window.used = 0  # not enforced: the hour rolls over
                window.started = time.time()
            window.used += amount
            return True

    def _refund(self, token: Token, resource: str, amount: int) -> None:
        with self._rate_lock:
            window = self._window(token, resource)
            window.used = max(0, window.used - amount)

    def _rate_headers(self, token: Token | None, resource: str) -> dict[str, str]:
        if token is None:
            reset = int(time.time() + self.primary_reset_seconds)
            return {
                "X-RateLimit-Limit": "60",
                "X-RateLimit-Remaining": "59",
                "X-RateLimit-Reset": str(reset),
                "X-RateLimit-Used": "1",
                "X-RateLimit-Resource": resource,
            }
        status = self.rate_status(token, resource)
        return {
            "X-RateLimit-Limit": str(status["limit"]),
            "X-RateLimit-Remaining": str(status["remaining"]),
            "X-RateLimit-Reset": str(status["reset"]),
            "X-RateLimit-Used": str(status["used"]),
            "X-RateLimit-Resource": resource,
        }

    def _enter(self, key: str) -> int:
        with self._rate_lock:
            self._flight[key] = self._flight.get(key, 0) + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self._flight[key]

    def _leave(self, key: str) -> None:
        with self._rate_lock:
            self._flight[key] -= 1
            self.in_flight -= 1

    def _draw(self) -> tuple[str | None, bool]:
        """Seeded draws for this request: (fault kind or None, secondary limit hit)."""
        with self._rate_lock:
            fault = None
            if self.fault_rate > 0 and self.fault_kinds and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(list(self.fault_kinds))
            secondary = self.secondary_rate > 0 and self.rng.random() < self.secondary_rate
            return fault, secondary

    # -- the request pipeline --------------------------------------------------------------
    def handle(self, handler: _Handler, method: str) -> None:
        t0 = time.monotonic()
        parts = urlsplit(handler.path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        body = handler.read_body()
        if path.startswith("/api/v3/") or path == "/api/v3":
            kind, api_path = "rest", path[len("/api/v3") :] or "/"
        elif path in ("/api/graphql", "/api/graphql/"):
            kind, api_path = "graphql", "/graphql"
        elif path.startswith("/_codeload/"):
            kind, api_path = "codeload", path
        else:
            kind, api_path = "other", path
        value = _token_value(handler.headers.get("Authorization"))
        token = self.token(value)
        rec = RequestRecord(
            method,
            api_path,
            query,
            0,
            token.kind if token else None,
            kind,
            route=self.rest.canonical(api_path) if kind == "rest" else api_path,
        )
        key = value or "-"
        concurrent = self._enter(key)
        left = False

        def finish(status: int) -> None:
            # Log and leave before answering: a client that reads the answer and looks at
            # the log, or sends its next request at once, must see this one complete.
            nonlocal left
            rec.status = status
            rec.duration = time.monotonic() - t0
            self._record(rec)
            self._leave(key)
            left = True

        try:
            if self.latency > 0:
                time.sleep(self.latency)
            fault, secondary = self._draw()
            rec.fault = fault
            if fault == "drop":
                finish(0)
                handler.drop()
                return
            if fault == "slow":
                time.sleep(self.slow_seconds)
            answer = self._broken(api_path, handler) or self._answer(
                kind,
                method,
                api_path,
                query,
                body,
                handler,
                token,
                rec,
                fault,
                secondary or (self.max_concurrent is not None and concurrent > self.max_concurrent),
            )
        except Exception as err:  # a bug in the fake: answer 500 and remember it
            self.note_problem(f"{method} {handler.path}: {err!r}")
            answer = _json_answer(500, error_body(f"fake GitHub error: {err!r}", 500))
        finally:
            if not left and sys.exc_info()[0] is not None:
                finish(500)
        if not left:
            finish(answer.status)
        with contextlib.suppress(OSError):
            handler.send(answer)

    def _broken(self, api_path: str, handler: _Handler) -> _Answer | None:
        """The answer the ``echo_auth`` and ``garbage`` switches give to ``api_path``."""
        for prefix, status in self.echo_auth.items():
            if api_path.startswith(prefix):
                auth = handler.headers.get("Authorization") or "(none)"
                return _json_answer(
                    status,
                    {
                        "message": f"Request refused. You sent Authorization: {auth}",
                        "request": {"headers": {"authorization": auth}},
                        "status": str(status),
                    },
                )
        if any(api_path.startswith(prefix) for prefix in self.garbage):
            return _Answer(
                200,
                b"<html><body>Please sign in to the proxy</body></html>",
                {"Content-Type": "text/html"},
            )
        return None

    def _installation_token(self, api_path: str, handler: _Handler) -> _Answer:
        """A GitHub App's JWT exchanged for an installation token, as GitHub does: the JWT
        must be signed (RS256) by the app's key, with ``iss`` the app id."""
        import jwt  # PyJWT, installed with PyGithub

        raw = handler.headers.get("Authorization") or ""
        assertion = raw.split(" ", 1)[1] if " " in raw else ""
        try:
            installation = int(api_path.split("/")[3])
            unverified = jwt.decode(assertion, options={"verify_signature": False})
            app_id = int(unverified.get("iss") or "")
            public_key, installations = self.apps[app_id]
            jwt.decode(assertion, public_key, algorithms=["RS256"])
        except (KeyError, ValueError, TypeError, jwt.PyJWTError):
            return _json_answer(
                401,
                error_body(
                    "A JSON web token could not be decoded", 401, "https://docs.github.com/rest"
                ),
            )
        if installation not in installations:
            return _json_answer(404, error_body("Not Found", 404))
        value = f"ghs_{uuid.uuid4().hex[:36]}"
        self.add_token(value, "installation", login=None, org=installations[installation])
        expires = (
            (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
            .replace(microsecond=0)
            .isoformat()
            .replace("+00:00", "Z")
        )
        body = {
            "token": value,
            "expires_at": expires,
            "permissions": {
                "contents": "read",
                "metadata": "read",
                "issues": "write",
                "pull_requests": "write",
            },
            "repository_selection": "all",
        }
        answer = _json_answer(201, body)
        if self.validate:
            template = "/app/installations/{installation_id}/access_tokens"
            for err in shared_validator().errors(template, "post", 201, "application/json", body):
                with self._log_lock:
                    self.schema_errors.append(f"POST {api_path} -> 201: {err}")
        return answer

    def _answer(
        self,
        kind: str,
        method: str,
        api_path: str,
        query: dict[str, list[str]],
        body: bytes,
        handler: _Handler,
        token: Token | None,
        rec: RequestRecord,
        fault: str | None,
        secondary: bool,
    ) -> _Answer:
        if fault in ("502", "503"):
            status = int(fault)
            message = "Server Error" if status == 502 else "Service Unavailable"
            return _json_answer(
                status,
                {
                    "message": message,
                    "documentation_url": GRAPHQL_DOCS
                    if kind == "graphql"
                    else "https://docs.github.com/rest",
                    "status": str(status),
                },
            )
        if kind == "codeload":
            return self._codeload(api_path, query, token)
        if kind == "other":
            return _json_answer(404, error_body("Not Found", 404))
        resource = "graphql" if kind == "graphql" else "core"
        docs = GRAPHQL_DOCS if kind == "graphql" else "https://docs.github.com/rest"
        if (
            token is None
            and kind == "rest"
            and method == "POST"
            and api_path.startswith("/app/installations/")
            and api_path.endswith("/access_tokens")
        ):
            return self._installation_token(api_path, handler)
        if token is None:
            answer = _json_answer(401, error_body("Bad credentials", 401, docs))
            answer.headers.update(self._rate_headers(None, resource))
            return answer
        common = {"X-GitHub-Request-Id": uuid.uuid4().hex[:20].upper()}
        if token.personal and token.value.startswith(("ghp_", "gho_")):
            # GitHub sends a classic token's scopes on every answer; a fine-grained token,
            # which has none, gets no such header
            common["X-OAuth-Scopes"] = "repo, read:org" + (
                ", admin:org" if token.kind == "admin" else ""
            )
            common["X-Accepted-OAuth-Scopes"] = "repo"
        if secondary:
            rec.fault = "secondary"
            answer = _json_answer(
                self.secondary_status,
                {
                    "message": "You have exceeded a secondary rate limit. Please wait a few "
                    "minutes before you try again. If you reach out to GitHub Support for help, "
                    f"please include the request ID {common['X-GitHub-Request-Id']}.",
                    "documentation_url": SECONDARY_DOCS,
                    "status": str(self.secondary_status),
                },
            )
            answer.headers.update(common)
            answer.headers["Retry-After"] = str(self.retry_after)
            answer.headers.update(self._rate_headers(token, resource))
            return answer
        if kind == "graphql":
            answer = self._graphql(method, body, token, rec)
        else:
            answer = self._rest(method, api_path, query, body, handler, token, rec)
        answer.headers.update(common)
        if "X-RateLimit-Limit" not in answer.headers:
            answer.headers.update(self._rate_headers(token, resource))
        return answer

    def _rest(
        self,
        method: str,
        api_path: str,
        query: dict[str, list[str]],
        body: bytes,
        handler: _Handler,
        token: Token,
        rec: RequestRecord,
    ) -> _Answer:
        free = method == "GET" and api_path == "/rate_limit"  # costs nothing, as on GitHub
        if not free and not self._charge(token, "core", 1):
            rec.fault = "primary"
            who = "installation" if token.integration else "user"
            user = self.user(token.login)
            answer = _json_answer(
                self.primary_status,
                error_body(
                    f"API rate limit exceeded for {who} ID {user.id if user else token.id}. If you "
                    "reach out to GitHub Support for help, please include the request ID "
                    f"{uuid.uuid4().hex[:20].upper()} and timestamp "
                    f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}.",
                    self.primary_status,
                    RATE_DOCS,
                ),
            )
            answer.headers.update(self._rate_headers(token, "core"))
            return answer
        req = Request(method, api_path, query, dict(handler.headers.items()), body, token)
        try:
            resp = self.rest.dispatch(req)
        except FakeError as err:
            resp = error_response(err)
        answer = self._encode(resp, method)
        if method == "GET" and 200 <= answer.status < 300:
            etag = 'W/"' + hashlib.md5(answer.body, usedforsecurity=False).hexdigest() + '"'
            answer.headers["ETag"] = etag
            answer.headers.setdefault("Cache-Control", "private, max-age=60, s-maxage=60")
            answer.headers["Vary"] = "Accept, Authorization, Cookie, X-GitHub-OTP"
            if _etag_matches(handler.headers.get("If-None-Match"), etag):
                resp.counted = False
                answer = _Answer(
                    304,
                    b"",
                    {
                        "ETag": etag,
                        **{
                            k: v
                            for k, v in answer.headers.items()
                            if k in ("Cache-Control", "Vary", "Link")
                        },
                    },
                )
        if not resp.counted:
            self._refund(token, "core", 1)
        if (
            self.validate
            and resp.operation
            and answer.status != 304
            and not isinstance(resp.body, bytes)
        ):
            media = resp.content_type.split(";")[0]
            errors = shared_validator().errors(
                resp.operation[0], resp.operation[1], answer.status, media, resp.body
            )
            for problem in errors:
                with self._log_lock:
                    self.schema_errors.append(f"{method} {api_path} -> {answer.status}: {problem}")
        return answer

    def _encode(self, resp: Response, method: str) -> _Answer:
        headers = dict(resp.headers)
        if isinstance(resp.body, bytes):
            data = resp.body
        elif resp.status == 204:
            data = b""
        else:
            data = json.dumps(resp.body, ensure_ascii=False).encode("utf-8")
        if resp.content_type:
            headers["Content-Type"] = resp.content_type
        return _Answer(resp.status, data, headers)

    def _graphql(self, method: str, body: bytes, token: Token, rec: RequestRecord) -> _Answer:
        if method != "POST":
            return _json_answer(404, error_body("Not Found", 404, GRAPHQL_DOCS))
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            return _json_answer(400, error_body("Problems parsing JSON", 400, GRAPHQL_DOCS))
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return _json_answer(
                200,
                {
                    "errors": [
                        {"message": "A query attribute must be specified and must be a string."}
                    ]
                },
            )
        query = payload["query"]
        variables = payload.get("variables") or {}
        if not isinstance(variables, dict):
            variables = {}
        operation_name = payload.get("operationName")
        document, errors = gql.parse_and_validate(query)
        if document is None or errors:
            return self._graphql_invalid(query, variables, errors)
        analysis = gql.analyze(document, operation_name)
        rec.operation, rec.aliases = analysis.operation, analysis.top_level
        rec.cost = analysis.cost
        if analysis.errors:
            return self._graphql_invalid(query, variables, analysis.errors)
        with self._rate_lock:
            forced = self.graphql_rate_limited > 0
            if forced:
                self.graphql_rate_limited -= 1
        if forced or not self._charge(token, "graphql", analysis.cost):
            rec.fault = "rate_limited"
            user = self.user(token.login)
            answer = _json_answer(
                200,
                {
                    "data": None,
                    "errors": [
                        {
                            "type": "RATE_LIMITED",
                            "message": "API rate limit exceeded for user ID "
                            f"{user.id if user else 1}.",
                        }
                    ],
                },
            )
            headers = self._rate_headers(token, "graphql")
            headers["X-RateLimit-Remaining"] = "0"
            answer.headers.update(headers)
            return answer
        rate = self.rate_status(token, "graphql")
        rate_fields = {
            "limit": rate["limit"],
            "remaining": rate["remaining"],
            "used": rate["used"],
            "resetAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(rate["reset"])),
        }
        out, ctx = gql.run(self, token, document, analysis, variables, operation_name, rate_fields)
        if (
            out.get("data") is None
            and out.get("errors")
            and not any("path" in e for e in out["errors"])
        ):
            # variables that do not fit the operation: a request error, no data at all
            del out["data"]
            with self._log_lock:
                self.graphql_invalid.append(
                    {"query": query, "variables": variables, "errors": out["errors"]}
                )
        answer = _json_answer(200, out)
        if ctx.sso_orgs:
            answer.headers["X-GitHub-SSO"] = "partial-results; organizations=" + ",".join(
                str(i) for i in sorted(ctx.sso_orgs)
            )
        return answer

    def _graphql_invalid(
        self, query: str, variables: dict[str, Any], errors: list[dict[str, Any]]
    ) -> _Answer:
        with self._log_lock:
            self.graphql_invalid.append({"query": query, "variables": variables, "errors": errors})
        return _json_answer(200, {"errors": errors})

    def codeload_link(self, repo: Repo, sha: str, fmt: str, *, graphql: bool = False) -> str:
        """A download link for the archive of ``sha``, as the REST archive redirect and
        GraphQL's ``tarballUrl``/``zipballUrl`` give it: a private repository's carries a
        ticket in place of the token (GitHub's expire after five minutes; with
        ``graphql_links_expired`` set, those GraphQL gives are never valid)."""
        link = f"{self.web_url}/_codeload/{repo.full_name}/legacy.{fmt}/{sha}"
        if repo.private:
            ticket = secrets.token_hex(10)
            if not (graphql and self.graphql_links_expired):
                self.codeload_tickets[ticket] = (repo.full_name.lower(), sha)
            link += f"?token={ticket}"
        return link

    def _codeload(self, path: str, query: dict[str, list[str]], token: Token | None) -> _Answer:
        match = re.match(
            r"^/_codeload/([^/]+)/([^/]+)/legacy\.(tar\.gz|zip)/([0-9a-f]{40,64})$", path
        )
        repo = self.find_repo(match.group(1), match.group(2)) if match else None
        if match is None or repo is None:
            return _Answer(404, b"Not Found", {"Content-Type": "text/plain; charset=utf-8"})
        sha, fmt = match.group(4), match.group(3)
        if repo.private:
            ticket = (query.get("token") or [""])[-1]
            allowed = self.codeload_tickets.get(ticket) == (repo.full_name.lower(), sha) or (
                token is not None and self.can_see(token, repo)
            )
            if not allowed:
                return _Answer(404, b"Not Found", {"Content-Type": "text/plain; charset=utf-8"})
        if self.git.info(repo.path, sha) is None:
            return _Answer(404, b"Not Found", {"Content-Type": "text/plain; charset=utf-8"})
        prefix = f"{repo.owner}-{repo.name}-{sha[:7]}"
        data = self.archive_bodies.get(repo.full_name)
        if data is None:
            data = self.git.archive(repo.path, sha, fmt, prefix + "/")
        ctype = "application/x-gzip" if fmt == "tar.gz" else "application/zip"
        return _Answer(
            200,
            data,
            {
                "Content-Type": ctype,
                "Content-Disposition": f"attachment; filename={prefix}.{fmt}",
                "ETag": '"' + sha + '"',
            },
        )


# --------------------------------------------------------------------------------------------
# HTTP plumbing


def _token_value(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() in ("token", "bearer") and value.strip():
        return value.strip()
    return None


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == bare for part in header.split(","))


def _json_answer(status: int, body: Any) -> _Answer:
    return _Answer(
        status,
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": "application/json; charset=utf-8"},
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512
    gh: FakeGitHub

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._conns_lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def close_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
            self._conns.clear()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up are not the fake's problem


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "GitHub.com"
    sys_version = ""
    timeout = 60
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def drop(self) -> None:
        """Close the connection without answering."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def send(self, answer: _Answer) -> None:
        self.send_response_only(answer.status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.status != 304:
            self.send_header("Content-Length", str(len(answer.body)))
        # http.server's own buffer of the head, which it leaves untyped
        buffer: list[bytes] = getattr(self, "_headers_buffer")  # noqa: B009
        buffer.append(b"\r\n")
        if answer.status != 304 and answer.body:
            buffer.append(answer.body)
        data = b"".join(buffer)
        buffer.clear()
        self.wfile.write(data)  # one write: no Nagle/delayed-ACK stall between head and body
        self.wfile.flush()

    def _dispatch(self) -> None:
        self.server.gh.handle(self, self.command)

    do_GET = do_POST = do_PATCH = do_DELETE = _dispatch
