"""A small registry of stub checks, for tests of the engine, standard and scoring."""

from __future__ import annotations

from scorecard.check import Option, check
from scorecard.model import Finding, Status
from scorecard.registry import Registry


def stub(check_id: str, status: Status, pillar: str = "docs", **options: Option):
    @check(
        id=check_id,
        pillar=pillar,
        title=check_id.replace("-", " "),
        remediation=f"fix {check_id}",
        options=options,
    )
    def run(snap, opts):
        if status is Status.ERROR:
            raise RuntimeError("boom")
        return Finding(status, f"{check_id} is {status.value}")

    return run


def registry(**statuses: Status) -> Registry:
    reg = Registry()
    for name, status in statuses.items():
        reg.add(stub(name.replace("_", "-"), status), package="tests")
    return reg
