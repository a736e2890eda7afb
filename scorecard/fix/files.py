"""Fixes that add a missing file: a security policy, a changelog, a contributing guide,
CODEOWNERS, a catalog entry and a Dependabot configuration. Each adds one new file and never
replaces one: when the file is there but the check still fails (an invalid catalog entry), the
fix says why it leaves it alone.

Texts come from ``scorecard/data/templates/`` unless the standard gives its own under
``fix: {templates: {FILE: TEXT}}`` (the organisation's security policy, for example).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import TYPE_CHECKING

import yaml

from scorecard.ecosystems import manifests
from scorecard.fix.model import Edit, FixContext, FixOutcome
from scorecard.snapshot import ReadError, RepoSnapshot
from scorecard.standard import package_data

if TYPE_CHECKING:
    from checks import _catalog, _codeowners
else:
    from scorecard.checks import _catalog, _codeowners


def _template(ctx: FixContext, name: str) -> str:
    return ctx.templates.get(name) or package_data(f"templates/{name}")


def _new_file(snap: RepoSnapshot, path: str, text: str, why: str) -> FixOutcome:
    if snap.has(path):
        return FixOutcome.skip(f"{path} exists (the check fails for another reason)")
    return FixOutcome((Edit(path, None, text, why),))


def security_policy(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    return _new_file(
        snap,
        "SECURITY.md",
        _template(ctx, "SECURITY.md"),
        "a security policy: how to report a vulnerability privately",
    )


def changelog(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    return _new_file(
        snap, "CHANGELOG.md", _template(ctx, "CHANGELOG.md"), "a changelog to record releases in"
    )


def contributing(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    return _new_file(
        snap,
        "CONTRIBUTING.md",
        _template(ctx, "CONTRIBUTING.md"),
        "a contributing guide: how to propose a change",
    )


_GROUP = re.compile(r"^(?:group:)?(?:[a-z0-9_.-]+/)?([A-Za-z0-9_.-]+)$")
_USER = re.compile(r"^user:(?:[a-z0-9_.-]+/)?([A-Za-z0-9-]+)$")


def codeowners(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    """CODEOWNERS with the catalog entry's owner for every file."""
    if any(snap.has(p) for p in _codeowners.LOCATIONS):
        return FixOutcome.skip("a CODEOWNERS file exists")
    owner = _catalog.component_owner(snap)
    if owner is None:
        return FixOutcome.skip(
            "no owner to name: catalog-info.yaml has no Component with spec.owner"
        )
    owner = owner.strip()
    user = _USER.match(owner)
    group = _GROUP.match(owner)
    if owner.startswith("@"):
        who = owner
    elif user:
        who = f"@{user.group(1)}"
    elif group and ctx.org:
        who = f"@{ctx.org}/{group.group(1)}"
    else:
        return FixOutcome.skip(
            f"the catalog's owner {owner!r} is a team: pass --org ORG to name it @ORG/TEAM"
        )
    text = (
        f"# Who reviews changes: the owner from catalog-info.yaml (repo-scorecard fix).\n* {who}\n"
    )
    return _new_file(snap, ".github/CODEOWNERS", text, f"every file owned by {who}")


_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def catalog_info(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    """A catalog entry from what is known: the folder's name, the owner of CODEOWNERS."""
    if _catalog.catalog_path(snap) is not None:
        return FixOutcome.skip(
            "catalog-info.yaml exists but is not valid: fix the problems the check lists "
            "(an entry is not rewritten)"
        )
    base = (snap.meta.name or snap.label).rsplit("/", 1)[-1]
    name = _NAME.sub("-", posixpath.basename(base.rstrip("/")) or "component").strip("-._")[:63]
    owner = _first_codeowner(snap)
    if owner is None:  # a made-up owner would pass owner-defined: say who owns it instead
        return FixOutcome.skip(
            "no owner known to put in spec.owner: add CODEOWNERS first (the entry then names "
            "its first owner), or write catalog-info.yaml by hand"
        )
    entity = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {"name": name or "component", "description": "TODO: one line about it"},
        "spec": {"type": "service", "lifecycle": "experimental", "owner": owner},
    }
    text = (
        "# A Backstage catalog entry (repo-scorecard fix): check type, lifecycle and owner.\n"
        + yaml.safe_dump(entity, sort_keys=False)
    )
    return FixOutcome((Edit("catalog-info.yaml", None, text, f"a catalog entry for {name}"),))


def _first_codeowner(snap: RepoSnapshot) -> str | None:
    for path in _codeowners.LOCATIONS:
        if not snap.has(path):
            continue
        try:
            text = snap.read_text(path)
        except ReadError:
            return None
        for line in text.splitlines():
            parts = line.split("#", 1)[0].split()
            owners = [p for p in parts[1:] if p.startswith("@")]
            if owners:
                team = owners[0].lstrip("@")
                return f"group:{team.split('/', 1)[1]}" if "/" in team else f"user:{team}"
    return None


#: Dependabot's package-ecosystem names, by the ecosystem scorecard.ecosystems detects.
DEPENDABOT = {
    "python": "pip",
    "node": "npm",
    "go": "gomod",
    "rust": "cargo",
    "ruby": "bundler",
    "dotnet": "nuget",
    "php": "composer",
    "docker": "docker",
    "terraform": "terraform",
}


def _dependabot_ecosystem(path: str, eco: str) -> str | None:
    if eco == "java":
        return "maven" if path.endswith("pom.xml") else "gradle"
    return DEPENDABOT.get(eco)


def dependabot(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    """``.github/dependabot.yml``: one entry per ecosystem and manifest directory, and GitHub
    Actions when there are workflows; weekly."""
    dirs: dict[str, set[str]] = defaultdict(set)
    for path, eco in manifests(snap.files):
        name = _dependabot_ecosystem(path, eco)
        if name is not None:
            dirs[name].add("/" + posixpath.dirname(path))
    if any(p.startswith(".github/workflows/") for p in snap.files):
        dirs["github-actions"].add("/")
    if not dirs:
        return FixOutcome.skip("no manifest Dependabot knows (and no workflows)")
    updates = [
        {
            "package-ecosystem": eco,
            "directory": d.rstrip("/") or "/",
            "schedule": {"interval": "weekly"},
        }
        for eco in sorted(dirs)
        for d in sorted(dirs[eco])
    ]
    text = (
        "# Dependency updates (repo-scorecard fix): one entry per ecosystem and directory.\n"
        + yaml.safe_dump({"version": 2, "updates": updates}, sort_keys=False)
    )
    shown = ", ".join(sorted(dirs))
    return _new_file(snap, ".github/dependabot.yml", text, f"weekly updates for {shown}")
