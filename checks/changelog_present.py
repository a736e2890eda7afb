"""Changelog present

Passes when a `CHANGELOG`, `CHANGES`, `HISTORY`, `NEWS` or `RELEASES` file, with no extension
or a text one (`.md`, `.markdown`, `.rst`, `.txt`, `.adoc`; case-insensitive: `CHANGELOG.md`,
`History.rst`, `NEWS`), exists at the root, in `docs/`, `doc/` or `.github/`; the result names
the first found, in that order.

With API access, published GitHub releases count too: a repository without a changelog file
passes when it has at least one, and the result gives their number. Fails otherwise. In local
mode releases cannot be seen, so a repository without a changelog file fails, and the message
says so.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot, Unknown

from ._common import find_in, with_extensions

NAMES = ("CHANGELOG", "CHANGES", "HISTORY", "NEWS", "RELEASES")
EXTENSIONS = (".md", ".markdown", ".rst", ".txt", ".adoc")
FOLDERS = ("", "docs", "doc", ".github")
MISSING = (
    "no CHANGELOG, CHANGES, HISTORY, NEWS or RELEASES file at the root, in docs/, doc/ or .github/"
)


def find_changelog(snap: RepoSnapshot) -> str | None:
    found = find_in(snap, FOLDERS, lambda n: with_extensions(n, NAMES, EXTENSIONS))
    return found[0] if found else None


@check(
    id="changelog-present",
    pillar="docs",
    title="Changelog present",
    remediation="Add a CHANGELOG.md at the root listing the notable changes of each version "
    "(https://keepachangelog.com), or publish GitHub releases with release notes.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    path = find_changelog(snap)
    if path is not None:
        return passed(f"{path} found", [Location(path)], path=path)
    releases = snap.platform.releases_count()
    if isinstance(releases, Unknown):
        return failed(f"{MISSING} (published GitHub releases are only seen through the API)")
    if releases > 0:
        noun = "release" if releases == 1 else "releases"
        return passed(f"{releases} published GitHub {noun}", releases=releases)
    return failed(f"{MISSING}, and no published GitHub releases", releases=0)
