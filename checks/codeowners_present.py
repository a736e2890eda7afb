"""CODEOWNERS present

Passes when a file named exactly `CODEOWNERS` exists at `.github/CODEOWNERS`, `CODEOWNERS` (the
root) or `docs/CODEOWNERS`. GitHub uses the first of these it finds, in that order; the result
names that one, and says which others it ignores.

Fails when there is none. A file whose name is only close (`codeowners`, `CODEOWNERS.md`,
`.github/CODEOWNERS.txt`) does not count, because GitHub does not read it; the result names it.
The file's content is judged by `codeowners-valid` and `codeowners-coverage`: a CODEOWNERS that
is binary or too large for GitHub still counts as present here.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

from ._codeowners import LOCATIONS


def _near_misses(snap: RepoSnapshot) -> list[str]:
    """Files in the three places whose name is CODEOWNERS in another case or with an
    extension."""
    out = []
    for folder in (".github", "", "docs"):
        out.extend(
            snap.find(
                folder, lambda n: n != "CODEOWNERS" and n.lower().split(".")[0] == "codeowners"
            )
        )
    return out


@check(
    id="codeowners-present",
    pillar="ownership",
    title="CODEOWNERS present",
    remediation="Add a `.github/CODEOWNERS` file with a `*` rule naming the owning team "
    "(`* @org/team`), so that GitHub requests their review on every pull request.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    found = [path for path in LOCATIONS if snap.has(path)]
    if not found:
        misses = _near_misses(snap)
        hint = ""
        if misses:
            names = ", ".join(f"`{m}`" for m in misses[:3])
            hint = f" ({names} is not read by GitHub: the name must be exactly `CODEOWNERS`)"
        return failed(
            f"no CODEOWNERS file in .github/, the root or docs/{hint}",
            [Location(m) for m in misses[:3]],
        )
    used, ignored = found[0], found[1:]
    message = f"CODEOWNERS found: {used}"
    if ignored:
        message += f" (GitHub uses it and ignores {', '.join(ignored)})"
    return passed(message, [Location(used)], path=used)
