"""The fake's world: users, organisations, teams, repositories (backed by real git checkouts),
issues, pull requests, comments, tokens, and who may see or change what."""

from __future__ import annotations

import base64
import fnmatch
import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from . import codeowners as _codeowners
from .gitstore import GitPool

TOKEN_KINDS = ("admin", "read", "workflow", "fork", "installation")
ADMIN, READ, WORKFLOW, FORK, INSTALLATION = TOKEN_KINDS
PERSONAL_KINDS = (ADMIN, READ)
INTEGRATION_KINDS = (WORKFLOW, FORK, INSTALLATION)

INTEGRATION_DENIED = "Resource not accessible by integration"
ADMIN_REQUIRED = "Must have admin rights to Repository."
#: GitHub's answer (403, its documented ``code_scanning_forbidden_read``) to a code-scanning
#: request on a repository without GitHub Advanced Security, whatever the token.
GHAS_REQUIRED = "Advanced Security must be enabled for this repository to use code scanning."
ARCHIVED = "Repository was archived so is read-only."
SSO_MESSAGE = (
    "Resource protected by organization SAML enforcement. You must grant your "
    "Personal Access token access to this organization."
)
GITHUB_ACTIONS_BOT = ("github-actions[bot]", 41898282)
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def node_id(type_name: str, ident: int) -> str:
    """GitHub's legacy global node id: base64 of "0<len>:<Type><id>"."""
    raw = f"0{len(type_name):02d}:{type_name}{ident}"
    return base64.b64encode(raw.encode()).decode()


class FakeError(Exception):
    """An answer GitHub would give instead of the resource: status, message, headers."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.body = body


# --------------------------------------------------------------------------------------------
# records


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # User, Organization, Bot
    name: str | None = None
    email: str | None = None
    site_admin: bool = False
    created_at: datetime = EPOCH

    @property
    def node_type(self) -> str:
        return {"Organization": "Organization", "Bot": "Bot"}.get(self.type, "User")


@dataclass
class Team:
    org: str
    slug: str
    id: int
    name: str
    members: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass
class Org(User):
    sso_required: bool = False
    description: str | None = None
    members: list[str] | None = None  # None: every user of the fake is a member
    teams: dict[str, Team] = field(default_factory=dict)
    rulesets: list[Ruleset] = field(default_factory=list)


@dataclass
class Ruleset:
    id: int
    name: str
    source_type: str  # Repository | Organization
    source: str  # "acme/widgets" or "acme"
    target: str = "branch"
    enforcement: str = "active"
    conditions: dict[str, Any] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Issue:
    number: int
    id: int
    title: str
    user: str
    body: str | None = None
    state: str = "open"
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    closed_at: datetime | None = None
    pull: Pull | None = None


@dataclass
class Pull:
    number: int
    id: int
    head_sha: str
    base_sha: str
    head_ref: str
    base_ref: str
    from_fork: bool = False
    fork_owner: str = "contributor"
    draft: bool = False
    merged: bool = False


@dataclass
class Repo:
    owner: str
    name: str
    path: Path
    id: int
    default_branch: str = "main"
    archived: bool = False
    fork: bool = False
    visibility: str = "public"
    topics: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)  # tag names
    secret_scanning: str | None = None
    secret_scanning_push_protection: str | None = None
    dependabot_security_updates: str | None = None
    rulesets: list[Ruleset] = field(default_factory=list)
    protections: dict[str, dict[str, Any]] = field(default_factory=dict)
    codeowners_errors: list[dict[str, Any]] | None = None
    #: "configured", "not-configured", or "unavailable" (no GitHub Advanced Security: a 403)
    code_scanning_default_setup: str = "not-configured"
    code_scanning_languages: list[str] = field(default_factory=lambda: ["python"])
    description: str | None = None
    homepage: str | None = None
    language: str | None = None
    license: dict[str, Any] | None = None
    is_template: bool = False
    has_issues: bool = True
    has_wiki: bool = True
    has_projects: bool = True
    has_discussions: bool = False
    stargazers: int = 0
    forks_count: int = 0
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH
    custom_properties: dict[str, Any] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def private(self) -> bool:
        return self.visibility != "public"

    @property
    def classic_protection(self) -> dict[str, Any] | None:
        return self.protections.get(self.default_branch)

    @classic_protection.setter
    def classic_protection(self, value: dict[str, Any] | None) -> None:
        if value is None:
            self.protections.pop(self.default_branch, None)
        else:
            self.protections[self.default_branch] = dict(value)

    def next_number(self) -> int:
        return max(self.issues, default=0) + 1


@dataclass
class Token:
    value: str
    kind: str
    login: str
    repo: str | None = None  # workflow/fork: the one repository (owner/name)
    org: str | None = None  # installation: the organisation it is installed on
    permissions: dict[str, str] = field(default_factory=dict)  # installation: app permissions
    sso_authorized: set[str] = field(default_factory=set)
    id: int = 0

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    @property
    def integration(self) -> bool:
        return self.kind in INTEGRATION_KINDS


# --------------------------------------------------------------------------------------------
# rules


def _glob(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def ref_matches(patterns: Iterable[str], ref: str, default_branch: str) -> bool:
    for pattern in patterns:
        if pattern == "~ALL":
            return True
        if pattern == "~DEFAULT_BRANCH":
            if ref == f"refs/heads/{default_branch}":
                return True
            continue
        if _glob(pattern).match(ref):
            return True
    return False


def name_matches(patterns: Iterable[str], name: str) -> bool:
    return any(p == "~ALL" or fnmatch.fnmatchcase(name, p) for p in patterns)


# --------------------------------------------------------------------------------------------
# the world


class State:
    """Everything the fake knows. Public ``add_*`` methods are the test-facing API."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._ids = itertools.count(1)
        self.users: dict[str, User] = {}  # lower-case login -> User/Org
        self.repos: dict[str, Repo] = {}  # lower-case full name -> Repo
        self.tokens: dict[str, Token] = {}
        # GitHub Apps: app id -> (PEM public key, {installation id: account login})
        self.apps: dict[int, tuple[str, dict[int, str]]] = {}
        self.git = GitPool()
        self.workflow_reads_public = False
        self.api_url = "http://127.0.0.1:0/api/v3"
        self.web_url = "http://127.0.0.1:0"

    def new_id(self) -> int:
        with self.lock:
            return next(self._ids)

    # -- test-facing API -------------------------------------------------------------------
    def add_user(
        self, login: str, type: str = "User", *, name: str | None = None, email: str | None = None
    ) -> User:
        with self.lock:
            existing = self.users.get(login.lower())
            if existing is not None:
                return existing
            user = User(login, self.new_id(), type, name=name, email=email)
            self.users[login.lower()] = user
            return user

    def add_org(
        self,
        login: str,
        sso_required: bool = False,
        *,
        name: str | None = None,
        description: str | None = None,
        members: list[str] | None = None,
    ) -> Org:
        with self.lock:
            existing = self.users.get(login.lower())
            if isinstance(existing, Org):
                existing.sso_required = sso_required
                return existing
            org = Org(
                login,
                self.new_id(),
                "Organization",
                name=name,
                sso_required=sso_required,
                description=description,
                members=members,
            )
            self.users[login.lower()] = org
            return org

    def add_team(
        self, org: str, slug: str, members: Iterable[str] = (), *, name: str | None = None
    ) -> Team:
        with self.lock:
            organisation = self._org(org)
            team = Team(organisation.login, slug, self.new_id(), name or slug, list(members))
            organisation.teams[slug.lower()] = team
            for login in team.members:
                self.add_user(login)
            return team

    def add_org_ruleset(self, org: str, ruleset: Mapping[str, Any]) -> Ruleset:
        """An organisation ruleset; ``conditions`` may carry ``repository_name``
        ({"include": ["~ALL"] or fnmatch patterns, "exclude": [...]}) besides ``ref_name``."""
        with self.lock:
            organisation = self._org(org)
            rs = self._ruleset(ruleset, "Organization", organisation.login)
            organisation.rulesets.append(rs)
            return rs

    def add_repo(
        self,
        full_name: str,
        path: str | Path,
        *,
        default_branch: str = "main",
        archived: bool = False,
        fork: bool = False,
        visibility: str = "public",
        topics: Iterable[str] = (),
        releases: int = 0,
        secret_scanning: str | None = None,
        rulesets: Iterable[Mapping[str, Any]] = (),
        classic_protection: Mapping[str, Any] | None = None,
        codeowners_errors: list[dict[str, Any]] | None = None,
        code_scanning_default_setup: str = "not-configured",
        **metadata: Any,
    ) -> Repo:
        if visibility not in ("public", "private", "internal"):
            raise ValueError(f"visibility must be public, private or internal: {visibility}")
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository must be owner/name: {full_name}")
        with self.lock:
            if full_name.lower() in self.repos:
                raise ValueError(f"repository {full_name} already exists")
            owner_rec = self.users.get(owner.lower()) or self.add_org(owner)
            rid = self.new_id()
            repo = Repo(
                owner_rec.login,
                name,
                Path(path).resolve(),
                rid,
                default_branch=default_branch,
                archived=archived,
                fork=fork,
                visibility=visibility,
                topics=list(topics),
                secret_scanning=secret_scanning,
                codeowners_errors=codeowners_errors,
                code_scanning_default_setup=code_scanning_default_setup,
                created_at=EPOCH + timedelta(minutes=rid),
                updated_at=EPOCH + timedelta(minutes=rid),
                **metadata,
            )
            for spec in rulesets:
                repo.rulesets.append(self._ruleset(spec, "Repository", repo.full_name))
            if classic_protection is not None:
                repo.protections[default_branch] = dict(classic_protection)
            repo.releases = [f"v{i + 1}.0.0" for i in range(releases)]
            self.repos[full_name.lower()] = repo
            return repo

    def add_pull(
        self,
        repo: Repo | str,
        number: int,
        head_sha: str,
        base_sha: str,
        head_ref: str = "feature",
        base_ref: str = "main",
        from_fork: bool = False,
        *,
        title: str | None = None,
        body: str | None = None,
        user: str = "contributor",
        draft: bool = False,
    ) -> Issue:
        with self.lock:
            rec = self.repo(repo)
            self.add_user(user)
            if number in rec.issues:
                raise ValueError(f"#{number} already exists in {rec.full_name}")
            pull = Pull(
                number,
                self.new_id(),
                head_sha,
                base_sha,
                head_ref,
                base_ref,
                from_fork,
                fork_owner=user,
                draft=draft,
            )
            issue = Issue(
                number, self.new_id(), title or f"Pull request {number}", user, body=body, pull=pull
            )
            rec.issues[number] = issue
            return issue

    def add_issue(
        self,
        repo: Repo | str,
        title: str,
        *,
        body: str | None = None,
        user: str = "octocat",
        labels: Iterable[str] = (),
        state: str = "open",
        number: int | None = None,
    ) -> Issue:
        with self.lock:
            rec = self.repo(repo)
            self.add_user(user)
            num = number or rec.next_number()
            issue = Issue(
                num,
                self.new_id(),
                title,
                user,
                body=body,
                state=state,
                labels=[self.ensure_label(rec, lab).name for lab in labels],
            )
            if state == "closed":
                issue.closed_at = now()
                issue.state_reason = "completed"
            rec.issues[num] = issue
            return issue

    def add_comment(
        self, repo: Repo | str, number: int, body: str, *, user: str = "octocat"
    ) -> Comment:
        with self.lock:
            rec = self.repo(repo)
            if number not in rec.issues:
                raise ValueError(f"no issue #{number} in {rec.full_name}")
            if user not in (GITHUB_ACTIONS_BOT[0],):
                self.add_user(user, "Bot" if user.endswith("[bot]") else "User")
            when = now()
            comment = Comment(self.new_id(), number, body, user, when, when)
            rec.comments[comment.id] = comment
            return comment

    def add_token(
        self,
        value: str,
        kind: str,
        login: str | None = None,
        repo: Repo | str | None = None,
        *,
        org: str | None = None,
        permissions: Mapping[str, str] | None = None,
        sso_authorized: Iterable[str] = (),
    ) -> Token:
        if kind not in TOKEN_KINDS:
            raise ValueError(f"token kind must be one of {TOKEN_KINDS}: {kind}")
        repo_name = repo.full_name if isinstance(repo, Repo) else repo
        if kind in (WORKFLOW, FORK) and not repo_name:
            raise ValueError(f"a {kind} token needs repo=")
        with self.lock:
            if kind in (WORKFLOW, FORK):
                login = GITHUB_ACTIONS_BOT[0]
                self._bot(login, GITHUB_ACTIONS_BOT[1])
                perms = {
                    "contents": "read",
                    "metadata": "read",
                    "issues": "read" if kind == FORK else "write",
                    "pull_requests": "read" if kind == FORK else "write",
                }
            elif kind == INSTALLATION:
                login = login or "scorecard-app[bot]"
                self._bot(login, None)
                perms = {
                    "contents": "read",
                    "metadata": "read",
                    "issues": "write",
                    "pull_requests": "write",
                }
            else:
                login = login or "octocat"
                self.add_user(login)
                perms = {}
            perms.update(permissions or {})
            token = Token(
                value,
                kind,
                login,
                repo_name,
                org,
                perms,
                {o.lower() for o in sso_authorized},
                self.new_id(),
            )
            self.tokens[value] = token
            return token

    def add_app(self, app_id: int, public_key_pem: str, installations: Mapping[int, str]) -> None:
        """A GitHub App whose JWTs (signed with the private key of ``public_key_pem``) may
        exchange an installation id for an installation token (kind ``installation``)."""
        with self.lock:
            self.apps[int(app_id)] = (public_key_pem, {int(k): v for k, v in installations.items()})

    def org_members(self, org: Org) -> list[User]:
        with self.lock:
            if org.members is not None:
                return [u for login in org.members if (u := self.users.get(login.lower()))]
            return [u for u in self.users.values() if u.type == "User" and not isinstance(u, Org)]

    def comments_of(self, repo: Repo | str, number: int) -> list[Comment]:
        """The comments of issue or pull request ``number``, oldest first."""
        rec = self.repo(repo)
        with self.lock:
            return sorted(
                (c for c in rec.comments.values() if c.issue_number == number), key=lambda c: c.id
            )

    def issues_of(self, repo: Repo | str, *, pulls: bool = False) -> list[Issue]:
        """The issues (or pull requests) of a repository, by number."""
        rec = self.repo(repo)
        with self.lock:
            return sorted(
                (i for i in rec.issues.values() if (i.pull is not None) == pulls),
                key=lambda i: i.number,
            )

    # -- lookups ---------------------------------------------------------------------------
    def _bot(self, login: str, ident: int | None) -> User:
        existing = self.users.get(login.lower())
        if existing is not None:
            return existing
        user = User(login, ident or self.new_id(), "Bot")
        self.users[login.lower()] = user
        return user

    def _org(self, login: str) -> Org:
        org = self.users.get(login.lower())
        if not isinstance(org, Org):
            org = self.add_org(login)
        return org

    def _ruleset(self, spec: Mapping[str, Any], source_type: str, source: str) -> Ruleset:
        return Ruleset(
            self.new_id(),
            spec["name"],
            source_type,
            source,
            target=spec.get("target", "branch"),
            enforcement=spec.get("enforcement", "active"),
            conditions=dict(spec.get("conditions") or {}),
            rules=[dict(r) for r in spec.get("rules", [])],
        )

    def repo(self, repo: Repo | str) -> Repo:
        if isinstance(repo, Repo):
            return repo
        found = self.repos.get(repo.lower())
        if found is None:
            raise KeyError(repo)
        return found

    def find_repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}".lower())

    def repo_by_id(self, ident: int) -> Repo | None:
        return next((r for r in list(self.repos.values()) if r.id == ident), None)

    def user(self, login: str) -> User | None:
        return self.users.get(login.lower())

    def org(self, login: str) -> Org | None:
        found = self.users.get(login.lower())
        return found if isinstance(found, Org) else None

    def team(self, org: str, slug: str) -> Team | None:
        organisation = self.org(org)
        return organisation.teams.get(slug.lower()) if organisation else None

    def ensure_label(self, repo: Repo, name: str) -> Label:
        key = name.lower()
        if key not in repo.labels:
            repo.labels[key] = Label(self.new_id(), name)
        return repo.labels[key]

    # -- git facts -------------------------------------------------------------------------
    def head_sha(self, repo: Repo) -> str | None:
        return self.git.resolve(repo.path, f"refs/heads/{repo.default_branch}")

    def resolve_ref(self, repo: Repo, ref: str) -> str | None:
        """A branch, tag, full ref or commit id -> commit id (None if unknown)."""
        if not ref or any(c in ref for c in "\n\0") or ref.startswith("-"):
            return None
        if ref == "HEAD":
            return self.head_sha(repo)
        pull = self._pull_ref(repo, ref)
        if pull is not None:
            return pull
        if ref.startswith("refs/"):
            candidates = [ref]
        else:
            candidates = [f"refs/heads/{ref}", f"refs/tags/{ref}"]
            if re.fullmatch(r"[0-9a-f]{4,64}", ref):
                candidates.append(ref)
        for candidate in candidates:
            oid = self.git.resolve(repo.path, candidate)
            if oid:
                return oid
        return None

    def _pull_ref(self, repo: Repo, ref: str) -> str | None:
        """``refs/pull/<n>/head``: the head commit of pull request n (GitHub keeps that ref
        in the base repository, for forks too)."""
        match = re.fullmatch(r"(?:refs/)?pull/(\d+)/head", ref)
        issue = repo.issues.get(int(match.group(1))) if match else None
        return issue.pull.head_sha if issue is not None and issue.pull is not None else None

    def git_expression(self, repo: Repo, expression: str) -> str:
        """GitHub's ``object(expression:)``: ``HEAD`` is the default branch."""
        rev, sep, path = expression.partition(":")
        pull = self._pull_ref(repo, rev)
        if pull is not None:
            rev = pull
        elif rev in ("HEAD", ""):
            rev = f"refs/heads/{repo.default_branch}"
        elif rev.startswith(("HEAD~", "HEAD^")):
            rev = f"refs/heads/{repo.default_branch}{rev[4:]}"
        elif not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", rev) and not rev.startswith("refs/"):
            # branch or tag name, or a short sha
            for candidate in (f"refs/heads/{rev}", f"refs/tags/{rev}"):
                if self.git.info(repo.path, candidate):
                    rev = candidate
                    break
        return f"{rev}{sep}{path}" if sep else rev

    def codeowners_file(self, repo: Repo, sha: str) -> tuple[str, str] | None:
        for location in _codeowners.LOCATIONS:
            obj = self.git.read(repo.path, f"{sha}:{location}")
            if obj is not None and obj.type == "blob" and obj.data is not None:
                return location, obj.data.decode("utf-8", "replace")
        return None

    def codeowners_errors(self, repo: Repo, sha: str) -> list[dict[str, Any]] | None:
        """None when there is no CODEOWNERS file at ``sha``."""
        found = self.codeowners_file(repo, sha)
        if repo.codeowners_errors is not None:
            path = found[0] if found else _codeowners.LOCATIONS[0]
            return [
                {
                    "line": 1,
                    "column": 1,
                    "kind": "Invalid owner",
                    "source": "",
                    "suggestion": None,
                    "message": "",
                    "path": path,
                    **err,
                }
                for err in repo.codeowners_errors
            ]
        if found is None:
            return None
        path, text = found
        emails = {u.email.lower() for u in list(self.users.values()) if u.email}
        return _codeowners.compute_errors(
            text,
            path,
            user_exists=lambda login: (u := self.user(login)) is not None and u.type == "User",
            team_exists=lambda org, slug: self.team(org, slug) is not None,
            email_exists=lambda email: email.lower() in emails,
        )

    def branch_rules(self, repo: Repo, branch: str) -> list[tuple[Ruleset, dict[str, Any]]]:
        """Active rules of rulesets (repository, then organisation) that apply to ``branch``."""
        ref = branch if branch.startswith("refs/") else f"refs/heads/{branch}"
        found: list[tuple[Ruleset, dict[str, Any]]] = []
        org = self.org(repo.owner)
        rulesets = list(repo.rulesets) + (list(org.rulesets) if org else [])
        for rs in rulesets:
            if rs.target != "branch" or rs.enforcement != "active":
                continue
            cond = rs.conditions
            ref_cond = cond.get("ref_name") or {}
            if not ref_matches(ref_cond.get("include", []), ref, repo.default_branch):
                continue
            if ref_matches(ref_cond.get("exclude", []), ref, repo.default_branch):
                continue
            if rs.source_type == "Organization":
                names = cond.get("repository_name")
                if names is not None:
                    if not name_matches(names.get("include", []), repo.name):
                        continue
                    if name_matches(names.get("exclude", []), repo.name):
                        continue
                ids = (cond.get("repository_id") or {}).get("repository_ids")
                if ids is not None and repo.id not in ids:
                    continue
            found.extend((rs, rule) for rule in rs.rules)
        return found

    # -- access ----------------------------------------------------------------------------
    def token(self, value: str | None) -> Token | None:
        return self.tokens.get(value) if value else None

    def is_member(self, token: Token, org: Org) -> bool:
        return org.members is None or token.login.lower() in {m.lower() for m in org.members}

    def can_see(self, token: Token, repo: Repo) -> bool:
        if token.kind in (WORKFLOW, FORK):
            if token.repo and token.repo.lower() == repo.full_name.lower():
                return True
            return self.workflow_reads_public and repo.visibility == "public"
        if token.kind == INSTALLATION:
            return token.org is None or token.org.lower() == repo.owner.lower()
        if repo.visibility == "public":
            return True
        org = self.org(repo.owner)
        if org is not None:
            return self.is_member(token, org)
        return repo.owner.lower() == token.login.lower()

    def sso_blocked(self, token: Token, owner: str) -> bool:
        org = self.org(owner)
        return (
            org is not None
            and org.sso_required
            and token.personal
            and org.login.lower() not in token.sso_authorized
        )

    def sso_error(self, owner: str) -> FakeError:
        org = self.org(owner)
        login = org.login if org else owner
        return FakeError(
            403,
            SSO_MESSAGE,
            {
                "X-GitHub-SSO": f"required; url=https://github.com/orgs/{login}/sso"
                f"?authorization_request=x"
            },
        )

    def own_repo(self, token: Token, repo: Repo) -> bool:
        return bool(token.repo) and token.repo.lower() == repo.full_name.lower()  # type: ignore[union-attr]

    def permissions(self, token: Token, repo: Repo) -> dict[str, bool]:
        if token.kind == ADMIN:
            return dict.fromkeys(("admin", "maintain", "push", "triage", "pull"), True)
        perms = dict.fromkeys(("admin", "maintain", "push", "triage", "pull"), False)
        perms["pull"] = True
        if (token.kind == WORKFLOW and self.own_repo(token, repo)) or (
            token.kind == INSTALLATION and token.permissions.get("contents") == "write"
        ):
            perms["push"] = perms["triage"] = True
        if token.kind == INSTALLATION and token.permissions.get("issues") == "write":
            perms["triage"] = True
        return perms

    def can_read_admin(self, token: Token) -> bool:
        """Branch protection, security settings, code scanning default setup."""
        if token.kind == ADMIN:
            return True
        return token.kind == INSTALLATION and token.permissions.get("administration") in (
            "read",
            "write",
        )

    def admin_denied(self, token: Token) -> FakeError:
        return FakeError(403, INTEGRATION_DENIED if token.integration else ADMIN_REQUIRED)

    def visible_repo(self, token: Token, owner: str, name: str) -> Repo:
        """The repository, or the 403 (SSO) / 404 GitHub answers instead."""
        if self.sso_blocked(token, owner):
            raise self.sso_error(owner)
        repo = self.find_repo(owner, name)
        if repo is None or not self.can_see(token, repo):
            raise FakeError(404, "Not Found")
        return repo

    def check_write(self, token: Token, repo: Repo, permission: str = "issues") -> None:
        """Raise the error GitHub gives to a write the token may not make."""
        if token.kind == FORK:
            raise FakeError(403, INTEGRATION_DENIED)
        if token.kind == WORKFLOW and not self.own_repo(token, repo):
            raise FakeError(403, INTEGRATION_DENIED)
        if token.kind == INSTALLATION and token.permissions.get(permission) != "write":
            raise FakeError(403, INTEGRATION_DENIED)
        if repo.archived:
            raise FakeError(403, ARCHIVED)

    def can_triage(self, token: Token, repo: Repo) -> bool:
        """Labels, assignees, editing others' issues and comments."""
        return self.permissions(token, repo)["triage"]

    def visible_repos(self, token: Token, owner: str) -> list[Repo]:
        with self.lock:
            repos = [r for r in self.repos.values() if r.owner.lower() == owner.lower()]
        return [r for r in repos if self.can_see(token, r)]

    def author_association(self, login: str, repo: Repo) -> str:
        user = self.user(login)
        if user is None or user.type == "Bot":
            return "NONE"
        if login.lower() == repo.owner.lower():
            return "OWNER"
        org = self.org(repo.owner)
        if org is not None and (org.members is None or login in org.members):
            return "MEMBER"
        return "CONTRIBUTOR"
