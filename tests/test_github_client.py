"""Unit tests of the GitHub client against mocked HTTP (``responses``)."""

from __future__ import annotations

import io
import time

import pytest
import responses

from scorecard.github.client import (
    BadCredentials,
    BadResponse,
    GitHubClient,
    GitHubError,
    NotFound,
    RateLimited,
    SSORequired,
    graphql_url_for,
)

API = "https://ghe.example.test:443/api/v3"
GQL = "https://ghe.example.test:443/api/graphql"
TOKEN = "ghp_secretsecretsecret"


class WaitingClient(GitHubClient):
    """A client that records the waits it would sleep."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        super().__init__(TOKEN, api_url=API, sleep=self.waits.append, backoff=0.01)


@pytest.fixture
def client():
    return WaitingClient()


def test_graphql_url_derivation():
    assert graphql_url_for("https://api.github.com") == "https://api.github.com/graphql"
    assert (
        graphql_url_for("https://ghe.example.test/api/v3") == "https://ghe.example.test/api/graphql"
    )


@responses.activate
def test_token_sent_and_counted(client):
    responses.get(f"{API}/repos/a/b", json={"name": "b"})
    assert client.get("/repos/a/b")["name"] == "b"
    assert responses.calls[0].request.headers["Authorization"] == f"token {TOKEN}"
    assert client.stats.rest == 1 and client.stats.total == 1


@responses.activate
def test_retries_5xx_then_succeeds(client):
    responses.get(f"{API}/x", status=502, json={"message": "Bad gateway"})
    responses.get(f"{API}/x", status=503, json={"message": "Unavailable"})
    responses.get(f"{API}/x", json={"ok": True})
    assert client.get("/x")["ok"] is True
    assert client.stats.rest == 3 and client.stats.retries == 2 and len(client.waits) == 2


@responses.activate
def test_gives_up_after_max_retries(client):
    client.max_retries = 2
    for _ in range(3):
        responses.get(f"{API}/x", status=500, json={"message": "oops"})
    with pytest.raises(GitHubError, match="HTTP 500"):
        client.get("/x")


@responses.activate
def test_secondary_rate_limit_honours_retry_after(client):
    responses.get(
        f"{API}/x",
        status=403,
        headers={"Retry-After": "7"},
        json={"message": "You have exceeded a secondary rate limit."},
    )
    responses.get(f"{API}/x", json={"ok": 1})
    assert client.get("/x")["ok"] == 1
    assert client.waits == [7.0]


@responses.activate
def test_primary_rate_limit_waits_until_reset(client):
    reset = int(time.time()) + 5
    responses.get(
        f"{API}/x",
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        json={"message": "API rate limit exceeded for user."},
    )
    responses.get(f"{API}/x", json={"ok": 1})
    assert client.get("/x")["ok"] == 1
    assert 3 <= client.waits[0] <= 7


@responses.activate
def test_rate_limit_too_long_gives_up(client):
    client.max_wait = 10
    responses.get(
        f"{API}/x",
        status=429,
        headers={"Retry-After": "3600"},
        json={"message": "secondary rate limit"},
    )
    with pytest.raises(RateLimited, match="3600 s"):
        client.get("/x")


@responses.activate
def test_graphql_rate_limited_with_200_is_retried(client):
    responses.post(
        GQL,
        json={
            "data": None,
            "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}],
        },
    )
    responses.post(GQL, json={"data": {"viewer": {"login": "me"}}})
    result = client.graphql("{ viewer { login } }")
    assert result.data == {"viewer": {"login": "me"}}
    assert client.stats.graphql == 2


@responses.activate
def test_graphql_partial_answer_keeps_the_rest(client):
    responses.post(
        GQL,
        json={
            "data": {"r0": {"name": "a"}, "r1": None},
            "errors": [{"type": "NOT_FOUND", "path": ["r1"], "message": "Could not resolve"}],
        },
    )
    result = client.graphql("query")
    assert result.data["r0"] == {"name": "a"}
    assert result.error_for("r1")["type"] == "NOT_FOUND"
    assert result.error_for("r0") is None


@responses.activate
@pytest.mark.parametrize(
    "status,headers,body,exc,text",
    [
        (401, {}, {"message": "Bad credentials"}, BadCredentials, "rejected the token"),
        (404, {}, {"message": "Not Found"}, NotFound, "not found"),
        (
            403,
            {"X-GitHub-SSO": "required; url=https://github.com/orgs/acme/sso?x=1"},
            {"message": "Resource protected by organization SAML enforcement."},
            SSORequired,
            "single sign-on",
        ),
    ],
)
def test_errors_are_one_sentence_without_the_token(client, status, headers, body, exc, text):
    responses.get(f"{API}/repos/acme/x", status=status, headers=headers, json=body)
    with pytest.raises(exc) as info:
        client.get("/repos/acme/x")
    assert text in str(info.value)
    assert TOKEN not in str(info.value)


@responses.activate
def test_pagination_follows_link_header(client):
    responses.get(
        f"{API}/orgs/acme/repos",
        json=[{"n": 1}, {"n": 2}],
        headers={
            "Link": f'<{API}/orgs/acme/repos?page=2>; rel="next", '
            f'<{API}/orgs/acme/repos?page=2>; rel="last"'
        },
        match=[responses.matchers.query_param_matcher({"per_page": "100"})],
    )
    responses.get(
        f"{API}/orgs/acme/repos",
        json=[{"n": 3}],
        match=[responses.matchers.query_param_matcher({"page": "2"})],
    )
    assert [r["n"] for r in client.paginate("/orgs/acme/repos")] == [1, 2, 3]


@responses.activate
def test_etag_revalidation_returns_cached_body(client):
    responses.get(f"{API}/x", json={"v": 1}, headers={"ETag": '"abc"'})
    responses.get(f"{API}/x", status=304, headers={"ETag": '"abc"'})
    assert client.get("/x", cache=True)["v"] == 1
    assert client.get("/x", cache=True)["v"] == 1
    assert responses.calls[1].request.headers["If-None-Match"] == '"abc"'


def test_download_follows_redirect_without_the_token():
    """Downloads use urllib3 directly (not requests), so a loopback server stands in."""
    import http.server
    import threading

    seen: dict[str, str | None] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen[self.path] = self.headers.get("Authorization")
            if self.path.startswith("/api/v3/"):
                self.send_response(302)
                self.send_header("Location", "/_codeload/a/b/legacy.tar.gz/abc?token=t1")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Length", "8")
                self.end_headers()
                self.wfile.write(b"TARBYTES")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = f"http://127.0.0.1:{server.server_port}/api/v3"
        c = GitHubClient(TOKEN, api_url=api, sleep=lambda s: None)
        buf = io.BytesIO()
        assert c.download("/repos/a/b/tarball/abc", buf, 1 << 20) == 8
        assert buf.getvalue() == b"TARBYTES"
        assert seen["/api/v3/repos/a/b/tarball/abc"] == f"token {TOKEN}"
        assert seen["/_codeload/a/b/legacy.tar.gz/abc?token=t1"] is None
        with pytest.raises(GitHubError, match="larger than"):
            c.download("/repos/a/b/tarball/abc", io.BytesIO(), 4)
    finally:
        server.shutdown()


@responses.activate
def test_numbered_pages_are_fetched_in_parallel_and_yielded_in_order(client):
    def link(page):
        nxt = (
            f'<{API}/organizations/9/repos?per_page=100&page={page + 1}>; rel="next", '
            if page < 4
            else ""
        )
        return nxt + f'<{API}/organizations/9/repos?per_page=100&page=4>; rel="last"'

    responses.get(
        f"{API}/orgs/acme/repos",
        json=[{"n": 1}],
        headers={"Link": link(1)},
        match=[responses.matchers.query_param_matcher({"per_page": "100"})],
    )
    for page in (2, 3, 4):
        responses.get(
            f"{API}/organizations/9/repos",
            json=[{"n": page}],
            headers={"Link": link(page)},
            match=[responses.matchers.query_param_matcher({"per_page": "100", "page": str(page)})],
        )
    assert [r["n"] for r in client.paginate("/orgs/acme/repos", parallel=3)] == [1, 2, 3, 4]
    assert client.stats.rest == 4
    # cursor-based lists (no page number) are followed one page after another
    responses.get(
        f"{API}/x",
        json=[{"n": 1}],
        headers={"Link": f'<{API}/x?after=abc>; rel="next"'},
        match=[responses.matchers.query_param_matcher({"per_page": "100"})],
    )
    responses.get(
        f"{API}/x",
        json=[{"n": 2}],
        match=[responses.matchers.query_param_matcher({"after": "abc"})],
    )
    assert [r["n"] for r in client.paginate("/x", parallel=3)] == [1, 2]


@responses.activate
def test_connection_errors_are_retried_then_reported(client):
    import requests

    responses.get(f"{API}/x", body=requests.exceptions.ConnectionError("reset"))
    responses.get(f"{API}/x", json={"ok": 1})
    assert client.get("/x")["ok"] == 1
    for _ in range(5):
        responses.get(f"{API}/y", body=requests.exceptions.ConnectionError("down"))
    with pytest.raises(GitHubError, match="cannot reach GitHub"):
        client.get("/y")


def test_app_authentication_without_pygithub_says_what_to_install(monkeypatch):
    import sys

    from scorecard.github.auth import client_from_settings

    monkeypatch.setitem(sys.modules, "github", None)  # as if PyGithub were not installed
    with pytest.raises(ValueError, match=r"needs PyGithub: pip install 'repo-scorecard\[app\]'"):
        client_from_settings(
            app_id="1", app_private_key="-----BEGIN x", app_installation_id="2", environ={}
        )
    # a token needs nothing more
    assert client_from_settings(token="t", environ={}).api_url == "https://api.github.com"


# ---- answers that are not what GitHub sends (fault 12) ----------------------------------------

HTML = "<html><body>Please sign in to the proxy</body></html>"


def _one_line_naming(exc: GitHubError, path: str) -> str:
    text = str(exc)
    assert "\n" not in text and path in text and TOKEN not in text
    return text


@responses.activate
def test_a_rest_answer_that_is_not_json_is_a_clear_error(client):
    responses.get(f"{API}/repos/a/b", body=HTML, status=200, content_type="text/html")
    with pytest.raises(BadResponse) as err:
        client.get("/repos/a/b")
    assert "not valid JSON" in _one_line_naming(err.value, "/api/v3/repos/a/b")
    assert client.stats.rest == 1  # not retried


@responses.activate
def test_a_graphql_answer_that_is_not_json_is_a_clear_error(client):
    responses.post(GQL, body=HTML, status=200, content_type="text/html")
    with pytest.raises(BadResponse) as err:
        client.graphql("query { viewer { login } }")
    assert "not valid JSON" in _one_line_naming(err.value, "/api/graphql")


@pytest.mark.parametrize(
    "body", [[1, 2], "a string", {"data": "nope"}, {"data": {}, "errors": ["nope"]}]
)
@responses.activate
def test_a_graphql_answer_of_another_shape_is_a_clear_error(client, body):
    responses.post(GQL, json=body)
    with pytest.raises(BadResponse) as err:
        client.graphql("query { viewer { login } }")
    assert "GraphQL" in _one_line_naming(err.value, "/api/graphql")


@pytest.mark.parametrize("body", [HTML, "[1, 2]", '"abc"', '{"repositories": 3}'])
@responses.activate
def test_a_page_of_a_list_that_is_not_a_list_of_objects_is_a_clear_error(client, body):
    responses.get(f"{API}/orgs/acme/repos", body=body, status=200, content_type="application/json")
    key = "repositories" if "repositories" in body else None
    with pytest.raises(BadResponse) as err:
        list(client.paginate("/orgs/acme/repos", key=key))
    _one_line_naming(err.value, "/api/v3/orgs/acme/repos")


@responses.activate
def test_an_error_answer_that_is_not_json_is_cut_short(client):
    responses.get(
        f"{API}/x", body="<html>" + "x" * 5000 + "</html>", status=403, content_type="text/html"
    )
    with pytest.raises(GitHubError) as err:
        client.get("/x")
    assert "\n" not in str(err.value) and len(str(err.value)) < 400


@responses.activate
def test_a_repository_answered_with_something_else_than_an_object_is_an_error(client):
    from scorecard.sources.github import fetch_facts

    responses.post(
        f"{API.removesuffix('/v3')}/graphql",
        json={"data": {"r0": "nope", "r1": {"name": "b"}, "community": [1]}},
    )
    facts, community = fetch_facts(client, [("a", "a"), ("a", "b")], org_community="a")
    assert isinstance(facts[0], BadResponse) and "a/a" in str(facts[0])
    assert not isinstance(facts[1], GitHubError)
    assert facts[1].name == "b" and community == {}
