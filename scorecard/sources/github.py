"""A RepoSnapshot of a repository on GitHub (or GitHub Enterprise Server), read through its API.

How it reads, in as few requests as possible:

- **one GraphQL query** for the facts: metadata, the default branch and its commit, the rules
  (rulesets and classic protection) that apply to it, the count of releases, and the
  organisation's ``.github`` repository's community files; in org scans one query answers for
  many repositories (aliases);
- **one archive download** of the commit (``GET /repos/{owner}/{repo}/tarball/{sha}``) for the
  files: content checks such as ``no-private-keys`` need every file, and one archive costs one
  request where per-file reads would cost hundreds. It is never extracted: it is read with
  ``tarfile`` into memory (or one anonymous temporary file when large), links are resolved in
  memory with a checkout's rules, and every file-based check answers exactly as it does
  locally (limits and refusals: :mod:`scorecard.sources.archive`);
- **REST only for what GraphQL lacks**, and only when a check asks: security settings
  (``secret_scanning``), GitHub's own CODEOWNERS errors, code-scanning default setup.

A fact the token may not read is ``Unknown`` with the permission it needs, never a failure.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scorecard.github.client import (
    BadResponse,
    Forbidden,
    GitHubClient,
    GitHubError,
    NotFound,
    SSORequired,
)
from scorecard.github.queries import repos_query
from scorecard.names import COMMUNITY_FILES
from scorecard.snapshot import NotAvailable, Platform, ReadError, RepoMeta, RepoSnapshot, Unknown
from scorecard.sources.archive import (
    ArchiveContent,
    ArchiveError,
    ArchiveSnapshot,
    Limits,
    read_archive,
)

REPO_RE = re.compile(
    r"^(?:https?://[^/]+/)?([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)"
    r"(?:\.git)?/?$"
)

ADMIN_READ = (
    "needs a token with administration: read on the repository (a GitHub App with "
    "that permission, or a personal token of a repository admin)"
)


def parse_repo(target: str) -> tuple[str, str] | None:
    """``OWNER/REPO`` (or a GitHub URL of one) -> ``(owner, repo)``; None otherwise."""
    m = REPO_RE.match(target.strip())
    return (m.group(1), m.group(2)) if m else None


class RepoNotFound(GitHubError):
    pass


@dataclass
class RepoFacts:
    """What the GraphQL query said about one repository."""

    owner: str
    name: str
    node: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def field_error(self, *path: str) -> dict[str, Any] | None:
        for err in self.errors:
            p = [str(x) for x in (err.get("path") or [])][1:]
            if p[: len(path)] == list(path):
                return err
        return None

    @property
    def default_branch(self) -> str | None:
        ref = self.node.get("defaultBranchRef") or {}
        return ref.get("name")

    @property
    def head_oid(self) -> str | None:
        ref = self.node.get("defaultBranchRef") or {}
        return (ref.get("target") or {}).get("oid")

    def tarball_url(self, sha: str | None) -> str | None:
        """GitHub's download link for the archive of ``sha``, when the query returned it."""
        for target in (
            (self.node.get("defaultBranchRef") or {}).get("target"),
            self.node.get("at"),
        ):
            if target and sha and target.get("oid") == sha and target.get("tarballUrl"):
                return str(target["tarballUrl"])
        return None

    def meta(self) -> RepoMeta:
        topics = tuple(
            n["topic"]["name"]
            for n in ((self.node.get("repositoryTopics") or {}).get("nodes") or [])
            if n and n.get("topic")
        )
        vis = self.node.get("visibility")
        return RepoMeta(
            name=self.node.get("name") or self.name,
            default_branch=self.default_branch,
            visibility=vis.lower() if isinstance(vis, str) else None,
            topics=topics,
            archived=self.node.get("isArchived"),
            fork=self.node.get("isFork"),
            owner=(self.node.get("owner") or {}).get("login") or self.owner,
        )


def community_files(data: dict[str, Any] | None) -> dict[str, str]:
    """The ``SECURITY`` and ``CONTRIBUTING`` files of an organisation's ``.github`` repository
    (root, ``.github/``, ``docs/``, in GitHub's order), by kind."""
    found: dict[str, str] = {}
    if not isinstance(data, dict):
        return found
    for alias, folder in (("dotgithub", ".github/"), ("root", ""), ("docs", "docs/")):
        tree = data.get(alias) or {}
        for entry in sorted(tree.get("entries") or [], key=lambda e: e.get("name", "")):
            if entry.get("type") != "blob":
                continue
            name = str(entry.get("name", ""))
            for kind, matches in COMMUNITY_FILES.items():  # the checks' own name rules
                if kind not in found and matches(name):
                    found[kind] = folder + name
    return found


@dataclass(frozen=True)
class OwnerDirectory:
    """An organisation's teams and members, read once per org scan, so that CODEOWNERS owners
    are checked without one request per repository; an owner not found here (another
    organisation's team, an outside collaborator) is left to GitHub's own answer."""

    org: str
    teams: frozenset[str]
    members: frozenset[str]

    def all_known(self, codeowners: str) -> bool:
        for raw in codeowners.splitlines():
            line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("\\#") else raw
            parts = line.split()
            for owner in parts[1:]:
                if not owner.startswith("@"):
                    continue  # e-mail addresses: GitHub's answer is not needed for them
                name = owner[1:].lower()
                if "/" in name:
                    org, _, team = name.partition("/")
                    if org != self.org.lower() or team not in self.teams:
                        return False
                elif name not in self.members:
                    return False
        return True


def owner_directory(client: GitHubClient, org: str) -> OwnerDirectory | None:
    """The organisation's teams and members, or None when the token may not list them."""
    try:
        teams = frozenset(str(t["slug"]).lower() for t in client.paginate(f"/orgs/{org}/teams"))
        members = frozenset(
            str(m["login"]).lower() for m in client.paginate(f"/orgs/{org}/members")
        )
    except GitHubError:
        return None
    return OwnerDirectory(org, teams, members)


CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


def _code_scanning_forbidden(exc: Forbidden) -> Unknown | NotAvailable:
    """GitHub answers 403 to a code-scanning request for two reasons, told apart by the body:
    the feature is not available on the repository (its documented ``code_scanning_forbidden_read``
    answer, "Advanced Security must be enabled for this repository to use code scanning.", which
    even an admin token gets), or the token lacks the permission ("Resource not accessible by
    integration", "Must have admin rights to Repository.")."""
    message = str((exc.data or {}).get("message") or "") if isinstance(exc.data, dict) else ""
    lowered = message.lower()
    if (
        "advanced security" in lowered
        or "code scanning is not enabled" in lowered
        or "not available" in lowered
    ):
        return NotAvailable(f"code scanning is not available on this repository ({message})")
    return Unknown("default setup can only be seen through the API with administration: read")


class GitHubPlatform(Platform):
    """Platform facts from the GraphQL facts, and REST calls made only when a check asks."""

    def __init__(
        self,
        client: GitHubClient,
        facts: RepoFacts,
        commit: str | None,
        community: dict[str, str] | Unknown,
        rest_repo: dict[str, Any] | None = None,
        directory: OwnerDirectory | None = None,
    ) -> None:
        self.client, self.facts, self.commit = client, facts, commit
        self.community = community
        self._rest_repo = rest_repo
        self.directory = directory
        self.snapshot: Any = None  # set once the files are read
        self._memo: dict[str, Any] = {}
        self._asked: set[str] = set()

    def _once(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    @property
    def _path(self) -> str:
        return f"/repos/{self.facts.owner}/{self.facts.name}"

    def branch_protection(self, min_approvals: int) -> dict[str, Any] | Unknown:
        ref = self.facts.node.get("defaultBranchRef")
        if ref is None:
            return {
                "protected": False,
                "approvals": 0,
                "requires_pull_request": False,
                "source": None,
            }
        if self.facts.field_error("defaultBranchRef", "rules") or self.facts.field_error(
            "defaultBranchRef", "refUpdateRule"
        ):
            return Unknown(
                "the token may not read the default branch's rules; it "
                "needs contents: read and metadata: read"
            )
        rules = [n for n in ((ref.get("rules") or {}).get("nodes") or []) if n]
        pr_counts = [
            int((n.get("parameters") or {}).get("requiredApprovingReviewCount") or 0)
            for n in rules
            if n.get("type") == "PULL_REQUEST"
        ]
        classic = ref.get("refUpdateRule")
        classic_count = classic.get("requiredApprovingReviewCount") if classic else None
        approvals = max(
            pr_counts + ([int(classic_count)] if classic_count is not None else []), default=0
        )
        source = "ruleset" if rules else ("classic" if classic else None)
        return {
            "protected": bool(rules) or classic is not None,
            "approvals": approvals,
            "requires_pull_request": bool(pr_counts) or classic_count is not None,
            "source": source,
        }

    def _repo_json(self) -> dict[str, Any] | None:
        if self._rest_repo is not None:
            return self._rest_repo

        def fetch() -> dict[str, Any] | None:
            try:
                data = self.client.get(self._path)
                return data if isinstance(data, dict) else None
            except (Forbidden, NotFound):
                return None

        result: dict[str, Any] | None = self._once("repo", fetch)
        return result

    def secret_scanning(self) -> str | Unknown:
        repo = self._repo_json() or {}
        status = ((repo.get("security_and_analysis") or {}).get("secret_scanning") or {}).get(
            "status"
        )
        if status is None:
            return Unknown(
                "the secret scanning setting is hidden from this token: it " + ADMIN_READ
            )
        return str(status)

    def asked(self, setting: str) -> bool:
        """Whether a check has read ``setting`` (``default-setup``) of this repository."""
        return setting in self._asked

    def code_scanning_default_setup(self) -> bool | Unknown | NotAvailable:
        self._asked.add("default-setup")
        perms = (self._rest_repo or {}).get("permissions")
        if isinstance(perms, dict) and perms.get("admin") is False:  # it would answer 403
            return Unknown(
                "default setup can only be seen through the API with administration: read"
            )

        def fetch() -> bool | Unknown | NotAvailable:
            try:
                data = self.client.get(f"{self._path}/code-scanning/default-setup")
            except Forbidden as exc:
                return _code_scanning_forbidden(exc)
            except NotFound:
                return Unknown(
                    "default setup can only be seen through the API with administration: read"
                )
            return isinstance(data, dict) and data.get("state") == "configured"

        result: bool | Unknown | NotAvailable = self._once("default-setup", fetch)
        return result

    def codeowners_errors(self) -> list[dict[str, Any]] | Unknown:
        if self.directory is not None and self.snapshot is not None:
            path = next((p for p in CODEOWNERS_PATHS if self.snapshot.has(p)), None)
            try:
                text = self.snapshot.read_text(path) if path else ""
            except ReadError:
                text = None
            if text is not None and self.directory.all_known(text):
                return []  # every owner is a known team or member: no request needed

        def fetch() -> list[dict[str, Any]] | Unknown:
            params: dict[str, Any] = {"ref": self.commit} if self.commit else {}
            try:
                data = self.client.rest("GET", f"{self._path}/codeowners/errors", params or None)[1]
            except NotFound:
                return []
            except Forbidden:
                return Unknown("GitHub's CODEOWNERS validation is hidden from this token")
            return list((data or {}).get("errors") or [])

        result: list[dict[str, Any]] | Unknown = self._once("codeowners", fetch)
        return result

    def org_community_file(self, kind: str) -> str | Unknown | None:
        if isinstance(self.community, Unknown):
            return self.community
        path = self.community.get(kind)
        return f"{self.facts.owner}/.github:{path}" if path else None

    def releases_count(self) -> int | Unknown:
        releases = self.facts.node.get("releases")
        if releases is None:
            return Unknown("the token may not list the repository's releases")
        return int(releases.get("totalCount") or 0)


def fetch_facts(
    client: GitHubClient,
    repos: list[tuple[str, str]],
    *,
    org_community: str | None = None,
    ref: str | None = None,
) -> tuple[list[RepoFacts | GitHubError], dict[str, str] | Unknown]:
    """One GraphQL query for ``repos``: facts (or the error) for each, and the community files
    of ``org_community``'s ``.github`` repository."""
    result = client.graphql(
        repos_query(repos, org_community=org_community, ref=ref),
        what=f"GraphQL query for {len(repos)} repositor{'y' if len(repos) == 1 else 'ies'}",
    )
    out: list[RepoFacts | GitHubError] = []
    for i, (owner, name) in enumerate(repos):
        alias = f"r{i}"
        node = result.data.get(alias)
        errors = [e for e in result.errors if (e.get("path") or [None])[0] == alias]
        if node is not None and not isinstance(node, dict):
            out.append(BadResponse(f"{owner}/{name}: the GraphQL answer for it was not an object"))
            continue
        if node is None:
            err = errors[0] if errors else {}
            message = str(err.get("message") or "not found")
            if err.get("type") in (None, "NOT_FOUND"):
                out.append(
                    RepoNotFound(
                        f"repository {owner}/{name} not found, or the token cannot see it", 404
                    )
                )
            elif "SAML" in message or "single sign-on" in message.lower():
                out.append(
                    SSORequired(
                        f"{owner}/{name}: the organisation {owner} requires SAML "
                        "single sign-on: authorise the token for it "
                        f"(GitHub says: {message})",
                        403,
                    )
                )
            else:
                out.append(GitHubError(f"{owner}/{name}: {message}"))
            continue
        out.append(RepoFacts(owner, name, node, errors))
    community: dict[str, str] | Unknown = {}
    if org_community is not None:
        community = community_files(result.data.get("community"))
    return out, community


def snapshot_from_facts(
    client: GitHubClient,
    facts: RepoFacts,
    *,
    community: dict[str, str] | Unknown,
    sha: str | None,
    label: str | None = None,
    rest_repo: dict[str, Any] | None = None,
    workdir: str | None = None,
    directory: OwnerDirectory | None = None,
    platform: GitHubPlatform | None = None,
) -> RepoSnapshot:
    """The files of commit ``sha`` (one archive download), read by
    :func:`scorecard.sources.archive.read_archive`: never extracted, held in memory or, when
    large, in one anonymous temporary file in ``workdir``; ``close()`` the snapshot when done.
    ``platform`` (built from the same arguments) passes on what it already asked GitHub.
    An archive that is broken or over a limit raises :class:`GitHubError` ("archive of
    OWNER/REPO: ...")."""
    if platform is None:
        platform = GitHubPlatform(client, facts, sha, community, rest_repo, directory)
    try:
        limits = Limits.from_env()
        content = (
            ArchiveContent([], {}, io.BytesIO())
            if sha is None
            else _archive_content(client, facts, sha, limits, workdir)
        )
    except ArchiveError as exc:
        raise GitHubError(f"archive of {facts.full_name}: {exc}") from None
    snap = ArchiveSnapshot(
        label=label or facts.full_name,
        files=content.files,
        meta=facts.meta(),
        commit=sha,
        platform=platform,
        warnings=[],
        is_remote=True,
    )
    snap.content = content
    platform.snapshot = snap
    return snap


def _archive_content(
    client: GitHubClient, facts: RepoFacts, sha: str, limits: Limits, workdir: str | None
) -> ArchiveContent:
    with tempfile.SpooledTemporaryFile(max_size=32 << 20, dir=workdir) as archive:
        download_archive(client, facts, sha, archive, limits.max_bytes)
        archive.seek(0)
        return read_archive(archive, limits=limits, workdir=workdir)


def download_archive(
    client: GitHubClient, facts: RepoFacts, sha: str, dest: Any, max_bytes: int
) -> None:
    """The archive of ``sha`` (at most ``max_bytes``) into ``dest``: from the link the GraphQL
    query gave (one request to the download host), else through
    ``GET /repos/{owner}/{repo}/tarball/{sha}`` (a REST request, then its redirect). A link
    that fails (a private repository's expires after five minutes; a server may refuse it)
    falls back to REST; after a first link that fails, with none working before it, this
    client stops trying links."""
    rest = f"/repos/{facts.owner}/{facts.name}/tarball/{sha}"
    link = facts.tarball_url(sha)
    if link is not None and client.links_work is not False:
        try:
            client.download(
                rest,
                dest,
                max_bytes,
                link=link,
                what=f"download of the archive of {facts.full_name} at {sha[:12]}",
            )
        except GitHubError as exc:
            if exc.status not in (401, 403, 404, 410):
                raise
            if client.links_work is None:
                client.links_work = False
        else:
            client.links_work = True
            return
    client.download(rest, dest, max_bytes)


def open_github(
    client: GitHubClient, target: str, *, ref: str | None = None, workdir: str | None = None
) -> RepoSnapshot:
    """A snapshot of ``OWNER/REPO`` at ``ref`` (default: the default branch's head).
    Raises GitHubError (RepoNotFound, BadCredentials, SSORequired, RateLimited...)."""
    parsed = parse_repo(target)
    if parsed is None:
        raise GitHubError(f"{target!r} is not OWNER/REPO")
    owner, name = parsed
    results, community = fetch_facts(client, [(owner, name)], org_community=owner, ref=ref)
    facts = results[0]
    if isinstance(facts, GitHubError):
        raise facts
    sha = facts.head_oid
    if ref is not None:
        at = facts.node.get("at")
        if not at or not at.get("oid"):
            raise GitHubError(f"{owner}/{name}: no commit, branch or tag {ref!r}")
        sha = at["oid"]
    return snapshot_from_facts(client, facts, community=community, sha=sha, label=f"{owner}/{name}")
