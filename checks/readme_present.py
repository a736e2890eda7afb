"""README present

Passes when a README (any extension, case-insensitive: `README`, `README.md`, `readme.rst`)
exists in `.github/`, the root, or `docs/`, the places GitHub looks for the README it shows on
the repository's home page, in the order GitHub prefers them. The result names the README found.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

from ._common import any_extension

FOLDERS = (".github", "", "docs")


def find_readme(snap: RepoSnapshot) -> str | None:
    """The README GitHub shows: in the first folder holding one, ``README.md`` first, else the
    first alphabetically."""
    for folder in FOLDERS:
        found = snap.find(folder, lambda n: any_extension(n, ["README"]))
        if found:
            exact = [p for p in found if p.rsplit("/", 1)[-1] == "README.md"]
            return (exact or found)[0]
    return None


@check(
    id="readme-present",
    pillar="docs",
    title="README present",
    remediation="Add a README.md at the root saying what the project is, how to use it and "
    "who owns it.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    path = find_readme(snap)
    if path is None:
        return failed("no README in .github/, the root or docs/")
    return passed(f"README found: {path}", [Location(path)])
