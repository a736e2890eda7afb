"""Security policy present

Passes when a `SECURITY` file with the extension `.md`, `.markdown`, `.rst`, `.adoc` or `.txt`,
or none (case-insensitive: `SECURITY.md`, `security.rst`, `Security`), exists in `.github/`, the
root or `docs/`, the places where GitHub looks for a security policy and links it from the
repository's Security tab. The result names the file found (in that order of folders).

With API access, the copy in the organisation's `.github` repository counts too, as GitHub shows
it for every repository of the organisation that has none of its own: the result says the policy
is inherited (`data`: `inherited: true`).

Fails when there is none. In local mode an organisation-wide policy cannot be seen, and the
message says so.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.names import COMMUNITY_FILES
from scorecard.snapshot import RepoSnapshot, Unknown

from ._common import find_in

FOLDERS = (".github", "", "docs")


def find_security_policy(snap: RepoSnapshot) -> list[str]:
    """Every security policy of the repository, the one GitHub prefers first."""
    found: list[str] = find_in(snap, FOLDERS, COMMUNITY_FILES["SECURITY"])
    return found


@check(
    id="security-policy-present",
    pillar="security",
    title="Security policy present",
    remediation="Add a SECURITY.md (at the root, in .github/ or in docs/) saying how to report "
    "a vulnerability privately and which versions get fixes, or one for the whole "
    "organisation in its `.github` repository.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    found = find_security_policy(snap)
    if found:
        return passed(f"security policy found: {found[0]}", [Location(found[0])], inherited=False)
    inherited = snap.platform.org_community_file("SECURITY")
    if isinstance(inherited, str):
        return passed(
            f"security policy inherited from the organisation's .github repository ({inherited})",
            inherited=True,
        )
    where = "no SECURITY.md (or .markdown, .rst, .adoc, .txt) in .github/, the root or docs/"
    if isinstance(inherited, Unknown):
        return failed(
            f"{where}; an organisation-wide policy in the organisation's .github "
            f"repository can only be seen through the API ({inherited.reason})"
        )
    return failed(f"{where}, and none in the organisation's .github repository")
