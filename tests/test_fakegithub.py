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
from harness import build_repo, git

DATA = Path(__file__).parent / "data"

FILES = {
    "README.md": "# Widgets\n",
    ".github/CODEOWNERS": "# owners\n* @acme/core\n/docs/ @acme/nope @ghost\n*.txt docs@\n",
    "src/app.py": "print('hi')\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0",
}
RULESET = {"name": "protect main", "target": "branch", "enforcement": "active",
           "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
           "rules": [{"type": "pull_request",
                      "parameters": {"required_approving_review_count": 1}}]}


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
    g.add_repo("acme/widgets", checkout, topics=["python", "tools"], releases=2,
               secret_scanning="enabled", rulesets=[RULESET],
               classic_protection={"required_pull_request_reviews": {
                   "required_approving_review_count": 2}},
               code_scanning_default_setup="configured")
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


def send(gh: FakeGitHub, method: str, path: str, token: str = "admin",
         body: Any = None) -> requests.Response:
    return requests.request(method, gh.api_url + path, json=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})


def graphql(gh: FakeGitHub, query: str, token: str = "admin",
            **variables: Any) -> requests.Response:
    return requests.post(gh.graphql_url, json={"query": query, "variables": variables},
                         headers={"Authorization": f"bearer {token}"}, timeout=30)


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
    assert reader["permissions"] == {"admin": False, "maintain": False, "push": False,
                                     "triage": False, "pull": True}
    assert get(gh, "/repos/ACME/Widgets").json()["name"] == "widgets"  # case-insensitive


def test_errors_and_auth(gh: FakeGitHub) -> None:
    missing = get(gh, "/repos/acme/nope")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"
    assert "documentation_url" in missing.json()
    assert get(gh, "/no/such/route").status_code == 404
    for token in (None, "wrong"):
        bad = get(gh, "/repos/acme/widgets", token)
        assert bad.status_code == 401
        assert bad.json()["message"] == "Bad credentials"
        assert bad.json()["documentation_url"] == "https://docs.github.com/rest"
    assert get(gh, "/user", headers={"Authorization": "Bearer admin"}, token=None).json()[
        "login"] == "octocat"


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
    assert {r["name"] for r in get(gh, "/orgs/acme/repos", "app").json()} == {
        "widgets", "gadgets"}
    wrote = send(gh, "POST", "/repos/acme/widgets/issues", "forked", {"title": "x"})
    assert wrote.status_code == 403
    assert wrote.json()["message"] == "Resource not accessible by integration"
    for token in ("reader", "wf", "forked"):
        assert get(gh, "/repos/acme/widgets/branches/main/protection", token).status_code == 403
    assert get(gh, "/repos/acme/widgets/branches/main/protection", "reader").json()[
        "message"] == "Must have admin rights to Repository."
    assert get(gh, "/repos/acme/widgets/code-scanning/default-setup", "wf").status_code == 403


def test_sso(gh: FakeGitHub, checkout: Path) -> None:
    gh.add_org("secure", sso_required=True)
    gh.add_repo("secure/vault", checkout)
    for path in ("/repos/secure/vault", "/orgs/secure/repos"):
        answer = get(gh, path)
        assert answer.status_code == 403
        assert answer.headers["X-GitHub-SSO"].startswith(
            "required; url=https://github.com/orgs/secure/sso?authorization_request=")
        assert answer.json()["message"].startswith(
            "Resource protected by organization SAML enforcement.")
    gh.add_token("secure-app", "installation", org="secure")
    assert get(gh, "/repos/secure/vault", "secure-app").status_code == 200  # not personal


def test_org_repos_pagination(gh: FakeGitHub, checkout: Path) -> None:
    for i in range(5):
        gh.add_repo(f"acme/r{i}", checkout)
    first = get(gh, "/orgs/acme/repos", params={"type": "all", "per_page": 2})
    assert len(first.json()) == 2
    links = dict(re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"])[i][::-1]
                 for i in range(2))
    org_id = gh.org("acme").id  # type: ignore[union-attr]
    assert links["next"] == f"{gh.api_url}/organizations/{org_id}/repos?type=all&per_page=2&page=2"
    assert links["last"].endswith("page=4")
    seen, url = [], gh.api_url + "/orgs/acme/repos?per_page=2"
    while url:
        page = requests.get(url, headers={"Authorization": "token admin"}, timeout=10)
        seen += [r["name"] for r in page.json()]
        url = dict((rel, u) for u, rel in re.findall(r'<([^>]+)>; rel="(\w+)"',
                                                     page.headers.get("Link", ""))).get("next")
    assert sorted(seen) == sorted(["widgets", "gadgets", "r0", "r1", "r2", "r3", "r4"])


def test_tarball_via_codeload(gh: FakeGitHub, checkout: Path) -> None:
    sha = git(checkout, "rev-parse", "main").strip()
    gh.reset_log()
    redirect = get(gh, "/repos/acme/widgets/tarball/main", allow_redirects=False)
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == (
        f"{gh.web_url}/_codeload/acme/widgets/legacy.tar.gz/{sha}")
    tarball = get(gh, "/repos/acme/widgets/tarball/main")
    with tarfile.open(fileobj=io.BytesIO(tarball.content), mode="r:gz") as tar:
        names = tar.getnames()
    assert f"acme-widgets-{sha[:7]}/README.md" in names
    assert gzip.decompress(tarball.content)
    assert gh.count() == 2 and gh.count(kind="codeload") == 1
    private = get(gh, "/repos/acme/gadgets/tarball", allow_redirects=False)
    assert "?token=" in private.headers["Location"]
    assert requests.get(private.headers["Location"], timeout=10).status_code == 200
    assert requests.get(private.headers["Location"].split("?")[0], timeout=10).status_code == 404


def test_codeowners_errors(gh: FakeGitHub, checkout: Path) -> None:
    errors = get(gh, "/repos/acme/widgets/codeowners/errors").json()["errors"]
    assert [(e["line"], e["column"], e["kind"]) for e in errors] == [
        (3, 8, "Unknown owner"), (3, 19, "Unknown owner"), (4, 7, "Invalid owner")]
    assert errors[0]["message"] == (
        "Unknown owner on line 3: make sure @acme/nope exists and has write access to the "
        "repository\n\n  /docs/ @acme/nope @ghost\n         ^^^^^^^^^^")
    assert errors[2]["message"] == "Invalid owner on line 4:\n\n  *.txt docs@\n        ^"
    assert all(e["path"] == ".github/CODEOWNERS" for e in errors)
    gh.add_user("ghost")
    gh.add_team("acme", "nope")
    assert len(get(gh, "/repos/acme/widgets/codeowners/errors").json()["errors"]) == 1
    gh.add_repo("acme/explicit", checkout, codeowners_errors=[
        {"line": 2, "column": 3, "kind": "Unknown owner", "message": "m"}])
    assert get(gh, "/repos/acme/explicit/codeowners/errors").json()["errors"][0]["line"] == 2


def test_branch_rules_and_rulesets(gh: FakeGitHub, checkout: Path) -> None:
    rules = get(gh, "/repos/acme/widgets/rules/branches/main").json()
    assert rules == [{"type": "pull_request", "parameters": {
        "allowed_merge_methods": ["merge", "squash", "rebase"],
        "dismiss_stale_reviews_on_push": False, "require_code_owner_review": False,
        "require_last_push_approval": False, "required_approving_review_count": 1,
        "required_review_thread_resolution": False},
        "ruleset_source_type": "Repository", "ruleset_source": "acme/widgets",
        "ruleset_id": rules[0]["ruleset_id"]}]
    assert get(gh, "/repos/acme/widgets/rules/branches/feature").json() == []
    gh.add_repo("acme/patterns", checkout, rulesets=[{
        "name": "releases", "conditions": {"ref_name": {
            "include": ["refs/heads/release/*"], "exclude": ["refs/heads/release/old"]}},
        "rules": [{"type": "deletion"}]}])
    gh.add_org_ruleset("acme", {"name": "org", "conditions": {
        "ref_name": {"include": ["~ALL"]}, "repository_name": {"include": ["pat*"]}},
        "rules": [{"type": "non_fast_forward"}]})
    assert [r["type"] for r in get(gh, "/repos/acme/patterns/rules/branches/release/1.0")
            .json()] == ["deletion", "non_fast_forward"]
    assert [r["type"] for r in get(gh, "/repos/acme/patterns/rules/branches/release/old")
            .json()] == ["non_fast_forward"]
    assert get(gh, "/repos/acme/widgets/rules/branches/release/1.0").json() == []


def test_protection_default_setup_releases(gh: FakeGitHub, checkout: Path) -> None:
    protection = get(gh, "/repos/acme/widgets/branches/main/protection").json()
    assert protection["required_pull_request_reviews"]["required_approving_review_count"] == 2
    gh.add_repo("acme/open", checkout)
    unprotected = get(gh, "/repos/acme/open/branches/main/protection")
    assert unprotected.status_code == 404
    assert unprotected.json()["message"] == "Branch not protected"
    assert get(gh, "/repos/acme/widgets/code-scanning/default-setup").json()["state"] == (
        "configured")
    assert get(gh, "/repos/acme/open/code-scanning/default-setup").json()["state"] == (
        "not-configured")
    latest = get(gh, "/repos/acme/widgets/releases", params={"per_page": 1})
    assert [r["tag_name"] for r in latest.json()] == ["v2.0.0"]
    assert 'rel="last"' in latest.headers["Link"]


def test_issues_and_comments(gh: FakeGitHub) -> None:
    issue = send(gh, "POST", "/repos/acme/widgets/issues", body={
        "title": "Scorecard", "body": "dashboard", "labels": ["scorecard"]})
    assert issue.status_code == 201 and issue.headers["Location"] == issue.json()["url"]
    number = issue.json()["number"]
    dropped = send(gh, "POST", "/repos/acme/widgets/issues", "reader",
                   {"title": "x", "labels": ["scorecard"]})
    assert dropped.json()["labels"] == []  # labels silently dropped without push access
    found = get(gh, "/repos/acme/widgets/issues", params={"labels": "scorecard",
                                                           "creator": "octocat"}).json()
    assert [i["number"] for i in found] == [number]
    closed = send(gh, "PATCH", f"/repos/acme/widgets/issues/{number}", body={"state": "closed"})
    assert closed.json()["state"] == "closed" and closed.json()["closed_at"]
    assert get(gh, "/repos/acme/widgets/issues", params={"labels": "scorecard"}).json() == []

    made = send(gh, "POST", f"/repos/acme/widgets/issues/{number}/comments", "wf",
                {"body": "<!-- scorecard -->\nGold"})
    assert made.status_code == 201
    comment = made.json()
    assert comment["user"]["login"] == "github-actions[bot]"
    assert comment["user"]["type"] == "Bot"
    edited = send(gh, "PATCH", f"/repos/acme/widgets/issues/comments/{comment['id']}", "wf",
                  {"body": "<!-- scorecard -->\nSilver"})
    assert edited.json()["body"].endswith("Silver")
    listed = get(gh, f"/repos/acme/widgets/issues/{number}/comments").json()
    assert [c["id"] for c in listed] == [comment["id"]]
    too_long = send(gh, "POST", f"/repos/acme/widgets/issues/{number}/comments",
                    body={"body": "x" * 65537})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["message"] == (
        "body is too long (maximum is 65536 characters)")
    forked = send(gh, "POST", f"/repos/acme/widgets/issues/{number}/comments", "forked",
                  {"body": "hi"})
    assert forked.status_code == 403


def test_pull_request(gh: FakeGitHub, checkout: Path) -> None:
    head = git(checkout, "rev-parse", "feature").strip()
    base = git(checkout, "rev-parse", "main").strip()
    gh.add_pull("acme/widgets", 7, head, base, "feature", "main", from_fork=True)
    pull = get(gh, "/repos/acme/widgets/pulls/7").json()
    assert (pull["head"]["sha"], pull["base"]["sha"]) == (head, base)
    assert pull["head"]["repo"]["fork"] is True and pull["changed_files"] == 1
    assert [f["filename"] for f in get(gh, "/repos/acme/widgets/pulls/7/files").json()] == [
        "NEW.md"]
    assert send(gh, "POST", "/repos/acme/widgets/issues/7/comments", body={
        "body": "hi"}).status_code == 201
    assert get(gh, "/repos/acme/widgets/pulls/8").status_code == 404
    commit = get(gh, "/repos/acme/widgets/commits/feature").json()
    assert commit["sha"] == head and commit["parents"][0]["sha"] == base
    assert [f["filename"] for f in commit["files"]] == ["NEW.md"]
    assert [c.body for c in gh.comments_of("acme/widgets", 7)] == ["hi"]
    redirect = get(gh, "/repos/acme/widgets/tarball/refs/pull/7/head", allow_redirects=False)
    assert redirect.headers["Location"].endswith(head)


def test_empty_repository_and_contents(gh: FakeGitHub, tmp_path: Path) -> None:
    empty = build_repo(tmp_path / "empty", {"README.md": "x"})  # staged, never committed
    gh.add_repo("acme/empty", empty)
    assert get(gh, "/repos/acme/empty").status_code == 200
    assert get(gh, "/repos/acme/empty/contents/README.md").status_code == 404
    data = graphql(gh, '{ repository(owner: "acme", name: "empty") { isEmpty '
                       'defaultBranchRef { name } } }').json()["data"]["repository"]
    assert data == {"isEmpty": True, "defaultBranchRef": None}
    raw = get(gh, "/repos/acme/widgets/contents/src/app.py",
              headers={"Accept": "application/vnd.github.raw+json"})
    assert raw.content == b"print('hi')\n"
    listing = get(gh, "/repos/acme/widgets/contents/", params={"ref": "feature"}).json()
    assert "NEW.md" in {e["name"] for e in listing}


def test_contents_symlinks(fake_github: FakeGitHub, tmp_path: Path) -> None:  # noqa: F811
    from harness import Symlink

    root = build_repo(tmp_path / "links", {"docs/index.md": "# Docs\n",
                                           "docs/link.md": Symlink("index.md"),
                                           "escape.md": Symlink("../../etc/passwd")},
                      commit=True)
    fake_github.add_repo("acme/links", root)
    fake_github.add_token("t", "admin")
    followed = get(fake_github, "/repos/acme/links/contents/docs/link.md", "t").json()
    assert followed["path"] == "docs/index.md" and followed["type"] == "file"
    link = get(fake_github, "/repos/acme/links/contents/escape.md", "t").json()
    assert link["type"] == "symlink" and link["target"] == "../../etc/passwd"


def test_protection_writes(gh: FakeGitHub, checkout: Path) -> None:
    gh.add_repo("acme/open", checkout)
    spec = {"required_status_checks": {"strict": True, "contexts": ["ci"]},
            "enforce_admins": True, "required_pull_request_reviews": None,
            "restrictions": None}
    put = send(gh, "PUT", "/repos/acme/open/branches/main/protection", body=spec)
    assert put.status_code == 200 and put.json()["enforce_admins"]["enabled"] is True
    assert get(gh, "/repos/acme/open/branches/main").json()["protected"] is True
    assert send(gh, "PUT", "/repos/acme/open/branches/main/protection", "reader",
                spec).status_code == 403
    assert send(gh, "DELETE", "/repos/acme/open/branches/main/protection").status_code == 204
    assert get(gh, "/repos/acme/open/branches/main/protection").status_code == 404


def test_request_log(gh: FakeGitHub, checkout: Path) -> None:
    for i in range(3):
        gh.add_repo(f"acme/x{i}", checkout)
    gh.reset_log()
    first = get(gh, "/orgs/acme/repos", params={"per_page": 2})
    requests.get(first.headers["Link"].split(">")[0][1:], timeout=10,
                 headers={"Authorization": "token admin"})
    get(gh, "/repos/acme/x0")
    graphql(gh, "query Who { viewer { login } }")
    assert gh.count() == 4
    assert gh.count("GET", "/orgs/acme/repos") == 2  # the Link form counts too
    assert gh.count(path_prefix="/api/v3/repos/acme/") == 1
    assert gh.count("POST", "/graphql") == 1 and gh.requests[-1].operation == "Who"
    assert [r.token_kind for r in gh.requests] == ["admin"] * 4
    gh.reset_log()
    assert gh.count() == 0 and gh.requests == []


def test_every_endpoint_answers_per_openapi(gh: FakeGitHub, checkout: Path) -> None:
    """Each answer is checked against GitHub's OpenAPI description by the fixture."""
    gh.add_user("alice", name="Alice", email="alice@example.com")
    ruleset_id = gh.repo("acme/widgets").rulesets[0].id
    issue = gh.add_issue("acme/widgets", "Dashboard")
    comment = gh.add_comment("acme/widgets", issue.number, "hello")
    for path in ["/", "/rate_limit", "/user", "/users/alice", "/users/acme", "/orgs/acme",
                 "/orgs/acme/repos?type=private", "/repos/acme/widgets/topics",
                 "/repos/acme/widgets/git/trees/main?recursive=1",
                 f"/repos/acme/widgets/rulesets/{ruleset_id}", "/repos/acme/widgets/rulesets",
                 "/repos/acme/widgets/labels", f"/repos/acme/widgets/issues/{issue.number}",
                 f"/repos/acme/widgets/issues/comments/{comment.id}",
                 "/repos/acme/widgets/contents/README.md", "/repos/acme/widgets/branches/main",
                 "/repos/acme/widgets/issues?state=all&sort=updated&direction=asc"]:
        assert get(gh, path).status_code == 200, path
    assert get(gh, "/repos/acme/widgets/contents/src", headers={
        "Accept": "application/vnd.github.object"}).json()["entries"][0]["name"] == "app.py"
    assert get(gh, "/repos/acme/widgets/zipball/main").content[:2] == b"PK"
    label = send(gh, "POST", "/repos/acme/widgets/labels", body={"name": "grade",
                                                                 "color": "00ff00"})
    assert label.status_code == 201
    assert send(gh, "POST", "/repos/acme/widgets/labels", body={
        "name": "bad", "color": "invalid"}).status_code == 422
    assert send(gh, "DELETE", f"/repos/acme/widgets/issues/comments/{comment.id}", "reader"
                ).status_code == 403
    assert send(gh, "DELETE", f"/repos/acme/widgets/issues/comments/{comment.id}"
                ).status_code == 204
    gh.repo("acme/widgets").archived = True
    archived = send(gh, "POST", "/repos/acme/widgets/issues", body={"title": "x"})
    assert archived.status_code == 403
    assert archived.json()["message"] == "Repository was archived so is read-only."
    assert gh.schema_errors == []


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

BATCH = """
query Batch($n: String!) {
  rateLimit { cost limit remaining used resetAt nodeCount }
  a: repository(owner: "acme", name: $n) { ...Repo }
  b: repository(owner: "acme", name: "missing") { ...Repo }
  c: repository(owner: "acme", name: "gadgets") { nameWithOwner }
}
fragment Repo on Repository {
  name nameWithOwner owner { login } isArchived isFork isPrivate visibility url
  repositoryTopics(first: 10) { nodes { topic { name } } }
  releases { totalCount }
  defaultBranchRef {
    name
    target { oid ... on Commit { oid } }
    refUpdateRule { requiredApprovingReviewCount }
    branchProtectionRule { requiredApprovingReviewCount }
    rules(first: 10) { nodes { type parameters { __typename
      ... on PullRequestParameters { requiredApprovingReviewCount } } } }
  }
  tree: object(expression: "HEAD:") { ... on Tree { entries { name path type mode size oid } } }
  readme: object(expression: "HEAD:README.md") {
    ... on Blob { text byteSize isBinary isTruncated } }
  logo: object(expression: "main:logo.png") { ... on Blob { text isBinary } }
  codeowners { errors { line kind } }
}
"""


def test_graphql_batch_with_partial_data(gh: FakeGitHub, checkout: Path) -> None:
    answer = graphql(gh, BATCH, n="widgets")
    assert answer.status_code == 200
    assert answer.headers["X-RateLimit-Resource"] == "graphql"
    body = answer.json()
    a = body["data"]["a"]
    assert body["data"]["b"] is None
    assert body["data"]["c"] == {"nameWithOwner": "acme/gadgets"}
    assert body["errors"] == [{
        "type": "NOT_FOUND", "path": ["b"], "locations": [{"line": 5, "column": 3}],
        "message": "Could not resolve to a Repository with the name 'acme/missing'."}]
    assert a["visibility"] == "PUBLIC" and a["releases"] == {"totalCount": 2}
    assert [n["topic"]["name"] for n in a["repositoryTopics"]["nodes"]] == ["python", "tools"]
    ref = a["defaultBranchRef"]
    assert ref["target"]["oid"] == git(checkout, "rev-parse", "main").strip()
    assert ref["branchProtectionRule"]["requiredApprovingReviewCount"] == 2
    assert ref["rules"]["nodes"] == [{"type": "PULL_REQUEST", "parameters": {
        "__typename": "PullRequestParameters", "requiredApprovingReviewCount": 1}}]
    entries = {e["path"]: e for e in a["tree"]["entries"]}
    assert entries["src"]["type"] == "tree" and entries["README.md"]["mode"] == 0o100644
    assert entries["README.md"]["size"] == len(FILES["README.md"])
    assert a["readme"] == {"text": "# Widgets\n", "byteSize": 10, "isBinary": False,
                           "isTruncated": False}
    assert a["logo"] == {"text": None, "isBinary": True}
    assert [e["kind"] for e in a["codeowners"]["errors"]] == [
        "Unknown owner", "Unknown owner", "Invalid owner"]
    assert body["data"]["rateLimit"]["cost"] == 1
    rec = gh.requests[-1]
    assert (rec.kind, rec.operation, rec.aliases) == ("graphql", "Batch", 4)
    # a workflow token sees its own repository only; non-admins get no protection rule
    wf = graphql(gh, BATCH, "wf", n="widgets").json()
    assert wf["data"]["c"] is None and wf["data"]["a"]["defaultBranchRef"][
        "branchProtectionRule"] is None
    assert wf["data"]["a"]["defaultBranchRef"]["refUpdateRule"] == {
        "requiredApprovingReviewCount": 2}
    assert gh.graphql_invalid == []


def test_graphql_rejects_invalid_queries(gh: FakeGitHub) -> None:
    bad = graphql(gh, '{ repository(owner: "acme", name: "widgets") { nope } }').json()
    assert "data" not in bad
    assert bad["errors"][0]["message"] == "Field 'nope' doesn't exist on type 'Repository'"
    assert bad["errors"][0]["locations"] == [{"line": 1, "column": 48}]
    unbounded = graphql(gh, '{ organization(login: "acme") { repositories { nodes { name } } } }')
    assert unbounded.json()["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    too_many = graphql(gh, '{ organization(login: "acme") { repositories(first: 101) '
                           '{ nodes { name } } } }')
    assert too_many.json()["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    assert graphql(gh, "{ viewer { login ").json()["errors"][0]["message"].startswith("Syntax")
    assert len(gh.graphql_invalid) == 4


def test_graphql_org_paging_tokens_and_limits(gh: FakeGitHub, checkout: Path) -> None:
    query = """query($after: String) { organization(login: "acme") {
      repositories(first: 1, after: $after, orderBy: {field: NAME, direction: ASC}) {
        totalCount pageInfo { hasNextPage endCursor } nodes { name } } } }"""
    names, after = [], None
    while True:
        conn = graphql(gh, query, after=after).json()["data"]["organization"]["repositories"]
        names += [n["name"] for n in conn["nodes"]]
        assert conn["totalCount"] == 2
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert names == ["gadgets", "widgets"]
    assert graphql(gh, "{ viewer { login } }").json() == {"data": {"viewer": {
        "login": "octocat"}}}
    bad = graphql(gh, "{ viewer { login } }", "nope")
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    gh.graphql_rate_limited = 1
    limited = graphql(gh, "{ viewer { login } }")
    assert limited.status_code == 200
    assert limited.json() == {"data": None, "errors": [
        {"type": "RATE_LIMITED", "message": limited.json()["errors"][0]["message"]}]}
    assert limited.json()["errors"][0]["message"].startswith("API rate limit exceeded for user")
    assert graphql(gh, "{ viewer { login } }").json()["data"]["viewer"]["login"] == "octocat"


def test_graphql_sso_partial_results(gh: FakeGitHub, checkout: Path) -> None:
    gh.add_org("secure", sso_required=True)
    gh.add_repo("secure/vault", checkout)
    answer = graphql(gh, '{ a: repository(owner: "secure", name: "vault") { name } '
                         'b: repository(owner: "acme", name: "widgets") { name } }')
    body = answer.json()
    assert body["data"] == {"a": None, "b": {"name": "widgets"}}
    assert body["errors"][0]["type"] == "FORBIDDEN"
    assert answer.headers["X-GitHub-SSO"] == (
        f"partial-results; organizations={gh.org('secure').id}")  # type: ignore[union-attr]
    gh.add_token("authorized", "admin", login="octocat", sso_authorized=["secure"])
    assert graphql(gh, '{ repository(owner: "secure", name: "vault") { name } }',
                   "authorized").json() == {"data": {"repository": {"name": "vault"}}}


def test_graphql_comment_mutations(gh: FakeGitHub, checkout: Path) -> None:
    sha = git(checkout, "rev-parse", "main").strip()
    gh.add_pull("acme/widgets", 3, sha, sha)
    pull = graphql(gh, '{ repository(owner: "acme", name: "widgets") { pullRequest(number: 3)'
                       ' { id comments(last: 5) { nodes { id viewerDidAuthor body } } } } }',
                   "wf").json()["data"]["repository"]["pullRequest"]
    assert pull["comments"]["nodes"] == []
    add = "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) " \
          "{ commentEdge { node { id author { login } viewerDidAuthor } } } }"
    made = graphql(gh, add, "wf", s=pull["id"], b="<!-- scorecard -->\nGold").json()
    node = made["data"]["addComment"]["commentEdge"]["node"]
    assert node["author"]["login"] == "github-actions[bot]" and node["viewerDidAuthor"]
    edit = "mutation($i: ID!) { updateIssueComment(input: {id: $i, body: \"Silver\"}) " \
           "{ issueComment { body } } }"
    assert graphql(gh, edit, "wf", i=node["id"]).json()["data"]["updateIssueComment"][
        "issueComment"] == {"body": "Silver"}
    denied = graphql(gh, add, "forked", s=pull["id"], b="x").json()
    assert denied["data"]["addComment"] is None
    assert denied["errors"][0]["type"] == "FORBIDDEN"
    assert [c.body for c in gh.comments_of("acme/widgets", 3)] == ["Silver"]


def test_graphql_every_implemented_leaf_field(gh: FakeGitHub, checkout: Path) -> None:
    """Each scalar field the fake implements answers a value of its declared type."""
    from fakegithub import gql
    from graphql import get_named_type, is_leaf_type, is_non_null_type

    schema = gql.github_schema()

    def leaves(type_name: str, cls: type) -> str:
        fields = schema.type_map[type_name].fields  # type: ignore[union-attr]
        return " ".join(
            name for name, f in fields.items()
            if hasattr(cls, name) and is_leaf_type(get_named_type(f.type))
            and not any(is_non_null_type(a.type) for a in f.args.values()))

    head = git(checkout, "rev-parse", "feature").strip()
    gh.add_pull("acme/widgets", 5, head, git(checkout, "rev-parse", "main").strip())
    gh.add_issue("acme/widgets", "Dashboard", labels=["scorecard"])
    gh.add_comment("acme/widgets", 5, "hello")
    gh.add_org_ruleset("acme", {"name": "org", "conditions": {
        "ref_name": {"include": ["~ALL"]}, "repository_name": {"include": ["~ALL"]},
        "repository_id": {"repository_ids": [gh.repo("acme/widgets").id]}},
        "rules": [{"type": "required_status_checks", "parameters": {
            "required_status_checks": [{"context": "ci", "integration_id": 1}]}},
                  {"type": "merge_queue"}, {"type": "update"}]})
    query = f"""{{
      repository(owner: "acme", name: "widgets") {{ {leaves("Repository", gql.RepositoryNode)}
        defaultBranchRef {{ {leaves("Ref", gql.RefNode)}
          target {{ ... on Commit {{ {leaves("Commit", gql.CommitNode)}
            author {{ name email date }} tree {{ oid }}
            history(first: 2) {{ totalCount nodes {{ oid }} }} }} }}
          branchProtectionRule {{ {leaves("BranchProtectionRule", gql.BranchProtectionNode)} }}
          refUpdateRule {{ pattern requiredApprovingReviewCount viewerCanPush }}
          rules(first: 10) {{ nodes {{ {leaves("RepositoryRule", gql.RuleNode)}
            parameters {{ __typename ... on RequiredStatusChecksParameters {{
              requiredStatusChecks {{ context integrationId }} }} }}
            repositoryRuleset {{ {leaves("RepositoryRuleset", gql.RulesetNode)}
              conditions {{ refName {{ include exclude }} repositoryName {{ include }}
                            repositoryId {{ repositoryIds }} }} }} }} }} }}
        tree: object(expression: "HEAD:") {{ ... on Tree {{ {leaves("Tree", gql.TreeNode)}
          entries {{ {leaves("TreeEntry", gql.TreeEntryNode)} }} }} }}
        readme: object(expression: "HEAD:README.md") {{
          ... on Blob {{ {leaves("Blob", gql.BlobNode)} }} }}
        issues(first: 5) {{ nodes {{ {leaves("Issue", gql.IssueNode)}
          labels(first: 5) {{ nodes {{ {leaves("Label", gql.LabelNode)} }} }} }} }}
        pullRequests(first: 5) {{ nodes {{ {leaves("PullRequest", gql.IssueNode)}
          files(first: 5) {{ nodes {{ path additions deletions changeType }} }}
          comments(first: 5) {{ nodes {{ {leaves("IssueComment", gql.CommentNode)} }} }} }} }}
        releases(first: 5) {{ nodes {{ name tagName isLatest publishedAt }} }}
        latestRelease {{ tagName }} licenseInfo {{ key }} primaryLanguage {{ name }}
        repositoryTopics(first: 5) {{ nodes {{ topic {{ name }} url }} }}
      }}
      organization(login: "acme") {{ {leaves("Organization", gql.ActorNode)}
        teams(first: 5) {{ nodes {{ {leaves("Team", gql.TeamNode)}
          members(first: 5) {{ nodes {{ login }} }} }} }} }}
      viewer {{ {leaves("User", gql.ActorNode)} }}
    }}"""
    body = graphql(gh, query).json()
    assert "errors" not in body, body["errors"]
    assert gh.problems == [] and gh.graphql_unimplemented == [] and gh.graphql_invalid == []
    repo = body["data"]["repository"]
    assert repo["defaultBranchRef"]["rules"]["nodes"][1]["parameters"] == {
        "__typename": "RequiredStatusChecksParameters",
        "requiredStatusChecks": [{"context": "ci", "integrationId": 1}]}


def test_graphql_text_limits(fake_github: FakeGitHub, tmp_path: Path) -> None:  # noqa: F811
    root = build_repo(tmp_path / "big", {"big.txt": "é" * 300_000, "nul.txt": "a\0b"},
                      commit=True)
    fake_github.add_repo("acme/big", root)
    fake_github.add_token("t", "admin")
    body = graphql(fake_github, """{ repository(owner: "acme", name: "big") {
      big: object(expression: "HEAD:big.txt") { ... on Blob { text byteSize isTruncated } }
      nul: object(expression: "HEAD:nul.txt") { ... on Blob { text isBinary } } } }""",
                   "t").json()["data"]["repository"]
    assert body["big"]["byteSize"] == 600_000 and body["big"]["isTruncated"] is True
    assert body["big"]["text"] == "é" * 256_000
    assert body["nul"] == {"text": None, "isBinary": True}


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
    "branch-protection": {"restrictions/teams/0: 'type' is a required property"},
}


@pytest.mark.parametrize("scenario", ["get-repository", "get-root", "errors",
                                      "branch-protection", "get-content"])
def test_octokit_fixtures_validate(scenario: str) -> None:
    validator = shared_validator()
    checked = 0
    for exchange in json.loads((DATA / "octokit-fixtures" / scenario /
                                "normalized-fixture.json").read_text()):
        ctype = exchange["headers"].get("content-type", "")
        if "json" not in ctype or exchange["status"] == 204:
            continue
        errors = validator.errors(_template(exchange["path"]), exchange["method"],
                                  exchange["status"], ctype, exchange["response"])
        errors = [e.split(" (schema:")[0] for e in errors]
        unexpected = set(errors) - NEWER_THAN_RECORDING.get(scenario, set())
        assert not unexpected, (exchange["method"], exchange["path"], errors)
        checked += 1
    assert checked


def test_validator_catches_drift(gh: FakeGitHub) -> None:
    body = get(gh, "/repos/acme/widgets").json()
    validator = shared_validator()
    assert validator.errors("/repos/{owner}/{repo}", "get", 200, "application/json", body) == []
    del body["default_branch"]
    body["archived"] = "no"
    assert len(validator.errors("/repos/{owner}/{repo}", "get", 200, "application/json",
                                body)) == 2


# --------------------------------------------------------------------------------------------
# robustness


def test_concurrent_org_scan(fake_github: FakeGitHub, checkout: Path) -> None:  # noqa: F811
    gh = fake_github
    gh.add_token("t", "installation", org="big")
    for i in range(200):
        gh.add_repo(f"big/repo{i:03}", checkout, visibility="private" if i % 3 else "public")
    aliases = " ".join(
        f'r{i}: repository(owner: "big", name: "repo{i:03}") {{ nameWithOwner '
        'object(expression: "HEAD:README.md") { ... on Blob { text } } }' for i in range(50))
    query = "query { " + aliases + " }"
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=20))
    errors: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            if i % 25 == 0:
                answer = session.post(gh.graphql_url, json={"query": query}, timeout=30,
                                      headers={"Authorization": "token t"}).json()
                assert len(answer["data"]) == 50 and "errors" not in answer
            else:
                answer = session.get(f"{gh.api_url}/repos/big/repo{i % 200:03}", timeout=30,
                                     headers={"Authorization": "token t"})
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
    assert repo.default_branch == "main" and repo.get_topics() == ["python", "tools"]
    assert sorted(r.name for r in client.get_organization("acme").get_repos()) == [
        "gadgets", "widgets"]
    _, data = client.requester.graphql_query("query { viewer { login } }", {})
    assert data["data"]["viewer"]["login"] == "octocat"
    client.close()


def _child_setup(gh: FakeGitHub) -> None:  # runs in the child process
    gh.add_org("acme")
    gh.add_token("t", "admin")


def test_fake_in_a_child_process(checkout: Path) -> None:
    with FakeGitHubProcess(_child_setup, latency=0.01) as gh:
        gh.add_repo("acme/widgets", str(checkout))
        answer = requests.get(f"{gh.api_url}/repos/acme/widgets", timeout=30,
                              headers={"Authorization": "token t"})
        assert answer.status_code == 200
        assert gh.latency == 0.01
        gh.latency = 0
        assert gh.count("GET", "/repos/acme/widgets") == 1
        assert gh.requests[0].status == 200 and gh.max_in_flight == 1
