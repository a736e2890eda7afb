"""Default branch protected

With API access, passes when the default branch is protected, by a ruleset
(`GET /repos/{owner}/{repo}/rules/branches/{branch}`) or by classic branch protection where the
token may read it, and the protection requires a pull request with at least `min_approvals`
approving reviews.

Fails saying what is missing: the branch is not protected, a pull request is not required, or
fewer approvals are required than the standard asks for.

`unknown` in local mode, and where neither the rulesets nor the classic protection can be read
(the message names the permission the token needs).

Options:

- `min_approvals` (int, default 1, at least 0): the approving reviews a pull request needs.
  With 0, a protection that requires a pull request without approvals passes.

Contract with the platform layer: `snap.platform.branch_protection(min_approvals)` returns
`Unknown(reason)`, or a dict with

- `protected` (bool): some ruleset or classic rule applies to the default branch;
- `requires_pull_request` (bool): changes must come through a pull request;
- `approvals` (int): the most approving reviews any applying rule requires (0 when none);
- `source` (`"ruleset"`, `"classic"` or None): where the protection comes from.

A missing `requires_pull_request` is read as `approvals > 0` (required approvals imply a pull
request); a missing `approvals` as 0.
"""

from __future__ import annotations

from typing import Any

from scorecard.check import Option, Options, check
from scorecard.model import Finding, failed, passed, unknown
from scorecard.snapshot import RepoSnapshot, Unknown

SOURCES = {"ruleset": "a ruleset", "classic": "classic branch protection"}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@check(
    id="branch-protected",
    pillar="security",
    title="Default branch protected",
    remediation="Add a branch ruleset (Settings > Rules > Rulesets) targeting the default branch "
    "that requires a pull request with at least one approving review, or the same "
    "as classic branch protection.",
    options={
        "min_approvals": Option("int", 1, "approving reviews a pull request must need", minimum=0),
    },
    needs_api=True,
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    min_approvals = int(opts.get("min_approvals", 1))
    facts = snap.platform.branch_protection(min_approvals)
    if isinstance(facts, Unknown):
        return unknown(facts.reason)
    branch = f"`{snap.meta.default_branch}`" if snap.meta.default_branch else "the default branch"
    protected = bool(facts.get("protected"))
    approvals = _int(facts.get("approvals"))
    requires_pr = facts.get("requires_pull_request")
    requires_pr = bool(requires_pr) if requires_pr is not None else approvals > 0
    source = facts.get("source")
    by = f" by {SOURCES[source]}" if source in SOURCES else ""
    data: dict[str, Any] = {
        "protected": protected,
        "requires_pull_request": requires_pr,
        "approvals": approvals,
        "source": source,
        "min_approvals": min_approvals,
    }
    if not protected:
        return failed(f"{branch} is not protected by a ruleset or branch protection", **data)
    if not requires_pr:
        return failed(f"{branch} is protected{by} but does not require a pull request", **data)
    if approvals < min_approvals:
        return failed(
            f"{branch} is protected{by} and requires a pull request with "
            f"{approvals} approval{'s' if approvals != 1 else ''}; at least "
            f"{min_approvals} {'are' if min_approvals != 1 else 'is'} required",
            **data,
        )
    return passed(
        f"{branch} is protected{by}: a pull request with {approvals} "
        f"approval{'s' if approvals != 1 else ''} is required",
        **data,
    )
