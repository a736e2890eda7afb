from __future__ import annotations

from typing import Any

import pytest

from scorecard.model import Status
from scorecard.snapshot import Platform, RepoMeta, Unknown


class Fake(Platform):
    def __init__(self, answer: dict[str, Any] | Unknown) -> None:
        self.answer = answer
        self.asked: list[int] = []

    def branch_protection(self, min_approvals: int) -> dict[str, Any] | Unknown:
        self.asked.append(min_approvals)
        return self.answer


def rule(protected=True, pr=True, approvals=1, source="ruleset"):
    return {
        "protected": protected,
        "requires_pull_request": pr,
        "approvals": approvals,
        "source": source,
    }


def test_local_mode_is_unknown(run_check):
    r = run_check("branch-protected", {"README.md": "x"})
    assert r.status is Status.UNKNOWN
    assert "GitHub API" in r.message


@pytest.mark.parametrize(
    "answer,options,status,fragment",
    [
        (
            rule(),
            {},
            Status.PASS,
            "`main` is protected by a ruleset: a pull request with 1 approval",
        ),
        (
            rule(approvals=2, source="classic"),
            {"min_approvals": 2},
            Status.PASS,
            "classic branch protection",
        ),
        (rule(approvals=0), {"min_approvals": 0}, Status.PASS, "0 approvals is required"),
        (
            rule(protected=False, pr=False, approvals=0, source=None),
            {},
            Status.FAIL,
            "`main` is not protected",
        ),
        (rule(pr=False, approvals=0), {}, Status.FAIL, "does not require a pull request"),
        (
            rule(pr=False, approvals=0),
            {"min_approvals": 0},
            Status.FAIL,
            "does not require a pull request",
        ),
        (
            rule(approvals=1),
            {"min_approvals": 2},
            Status.FAIL,
            "requires a pull request with 1 approval; at least 2 are required",
        ),
        ({"protected": True, "approvals": 1}, {}, Status.PASS, "1 approval"),
        ({"protected": True}, {}, Status.FAIL, "does not require a pull request"),
        (
            Unknown("needs a token with administration: read"),
            {},
            Status.UNKNOWN,
            "administration: read",
        ),
    ],
)
def test_platform_answers(make_snapshot, run_check, answer, options, status, fragment):
    snap = make_snapshot({})
    snap.meta = RepoMeta(name="r", default_branch="main")
    snap.platform = Fake(answer)
    r = run_check("branch-protected", {}, snap=snap, options=options)
    assert r.status is status
    assert fragment in r.message
    assert snap.platform.asked == [options.get("min_approvals", 1)]


def test_without_branch_name(make_snapshot, run_check):
    snap = make_snapshot({})
    snap.platform = Fake(rule(protected=False))
    r = run_check("branch-protected", {}, snap=snap)
    assert r.message.startswith("the default branch is not protected")
    assert r.data["protected"] is False
