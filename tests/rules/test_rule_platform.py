"""The `platform` primitive: unknown on a checkout, facts through the API."""

from __future__ import annotations

from dataclasses import replace

from scorecard.model import Status
from scorecard.snapshot import Platform, RepoMeta

STD = """
rules:
  - id: service-topic
    require: { platform: { topic: service } }
  - id: internal-only
    require: { platform: { visibility: [internal, private] } }
  - id: protected
    require: { platform: { default_branch_protected: true } }
  - id: tier
    require: { platform: { property: { tier: gold } } }
"""


class _Protected(Platform):
    def branch_protection(self, min_approvals: int) -> dict[str, object]:
        return {"protected": True, "approvals": 1}


def test_unknown_on_a_checkout(apply_rules):
    res = apply_rules(STD, {"README.md": "x"})
    for rid in ("service-topic", "internal-only", "protected", "tier"):
        assert res[rid].status is Status.UNKNOWN, rid
        assert "API" in res[rid].message


def test_facts_through_the_api(apply_rules, make_snapshot):
    snap = make_snapshot({"README.md": "x"})
    snap = replace(
        snap,
        meta=RepoMeta("acme/x", "main", "public", ("service",)),
        platform=_Protected(),
        is_remote=True,
    )
    res = apply_rules(STD, {}, snap=snap)
    assert res["service-topic"].status is Status.PASS
    vis = res["internal-only"]
    assert vis.status is Status.FAIL and "public" in vis.message
    assert res["protected"].status is Status.PASS
    tier = res["tier"]
    assert tier.status is Status.UNKNOWN and "custom properties" in tier.message
