"""Actions pinned to a commit SHA

Passes when every `uses:` in `.github/workflows/*.yml` and `*.yaml`, of steps and of jobs that
call a reusable workflow, is pinned to an immutable version:

- an action or reusable workflow (`owner/repo@ref`, `owner/repo/path@ref`,
  `owner/repo/.github/workflows/x.yml@ref`) to a full 40-hex commit SHA;
- a Docker image (`docker://image`) to a digest, `@sha256:` followed by 64 hex digits.

A tag or branch (`@v4`, `@main`) can be moved to other code by whoever controls the action's
repository; a commit SHA cannot. Local actions and workflows (`./path`) are part of the
repository and need no pin. A reference without a version (`owner/repo`) or with an expression
is unpinned.

Fails listing each unpinned reference as `file:line` (the line of the `uses:` value), with the
reference in the message. `data`: `unpinned` and `total` (the references that need a pin).

A workflow that does not parse is left out (the message says so). `skip` when the repository
has no workflows, or none parses.
"""

from __future__ import annotations

import re

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import RepoSnapshot

from ._workflows import UsesRef, iter_uses, workflow_set

SHA_RE = re.compile(r"^[0-9a-fA-F]{40}$")
DIGEST_RE = re.compile(r"@sha256:[0-9a-fA-F]{64}$")
SHOWN = 5


def is_pinned(uses: str) -> bool:
    """Whether a non-local ``uses:`` value is pinned to a commit SHA or an image digest."""
    value = uses.strip()
    if value.startswith("docker://"):
        return bool(DIGEST_RE.search(value))
    _, at, ref = value.rpartition("@")
    return bool(at) and bool(SHA_RE.match(ref))


@check(
    id="actions-pinned",
    pillar="security",
    title="Actions pinned to a commit SHA",
    remediation="Replace each tag or branch in `uses:` with the full commit SHA it points to, "
    "keeping the tag in a comment (`uses: actions/checkout@<sha> # v4`), and pin "
    "`docker://` images by `@sha256:` digest; Dependabot or Renovate keep the pins "
    "current.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    wfs = workflow_set(snap)
    reason = wfs.skip_reason()
    if reason is not None:
        return skipped(reason)
    total = 0
    unpinned: list[UsesRef] = []
    for wf in wfs.parsed:
        for ref in iter_uses(wf):
            if ref.is_local:
                continue
            total += 1
            if not is_pinned(ref.value):
                unpinned.append(ref)
    note = wfs.note()
    if not unpinned:
        if total == 0:
            return passed(
                f"no `uses:` needs a pin (only local actions or none){note}", unpinned=0, total=0
            )
        return passed(
            f"all {total} action reference{'s are' if total != 1 else ' is'} "
            f"pinned to a commit SHA or digest{note}",
            unpinned=0,
            total=total,
        )
    shown = ", ".join(f"{r.workflow.path}:{r.line} `{r.value}`" for r in unpinned[:SHOWN])
    more = f" and {len(unpinned) - SHOWN} more" if len(unpinned) > SHOWN else ""
    return failed(
        f"{len(unpinned)} of {total} action references not pinned to a commit SHA: "
        f"{shown}{more}{note}",
        [Location(r.workflow.path, r.line) for r in unpinned],
        unpinned=len(unpinned),
        total=total,
    )
