"""Workflow permissions restricted

Passes when every workflow file in `.github/workflows/` that parses, reusable (`workflow_call`)
ones included, declares a top-level `permissions:` key whose value is not `write-all`:

- `permissions: read-all`, `permissions: {}` and an empty `permissions:` (no permissions at
  all) pass;
- a mapping of scopes (`contents: read`, ...) passes; jobs may widen it for themselves.

Without a top-level `permissions:`, the workflow's `GITHUB_TOKEN` gets the repository's or
organisation's default, which is often read and write on every scope.

Fails listing each file: at line 1 when the key is missing, at the key's line when it is
`write-all`.

A workflow that does not parse is left out (the message says so). `skip` when the repository
has no workflows, or none parses.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.parsing import YamlMap
from scorecard.snapshot import RepoSnapshot

from ._workflows import workflow_set

SHOWN = 5


@check(
    id="workflow-permissions-restricted",
    pillar="security",
    title="Workflow permissions restricted",
    remediation="Add a top-level `permissions:` to each workflow with the least it needs "
    "(`permissions: contents: read`, or `{}`), and grant more only in the jobs "
    "that need it.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    wfs = workflow_set(snap)
    reason = wfs.skip_reason()
    if reason is not None:
        return skipped(reason)
    problems: list[tuple[Location, str]] = []
    for wf in wfs.parsed:
        data = wf.data
        if "permissions" not in data:
            problems.append((Location(wf.path, 1), f"{wf.path} has no top-level `permissions:`"))
            continue
        value = data["permissions"]
        if isinstance(value, str) and value.strip().lower() == "write-all":
            line = data.line_of("permissions") if isinstance(data, YamlMap) else 1
            problems.append(
                (Location(wf.path, line), f"{wf.path}:{line} grants `permissions: write-all`")
            )
    note = wfs.note()
    n = len(wfs.parsed)
    if not problems:
        return passed(
            f"{'all ' if n != 1 else ''}{n} workflow{'s' if n != 1 else ''} "
            f"restrict{'s' if n == 1 else ''} top-level permissions{note}"
        )
    shown = "; ".join(msg for _, msg in problems[:SHOWN])
    more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return failed(
        f"{len(problems)} of {n} workflow{'s' if n != 1 else ''} "
        f"{'does' if len(problems) == 1 else 'do'} not restrict the token's "
        f"permissions: {shown}{more}{note}",
        [loc for loc, _ in problems],
    )
