"""Runbook documented

Passes when the README has a "Runbook" (or "On-call") section: whoever is paged at night
needs it first.
"""

from __future__ import annotations

import re

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import ReadError, RepoSnapshot

_HEADING = re.compile(r"^#{1,6}\s*(runbook|on-?call)\b", re.IGNORECASE | re.MULTILINE)
READMES = ("README.md", "README.rst", "README")


@check(
    id="runbook-documented",
    pillar="ops",
    title="Runbook documented",
    remediation="Add a `## Runbook` section to the README: how to page, restart and roll back.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    readme = next((p for p in READMES if snap.has(p)), None)
    if readme is None:
        return failed("no README to hold the runbook")
    try:
        text = snap.read_text(readme)
    except ReadError as exc:
        return failed(f"{readme} cannot be read: {exc}", [Location(readme)])
    m = _HEADING.search(text)
    if m is None:
        return failed(f"{readme} has no Runbook or On-call section", [Location(readme)])
    return passed(f"runbook in {readme}", [Location(readme, text.count("\n", 0, m.start()) + 1)])
