"""Owner defined

Passes when the repository has a resolvable owning team or user:

1. `spec.owner` of the first `Component` entity in `catalog-info.yaml` (or `.yml`) at the root;
   a catalog file that is otherwise invalid (see `catalog-info-valid`) still supplies it, and
   when part of the file does not parse, the documents that do still count;
2. else the owners of the last CODEOWNERS rule with owners whose pattern is `*`, `**` or `/**`
   (the rule that owns the whole repository), in the CODEOWNERS file GitHub uses, read as
   GitHub reads it (invalid lines are skipped; a file of 3 MiB or more is ignored).

The result names the owner and where it came from; its data carries `owner` (the first owner),
`owners` (all of them) and `source`, by which org reports group repositories.

Fails when neither gives an owner.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

from . import _catalog, _codeowners


@check(
    id="owner-defined",
    pillar="ownership",
    title="Owner defined",
    remediation="Set `spec.owner` of the `Component` in `catalog-info.yaml` to the owning team, "
    "or start CODEOWNERS with a `* @org/team` rule naming it.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    catalog = _catalog.load(snap)
    found = catalog.owner() if catalog is not None else None
    if catalog is not None and found is not None:
        owner, line, entity = found
        name = f" `{entity.name}`" if entity.name else ""
        return passed(
            f"owner `{owner}` (spec.owner of Component{name} in {catalog.path})",
            [Location(catalog.path, line)],
            owner=owner,
            owners=[owner],
            source=catalog.path,
        )
    co = _codeowners.load(snap)
    rule = co.catch_all() if co is not None else None
    if co is not None and rule is not None:
        owners = ", ".join(f"`{o}`" for o in rule.owners)
        label = "owner" if len(rule.owners) == 1 else "owners"
        return passed(
            f"{label} {owners} (CODEOWNERS rule `{rule.pattern}` on {co.path} line {rule.line})",
            [Location(co.path, rule.line)],
            owner=rule.owners[0],
            owners=list(rule.owners),
            source=co.path,
        )
    reasons = []
    if catalog is None:
        reasons.append("no catalog-info.yaml")
    else:
        reasons.append(f"{catalog.path} has no Component with a spec.owner")
    if co is None:
        reasons.append("no CODEOWNERS file")
    elif co.not_loaded is not None:
        reasons.append(co.not_loaded)
    else:
        reasons.append(f"{co.path} has no `*`, `**` or `/**` rule with owners")
    return failed("no owner: " + "; ".join(reasons))
