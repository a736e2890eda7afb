"""REST routes of the fake: ``/api/v3/...`` paths -> handlers -> :class:`Response`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode

from . import gitwrite
from .shapes import DOCS, Shapes, error_body
from .state import (
    GHAS_REQUIRED,
    INTEGRATION_DENIED,
    Comment,
    FakeError,
    Issue,
    Org,
    Repo,
    Token,
    User,
    now,
)

if TYPE_CHECKING:
    from .server import FakeGitHub

MAX_BODY = 65536


@dataclass
class Request:
    method: str
    path: str  # API path, without the /api/v3 prefix
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    token: Token | None = None

    def q(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise FakeError(400, "Problems parsing JSON") from None


@dataclass
class Response:
    status: int
    body: Any = None  # a JSON value, or bytes for raw answers
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    operation: tuple[str, str] | None = None  # (OpenAPI path template, method)
    counted: bool = True  # counts against the primary rate limit


Handler = Callable[..., Response]


def validation_failed(
    resource: str, field_name: str, code: str, message: str | None = None
) -> FakeError:
    err: dict[str, Any] = {"resource": resource, "code": code, "field": field_name}
    if message:
        err["message"] = message
    return FakeError(
        422,
        "Validation Failed",
        body={
            "message": "Validation Failed",
            "errors": [err],
            "documentation_url": DOCS,
            "status": "422",
        },
    )


class Rest:
    def __init__(self, gh: FakeGitHub) -> None:
        self.gh = gh
        self.shapes = Shapes(gh)
        self.routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        r = self._route
        R = "/repos/{owner}/{repo}"
        r("GET", "/user", self.user)
        r("GET", "/rate_limit", self.rate_limit)
        r("GET", "/users/{username}", self.user_by_name)
        r("GET", "/users/{username}/repos", self.user_repos)
        r("GET", "/orgs/{org}", self.org)
        r("GET", "/orgs/{org}/repos", self.org_repos)
        r("GET", "/orgs/{org}/teams", self.org_teams)
        r("GET", "/orgs/{org}/members", self.org_members)
        r("GET", R, self.repo)
        r("GET", R + "/tarball/{ref+}", self.tarball, template=R + "/tarball/{ref}")
        r("GET", R + "/codeowners/errors", self.codeowners_errors)
        r("GET", R + "/commits/{ref+}", self.get_commit, template=R + "/commits/{ref}")
        r("GET", R + "/code-scanning/default-setup", self.default_setup)
        r("GET", R + "/issues", self.issues)
        r("POST", R + "/issues", self.create_issue)
        r("PATCH", R + "/issues/comments/{comment_id}", self.update_comment)
        r("PATCH", R + "/issues/{issue_number}", self.update_issue)
        r("GET", R + "/issues/{issue_number}/comments", self.comments)
        r("POST", R + "/issues/{issue_number}/comments", self.create_comment)
        r("GET", R + "/pulls/{pull_number}", self.pull)
        r("GET", R + "/pulls", self.pulls)
        r("POST", R + "/pulls", self.create_pull)
        r("PATCH", R + "/pulls/{pull_number}", self.update_pull)
        r("GET", R + "/git/ref/{ref+}", self.get_ref, template=R + "/git/ref/{ref}")
        r("POST", R + "/git/refs", self.create_ref)
        r("PATCH", R + "/git/refs/{ref+}", self.update_ref, template=R + "/git/refs/{ref}")
        r("DELETE", R + "/git/refs/{ref+}", self.delete_ref, template=R + "/git/refs/{ref}")

    # -- routing ---------------------------------------------------------------------------
    def _route(
        self, method: str, pattern: str, handler: Handler, template: str | None = ""
    ) -> None:
        kinds = {"+": ".+", "*": ".*", "": "[^/]+"}
        regex = (
            "^"
            + re.sub(
                r"\{(\w+)([+*]?)\}", lambda m: f"(?P<{m.group(1)}>{kinds[m.group(2)]})", pattern
            )
            + "$"
        )
        self.routes.append(
            (method, re.compile(regex), pattern if template == "" else (template or ""), handler)
        )

    def dispatch(self, req: Request) -> Response:
        method = req.method
        path = self.canonical(req.path)
        for route_method, regex, template, handler in self.routes:
            match = regex.match(path) if route_method == method else None
            if not match:
                continue
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            try:
                resp = handler(req, **params)
            except FakeError as err:  # still GitHub's answer for this operation: validated
                resp = error_response(err)
            if resp.operation is None and template:
                resp.operation = (template, method.lower())
            return resp
        self.gh.note_problem(f"the fake does not answer {method} {req.path}")
        raise FakeError(404, "Not Found")

    def canonical(self, path: str) -> str:
        """``/repositories/{id}/...``, ``/organizations/{id}/...`` and ``/user/{id}/...`` (the
        forms GitHub's Link headers use) -> ``/repos/{owner}/{repo}/...``, ``/orgs/{org}/...``
        and ``/users/{user}/...``."""
        match = re.match(r"^/repositories/(\d+)(/.*)?$", path)
        if match:
            repo = self.gh.repo_by_id(int(match.group(1)))
            if repo is not None:
                return f"/repos/{repo.full_name}{match.group(2) or ''}"
        match = re.match(r"^/(organizations|user)/(\d+)(/.*)?$", path)
        if match:
            ident = int(match.group(2))
            owner = next((u for u in list(self.gh.users.values()) if u.id == ident), None)
            if owner is not None:
                kind = "orgs" if match.group(1) == "organizations" else "users"
                return f"/{kind}/{owner.login}{match.group(3) or ''}"
        return path

    # -- helpers ---------------------------------------------------------------------------
    def _repo(self, req: Request, owner: str, repo: str) -> Repo:
        assert req.token is not None
        return self.gh.visible_repo(req.token, owner, repo)

    def _paginate(
        self, req: Request, items: list[Any], link_path: str, default: int = 30, maximum: int = 100
    ) -> tuple[list[Any], dict[str, str]]:
        try:
            per_page = int(req.q("per_page") or default)
            page = int(req.q("page") or 1)
        except ValueError:
            per_page, page = default, 1
        per_page = max(1, min(per_page, maximum))
        page = max(page, 1)
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def url(p: int) -> str:
            params = [(k, v) for k, vs in req.query.items() if k != "page" for v in vs]
            params.append(("page", str(p)))
            return f"<{self.gh.api_url}{link_path}?{urlencode(params)}>"

        if page > 1:
            links.append(f'{url(min(page - 1, last))}; rel="prev"')
        if page < last:
            links.append(f'{url(page + 1)}; rel="next"')
            links.append(f'{url(last)}; rel="last"')
        if page > 1:
            links.append(f'{url(1)}; rel="first"')
        return chunk, ({"Link": ", ".join(links)} if links else {})

    def _commit_or_404(self, repo: Repo, ref: str | None) -> str:
        if ref is None:
            sha = self.gh.head_sha(repo)
            if sha is None:
                raise FakeError(404, "This repository is empty.")
            return sha
        sha = self.gh.resolve_ref(repo, ref)
        if sha is None:
            raise FakeError(404, f"No commit found for the ref {ref}")
        return sha

    def _actor(self, req: Request) -> str:
        assert req.token is not None
        return req.token.login

    def _issue(self, repo: Repo, number: str) -> Issue:
        issue = repo.issues.get(int(number)) if number.isdigit() else None
        if issue is None:
            raise FakeError(404, "Not Found")
        return issue

    def _may_edit(self, req: Request, repo: Repo, author: str) -> None:
        assert req.token is not None
        if author.lower() == req.token.login.lower():
            return
        if not self.gh.can_triage(req.token, repo):
            raise FakeError(
                403,
                INTEGRATION_DENIED
                if req.token.integration
                else "Must have admin rights to Repository.",
            )

    # -- meta and users --------------------------------------------------------------------
    def user(self, req: Request) -> Response:
        assert req.token is not None
        if req.token.integration:
            raise FakeError(403, INTEGRATION_DENIED)
        user = self.gh.user(req.token.login)
        assert user is not None
        return Response(200, self.shapes.full_user(user, private=True))

    def rate_limit(self, req: Request) -> Response:
        """The token's budgets; the server does not charge this request."""
        assert req.token is not None
        core = self.gh.rate_status(req.token, "core")
        graphql = self.gh.rate_status(req.token, "graphql")
        search = {"limit": 30, "remaining": 30, "reset": core["reset"], "used": 0}
        return Response(
            200,
            {
                "resources": {
                    "core": {**core, "resource": "core"},
                    "graphql": {**graphql, "resource": "graphql"},
                    "search": {**search, "resource": "search"},
                },
                "rate": {**core, "resource": "core"},
            },
        )

    def user_by_name(self, req: Request, username: str) -> Response:
        user = self.gh.user(username)
        if user is None:
            raise FakeError(404, "Not Found")
        return Response(200, self.shapes.full_user(user, private=False))

    def org(self, req: Request, org: str) -> Response:
        assert req.token is not None
        found = self.gh.org(org)
        if found is None:
            raise FakeError(404, "Not Found")
        return Response(200, self.shapes.org(found, req.token))

    def _org(self, req: Request, org: str) -> Org:
        assert req.token is not None
        found = self.gh.org(org)
        if found is None:
            raise FakeError(404, "Not Found")
        if self.gh.sso_blocked(req.token, org):
            raise self.gh.sso_error(org)
        if req.token.kind in ("workflow", "fork"):
            raise FakeError(403, "Resource not accessible by integration")
        return found

    def org_teams(self, req: Request, org: str) -> Response:
        found = self._org(req, org)
        teams = sorted(found.teams.values(), key=lambda t: t.slug)
        chunk, headers = self._paginate(req, teams, f"/organizations/{found.id}/teams")
        return Response(200, [self.shapes.team(t) for t in chunk], headers)

    def org_members(self, req: Request, org: str) -> Response:
        found = self._org(req, org)
        members = sorted(self.gh.org_members(found), key=lambda u: u.login.lower())
        chunk, headers = self._paginate(req, members, f"/organizations/{found.id}/members")
        return Response(200, [self.shapes.simple_user(u) for u in chunk], headers)

    def user_repos(self, req: Request, username: str) -> Response:
        user = self.gh.user(username)
        if user is None:
            raise FakeError(404, "Not Found")
        return self._repo_list(req, user, "owner", f"/user/{user.id}/repos")

    def org_repos(self, req: Request, org: str) -> Response:
        assert req.token is not None
        found = self.gh.org(org)
        if found is None:
            raise FakeError(404, "Not Found")
        if self.gh.sso_blocked(req.token, org):
            raise self.gh.sso_error(org)
        return self._repo_list(req, found, "all", f"/organizations/{found.id}/repos")

    def _repo_list(self, req: Request, owner: User, kind: str, link_path: str) -> Response:
        """The repositories of ``owner`` the token sees, by full name: the listing the product
        asks for (``type=kind&sort=full_name``); other parameters are refused."""
        assert req.token is not None
        if req.q("type", kind) != kind or req.q("sort", "full_name") != "full_name":
            raise FakeError(422, f"the fake answers type={kind}&sort=full_name only")
        repos = sorted(
            self.gh.visible_repos(req.token, owner.login), key=lambda r: r.full_name.lower()
        )
        chunk, headers = self._paginate(req, repos, link_path)
        body = [self.shapes.repository(r, req.token, full=False) for r in chunk]
        return Response(200, body, headers)

    # -- repositories ----------------------------------------------------------------------
    def repo(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        return Response(200, self.shapes.repository(rec, req.token, full=True))

    def _archive(self, req: Request, owner: str, repo: str, ref: str | None, fmt: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self._commit_or_404(rec, ref)
        location = self.gh.codeload_link(rec, sha, fmt)
        return Response(302, b"", {"Location": location}, content_type="text/html")

    def tarball(self, req: Request, owner: str, repo: str, ref: str | None = None) -> Response:
        return self._archive(req, owner, repo, ref, "tar.gz")

    def codeowners_errors(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self._commit_or_404(rec, req.q("ref"))
        errors = self.gh.codeowners_errors(rec, sha)
        if errors is None:
            raise FakeError(404, "Not Found")
        return Response(200, {"errors": errors})

    def get_commit(self, req: Request, owner: str, repo: str, ref: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self.gh.resolve_ref(rec, ref)
        if sha is None:
            raise FakeError(422, f"No commit found for SHA: {ref}")
        body = self.shapes.commit(rec, sha)
        files = self.gh.git.changes(rec.path, sha)
        body["files"] = [self.shapes.diff_entry(rec, f, sha) for f in files]
        adds, dels = sum(f["additions"] for f in files), sum(f["deletions"] for f in files)
        body["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
        return Response(200, body)

    def default_setup(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        if not self.gh.can_read_admin(req.token):
            raise self.gh.admin_denied(req.token)
        if rec.code_scanning_default_setup == "unavailable":
            raise FakeError(403, GHAS_REQUIRED)
        return Response(200, self.shapes.code_scanning_default_setup(rec))

    # -- issues ----------------------------------------------------------------------------
    def issues(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        state = req.q("state", "open")
        if state not in ("open", "closed", "all"):
            raise validation_failed("Issue", "state", "invalid")
        if req.q("sort", "created") != "created":
            raise FakeError(422, "the fake sorts issues by creation only")
        wanted = {lab.strip().lower() for lab in (req.q("labels") or "").split(",") if lab.strip()}
        with self.gh.lock:
            out = [
                i
                for i in rec.issues.values()
                if state in ("all", i.state) and wanted <= {lab.lower() for lab in i.labels}
            ]
        out.sort(
            key=lambda i: (i.created_at, i.number), reverse=req.q("direction", "desc") != "asc"
        )
        chunk, headers = self._paginate(req, out, f"/repositories/{rec.id}/issues")
        return Response(200, [self.shapes.issue(rec, i) for i in chunk], headers)

    def _check_body(self, resource: str, body: Any) -> None:
        if body is not None and not isinstance(body, str):
            raise validation_failed(resource, "body", "invalid")
        if isinstance(body, str) and len(body) > MAX_BODY:
            raise validation_failed(
                resource, "body", "custom", f"body is too long (maximum is {MAX_BODY} characters)"
            )

    def create_issue(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec)
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        title = data.get("title")
        if title is None or title == "":
            raise FakeError(
                422,
                "Invalid request.",
                body={
                    "message": 'Invalid request.\n\n"title" wasn\'t supplied.',
                    "documentation_url": DOCS,
                    "status": "422",
                },
            )
        self._check_body("Issue", data.get("body"))
        if not rec.has_issues:
            raise FakeError(410, "Issues are disabled for this repo")
        triage = self.gh.can_triage(req.token, rec)
        with self.gh.lock:
            number = rec.next_number()
            issue = Issue(
                number, self.gh.new_id(), str(title), self._actor(req), body=data.get("body")
            )
            if triage:  # "Labels are silently dropped otherwise."
                issue.labels = [
                    self.gh.ensure_label(rec, str(n)).name for n in data.get("labels") or []
                ]
            rec.issues[number] = issue
        body = self.shapes.issue(rec, issue)
        return Response(201, body, {"Location": body["url"]})

    def update_issue(self, req: Request, owner: str, repo: str, issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec)
        issue = self._issue(rec, issue_number)
        self._may_edit(req, rec, issue.user)
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        self._check_body("Issue", data.get("body"))
        state, reason = data.get("state"), data.get("state_reason")
        if state is not None and state not in ("open", "closed"):
            raise validation_failed("Issue", "state", "invalid")
        if reason is not None and reason not in ("completed", "not_planned", "reopened"):
            raise validation_failed("Issue", "state_reason", "invalid")
        triage = self.gh.can_triage(req.token, rec)
        with self.gh.lock:
            if state == "closed" and issue.state != "closed":
                issue.state, issue.closed_at = "closed", now()
                issue.state_reason = reason or "completed"
            elif state == "open" and issue.state != "open":
                issue.state, issue.closed_at, issue.state_reason = "open", None, "reopened"
            if data.get("title"):
                issue.title = str(data["title"])
            if "body" in data:
                issue.body = data["body"]
            if triage and "labels" in data:
                issue.labels = [
                    self.gh.ensure_label(rec, str(n if isinstance(n, str) else n.get("name"))).name
                    for n in data["labels"] or []
                ]
            issue.updated_at = now()
        return Response(200, self.shapes.issue(rec, issue))

    # -- comments --------------------------------------------------------------------------
    def comments(self, req: Request, owner: str, repo: str, issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        issue = self._issue(rec, issue_number)
        with self.gh.lock:
            items = sorted(
                (c for c in rec.comments.values() if c.issue_number == issue.number),
                key=lambda c: c.id,
            )
        chunk, headers = self._paginate(
            req, items, f"/repositories/{rec.id}/issues/{issue.number}/comments"
        )
        return Response(200, [self.shapes.comment(rec, c) for c in chunk], headers)

    def create_comment(self, req: Request, owner: str, repo: str, issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        issue = self._issue(rec, issue_number)
        self.gh.check_write(req.token, rec, "pull_requests" if issue.pull else "issues")
        data = req.json()
        body = data.get("body") if isinstance(data, dict) else None
        if body is None or body == "":
            raise validation_failed("IssueComment", "body", "missing_field")
        self._check_body("IssueComment", body)
        with self.gh.lock:
            when = now()
            comment = Comment(self.gh.new_id(), issue.number, body, self._actor(req), when, when)
            rec.comments[comment.id] = comment
            issue.updated_at = when
        out = self.shapes.comment(rec, comment)
        return Response(201, out, {"Location": out["url"]})

    def update_comment(self, req: Request, owner: str, repo: str, comment_id: str) -> Response:
        """GitHub's permission rules: write access, and the comment's author or triage."""
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        comment = rec.comments.get(int(comment_id)) if comment_id.isdigit() else None
        if comment is None:
            raise FakeError(404, "Not Found")
        issue = rec.issues.get(comment.issue_number)
        self.gh.check_write(
            req.token, rec, "pull_requests" if issue is not None and issue.pull else "issues"
        )
        self._may_edit(req, rec, comment.user)
        data = req.json()
        body = data.get("body") if isinstance(data, dict) else None
        if body is None or body == "":
            raise validation_failed("IssueComment", "body", "missing_field")
        self._check_body("IssueComment", body)
        with self.gh.lock:
            comment.body = body
            comment.updated_at = now()
        return Response(200, self.shapes.comment(rec, comment))

    # -- pull requests ---------------------------------------------------------------------
    def _pull(self, rec: Repo, number: str) -> Issue:
        issue = self._issue(rec, number)
        if issue.pull is None:
            raise FakeError(404, "Not Found")
        return issue

    def pull(self, req: Request, owner: str, repo: str, pull_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        issue = self._pull(rec, pull_number)
        return Response(200, self.shapes.pull(rec, issue, req.token))

    # -- branches and pull requests written through the API (fix pull requests) ---------------
    def _ref_json(self, rec: Repo, ref: str, sha: str) -> dict[str, Any]:
        base = f"{self.gh.api_url}/repos/{rec.full_name}"
        return {
            "ref": ref,
            "node_id": f"REF_{rec.id}_{ref}",
            "url": f"{base}/git/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{base}/git/commits/{sha}"},
        }

    def _branch_head(self, rec: Repo, ref: str) -> str | None:
        return self.gh.git.resolve(rec.path, ref) if ref.startswith("refs/heads/") else None

    def move_branch(self, rec: Repo, ref: str, sha: str | None) -> None:
        """Move ``ref``, and the head of the open pull requests from it."""
        gitwrite.set_ref(rec.path, ref, sha)
        branch = ref.removeprefix("refs/heads/")
        with self.gh.lock:
            for issue in rec.issues.values():
                if issue.pull and issue.pull.head_ref == branch and issue.state == "open":
                    if sha is None:
                        issue.state, issue.closed_at = "closed", now()
                    else:
                        issue.pull.head_sha = sha

    def get_ref(self, req: Request, owner: str, repo: str, ref: str) -> Response:
        rec = self._repo(req, owner, repo)
        full = _full_ref(ref)
        sha = self._branch_head(rec, full)
        if sha is None:
            raise FakeError(404, "Not Found")
        return Response(200, self._ref_json(rec, full, sha))

    def create_ref(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec, "contents")
        data = req.json()
        if not isinstance(data, dict) or not isinstance(data.get("ref"), str):
            raise validation_failed("Reference", "ref", "missing_field")
        ref, sha = data["ref"], str(data.get("sha") or "")
        if not ref.startswith("refs/") or ref.count("/") < 2:
            raise FakeError(
                422, "Reference name must start with 'refs/' and have at least two slashes"
            )
        if not ref.startswith("refs/heads/"):
            raise FakeError(422, "the fake creates branches only")
        if self._branch_head(rec, ref) is not None:
            raise FakeError(422, "Reference already exists")
        if len(sha) != 40 or self.gh.git.resolve(rec.path, sha) != sha:
            raise FakeError(422, "Object does not exist")
        self.move_branch(rec, ref, sha)
        return Response(201, self._ref_json(rec, ref, sha))

    def update_ref(self, req: Request, owner: str, repo: str, ref: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec, "contents")
        full = _full_ref(ref)
        old = self._branch_head(rec, full)
        if old is None:
            raise FakeError(422, "Reference does not exist")
        data = req.json()
        sha = str((data or {}).get("sha") or "") if isinstance(data, dict) else ""
        if len(sha) != 40 or self.gh.git.resolve(rec.path, sha) != sha:
            raise FakeError(422, "Object does not exist")
        if full == f"refs/heads/{rec.default_branch}" and self.gh.branch_rules(rec, full):
            raise FakeError(422, "Protected branch update failed")
        fast_forward = old == sha or gitwrite.is_ancestor(rec.path, old, sha)
        if not fast_forward and not data.get("force"):
            raise FakeError(422, "Update is not a fast forward")
        self.move_branch(rec, full, sha)
        return Response(200, self._ref_json(rec, full, sha))

    def delete_ref(self, req: Request, owner: str, repo: str, ref: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec, "contents")
        full = _full_ref(ref)
        if self._branch_head(rec, full) is None:
            raise FakeError(422, "Reference does not exist")
        self.move_branch(rec, full, None)
        return Response(204, None)

    def pulls(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        state = req.q("state", "open")
        if state not in ("open", "closed", "all"):
            raise validation_failed("PullRequest", "state", "invalid")
        head = req.q("head")
        with self.gh.lock:
            items = [
                i
                for i in rec.issues.values()
                if i.pull is not None
                and state in ("all", i.state)
                and (head is None or head.lower() == f"{rec.owner}:{i.pull.head_ref}".lower())
            ]
        items.sort(key=lambda i: i.number, reverse=True)
        chunk, headers = self._paginate(req, items, f"/repositories/{rec.id}/pulls")
        return Response(200, [self.shapes.pull(rec, i, req.token) for i in chunk], headers)

    def create_pull(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec, "pull_requests")
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        title, head, base = (
            data.get("title"),
            str(data.get("head") or ""),
            str(data.get("base") or ""),
        )
        if not title:
            raise validation_failed("PullRequest", "title", "missing_field")
        self._check_body("PullRequest", data.get("body"))
        head_sha = self._branch_head(rec, f"refs/heads/{head}")
        base_sha = self._branch_head(rec, f"refs/heads/{base}")
        if head_sha is None:
            raise validation_failed("PullRequest", "head", "invalid")
        if base_sha is None:
            raise validation_failed("PullRequest", "base", "invalid")
        with self.gh.lock:
            if any(
                i.pull and i.state == "open" and i.pull.head_ref == head and i.pull.base_ref == base
                for i in rec.issues.values()
            ):
                raise validation_failed(
                    "PullRequest",
                    "",
                    "custom",
                    f"A pull request already exists for {rec.owner}:{head}.",
                )
        if head_sha == base_sha:
            raise validation_failed(
                "PullRequest", "", "custom", f"No commits between {base} and {head}"
            )
        with self.gh.lock:
            number = rec.next_number()
        issue = self.gh.add_pull(
            rec,
            number,
            head_sha,
            base_sha,
            head_ref=head,
            base_ref=base,
            title=str(title),
            body=data.get("body"),
            user=self._actor(req),
        )
        body = self.shapes.pull(rec, issue, req.token)
        return Response(201, body, {"Location": body["url"]})

    def update_pull(self, req: Request, owner: str, repo: str, pull_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec, "pull_requests")
        issue = self._pull(rec, pull_number)
        self._may_edit(req, rec, issue.user)
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        self._check_body("PullRequest", data.get("body"))
        state = data.get("state")
        if state is not None and state not in ("open", "closed"):
            raise validation_failed("PullRequest", "state", "invalid")
        pull = issue.pull
        assert pull is not None
        if state == "open" and issue.state == "closed":
            if pull.merged:
                raise validation_failed("PullRequest", "state", "invalid", "merged")
            head = self._branch_head(rec, f"refs/heads/{pull.head_ref}")
            if head is None:
                raise validation_failed(
                    "PullRequest",
                    "state",
                    "custom",
                    "state cannot be changed. The branch was deleted.",
                )
            pull.head_sha = head
        with self.gh.lock:
            if data.get("title"):
                issue.title = str(data["title"])
            if "body" in data:
                issue.body = data["body"]
            if state == "closed" and issue.state == "open":
                issue.state, issue.closed_at = "closed", now()
            elif state == "open" and issue.state == "closed":
                issue.state, issue.closed_at = "open", None
            issue.updated_at = now()
        return Response(200, self.shapes.pull(rec, issue, req.token))


def _full_ref(ref: str) -> str:
    return ref if ref.startswith("refs/") else f"refs/{ref}"


def error_response(err: FakeError) -> Response:
    body = err.body if err.body is not None else error_body(err.message, err.status)
    return Response(err.status, body, dict(err.headers))
