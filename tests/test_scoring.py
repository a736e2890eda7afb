from __future__ import annotations

import datetime as dt
import importlib.metadata as md

from fakes import registry

from scorecard import registry as registry_mod
from scorecard.model import Status
from scorecard.pipeline import grade_snapshot
from scorecard.standard import resolve

TODAY = dt.date(2026, 11, 26)
LEVELS = (
    "levels:\n  - name: Bronze\n    checks: [a]\n  - name: Silver\n    checks: [b]\n"
    "  - name: Gold\n    checks: ['*']\n"
)


def grade(make_snapshot, reg, extra: str = ""):
    std = resolve(reg, [("s.yml", LEVELS + extra)], today=TODAY)
    return grade_snapshot(make_snapshot({"f": "x"}), std, reg)


def test_levels_are_cumulative(make_snapshot):
    card = grade(make_snapshot, registry(a=Status.PASS, b=Status.FAIL, c=Status.PASS))
    assert card.level == "Bronze"
    assert card.next_level.name == "Silver" and card.next_level.blocking == ("b",)
    assert card.score == 67
    # Gold's own checks pass, but Silver is not held, so Gold is not either
    assert [lvl.held for lvl in card.levels] == [True, False, False]


def test_skip_and_unknown_do_not_block_by_default(make_snapshot):
    card = grade(make_snapshot, registry(a=Status.PASS, b=Status.SKIP, c=Status.UNKNOWN))
    assert card.level == "Gold" and card.score == 100
    assert [p.counted for p in card.pillars] == [1]


def test_unknown_fail_policy(make_snapshot):
    card = grade(
        make_snapshot, registry(a=Status.PASS, b=Status.UNKNOWN, c=Status.PASS), "unknown: fail\n"
    )
    assert card.level == "Bronze" and card.score == 67
    assert card.unknown_policy == "fail"


def test_error_blocks_and_is_reported(make_snapshot):
    card = grade(make_snapshot, registry(a=Status.ERROR, b=Status.PASS, c=Status.PASS))
    assert card.level is None
    res = card.result("a")
    assert res.status is Status.ERROR and "RuntimeError: boom" in res.message
    assert card.score == 100  # errors do not count in the score


def test_weights(make_snapshot):
    card = grade(
        make_snapshot,
        registry(a=Status.PASS, b=Status.FAIL, c=Status.PASS),
        "checks:\n  b:\n    weight: 2\n",
    )
    assert card.score == 50


def test_exemption_counts_as_met_until_it_expires(make_snapshot):
    reg = registry(a=Status.PASS, b=Status.FAIL, c=Status.PASS)
    card = grade(
        make_snapshot,
        reg,
        "exemptions:\n  - check: b\n    reason: migrating\n    expires: 2027-01-31\n",
    )
    b = card.result("b")
    assert b.status is Status.EXEMPT and "migrating" in b.message and b.exemption.expires
    assert card.level == "Gold" and card.score == 100
    card = grade(
        make_snapshot,
        reg,
        "exemptions:\n  - check: b\n    reason: migrating\n    expires: 2026-01-31\n",
    )
    b = card.result("b")
    assert b.status is Status.FAIL and "exemption expired on 2026-01-31" in b.message


def test_only_and_skip(make_snapshot):
    reg = registry(a=Status.PASS, b=Status.FAIL, c=Status.PASS)
    std = resolve(reg, [("s.yml", LEVELS)], today=TODAY)
    card = grade_snapshot(make_snapshot({}), std, reg, only=["a", "c"])
    assert [r.id for r in card.checks] == ["a", "c"] and card.level == "Gold"
    assert any("--only" in w for w in card.warnings)
    card = grade_snapshot(make_snapshot({}), std, reg, skip=["b"])
    assert [r.id for r in card.checks] == ["a", "c"]


def test_broken_plugin_is_reported_by_name():
    eps = [
        md.EntryPoint("readme-present", "scorecard.checks.readme_present:run", "scorecard.checks"),
        md.EntryPoint("broken", "no_such_module_xyz:run", "scorecard.checks"),
        md.EntryPoint("not-a-check", "os.path:join", "scorecard.checks"),
        md.EntryPoint("wrong-name", "scorecard.checks.readme_present:run", "scorecard.checks"),
    ]
    reg = registry_mod.load(eps)
    assert list(reg.checks) == ["readme-present"]
    messages = sorted(str(e) for e in reg.errors)
    assert len(messages) == 3
    assert any("'broken'" in m and "ModuleNotFoundError" in m for m in messages)
    assert any("'not-a-check'" in m and "is not a check" in m for m in messages)
    assert any("'wrong-name'" in m and "must equal the check id" in m for m in messages)
