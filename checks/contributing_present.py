"""Contributing guide present

Passes when a `CONTRIBUTING` file (any extension, case-insensitive: `CONTRIBUTING.md`,
`contributing.rst`; not `CONTRIBUTING-old.md`) exists in `.github/`, the root or `docs/`, the
places GitHub looks for it; the result names the one GitHub links to (`.github/` first, then the
root, then `docs/`).

With API access, a `CONTRIBUTING` file in the organisation's `.github` repository counts too, as
GitHub shows it on every repository of the organisation that has none of its own; the result
says that it is inherited. Fails when there is none. In local mode the organisation's copy cannot
be seen, so a repository without its own file fails, and the message says so.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.names import COMMUNITY_FILES
from scorecard.snapshot import RepoSnapshot, Unknown

from ._common import find_in

FOLDERS = (".github", "", "docs")
MISSING = "no CONTRIBUTING file in .github/, the root or docs/"


def find_contributing(snap: RepoSnapshot) -> str | None:
    """The CONTRIBUTING file GitHub uses, None when the repository has none."""
    found = find_in(snap, FOLDERS, COMMUNITY_FILES["CONTRIBUTING"])
    return found[0] if found else None


@check(
    id="contributing-present",
    pillar="docs",
    title="Contributing guide present",
    remediation="Add a CONTRIBUTING.md (at the root or in .github/) saying how to set up, test "
    "and propose changes, or one in the organisation's .github repository.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    path = find_contributing(snap)
    if path is not None:
        return passed(f"{path} found", [Location(path)], path=path)
    inherited = snap.platform.org_community_file("CONTRIBUTING")
    if isinstance(inherited, Unknown):
        return failed(
            f"{MISSING} (an organisation-wide copy in its .github repository is only "
            f"seen through the API)"
        )
    if inherited is None:
        return failed(f"{MISSING}, nor in the organisation's .github repository")
    return passed(
        f"{inherited} inherited from the organisation's .github repository",
        path=inherited,
        inherited=True,
    )
