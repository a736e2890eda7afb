"""REST routes of the fake: ``/api/v3/...`` paths -> handlers -> :class:`Response`."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

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


def validation_failed(resource: str, field_name: str, code: str,
                      message: str | None = None) -> FakeError:
    err: dict[str, Any] = {"resource": resource, "code": code, "field": field_name}
    if message:
        err["message"] = message
    return FakeError(422, "Validation Failed", body={
        "message": "Validation Failed", "errors": [err], "documentation_url": DOCS,
        "status": "422"})


class Rest:
    def __init__(self, gh: FakeGitHub) -> None:
        self.gh = gh
        self.shapes = Shapes(gh)
        self.routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        r = self._route
        R = "/repos/{owner}/{repo}"
        r("GET", "/", self.root)
        r("GET", "/rate_limit", self.rate_limit)
        r("GET", "/user", self.user)
        r("GET", "/users/{username}", self.user_by_name)
        r("GET", "/orgs/{org}", self.org)
        r("GET", "/orgs/{org}/repos", self.org_repos)
        r("GET", "/orgs/{org}/teams", self.org_teams)
        r("GET", "/orgs/{org}/members", self.org_members)
        r("GET", R, self.repo)
        r("GET", R + "/tarball", self.tarball, template=R + "/tarball/{ref}")
        r("GET", R + "/tarball/{ref+}", self.tarball, template=R + "/tarball/{ref}")
        r("GET", R + "/zipball", self.zipball, template=None)
        r("GET", R + "/zipball/{ref+}", self.zipball, template=None)
        r("GET", R + "/codeowners/errors", self.codeowners_errors)
        r("GET", R + "/rules/branches/{branch+}", self.branch_rules,
          template=R + "/rules/branches/{branch}")
        r("GET", R + "/rulesets", self.rulesets)
        r("GET", R + "/rulesets/{ruleset_id}", self.ruleset)
        r("GET", R + "/branches/{branch+}/protection", self.get_protection,
          template=R + "/branches/{branch}/protection")
        r("PUT", R + "/branches/{branch+}/protection", self.put_protection,
          template=R + "/branches/{branch}/protection")
        r("DELETE", R + "/branches/{branch+}/protection", self.delete_protection,
          template=R + "/branches/{branch}/protection")
        r("GET", R + "/branches/{branch+}", self.branch, template=R + "/branches/{branch}")
        r("GET", R + "/commits/{ref+}", self.get_commit, template=R + "/commits/{ref}")
        r("GET", R + "/code-scanning/default-setup", self.default_setup)
        r("GET", R + "/releases", self.releases)
        r("GET", R + "/topics", self.topics)
        r("GET", R + "/contents", self.contents, template=R + "/contents/{path}")
        r("GET", R + "/contents/{path*}", self.contents, template=R + "/contents/{path}")
        r("GET", R + "/git/trees/{tree_sha+}", self.tree,
          template=R + "/git/trees/{tree_sha}")
        r("GET", R + "/labels", self.labels)
        r("POST", R + "/labels", self.create_label)
        r("GET", R + "/issues", self.issues)
        r("POST", R + "/issues", self.create_issue)
        r("GET", R + "/issues/comments/{comment_id}", self.get_comment)
        r("PATCH", R + "/issues/comments/{comment_id}", self.update_comment)
        r("DELETE", R + "/issues/comments/{comment_id}", self.delete_comment)
        r("GET", R + "/issues/{issue_number}", self.get_issue)
        r("PATCH", R + "/issues/{issue_number}", self.update_issue)
        r("GET", R + "/issues/{issue_number}/comments", self.comments)
        r("POST", R + "/issues/{issue_number}/comments", self.create_comment)
        r("GET", R + "/pulls/{pull_number}", self.pull)
        r("GET", R + "/pulls/{pull_number}/files", self.pull_files)

    # -- routing ---------------------------------------------------------------------------
    def _route(self, method: str, pattern: str, handler: Handler,
               template: str | None = "") -> None:
        kinds = {"+": ".+", "*": ".*", "": "[^/]+"}
        regex = "^" + re.sub(r"\{(\w+)([+*]?)\}",
                             lambda m: f"(?P<{m.group(1)}>{kinds[m.group(2)]})", pattern) + "$"
        self.routes.append((method, re.compile(regex),
                            pattern if template == "" else (template or ""), handler))

    def dispatch(self, req: Request) -> Response:
        method = "GET" if req.method == "HEAD" else req.method
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
        raise FakeError(404, "Not Found")

    def canonical(self, path: str) -> str:
        """``/repositories/{id}/...`` and ``/organizations/{id}/...`` (the forms GitHub's
        Link headers use) -> ``/repos/{owner}/{repo}/...`` and ``/orgs/{org}/...``."""
        match = re.match(r"^/repositories/(\d+)(/.*)?$", path)
        if match:
            repo = self.gh.repo_by_id(int(match.group(1)))
            if repo is not None:
                return f"/repos/{repo.full_name}{match.group(2) or ''}"
        match = re.match(r"^/organizations/(\d+)(/.*)?$", path)
        if match:
            ident = int(match.group(1))
            org = next((u for u in list(self.gh.users.values()) if u.id == ident), None)
            if org is not None:
                return f"/orgs/{org.login}{match.group(2) or ''}"
        return path

    # -- helpers ---------------------------------------------------------------------------
    def _repo(self, req: Request, owner: str, repo: str) -> Repo:
        assert req.token is not None
        return self.gh.visible_repo(req.token, owner, repo)

    def _paginate(self, req: Request, items: list[Any], link_path: str,
                  default: int = 30, maximum: int = 100) -> tuple[list[Any], dict[str, str]]:
        try:
            per_page = int(req.q("per_page") or default)
            page = int(req.q("page") or 1)
        except ValueError:
            per_page, page = default, 1
        per_page = max(1, min(per_page, maximum))
        page = max(page, 1)
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
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
            raise FakeError(403, INTEGRATION_DENIED if req.token.integration
                            else "Must have admin rights to Repository.")

    # -- meta and users --------------------------------------------------------------------
    def root(self, req: Request) -> Response:
        return Response(200, self.shapes.root())

    def rate_limit(self, req: Request) -> Response:
        assert req.token is not None
        core = self.gh.rate_status(req.token, "core")
        graphql = self.gh.rate_status(req.token, "graphql")
        resources = {"core": core, "graphql": graphql,
                     "search": {"limit": 30, "remaining": 30, "reset": core["reset"],
                                "used": 0}}
        return Response(200, {"resources": resources, "rate": core}, counted=False)

    def user(self, req: Request) -> Response:
        assert req.token is not None
        if req.token.integration:
            raise FakeError(403, INTEGRATION_DENIED)
        user = self.gh.user(req.token.login)
        assert user is not None
        return Response(200, self.shapes.full_user(user, private=True))

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

    def org_repos(self, req: Request, org: str) -> Response:
        assert req.token is not None
        found = self.gh.org(org)
        if found is None:
            raise FakeError(404, "Not Found")
        if self.gh.sso_blocked(req.token, org):
            raise self.gh.sso_error(org)
        repos = self.gh.visible_repos(req.token, found.login)
        kind = req.q("type", "all")
        filters: dict[str, Callable[[Repo], bool]] = {
            "public": lambda r: r.visibility == "public",
            "private": lambda r: r.private,
            "internal": lambda r: r.visibility == "internal",
            "forks": lambda r: r.fork,
            "sources": lambda r: not r.fork,
        }
        if kind in filters:
            repos = [r for r in repos if filters[kind](r)]
        sort = req.q("sort", "created")
        direction = req.q("direction", "asc" if sort == "full_name" else "desc")
        keys: dict[str, Callable[[Repo], Any]] = {
            "full_name": lambda r: r.full_name.lower(),
            "updated": lambda r: (r.updated_at, r.id),
            "pushed": lambda r: (self.shapes.pushed_at(r) or r.created_at, r.id),
        }
        repos.sort(key=keys.get(sort or "", lambda r: (r.created_at, r.id)),
                   reverse=direction == "desc")
        chunk, headers = self._paginate(req, repos, f"/organizations/{found.id}/repos")
        body = [self.shapes.repository(r, req.token, full=False) for r in chunk]
        return Response(200, body, headers)

    # -- repositories ----------------------------------------------------------------------
    def repo(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        return Response(200, self.shapes.repository(rec, req.token, full=True))

    def _archive(self, req: Request, owner: str, repo: str, ref: str | None,
                 fmt: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self._commit_or_404(rec, ref)
        location = self.gh.codeload_link(rec, sha, fmt)
        return Response(302, b"", {"Location": location}, content_type="text/html")

    def tarball(self, req: Request, owner: str, repo: str, ref: str | None = None) -> Response:
        return self._archive(req, owner, repo, ref, "tar.gz")

    def zipball(self, req: Request, owner: str, repo: str, ref: str | None = None) -> Response:
        return self._archive(req, owner, repo, ref, "zip")

    def codeowners_errors(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self._commit_or_404(rec, req.q("ref"))
        errors = self.gh.codeowners_errors(rec, sha)
        if errors is None:
            raise FakeError(404, "Not Found")
        return Response(200, {"errors": errors})

    def branch_rules(self, req: Request, owner: str, repo: str, branch: str) -> Response:
        rec = self._repo(req, owner, repo)
        rules = [self.shapes.rule_detailed(rs, rule)
                 for rs, rule in self.gh.branch_rules(rec, branch)]
        chunk, headers = self._paginate(
            req, rules, f"/repositories/{rec.id}/rules/branches/{quote(branch)}")
        return Response(200, chunk, headers)

    def rulesets(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        parents = req.q("includes_parents", "true") != "false"
        sets = self.gh.repo_rulesets(rec) if parents else list(rec.rulesets)
        body = [self.shapes.ruleset(rec, rs, detailed=False) for rs in sets]
        chunk, headers = self._paginate(req, body, f"/repositories/{rec.id}/rulesets")
        return Response(200, chunk, headers)

    def ruleset(self, req: Request, owner: str, repo: str, ruleset_id: str) -> Response:
        rec = self._repo(req, owner, repo)
        for rs in self.gh.repo_rulesets(rec):
            if str(rs.id) == ruleset_id:
                return Response(200, self.shapes.ruleset(rec, rs, detailed=True))
        raise FakeError(404, "Not Found")

    def branch(self, req: Request, owner: str, repo: str, branch: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        sha = self.gh.git.resolve(rec.path, f"refs/heads/{branch}")
        if sha is None:
            raise FakeError(404, "Branch not found")
        url = f"{self.gh.api_url}/repos/{rec.full_name}/branches/{branch}"
        spec = rec.protections.get(branch)
        protection: dict[str, Any] = {"enabled": spec is not None}
        if spec is not None:
            reviews = spec.get("required_pull_request_reviews")
            checks = spec.get("required_status_checks") or {}
            protection["required_status_checks"] = {
                "enforcement_level": "non_admins" if checks else "off",
                "contexts": list(checks.get("contexts", [])), "checks": []}
            if reviews is not None:
                protection["required_pull_request_reviews"] = {
                    "dismiss_stale_reviews": bool(reviews.get("dismiss_stale_reviews")),
                    "require_code_owner_reviews": bool(
                        reviews.get("require_code_owner_reviews")),
                    "required_approving_review_count": int(
                        reviews.get("required_approving_review_count", 1))}
        else:
            protection["required_status_checks"] = {"enforcement_level": "off",
                                                    "contexts": [], "checks": []}
        body = {"name": branch, "commit": self.shapes.commit(rec, sha),
                "_links": {"self": url,
                           "html": f"{self.gh.web_url}/{rec.full_name}/tree/{branch}"},
                "protected": spec is not None, "protection": protection,
                "protection_url": f"{url}/protection"}
        return Response(200, body)

    def _protection_access(self, req: Request, rec: Repo, branch: str) -> None:
        assert req.token is not None
        if not self.gh.can_read_admin(req.token):
            raise self.gh.admin_denied(req.token)
        if self.gh.git.resolve(rec.path, f"refs/heads/{branch}") is None:
            raise FakeError(404, "Branch not found")

    def get_protection(self, req: Request, owner: str, repo: str, branch: str) -> Response:
        rec = self._repo(req, owner, repo)
        self._protection_access(req, rec, branch)
        spec = rec.protections.get(branch)
        if spec is None:
            raise FakeError(404, "Branch not protected")
        return Response(200, self.shapes.protection(rec, branch, spec))

    def put_protection(self, req: Request, owner: str, repo: str, branch: str) -> Response:
        rec = self._repo(req, owner, repo)
        self._protection_access(req, rec, branch)
        assert req.token is not None
        if req.token.kind != "admin" and req.token.permissions.get("administration") != "write":
            raise self.gh.admin_denied(req.token)
        spec = req.json()
        if not isinstance(spec, dict):
            raise FakeError(400, "Problems parsing JSON")
        missing = [k for k in ("required_status_checks", "enforce_admins",
                               "required_pull_request_reviews", "restrictions") if k not in spec]
        if missing:
            raise FakeError(422, "Invalid request.", body={
                "message": "Invalid request.\n\n"
                           + "\n".join(f'"{k}" wasn\'t supplied.' for k in missing),
                "documentation_url": DOCS, "status": "422"})
        with self.gh.lock:
            rec.protections[branch] = spec
        body = self.shapes.protection(rec, branch, spec)
        return Response(200, body)

    def delete_protection(self, req: Request, owner: str, repo: str, branch: str) -> Response:
        rec = self._repo(req, owner, repo)
        self._protection_access(req, rec, branch)
        assert req.token is not None
        if req.token.kind != "admin" and req.token.permissions.get("administration") != "write":
            raise self.gh.admin_denied(req.token)
        with self.gh.lock:
            if rec.protections.pop(branch, None) is None:
                raise FakeError(404, "Branch not protected")
        return Response(204, b"", content_type="")

    def get_commit(self, req: Request, owner: str, repo: str, ref: str) -> Response:
        rec = self._repo(req, owner, repo)
        sha = self.gh.resolve_ref(rec, ref)
        if sha is None:
            raise FakeError(422, f"No commit found for SHA: {ref}")
        body = self.shapes.commit(rec, sha)
        parents = body["parents"]
        base = parents[0]["sha"] if parents else None
        files = self.gh.git.diff(rec.path, base, sha) if base else [
            {"filename": path, "status": "added", "additions": 0, "deletions": 0,
             "changes": 0, "sha": oid} for path, oid in self._all_files(rec, sha)]
        chunk, headers = self._paginate(req, files, f"/repositories/{rec.id}/commits/{sha}",
                                        default=300, maximum=300)
        body["files"] = [self.shapes.diff_entry(rec, f, sha) for f in chunk]
        adds = sum(f["additions"] for f in files)
        dels = sum(f["deletions"] for f in files)
        body["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
        return Response(200, body, headers)

    def _all_files(self, rec: Repo, sha: str) -> list[tuple[str, str]]:
        raw = self.gh.git.run(rec.path, "ls-tree", "-r", "-z", "--full-tree", sha)
        out = []
        for line in raw.split(b"\0"):
            if line:
                meta, _, name = line.partition(b"\t")
                out.append((name.decode("utf-8", "replace"), meta.split()[2].decode()))
        return out

    def default_setup(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        if not self.gh.can_read_admin(req.token):
            raise self.gh.admin_denied(req.token)
        if rec.code_scanning_default_setup == "unavailable":
            raise FakeError(403, GHAS_REQUIRED)
        return Response(200, self.shapes.code_scanning_default_setup(rec))

    def releases(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        rels = sorted(rec.releases, key=lambda r: (r.created_at, r.id), reverse=True)
        chunk, headers = self._paginate(req, rels, f"/repositories/{rec.id}/releases")
        return Response(200, [self.shapes.release(rec, r) for r in chunk], headers)

    def topics(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        return Response(200, {"names": list(rec.topics)})

    # -- contents --------------------------------------------------------------------------
    def contents(self, req: Request, owner: str, repo: str, path: str = "") -> Response:
        rec = self._repo(req, owner, repo)
        ref = req.q("ref")
        sha = self._commit_or_404(rec, ref)
        ref_name = ref or rec.default_branch
        path = path.strip("/")
        accept = req.headers.get("Accept", "") or ""
        obj = self.gh.git.read(rec.path, f"{sha}:{path}" if path else f"{sha}^{{tree}}")
        if obj is None or obj.data is None:
            raise FakeError(404, "Not Found")
        mode = self._mode(rec, sha, path)
        if obj.type == "tree":
            items = self.gh.git.tree(rec.path, obj.oid) or []
            sizes = self.gh.git.info_many(rec.path, [i.oid for i in items if i.type == "blob"])
            entries = []
            for item in items:
                child = f"{path}/{item.text_name}" if path else item.text_name
                size = sizes[item.oid].size if item.oid in sizes else 0
                entry = self.shapes.content_entry(rec, ref_name, child, item.type, item.oid,
                                                  size)
                if item.mode == "120000":
                    entry["type"] = "symlink"
                entries.append(entry)
            if "vnd.github.object" in accept:
                top = self.shapes.content_entry(rec, ref_name, path, "tree", obj.oid, 0)
                top["entries"] = entries
                return Response(200, top, content_type="application/vnd.github.object")
            return Response(200, entries)
        if mode == "120000":
            # GitHub answers a symlink to a file of the repository with that file
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path),
                                                       obj.data.decode("utf-8", "replace")))
            followed = None if target.startswith(("../", "/")) or target == ".." else \
                self.gh.git.read(rec.path, f"{sha}:{target}")
            if followed is not None and followed.type == "blob" and followed.data is not None \
                    and self._mode(rec, sha, target) in ("100644", "100755"):
                path, obj, mode = target, followed, "100644"
        if "raw" in accept and obj.type == "blob":
            return Response(200, obj.data, content_type="application/vnd.github.raw")
        body = self.shapes.content_file(rec, ref_name, path, obj.oid, obj.data,
                                        symlink=mode == "120000")
        if len(obj.data) > 1024 * 1024 and mode != "120000":
            body["content"], body["encoding"] = "", "none"
        if "vnd.github.object" in accept:
            return Response(200, body, content_type="application/vnd.github.object")
        return Response(200, body)

    def _mode(self, rec: Repo, sha: str, path: str) -> str | None:
        if not path:
            return "40000"
        parent, _, name = path.rpartition("/")
        items = self.gh.git.tree(rec.path, f"{sha}:{parent}" if parent else f"{sha}^{{tree}}")
        for item in items or []:
            if item.text_name == name:
                return item.mode
        return None

    def tree(self, req: Request, owner: str, repo: str, tree_sha: str) -> Response:
        rec = self._repo(req, owner, repo)
        obj = self.gh.git.info(rec.path, f"{tree_sha}^{{tree}}") or (
            self.gh.git.info(rec.path, f"refs/heads/{tree_sha}^{{tree}}"))
        if obj is None:
            raise FakeError(404, "Not Found")
        recursive = req.q("recursive") not in (None, "", "0", "false")
        args = ["ls-tree", "-l", "-z", "--full-tree"] + (["-r", "-t"] if recursive else [])
        raw = self.gh.git.memo(("ls-tree", rec.path, obj.oid, recursive),
                               lambda: self.gh.git.run(rec.path, *args, obj.oid))
        base = f"{self.gh.api_url}/repos/{rec.full_name}/git"
        entries = []
        for line in raw.split(b"\0"):
            if not line:
                continue
            meta, _, name = line.partition(b"\t")
            mode, otype, oid, size = meta.decode().split()
            entry: dict[str, Any] = {"path": name.decode("utf-8", "replace"), "mode": mode,
                                     "type": otype, "sha": oid}
            if otype == "blob":
                entry["size"] = int(size)
                entry["url"] = f"{base}/blobs/{oid}"
            elif otype == "tree":
                entry["url"] = f"{base}/trees/{oid}"
            entries.append(entry)
        truncated = len(entries) > 100_000
        return Response(200, {"sha": obj.oid, "url": f"{base}/trees/{obj.oid}",
                              "tree": entries[:100_000], "truncated": truncated})

    # -- labels ----------------------------------------------------------------------------
    def labels(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        labels = sorted(rec.labels.values(), key=lambda lab: lab.name.lower())
        chunk, headers = self._paginate(req, labels, f"/repositories/{rec.id}/labels")
        return Response(200, [self.shapes.label(rec, lab) for lab in chunk], headers)

    def create_label(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec)
        if not self.gh.can_triage(req.token, rec):
            raise FakeError(403, "Must have admin rights to Repository.")
        data = req.json()
        name = data.get("name") if isinstance(data, dict) else None
        if not name:
            raise validation_failed("Label", "name", "missing_field")
        color = str(data.get("color", "ededed")).lstrip("#")
        if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            raise FakeError(422, "Validation Failed", body={
                "message": "Validation Failed",
                "errors": [{"resource": "Label", "code": "invalid", "field": "color"}],
                "documentation_url": DOCS, "status": "422"})
        with self.gh.lock:
            if name.lower() in rec.labels:
                raise validation_failed("Label", "name", "already_exists")
            label = self.gh.ensure_label(rec, name)
            label.color = color.lower()
            label.description = data.get("description")
        return Response(201, self.shapes.label(rec, label), {
            "Location": f"{self.gh.api_url}/repos/{rec.full_name}/labels/{quote(name)}"})

    # -- issues ----------------------------------------------------------------------------
    def issues(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        state = req.q("state", "open")
        if state not in ("open", "closed", "all"):
            raise validation_failed("Issue", "state", "invalid")
        wanted = [lab.strip().lower() for lab in (req.q("labels") or "").split(",")
                  if lab.strip()]
        creator = req.q("creator")
        assignee = req.q("assignee")
        since = req.q("since")
        with self.gh.lock:
            items = list(rec.issues.values())
        out = []
        for issue in items:
            if state != "all" and issue.state != state:
                continue
            names = {lab.lower() for lab in issue.labels}
            if any(w not in names for w in wanted):
                continue
            if creator and issue.user.lower() != creator.lower():
                continue
            if assignee == "none" and issue.assignees:
                continue
            if assignee == "*" and not issue.assignees:
                continue
            if assignee not in (None, "none", "*") and assignee.lower() not in {
                    a.lower() for a in issue.assignees}:
                continue
            if since and issue.updated_at < _parse_time(since):
                continue
            out.append(issue)
        sort = req.q("sort", "created")
        keys: dict[str, Callable[[Issue], Any]] = {
            "updated": lambda i: (i.updated_at, i.number),
            "comments": lambda i: (sum(1 for c in list(rec.comments.values())
                                       if c.issue_number == i.number), i.number),
        }
        out.sort(key=keys.get(sort or "", lambda i: (i.created_at, i.number)),
                 reverse=req.q("direction", "desc") != "asc")
        chunk, headers = self._paginate(req, out, f"/repositories/{rec.id}/issues")
        return Response(200, [self.shapes.issue(rec, i) for i in chunk], headers)

    def _check_body(self, resource: str, body: Any) -> None:
        if body is not None and not isinstance(body, str):
            raise validation_failed(resource, "body", "invalid")
        if isinstance(body, str) and len(body) > MAX_BODY:
            raise validation_failed(resource, "body", "custom",
                                    f"body is too long (maximum is {MAX_BODY} characters)")

    def create_issue(self, req: Request, owner: str, repo: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec)
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        title = data.get("title")
        if title is None or title == "":
            raise FakeError(422, "Invalid request.", body={
                "message": "Invalid request.\n\n\"title\" wasn't supplied.",
                "documentation_url": DOCS, "status": "422"})
        self._check_body("Issue", data.get("body"))
        if not rec.has_issues:
            raise FakeError(410, "Issues are disabled for this repo")
        triage = self.gh.can_triage(req.token, rec)
        with self.gh.lock:
            number = rec.next_number()
            issue = Issue(number, self.gh.new_id(), str(title), self._actor(req),
                          body=data.get("body"))
            if triage:  # "Labels are silently dropped otherwise."
                issue.labels = [self.gh.ensure_label(rec, str(n)).name
                                for n in data.get("labels") or []]
                issue.assignees = [str(a) for a in data.get("assignees") or []]
            rec.issues[number] = issue
        body = self.shapes.issue(rec, issue)
        return Response(201, body, {"Location": body["url"]})

    def get_issue(self, req: Request, owner: str, repo: str, issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        issue = self._issue(rec, issue_number)
        return Response(200, self.shapes.issue(rec, issue))

    def update_issue(self, req: Request, owner: str, repo: str,
                     issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        self.gh.check_write(req.token, rec)
        issue = self._issue(rec, issue_number)
        self._may_edit(req, rec, issue.user)
        data = req.json()
        if not isinstance(data, dict):
            raise FakeError(400, "Problems parsing JSON")
        self._check_body("Issue", data.get("body"))
        if "state" in data and data["state"] not in ("open", "closed"):
            raise validation_failed("Issue", "state", "invalid")
        triage = self.gh.can_triage(req.token, rec)
        with self.gh.lock:
            if data.get("title"):
                issue.title = str(data["title"])
            if "body" in data:
                issue.body = data["body"]
            if "state" in data and data["state"] != issue.state:
                issue.state = data["state"]
                if issue.state == "closed":
                    issue.closed_at = now()
                    issue.closed_by = self._actor(req)
                    issue.state_reason = data.get("state_reason") or "completed"
                else:
                    issue.closed_at = None
                    issue.closed_by = None
                    issue.state_reason = "reopened"
            elif "state_reason" in data and issue.state == "closed":
                issue.state_reason = data["state_reason"]
            if triage and "labels" in data:
                issue.labels = [self.gh.ensure_label(
                    rec, str(n if isinstance(n, str) else n.get("name"))).name
                    for n in data["labels"] or []]
            if triage and "assignees" in data:
                issue.assignees = [str(a) for a in data["assignees"] or []]
            issue.updated_at = now()
        return Response(200, self.shapes.issue(rec, issue))

    # -- comments --------------------------------------------------------------------------
    def comments(self, req: Request, owner: str, repo: str, issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        issue = self._issue(rec, issue_number)
        since = req.q("since")
        with self.gh.lock:
            items = sorted((c for c in rec.comments.values() if c.issue_number == issue.number),
                           key=lambda c: c.id)
        if since:
            items = [c for c in items if c.updated_at >= _parse_time(since)]
        chunk, headers = self._paginate(
            req, items, f"/repositories/{rec.id}/issues/{issue.number}/comments")
        return Response(200, [self.shapes.comment(rec, c) for c in chunk], headers)

    def create_comment(self, req: Request, owner: str, repo: str,
                       issue_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        issue = self._issue(rec, issue_number)
        self.gh.check_write(req.token, rec, "pull_requests" if issue.pull else "issues")
        data = req.json()
        body = data.get("body") if isinstance(data, dict) else None
        if body is None or body == "":
            raise validation_failed("IssueComment", "body", "missing_field")
        self._check_body("IssueComment", body)
        if issue.locked and not self.gh.can_triage(req.token, rec):
            raise FakeError(403, "Unable to create comment because issue is locked.")
        with self.gh.lock:
            when = now()
            comment = Comment(self.gh.new_id(), issue.number, body, self._actor(req), when,
                              when)
            rec.comments[comment.id] = comment
            issue.updated_at = when
        out = self.shapes.comment(rec, comment)
        return Response(201, out, {"Location": out["url"]})

    def _comment(self, rec: Repo, comment_id: str) -> Comment:
        comment = rec.comments.get(int(comment_id)) if comment_id.isdigit() else None
        if comment is None:
            raise FakeError(404, "Not Found")
        return comment

    def get_comment(self, req: Request, owner: str, repo: str, comment_id: str) -> Response:
        rec = self._repo(req, owner, repo)
        return Response(200, self.shapes.comment(rec, self._comment(rec, comment_id)))

    def _editable_comment(self, req: Request, owner: str, repo: str,
                          comment_id: str) -> tuple[Repo, Comment]:
        """The comment a write (edit, delete) may touch: GitHub's permission rules applied."""
        rec = self._repo(req, owner, repo)
        assert req.token is not None
        comment = self._comment(rec, comment_id)
        issue = rec.issues.get(comment.issue_number)
        self.gh.check_write(req.token, rec,
                            "pull_requests" if issue is not None and issue.pull else "issues")
        self._may_edit(req, rec, comment.user)
        return rec, comment

    def update_comment(self, req: Request, owner: str, repo: str,
                       comment_id: str) -> Response:
        rec, comment = self._editable_comment(req, owner, repo, comment_id)
        data = req.json()
        body = data.get("body") if isinstance(data, dict) else None
        if body is None or body == "":
            raise validation_failed("IssueComment", "body", "missing_field")
        self._check_body("IssueComment", body)
        with self.gh.lock:
            comment.body = body
            comment.updated_at = now()
        return Response(200, self.shapes.comment(rec, comment))

    def delete_comment(self, req: Request, owner: str, repo: str,
                       comment_id: str) -> Response:
        rec, comment = self._editable_comment(req, owner, repo, comment_id)
        with self.gh.lock:
            rec.comments.pop(comment.id, None)
        return Response(204, b"", content_type="")

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

    def pull_files(self, req: Request, owner: str, repo: str, pull_number: str) -> Response:
        rec = self._repo(req, owner, repo)
        issue = self._pull(rec, pull_number)
        assert issue.pull is not None
        files = self.gh.git.diff(rec.path, issue.pull.base_sha, issue.pull.head_sha)
        chunk, headers = self._paginate(
            req, files, f"/repositories/{rec.id}/pulls/{issue.number}/files")
        return Response(200, [self.shapes.diff_entry(rec, f, issue.pull.head_sha)
                              for f in chunk], headers)


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise validation_failed("Issue", "since", "invalid") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def error_response(err: FakeError) -> Response:
    body = err.body if err.body is not None else error_body(err.message, err.status)
    return Response(err.status, body, dict(err.headers))
