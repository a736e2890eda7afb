"""The fake GitHub answers as GitHub does: shapes (checked against GitHub's OpenAPI description
and GraphQL schema), tokens, switches (latency, faults, rate limits, ETags), concurrency."""

from __future__ import annotations

import gzip
import io
import json
import re
import tarfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from fakegithub import FakeGitHub, FakeGitHubProcess, shared_validator
from fakegithub.fixtures import fake_github  # noqa: F401  (the fixture)
from harness import FileSpec, build_repo, git

from scorecard.github.client import GitHubClient
from scorecard.github.queries import org_standard_query, repos_query
from scorecard.org import list_repositories

DATA = Path(__file__).parent / "data"

FILES: FileSpec = {
    "README.md": "# Widgets\n",
    ".github/CODEOWNERS": "# owners\n* @acme/core\n/docs/ @acme/nope @ghost\n*.txt docs@\n",
    "src/app.py": "print('hi')\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0",
}
RULESET = {
    "name": "protect main",
    "target": "branch",
    "enforcement": "active",
    "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
    "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1}}],
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_repo(tmp_path_factory.mktemp("gh") / "widgets", FILES, commit=True)
    git(root, "checkout", "-q", "-b", "feature")
    (root / "NEW.md").write_text("new\n")
    git(root, "add", "NEW.md")
    git(root, "commit", "-q", "-m", "add NEW.md")
    git(root, "checkout", "-q", "main")
    return root


@pytest.fixture
def gh(fake_github: FakeGitHub, checkout: Path) -> FakeGitHub:  # noqa: F811
    g = fake_github
    g.add_org("acme")
    g.add_team("acme", "core", members=["alice"])
    g.add_repo(
        "acme/widgets",
        checkout,
        topics=["python", "tools"],
        releases=2,
        secret_scanning="enabled",
        rulesets=[RULESET],
        classic_protection={
            "required_pull_request_reviews": {"required_approving_review_count": 2}
        },
        code_scanning_default_setup="configured",
    )
    g.add_repo("acme/gadgets", checkout, visibility="private")
    g.add_token("admin", "admin", login="octocat")
    g.add_token("reader", "read", login="bob")
    g.add_token("wf", "workflow", repo="acme/widgets")
    g.add_token("forked", "fork", repo="acme/widgets")
    g.add_token("app", "installation", org="acme")
    return g


def get(gh: FakeGitHub, path: str, token: str | None = "admin", **kw: Any) -> requests.Response:
    headers = kw.pop("headers", {})
    if token:
        headers["Authorization"] = f"token {token}"
    return requests.get(gh.api_url + path, headers=headers, timeout=10, **kw)


def send(
    gh: FakeGitHub, method: str, path: str, token: str = "admin", body: Any = None
) -> requests.Response:
    return requests.request(
        method,
        gh.api_url + path,
        json=body,
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )


def graphql(
    gh: FakeGitHub, query: str, token: str = "admin", **variables: Any
) -> requests.Response:
    return requests.post(
        gh.graphql_url,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"bearer {token}"},
        timeout=30,
    )


# --------------------------------------------------------------------------------------------
# REST


def test_repository_per_token(gh: FakeGitHub) -> None:
    admin = get(gh, "/repos/acme/widgets").json()
    assert admin["full_name"] == "acme/widgets"
    assert admin["topics"] == ["python", "tools"]
    assert admin["security_and_analysis"]["secret_scanning"] == {"status": "enabled"}
    assert admin["permissions"]["admin"] is True
    assert admin["default_branch"] == "main"
    reader = get(gh, "/repos/acme/widgets", "reader").json()
    assert "security_and_analysis" not in reader
    assert reader["permissions"] == {
        "admin": False,
        "maintain": False,
        "push": False,
        "triage": False,
        "pull": True,
    }
    assert get(gh, "/repos/ACME/Widgets").json()["name"] == "widgets"  # case-insensitive


def test_errors_and_auth(gh: FakeGitHub) -> None:
    missing = get(gh, "/repos/acme/nope")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"
    assert "documentation_url" in missing.json()
    for token in (None, "wrong"):
        bad = get(gh, "/repos/acme/widgets", token)
        assert bad.status_code == 401
        assert bad.json()["message"] == "Bad credentials"
        assert bad.json()["documentation_url"] == "https://docs.github.com/rest"
    assert (
        get(gh, "/user", headers={"Authorization": "Bearer admin"}, token=None).json()["login"]
        == "octocat"
    )


def test_a_route_the_fake_does_not_answer_fails_loudly(gh: FakeGitHub) -> None:
    """GitHub's 404, and a problem that fails the test: a request the product starts sending
    must not meet a silent 404 that the product may read as "nothing there"."""
    answer = get(gh, "/repos/acme/widgets/branches/main/protection")
    assert answer.status_code == 404 and answer.json()["message"] == "Not Found"
    assert gh.problems == [
        "the fake does not answer GET /repos/acme/widgets/branches/main/protection"
    ]
    with pytest.raises(AssertionError, match="fake error: the fake does not answer"):
        gh.assert_clean()
    gh.problems.clear()


def test_user_repositories(gh: FakeGitHub, checkout: Path) -> None:
    """An org scan of a user lists ``/users/{user}/repos`` (the organisation listing is 404)."""
    gh.add_user("carol")
    gh.add_repo("carol/b", checkout)
    gh.add_repo("carol/a", checkout, visibility="private")
    client = GitHubClient("admin", api_url=gh.api_url, backoff=0.01, sleep=lambda s: None)
    assert [r["full_name"] for r in list_repositories(client, "carol")] == ["carol/b"]
    gh.add_token("carol", "admin", login="carol")
    mine = GitHubClient("carol", api_url=gh.api_url, backoff=0.01, sleep=lambda s: None)
    assert [r["full_name"] for r in list_repositories(mine, "carol")] == ["carol/a", "carol/b"]
    page = get(gh, "/users/carol/repos", "carol", params={"per_page": 1})
    following = get(gh, page.links["next"]["url"].removeprefix(gh.api_url), "carol").json()
    assert [r["name"] for r in following] == ["b"]


def test_integration_tokens(gh: FakeGitHub) -> None:
    for token in ("wf", "forked", "app"):
        user = get(gh, "/user", token)
        assert user.status_code == 403
        assert user.json()["message"] == "Resource not accessible by integration"
    assert get(gh, "/repos/acme/gadgets", "wf").status_code == 404
    assert get(gh, "/repos/acme/widgets", "wf").status_code == 200
    assert get(gh, "/repos/acme/gadgets", "app").status_code == 200
    names = {r["name"] for r in get(gh, "/orgs/acme/repos", "wf").json()}
    assert names == {"widgets"}
    assert {r["name"] for r in get(gh, "/orgs/acme/repos", "app").json()} == {"widgets", "gadgets"}
    wrote = send(gh, "POST", "/repos/acme/widgets/issues", "forked", {"title": "x"})
    assert wrote.status_code == 403
    assert wrote.json()["message"] == "Resource not accessible by integration"
    for token in ("reader", "wf", "forked"):
        denied = get(gh, "/repos/acme/widgets/code-scanning/default-setup", token)
        assert denied.status_code == 403
    assert denied.json()["message"] == "Resource not accessible by integration"
    assert (
        get(gh, "/repos/acme/widgets/code-scanning/default-setup", "reader").json()["message"]
        == "Must have admin rights to Repository."
    )


def test_sso(gh: FakeGitHub, checkout: Path) -> None:
    gh.add_org("secure", sso_required=True)
    gh.add_repo("secure/vault", checkout)
    for path in ("/repos/secure/vault", "/orgs/secure/repos"):
        answer = get(gh, path)
        assert answer.status_code == 403
        assert answer.headers["X-GitHub-SSO"].startswith(
            "required; url=https://github.com/orgs/secure/sso?authorization_request="
        )
        assert answer.json()["message"].startswith(
            "Resource protected by organization SAML enforcement."
        )
    gh.add_token("secure-app", "installation", org="secure")
    assert get(gh, "/repos/secure/vault", "secure-app").status_code == 200  # not personal


def test_org_repos_pagination(gh: FakeGitHub, checkout: Path) -> None:
    for i in range(5):
        gh.add_repo(f"acme/r{i}", checkout)
    first = get(gh, "/orgs/acme/repos", params={"type": "all", "per_page": 2})
    assert len(first.json()) == 2
    links = dict(
        re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"])[i][::-1] for i in range(2)
    )
    org_id = gh.org("acme").id  # type: ignore[union-attr]
    assert links["next"] == f"{gh.api_url}/organizations/{org_id}/repos?type=all&per_page=2&page=2"
    assert links["last"].endswith("page=4")
    seen: list[str] = []
    url: str | None = gh.api_url + "/orgs/acme/repos?per_page=2"
    while url:
        page = requests.get(url, headers={"Authorization": "token admin"}, timeout=10)
        seen += [r["name"] for r in page.json()]
        url = dict(
            (rel, u)
            for u, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', page.headers.get("Link", ""))
        ).get("next")
    assert sorted(seen) == sorted(["widgets", "gadgets", "r0", "r1", "r2", "r3", "r4"])


def test_tarball_via_codeload(gh: FakeGitHub, checkout: Path) -> None:
    sha = git(checkout, "rev-parse", "main").strip()
    gh.reset_log()
    redirect = get(gh, "/repos/acme/widgets/tarball/main", allow_redirects=False)
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == (
        f"{gh.web_url}/_codeload/acme/widgets/legacy.tar.gz/{sha}"
    )
    tarball = get(gh, "/repos/acme/widgets/tarball/main")
    with tarfile.open(fileobj=io.BytesIO(tarball.content), mode="r:gz") as tar:
        names = tar.getnames()
    assert f"acme-widgets-{sha[:7]}/README.md" in names
    assert gzip.decompress(tarball.content)
    assert gh.count() == 2 and gh.count(kind="codeload") == 1
    private = get(gh, "/repos/acme/gadgets/tarball/main", allow_redirects=False)
    assert "?token=" in private.headers["Location"]
    assert requests.get(private.headers["Location"], timeout=10).status_code == 200
    assert requests.get(private.headers["Location"].split("?")[0], timeout=10).status_code == 404


def test_codeowners_errors(gh: FakeGitHub, checkout: Path) -> None:
    errors = get(gh, "/repos/acme/widgets/codeowners/errors").json()["errors"]
    assert [(e["line"], e["column"], e["kind"]) for e in errors] == [
        (3, 8, "Unknown owner"),
        (3, 19, "Unknown owner"),
        (4, 7, "Invalid owner"),
    ]
    assert errors[0]["message"] == (
        "Unknown owner on line 3: make sure @acme/nope exists and has write access to the "
        "repository\n\n  /docs/ @acme/nope @ghost\n         ^^^^^^^^^^"
    )
    assert errors[2]["message"] == "Invalid owner on line 4:\n\n  *.txt docs@\n        ^"
    assert all(e["path"] == ".github/CODEOWNERS" for e in errors)
    gh.add_user("ghost")
    gh.add_team("acme", "nope")
    assert len(get(gh, "/repos/acme/widgets/codeowners/errors").json()["errors"]) == 1
    gh.add_repo(
        "acme/explicit",
        checkout,
        codeowners_errors=[{"line": 2, "column": 3, "kind": "Unknown owner", "message": "m"}],
    )
    assert get(gh, "/repos/acme/explicit/codeowners/errors").json()["errors"][0]["line"] == 2


def test_issues_and_comments(gh: FakeGitHub) -> None:
    issue = send(
        gh,
        "POST",
        "/repos/acme/widgets/issues",
        body={"title": "Scorecard", "body": "dashboard", "labels": ["scorecard"]},
    )
    assert issue.status_code == 201 and issue.headers["Location"] == issue.json()["url"]
    number = issue.json()["number"]
    dropped = send(
        gh, "POST", "/repos/acme/widgets/issues", "reader", {"title": "x", "labels": ["scorecard"]}
    )
    assert dropped.json()["labels"] == []  # labels silently dropped without push access
    found = get(gh, "/repos/acme/widgets/issues", params={"labels": "scorecard"}).json()
    assert [i["number"] for i in found] == [number]
    edited = send(
        gh,
        "PATCH",
        f"/repos/acme/widgets/issues/{number}",
        body={"title": "Scorecard 2", "labels": ["scorecard", "other"]},
    )
    assert edited.json()["title"] == "Scorecard 2"
    assert [lab["name"] for lab in edited.json()["labels"]] == ["scorecard", "other"]
    oldest_first = get(
        gh,
        "/repos/acme/widgets/issues",
        params={"state": "open", "sort": "created", "direction": "asc"},
    ).json()
    assert [i["number"] for i in oldest_first] == [number, number + 1]

    made = send(
        gh,
        "POST",
        f"/repos/acme/widgets/issues/{number}/comments",
        "wf",
        {"body": "<!-- scorecard -->\nGold"},
    )
    assert made.status_code == 201
    comment = made.json()
    assert comment["user"]["login"] == "github-actions[bot]"
    assert comment["user"]["type"] == "Bot"
    edited = send(
        gh,
        "PATCH",
        f"/repos/acme/widgets/issues/comments/{comment['id']}",
        "wf",
        {"body": "<!-- scorecard -->\nSilver"},
    )
    assert edited.json()["body"].endswith("Silver")
    listed = get(gh, f"/repos/acme/widgets/issues/{number}/comments").json()
    assert [c["id"] for c in listed] == [comment["id"]]
    too_long = send(
        gh, "POST", f"/repos/acme/widgets/issues/{number}/comments", body={"body": "x" * 65537}
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["message"] == (
        "body is too long (maximum is 65536 characters)"
    )
    forked = send(
        gh, "POST", f"/repos/acme/widgets/issues/{number}/comments", "forked", {"body": "hi"}
    )
    assert forked.status_code == 403


def test_pull_request(gh: FakeGitHub, checkout: Path) -> None:
    head = git(checkout, "rev-parse", "feature").strip()
    base = git(checkout, "rev-parse", "main").strip()
    gh.add_pull("acme/widgets", 7, head, base, "feature", "main", from_fork=True)
    pull = get(gh, "/repos/acme/widgets/pulls/7").json()
    assert (pull["head"]["sha"], pull["base"]["sha"]) == (head, base)
    assert pull["head"]["repo"]["fork"] is True and pull["changed_files"] == 1
    assert (pull["commits"], pull["additions"], pull["deletions"]) == (1, 1, 0)
    assert (
        send(gh, "POST", "/repos/acme/widgets/issues/7/comments", body={"body": "hi"}).status_code
        == 201
    )
    assert get(gh, "/repos/acme/widgets/pulls/8").status_code == 404
    commit = get(gh, "/repos/acme/widgets/commits/feature").json()
    assert commit["sha"] == head and commit["parents"][0]["sha"] == base
    assert [f["filename"] for f in commit["files"]] == ["NEW.md"]
    assert [c.body for c in gh.comments_of("acme/widgets", 7)] == ["hi"]
    redirect = get(gh, "/repos/acme/widgets/tarball/refs/pull/7/head", allow_redirects=False)
    assert redirect.headers["Location"].endswith(head)


def test_request_log(gh: FakeGitHub, checkout: Path) -> None:
    for i in range(3):
        gh.add_repo(f"acme/x{i}", checkout)
    gh.reset_log()
    first = get(gh, "/orgs/acme/repos", params={"per_page": 2})
    requests.get(
        first.headers["Link"].split(">")[0][1:],
        timeout=10,
        headers={"Authorization": "token admin"},
    )
    get(gh, "/repos/acme/x0")
    graphql(gh, 'query Who { repository(owner: "acme", name: "x0") { name } }')
    assert gh.count() == 4
    assert gh.count("GET", "/orgs/acme/repos") == 2  # the Link form counts too
    assert gh.count(path_prefix="/api/v3/repos/acme/") == 1
    assert gh.count("POST", "/graphql") == 1 and gh.requests[-1].operation == "Who"
    assert [r.token_kind for r in gh.requests] == ["admin"] * 4
    gh.reset_log()
    assert gh.count() == 0 and gh.requests == []


# --------------------------------------------------------------------------------------------
# switches


def test_latency(gh: FakeGitHub) -> None:
    gh.latency = 0.2
    start = time.monotonic()
    get(gh, "/repos/acme/widgets")
    assert time.monotonic() - start >= 0.2


def _statuses(checkout: Path, seed: int) -> list[int | str]:
    with FakeGitHub(seed=seed) as g:
        g.add_repo("acme/widgets", checkout)
        g.add_token("t", "admin")
        g.fault_rate, g.slow_seconds = 0.5, 0.01
        out: list[int | str] = []
        for _ in range(16):
            try:
                out.append(get(g, "/repos/acme/widgets", "t").status_code)
            except requests.ConnectionError:
                out.append("dropped")
        return out


def test_seeded_faults_are_reproducible(checkout: Path) -> None:
    first = _statuses(checkout, 7)
    assert first == _statuses(checkout, 7)
    assert {502, 503, 200, "dropped"} <= set(first)


def test_dropped_connection(gh: FakeGitHub) -> None:
    gh.fault_rate, gh.fault_kinds = 1.0, ("drop",)
    with pytest.raises(requests.ConnectionError):
        get(gh, "/repos/acme/widgets")


def test_etag_and_primary_limit(gh: FakeGitHub) -> None:
    gh.primary_limit, gh.primary_reset_seconds = 3, 60
    first = get(gh, "/repos/acme/widgets")
    assert first.headers["X-RateLimit-Limit"] == "3"
    assert first.headers["X-RateLimit-Remaining"] == "2"
    assert first.headers["X-RateLimit-Used"] == "1"
    assert first.headers["X-RateLimit-Resource"] == "core"
    etag = first.headers["ETag"]
    cached = get(gh, "/repos/acme/widgets", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["X-RateLimit-Remaining"] == "2"  # 304s are free
    get(gh, "/repos/acme/widgets", "admin")
    get(gh, "/repos/acme/widgets", "admin")
    limited = get(gh, "/repos/acme/widgets")
    assert limited.status_code == 403
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) >= int(time.time()) + 50
    assert limited.json()["message"].startswith("API rate limit exceeded for ")
    assert get(gh, "/repos/acme/widgets", "reader").status_code == 200  # per token


def test_primary_limit_window_resets(gh: FakeGitHub) -> None:
    gh.primary_limit, gh.primary_reset_seconds = 1, 0.5
    assert get(gh, "/repos/acme/widgets").status_code == 200
    assert get(gh, "/repos/acme/widgets").status_code == 403
    time.sleep(0.6)
    assert get(gh, "/repos/acme/widgets").status_code == 200
    gh.primary_status = 429
    assert get(gh, "/repos/acme/widgets").status_code == 429


def test_secondary_limits(gh: FakeGitHub) -> None:
    gh.secondary_rate, gh.retry_after = 1.0, 0
    answer = get(gh, "/repos/acme/widgets")
    assert answer.status_code == 403 and answer.headers["Retry-After"] == "0"
    assert answer.json()["message"].startswith("You have exceeded a secondary rate limit")
    gh.secondary_rate = 0.0
    gh.max_concurrent, gh.latency = 2, 0.3
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: get(gh, "/repos/acme/widgets").status_code, range(6)))
    assert codes.count(200) >= 2 and 403 in codes
    assert gh.max_in_flight >= 3


# --------------------------------------------------------------------------------------------
# GraphQL


def test_graphql_answers_the_products_query(gh: FakeGitHub, checkout: Path) -> None:
    """The repositories query the product sends, answered in full (the fixture fails the test
    on any field the fake leaves unanswered), with GitHub's partial data for a missing one."""
    query = repos_query(
        [("acme", "widgets"), ("acme", "missing"), ("acme", "gadgets")],
        org_community="acme",
        ref="HEAD",
    )
    gh.add_repo("acme/.github", checkout)
    answer = graphql(gh, query)
    assert answer.status_code == 200
    assert answer.headers["X-RateLimit-Resource"] == "graphql"
    body = answer.json()
    assert body["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["r1"],
            "locations": [{"line": 3, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'acme/missing'.",
        }
    ]
    a, data = body["data"]["r0"], body["data"]
    assert data["r1"] is None and data["r2"]["isPrivate"] is True
    assert a["visibility"] == "PUBLIC" and a["releases"] == {"totalCount": 2}
    assert a["owner"] == {"login": "acme"}
    assert [n["topic"]["name"] for n in a["repositoryTopics"]["nodes"]] == ["python", "tools"]
    ref = a["defaultBranchRef"]
    head = git(checkout, "rev-parse", "main").strip()
    assert ref["target"]["oid"] == head == a["at"]["oid"]
    assert a["at"]["tarballUrl"] == f"{gh.web_url}/_codeload/acme/widgets/legacy.tar.gz/{head}"
    assert ref["refUpdateRule"] == {"requiredApprovingReviewCount": 2}
    assert ref["rules"]["nodes"] == [
        {
            "type": "PULL_REQUEST",
            "parameters": {
                "__typename": "PullRequestParameters",
                "requiredApprovingReviewCount": 1,
            },
        }
    ]
    root = {e["name"]: e["type"] for e in data["community"]["root"]["entries"]}
    assert root == {"README.md": "blob", ".github": "tree", "src": "tree", "logo.png": "blob"}
    assert data["community"]["docs"] is None
    assert data["rateLimit"]["cost"] == 1
    rec = gh.requests[-1]
    assert (rec.kind, rec.operation, rec.aliases) == ("graphql", "Repositories", 5)
    # a workflow token sees its own repository only
    wf = graphql(gh, query, "wf").json()
    assert wf["data"]["r2"] is None and wf["data"]["r0"]["nameWithOwner"] == "acme/widgets"
    text = graphql(gh, org_standard_query("acme", "README.md")).json()
    assert text == {"data": {"repository": {"object": {"text": "# Widgets\n"}}}}
    assert gh.graphql_invalid == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            'query Q { repository(owner: "acme", name: "widgets") { name } }\n'
            "fragment Unused on Repository { name }",
            "Fragment 'Unused' is never used.",
        ),
        (
            '{ repository(owner: "acme", name: "widgets") { nope } }',
            "Field 'nope' doesn't exist on type 'Repository'",
        ),
        (
            '{ repository(owner: "acme", name: 7) { name } }',
            "String cannot represent a non string value: 7",
        ),
        (
            '{ repository(owner: "acme", name: "widgets") { name ',
            "Syntax Error: Expected Name, found <EOF>.",
        ),
    ],
)
def test_graphql_refuses_what_github_refuses(gh: FakeGitHub, query: str, message: str) -> None:
    """All of graphql-core's specified validation rules apply, as GitHub's do: the answer is
    GitHub's request error (HTTP 200, ``errors`` with locations, no ``data``)."""
    answer = graphql(gh, query)
    assert answer.status_code == 200
    body = answer.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["locations"]
    assert [e["query"] for e in gh.graphql_invalid] == [query]
    gh.graphql_invalid.clear()


@pytest.mark.parametrize(
    ("connection", "kind"),
    [
        ("repositoryTopics { nodes { topic { name } } }", "MISSING_PAGINATION_BOUNDARIES"),
        ("repositoryTopics(first: 101) { nodes { topic { name } } }", "EXCESSIVE_PAGINATION"),
        ("repositoryTopics(last: -1) { nodes { topic { name } } }", "ARGUMENT_LIMIT"),
    ],
)
def test_graphql_pagination_rules(gh: FakeGitHub, connection: str, kind: str) -> None:
    query = f'{{ repository(owner: "acme", name: "widgets") {{ {connection} }} }}'
    body = graphql(gh, query).json()
    assert "data" not in body and body["errors"][0]["type"] == kind
    assert graphql(
        gh, '{ repository(owner: "acme", name: "widgets") { releases { totalCount } } }'
    ).json()["data"]["repository"]["releases"] == {"totalCount": 2}
    gh.graphql_invalid.clear()


def test_graphql_rate_limited_and_bad_credentials(gh: FakeGitHub) -> None:
    query = '{ repository(owner: "acme", name: "widgets") { name } }'
    bad = graphql(gh, query, "nope")
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    gh.graphql_rate_limited = 1
    limited = graphql(gh, query)
    assert limited.status_code == 200
    assert limited.json() == {
        "data": None,
        "errors": [{"type": "RATE_LIMITED", "message": limited.json()["errors"][0]["message"]}],
    }
    assert limited.json()["errors"][0]["message"].startswith("API rate limit exceeded for user")
    assert graphql(gh, query).json() == {"data": {"repository": {"name": "widgets"}}}


def test_rest_answers_match_the_openapi_description(gh: FakeGitHub, checkout: Path) -> None:
    """Each answer the fake gives is checked against GitHub's OpenAPI description (by the
    fixture, at teardown): every endpoint the product or the tests' helpers read."""
    gh.add_user("alice", name="Alice", email="alice@example.com")
    issue = gh.add_issue("acme/widgets", "Dashboard", labels=["repo-scorecard"])
    for path in [
        "/user",
        "/users/alice",
        "/orgs/acme",
        "/orgs/acme/teams",
        "/orgs/acme/members",
        "/orgs/acme/repos?type=all&sort=full_name",
        "/repos/acme/widgets/commits/main",
        f"/repos/acme/widgets/issues/{issue.number}/comments",
        "/repos/acme/widgets/issues?state=open&labels=repo-scorecard&direction=asc",
    ]:
        assert get(gh, path).status_code == 200, path
    gh.repo("acme/widgets").archived = True
    archived = send(gh, "POST", "/repos/acme/widgets/issues", body={"title": "x"})
    assert archived.status_code == 403
    assert archived.json()["message"] == "Repository was archived so is read-only."
    assert gh.schema_errors == []


def test_rest_answer_off_the_description_fails_loudly(
    gh: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer the OpenAPI description does not allow is recorded, and the fixture's
    ``assert_clean`` fails the test on it."""
    shape = gh.rest.shapes.repository

    def drifted(*args: Any, **kw: Any) -> dict[str, Any]:
        body = shape(*args, **kw)
        del body["default_branch"]
        return {**body, "archived": "no"}

    monkeypatch.setattr(gh.rest.shapes, "repository", drifted)
    assert get(gh, "/repos/acme/widgets").status_code == 200
    assert len(gh.schema_errors) == 2
    assert any("'default_branch' is a required property" in e for e in gh.schema_errors)
    with pytest.raises(AssertionError, match="schema: GET /repos/acme/widgets -> 200"):
        gh.assert_clean()
    gh.schema_errors.clear()


def test_graphql_sso_partial_results(gh: FakeGitHub, checkout: Path) -> None:
    gh.add_org("secure", sso_required=True)
    gh.add_repo("secure/vault", checkout)
    answer = graphql(
        gh,
        '{ a: repository(owner: "secure", name: "vault") { name } '
        'b: repository(owner: "acme", name: "widgets") { name } }',
    )
    body = answer.json()
    assert body["data"] == {"a": None, "b": {"name": "widgets"}}
    assert body["errors"][0]["type"] == "FORBIDDEN"
    secure = gh.org("secure")
    assert secure is not None
    assert answer.headers["X-GitHub-SSO"] == f"partial-results; organizations={secure.id}"
    gh.add_token("authorized", "admin", login="octocat", sso_authorized=["secure"])
    assert graphql(
        gh, '{ repository(owner: "secure", name: "vault") { name } }', "authorized"
    ).json() == {"data": {"repository": {"name": "vault"}}}


def test_graphql_text_limits(fake_github: FakeGitHub, tmp_path: Path) -> None:  # noqa: F811
    root = build_repo(tmp_path / "big", {"big.txt": "é" * 300_000, "nul.txt": "a\0b"}, commit=True)
    fake_github.add_repo("acme/big", root)
    fake_github.add_token("t", "admin")
    body = graphql(
        fake_github,
        """{ repository(owner: "acme", name: "big") {
      big: object(expression: "HEAD:big.txt") { ... on Blob { text } }
      nul: object(expression: "HEAD:nul.txt") { ... on Blob { text } } } }""",
        "t",
    ).json()["data"]["repository"]
    assert body["big"]["text"] == "é" * 256_000  # GitHub's 512,000 bytes
    assert body["nul"] == {"text": None}


# --------------------------------------------------------------------------------------------
# contract tests: GitHub's recorded answers validate against the same OpenAPI subset


def _template(path: str) -> str:
    subset = json.loads((DATA / "github-openapi-subset.json").read_text())
    for template in sorted(subset["paths"], key=len, reverse=True):
        pattern = re.sub(r"\\\{path\\\}", ".*", re.escape(template))
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", pattern)
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(f"no operation for {path}")


# The recordings (2017-2022) predate fields GitHub has since made required; nothing else may
# differ from the current description.
NEWER_THAN_RECORDING = {
    "get-repository": {"(body): 'has_discussions' is a required property"},
}


@pytest.mark.parametrize("scenario", ["get-repository", "errors"])
def test_octokit_fixtures_validate(scenario: str) -> None:
    validator = shared_validator()
    checked = 0
    for exchange in json.loads(
        (DATA / "octokit-fixtures" / scenario / "normalized-fixture.json").read_text()
    ):
        ctype = exchange["headers"].get("content-type", "")
        if "json" not in ctype or exchange["status"] == 204:
            continue
        errors = validator.errors(
            _template(exchange["path"]),
            exchange["method"],
            exchange["status"],
            ctype,
            exchange["response"],
        )
        errors = [e.split(" (schema:")[0] for e in errors]
        unexpected = set(errors) - NEWER_THAN_RECORDING.get(scenario, set())
        assert not unexpected, (exchange["method"], exchange["path"], errors)
        checked += 1
    assert checked


# --------------------------------------------------------------------------------------------
# robustness


def test_concurrent_org_scan(fake_github: FakeGitHub, checkout: Path) -> None:  # noqa: F811
    gh = fake_github
    gh.add_token("t", "installation", org="big")
    for i in range(200):
        gh.add_repo(f"big/repo{i:03}", checkout, visibility="private" if i % 3 else "public")
    aliases = " ".join(
        f'r{i}: repository(owner: "big", name: "repo{i:03}") {{ nameWithOwner '
        'object(expression: "HEAD:README.md") { ... on Blob { text } } }'
        for i in range(50)
    )
    query = "query { " + aliases + " }"
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=20))
    errors: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            if i % 25 == 0:
                answer = session.post(
                    gh.graphql_url,
                    json={"query": query},
                    timeout=30,
                    headers={"Authorization": "token t"},
                ).json()
                assert len(answer["data"]) == 50 and "errors" not in answer
            else:
                answer = session.get(
                    f"{gh.api_url}/repos/big/repo{i % 200:03}",
                    timeout=30,
                    headers={"Authorization": "token t"},
                )
                assert answer.status_code == 200, answer.text
        except Exception as err:  # pragma: no cover - reported below
            with lock:
                errors.append(repr(err))

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(work, range(200)))
    assert errors == []
    assert gh.count() == 200
    assert gh.count("GET", "/repos/big/") == 192
    assert gh.count(path_prefix="/graphql") == 8
    assert 1 < gh.max_in_flight <= 20


def test_pygithub_compatibility(gh: FakeGitHub) -> None:
    github = pytest.importorskip("github")
    client = github.Github(base_url=gh.api_url, auth=github.Auth.Token("admin"), retry=None)
    repo = client.get_repo("acme/widgets")
    assert repo.default_branch == "main" and repo.topics == ["python", "tools"]
    assert sorted(r.name for r in client.get_organization("acme").get_repos()) == [
        "gadgets",
        "widgets",
    ]
    client.close()


def _child_setup(gh: FakeGitHub) -> None:  # runs in the child process
    gh.add_org("acme")
    gh.add_token("t", "admin")


def test_fake_in_a_child_process(checkout: Path) -> None:
    with FakeGitHubProcess(_child_setup, latency=0.01) as gh:
        gh.add_repo("acme/widgets", str(checkout))
        answer = requests.get(
            f"{gh.api_url}/repos/acme/widgets", timeout=30, headers={"Authorization": "token t"}
        )
        assert answer.status_code == 200
        assert gh.latency == 0.01
        gh.latency = 0
        assert gh.count("GET", "/repos/acme/widgets") == 1
        assert gh.requests[0].status == 200 and gh.max_in_flight == 1
