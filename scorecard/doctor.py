"""``repo-scorecard doctor``: what a token is, what it can see, and which checks it leaves
``unknown``, before a run depends on it.

For a repository (``doctor OWNER/REPO``) it asks GitHub the same questions a run asks (one
GraphQL query for the facts, then each REST fact a check may need), so that what it predicts is
what a run finds; it downloads no archive. For an organisation (``doctor --org ORG``) it lists
the repositories the token sees, reads the organisation's ``.github`` repository and its teams.
Every answer names the fine-grained permission that would change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from scorecard.github.client import Forbidden, GitHubClient, GitHubError, NotFound
from scorecard.snapshot import NotAvailable, Unknown
from scorecard.sources.github import (
    GitHubPlatform,
    RepoFacts,
    fetch_facts,
    owner_directory,
)

#: Every run needs these (fine-grained names).
BASE_PERMISSIONS = ("metadata: read", "contents: read")


@dataclass(frozen=True)
class Probe:
    """One platform fact, the checks that read it, and the permission it needs."""

    fact: str
    checks: tuple[str, ...]
    permission: str
    ask: Callable[[GitHubPlatform], Any]


PROBES = (
    Probe(
        "branch rules", ("branch-protected",), "metadata: read", lambda p: p.branch_protection(1)
    ),
    Probe(
        "secret scanning setting",
        ("secret-scanning-enabled",),
        "administration: read",
        lambda p: p.secret_scanning(),
    ),
    Probe(
        "code scanning default setup",
        ("code-scanning-configured",),
        "administration: read",
        lambda p: p.code_scanning_default_setup(),
    ),
    Probe(
        "GitHub's CODEOWNERS validation",
        ("codeowners-valid",),
        "contents: read",
        lambda p: p.codeowners_errors(),
    ),
    Probe(
        "the organisation's .github files",
        ("security-policy-present", "contributing-present"),
        "contents: read on the organisation's .github repository",
        lambda p: p.org_community_file("SECURITY"),
    ),
    Probe("releases", ("changelog-present",), "contents: read", lambda p: p.releases_count()),
)


@dataclass(frozen=True)
class Line:
    """One finding: ``ok`` True (fine), False (a gap), None (information)."""

    ok: bool | None
    topic: str
    text: str


@dataclass
class Diagnosis:
    lines: list[Line]
    unknown_checks: list[str]
    permissions: list[str]
    reachable: bool = True

    def add(self, ok: bool | None, topic: str, text: str) -> None:
        self.lines.append(Line(ok, topic, text))


def _who(client: GitHubClient, diag: Diagnosis) -> None:
    """The user behind the token, and a classic token's scopes (GitHub sends them in
    ``X-OAuth-Scopes``; fine-grained and installation tokens have none)."""
    try:
        headers, data = client.rest("GET", "/user")
    except Forbidden:
        diag.add(None, "user", "none: an installation token acts as the app, not as a user")
        return
    except NotFound:
        diag.add(None, "user", "none")
        return
    login = data.get("login") if isinstance(data, dict) else None
    diag.add(None, "user", str(login or "unknown"))
    scopes = headers.get("x-oauth-scopes")
    if scopes is not None:
        diag.add(None, "scopes", scopes or "(none)")
    remaining, limit = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-limit")
    if remaining and limit:
        diag.add(None, "rate limit", f"{remaining} of {limit} REST requests left this hour")


def _status(answer: Any) -> tuple[bool, str]:
    if isinstance(answer, NotAvailable):
        return True, f"not available on this repository ({answer.reason})"
    if isinstance(answer, Unknown):
        return False, answer.reason
    return True, "readable"


def diagnose_repo(client: GitHubClient, owner: str, name: str) -> Diagnosis:
    diag = Diagnosis([], [], list(BASE_PERMISSIONS))
    _who(client, diag)
    found, community = fetch_facts(client, [(owner, name)], org_community=owner)
    facts = found[0]
    if not isinstance(facts, RepoFacts):
        diag.reachable = False
        diag.add(False, "repository", f"{owner}/{name}: {facts}")
        return diag
    meta = facts.meta()
    diag.add(
        True,
        "repository",
        f"{owner}/{name} ({meta.visibility or 'visibility unknown'}"
        f", default branch {facts.default_branch or 'none'})",
    )
    try:
        rest_repo = client.get(f"/repos/{owner}/{name}")
    except GitHubError:
        rest_repo = None
    permissions = (rest_repo or {}).get("permissions") if isinstance(rest_repo, dict) else None
    if isinstance(permissions, dict):
        held = [k for k in ("admin", "maintain", "push", "triage", "pull") if permissions.get(k)]
        diag.add(None, "role", held[0] if held else "none")
    platform = GitHubPlatform(
        client, facts, facts.head_oid, community, rest_repo if isinstance(rest_repo, dict) else None
    )
    for probe in PROBES:
        try:
            ok, said = _status(probe.ask(platform))
        except GitHubError as exc:
            ok, said = False, str(exc)
        diag.add(ok, probe.fact, f"{said} [{', '.join(probe.checks)}]")
        if not ok:
            diag.unknown_checks.extend(c for c in probe.checks if c not in diag.unknown_checks)
        if probe.permission not in diag.permissions:
            diag.permissions.append(probe.permission)
    return diag


def diagnose_org(client: GitHubClient, org: str) -> Diagnosis:
    diag = Diagnosis([], [], list(BASE_PERMISSIONS))
    _who(client, diag)
    try:
        repos = list(
            client.paginate(
                f"/orgs/{org}/repos", {"per_page": 100, "type": "all", "sort": "full_name"}
            )
        )
    except NotFound:
        diag.reachable = False
        diag.add(False, "organisation", f"{org}: not found, or the token cannot see it")
        return diag
    private = sum(1 for r in repos if r.get("private"))
    diag.add(
        True,
        "repositories",
        f"{len(repos)} visible ({private} private, "
        f"{sum(1 for r in repos if r.get('archived'))} archived)",
    )
    if repos and not private:
        diag.add(
            None,
            "private",
            "no private repository is visible: if the organisation has "
            "some, the token is not granted them",
        )
    _, community = fetch_facts(client, [], org_community=org)
    if isinstance(community, Unknown):
        diag.add(False, ".github repository", community.reason)
    else:
        diag.add(
            True,
            ".github repository",
            "readable"
            + (f" ({', '.join(sorted(community))})" if community else " (no community files)"),
        )
    directory = owner_directory(client, org)
    if directory is None:
        diag.add(
            False,
            "teams",
            "the token may not list the organisation's teams and members: "
            "the report cannot check owners against them (members: read)",
        )
        diag.permissions.append("members: read (organisation)")
    else:
        diag.add(True, "teams", "readable")
    diag.add(
        None,
        "per repository",
        f"`doctor {org}/REPO` shows which checks a repository's facts leave unknown",
    )
    return diag


def render(target: str, kind: str, diag: Diagnosis, out: TextIO) -> None:
    marks = {True: "ok", False: "!!", None: "  "}
    print(f"repo-scorecard doctor: {target}", file=out)
    print(f"   token: {kind}", file=out)
    for line in diag.lines:
        print(f"{marks[line.ok]} {line.topic}: {line.text}", file=out)
    if diag.unknown_checks:
        print(f"\nunknown with this token: {', '.join(diag.unknown_checks)}", file=out)
    else:
        print(
            "\nno check will be unknown for want of a permission" if diag.reachable else "",
            file=out,
        )
    print(
        "minimum fine-grained permissions for every check: "
        f"{'; '.join(diag.permissions)} (repository permissions unless marked)",
        file=out,
    )
    print(
        "the pull-request Action also needs pull requests: write (the comment); the org "
        "report, issues: write on the dashboard's repository",
        file=out,
    )


def run(client: GitHubClient, target: str | None, org: str | None, out: TextIO) -> int:
    """Print the diagnosis; 0 when a run would see everything, 1 when some check would be
    unknown or the target cannot be seen."""
    kind = client.credentials()
    if org is not None:
        diag = diagnose_org(client, org)
        label = f"organisation {org}"
    else:
        assert target is not None
        owner, _, name = target.partition("/")
        diag = diagnose_repo(client, owner, name)
        label = target
    render(label, kind, diag, out)
    return (
        0
        if diag.reachable
        and not diag.unknown_checks
        and all(line.ok is not False for line in diag.lines)
        else 1
    )
