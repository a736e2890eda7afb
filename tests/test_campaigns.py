"""Campaigns in a standard: reading them, each repository's state, blocking after the deadline,
the JSON contract and what a change does to them."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.campaigns import MET, NOT_APPLICABLE, NOT_MET, UNKNOWN, campaign_changes
from scorecard.cli import main
from scorecard.model import CampaignStatus, CheckResult, Scorecard, Status
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.sources.local import open_local
from scorecard.standard import StandardError, resolve

TODAY = dt.date(2027, 1, 15)
CAMPAIGN = """
campaigns:
  - name: security-policy
    checks: [security-policy-present, license-present]
    deadline: {deadline}
    owner: "@acme/security"
    description: Every repository says how to report a vulnerability.
{extra}"""


def standard(text: str, today: dt.date = TODAY):
    return resolve(default_registry(), [(".github/standards.yml", text)], today=today)


def campaign(deadline: str = "2027-03-31", extra: str = "") -> str:
    return CAMPAIGN.format(deadline=deadline, extra=extra)


def result(cid: str, status: Status) -> CheckResult:
    return CheckResult(cid, "docs", cid, status, "")


@pytest.mark.parametrize(
    ("statuses", "state", "failing"),
    [
        ({"security-policy-present": Status.PASS, "license-present": Status.PASS}, MET, ()),
        (
            {"security-policy-present": Status.FAIL, "license-present": Status.PASS},
            NOT_MET,
            ("security-policy-present",),
        ),
        ({"security-policy-present": Status.ERROR}, NOT_MET, ("security-policy-present",)),
        ({"security-policy-present": Status.PASS, "license-present": Status.UNKNOWN}, UNKNOWN, ()),
        ({"security-policy-present": Status.EXEMPT, "license-present": Status.SKIP}, MET, ()),
        ({"security-policy-present": Status.SKIP}, NOT_APPLICABLE, ()),
        ({}, NOT_APPLICABLE, ()),
    ],
)
def test_state_of_a_repository(statuses, state, failing):
    (c,) = standard(campaign()).campaigns.values()
    got = c.status([result(k, v) for k, v in statuses.items()], unknown_fails=False)
    assert (got.state, got.failing) == (state, failing)


def test_unknown_counts_as_failing_under_unknown_fail():
    (c,) = standard(campaign()).campaigns.values()
    got = c.status([result("license-present", Status.UNKNOWN)], unknown_fails=True)
    assert (got.state, got.failing) == (NOT_MET, ("license-present",))


def test_overdue_from_the_day_after_the_deadline():
    text = campaign("2027-01-15")
    assert not standard(text).campaigns["security-policy"].overdue
    assert standard(text, TODAY + dt.timedelta(days=1)).campaigns["security-policy"].overdue


def test_blocks_a_level_only_after_the_deadline():
    text = campaign("2027-01-10", "    blocks: Bronze\n")
    before = standard(text, dt.date(2027, 1, 1))
    after = standard(text, TODAY)
    assert before.level_of("security-policy-present") == "Silver"
    assert after.level_of("security-policy-present") == "Bronze"
    assert after.level_of("license-present") == "Bronze"
    bronze = next(lvl for lvl in after.levels if lvl.name == "Bronze")
    assert bronze.checks.count("security-policy-present") == 1
    assert all("security-policy-present" not in lvl.checks for lvl in after.levels[1:])


def test_blocking_campaign_lowers_the_level_of_a_repository_without_the_file(tmp_path):
    files = {
        "README.md": "# x\n\nSome words about the project, long enough to count.\n",
        "LICENSE": "MIT\n",
    }
    root = build_repo(tmp_path / "r", files, commit=True)
    text = campaign("2027-01-10", "    blocks: Bronze\n")
    reg = default_registry()
    card = grade_snapshot(open_local(root), standard(text), reg)
    assert card.level is None
    assert "security-policy-present" in card.levels[0].blocking
    (status,) = card.campaigns
    assert (status.state, status.overdue) == (NOT_MET, True)


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "  - name: Security-Policy\n    checks: [readme-present]\n    deadline: 2027-01-01\n",
            8,
            "a second campaign named 'Security-Policy'",
        ),
        ("    blocks: Platinum\n", 8, "no level 'Platinum'"),
    ],
)
def test_bad_campaigns_name_file_line_and_key(extra, line, message):
    with pytest.raises(StandardError) as exc:
        standard(campaign(extra=extra))
    assert exc.value.file == ".github/standards.yml"
    assert exc.value.line == line and message in exc.value.message


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            "campaigns:\n  - name: x\n    checks: [no-such-check]\n    deadline: 2027-01-01\n",
            "campaigns[0].checks[0]",
            "unknown check 'no-such-check'",
        ),
        (
            "campaigns:\n  - name: x\n    checks: []\n    deadline: 2027-01-01\n",
            "campaigns[0].checks",
            "must not be empty",
        ),
        (
            "campaigns:\n  - name: x\n    checks: [readme-present]\n    deadline: 2027-02-30\n",
            "campaigns[0].deadline",
            "is not a date",
        ),
        (
            "campaigns:\n  - name: x\n    checks: [readme-present]\n    deadline: soon\n",
            "campaigns[0].deadline",
            "does not match",
        ),
        (
            "campaigns:\n  - name: x\n    checks: [readme-present]\n",
            "campaigns[0]",
            "'deadline' is a required property",
        ),
        (
            "campaigns:\n  - name: x\n    checks: [readme-present]\n    deadline: 2027-01-01\n"
            "    due: 2027-01-01\n",
            "campaigns[0]",
            "unknown key 'due'",
        ),
    ],
)
def test_schema_and_reading_errors(text, key, message):
    with pytest.raises(StandardError) as exc:
        standard(text)
    assert exc.value.key == key and message in exc.value.message


def test_a_restricted_layer_may_not_add_campaigns_unless_allowed():
    org = "allow:\n  campaigns: false\n"
    with pytest.raises(StandardError, match="does not allow repositories to change campaigns"):
        resolve(
            default_registry(),
            [("org standard", org), (".github/standards.yml", campaign())],
            today=TODAY,
            restrict_from=1,
        )
    ok = resolve(
        default_registry(),
        [("org standard", campaign()), (".github/standards.yml", "checks: {}\n")],
        today=TODAY,
        restrict_from=1,
    )
    assert list(ok.campaigns) == ["security-policy"]


def test_json_has_campaigns_only_when_the_standard_has_some(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# x\n", "SECURITY.md": "mail us\n"})
    out = io.StringIO()
    assert main(["check", str(root), "--format", "json"], stdout=out) in (0, 1)
    assert "campaigns" not in json.loads(out.getvalue())
    cfg = tmp_path / "std.yml"
    cfg.write_text(campaign(), encoding="utf-8")
    out = io.StringIO()
    assert main(["check", str(root), "--format", "json", "--config", str(cfg)], stdout=out) in (
        0,
        1,
    )
    doc = json.loads(out.getvalue())
    (got,) = doc["campaigns"]
    assert got["name"] == "security-policy" and got["state"] == NOT_MET
    assert got["failing"] == ["license-present"] and got["deadline"] == "2027-03-31"
    back = Scorecard.from_json(doc)
    assert back.campaigns[0] == CampaignStatus.from_json(got)


def status(state: str, name: str = "c") -> CampaignStatus:
    return CampaignStatus(name, state, "2027-03-31", ("readme-present",))


def test_changes_name_what_a_change_advances_and_sets_back():
    base = [status(NOT_MET, "a"), status(MET, "b"), status(MET, "c"), status(UNKNOWN, "d")]
    head = [status(MET, "a"), status(NOT_MET, "b"), status(MET, "c"), status(MET, "d")]
    got = [(c.campaign.name, c.advanced) for c in campaign_changes(base, head)]
    assert got == [("a", True), ("b", False), ("d", True)]
    assert campaign_changes([], head) == []  # a campaign new in the head moves nothing


def test_cli_error_names_the_file(tmp_path: Path, capsys):
    root = build_repo(tmp_path / "r", {"README.md": "# x\n"})
    cfg = tmp_path / "std.yml"
    cfg.write_text(campaign(extra="    blocks: Platinum\n"), encoding="utf-8")
    assert main(["check", str(root), "--config", str(cfg)], stdout=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert f"{cfg}:8: campaigns[0].blocks: no level 'Platinum'" in err


def card_with(*campaigns: CampaignStatus, score: int = 50) -> Scorecard:
    return Scorecard(
        target="acme/api",
        commit="0123456789abcdef0123456789abcdef01234567",
        score=score,
        level=None,
        checks=(result("readme-present", Status.PASS),),
        pillars=(),
        levels=(),
        standard="default",
        campaigns=campaigns,
    )


def test_comment_names_the_campaigns_a_pull_request_moves(snapshot):
    from scorecard.compare import compare
    from scorecard.render import comment

    hostile = "<img src=x> @acme/all `x`"
    base = card_with(status(NOT_MET, "security-policy"), status(MET, hostile))
    head = card_with(
        status(MET, "security-policy"),
        CampaignStatus(
            hostile, NOT_MET, "2026-01-01", ("readme-present",), ("readme-present",), overdue=True
        ),
    )
    cmp = compare(base, head)
    body = comment.render(cmp)
    line = next(x for x in body.splitlines() if x.startswith("**Campaigns**"))
    assert "✅ advances `security-policy` (due 2027-03-31)" in line
    assert "❌ sets back" in line and "overdue since 2026-01-01" in line
    assert "`` <img src=x> @acme/all `x` ``" in line  # a code span: shown, never live
    assert line == snapshot
    assert cmp.to_json()["campaigns"] == [
        {"name": "security-policy", "before": NOT_MET, "after": MET},
        {"name": hostile, "before": MET, "after": NOT_MET},
    ]
    unchanged = compare(base, base)
    assert "**Campaigns**" not in comment.render(unchanged)
    assert "campaigns" not in compare(card_with(), card_with()).to_json()


def test_a_campaign_scoped_by_when(tmp_path):
    text = campaign(extra="    when: {ecosystem: python}\n")
    std = standard(text)
    reg = default_registry()
    node = build_repo(tmp_path / "node", {"README.md": "# x\n", "package.json": "{}"})
    py = build_repo(tmp_path / "py", {"README.md": "# x\n", "pyproject.toml": ""})
    (n,) = grade_snapshot(open_local(node), std, reg).campaigns
    (p,) = grade_snapshot(open_local(py), std, reg).campaigns
    assert n.state == NOT_APPLICABLE and p.state == NOT_MET
    with pytest.raises(StandardError) as exc:
        standard(campaign(extra="    when: {ecosystem: cobol}\n"))
    assert exc.value.key == "campaigns[0].when.ecosystem" and exc.value.line == 8
