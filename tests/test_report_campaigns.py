"""Campaigns in the org report: progress overall and per team, the repositories left, the
burndown kept in the history, in the Markdown dashboard and the HTML report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from reportfixtures import repo, scan, write

from scorecard.cli import main
from scorecard.report import dashboard, html
from scorecard.report.history import History, read_history
from scorecard.report.records import load_results, parse_time
from scorecard.report.summary import summarise

NOW = "2025-05-12T07:00:00Z"
HOSTILE = "<script>alert(1)</script> @acme/all"


def campaign(name: str, state: str, failing=(), overdue=False, owner="@acme/security"):
    return {
        "name": name,
        "state": state,
        "deadline": "2025-06-30",
        "overdue": overdue,
        "checks": ["security-policy-present"],
        "failing": list(failing),
        "owner": owner,
        "description": "Every repository says how to report a vulnerability.",
    }


def with_campaigns(record: dict, *campaigns: dict) -> dict:
    record["scorecard"] = {**record["scorecard"], "campaigns": list(campaigns)}
    return record


MISSING = ["security-policy-present"]


def records(scanned_at: str = "2025-05-12T06:01:00Z", fixed: bool = False) -> list[dict]:
    def r(name, team, state, failing=()):
        return with_campaigns(
            repo(name, team, scanned_at=scanned_at),
            campaign("security-policy", state, failing),
            campaign(HOSTILE, "met", owner=HOSTILE),
        )

    return [
        scan(started_at=scanned_at),
        r("acme/api", "platform", "met"),
        r("acme/gateway", "platform", "met" if fixed else "not met", MISSING),
        r("acme/web", "web", "not met", MISSING),
        r("acme/ledger", "payments", "unknown"),
        r("acme/docs", None, "not applicable"),
        r("acme/old", None, "not met", MISSING),
    ]


def test_progress_per_campaign_and_team(tmp_path):
    results = load_results([write(tmp_path / "r.jsonl", records())])
    s = summarise(results, History(), generated_at=NOW)
    sec, hostile = sorted(s.campaigns, key=lambda c: c.info.name != "security-policy")
    assert (sec.met, sec.total, sec.percent) == (1, 5, 20)
    assert [(t.name, t.met, t.total) for t in sec.teams] == [
        ("payments", 0, 1),
        ("platform", 1, 2),
        ("web", 0, 1),
        ("(no owner)", 0, 1),
    ]
    assert [(x.entry.name, x.state, x.failing) for x in sec.left] == [
        ("acme/ledger", "unknown", ()),
        ("acme/gateway", "not met", ("security-policy-present",)),
        ("acme/web", "not met", ("security-policy-present",)),
        ("acme/old", "not met", ("security-policy-present",)),
    ]
    assert sec.burndown == [("2025-05-12T06:01:00Z", 4)]
    assert (hostile.met, hostile.total) == (6, 6)


def test_history_keeps_the_burndown(tmp_path, capsys):
    hist = tmp_path / "history.jsonl"
    first = write(tmp_path / "a.jsonl", records("2025-05-05T06:01:00Z"))
    second = write(tmp_path / "b.jsonl", records("2025-05-12T06:01:00Z", fixed=True))
    assert main(["report", str(first), "--history", str(hist)]) == 0
    line = json.loads(hist.read_text().splitlines()[0])
    assert line["campaigns"]["security-policy"] == [1, 5]
    md = tmp_path / "dash.md"
    assert main(["report", str(second), "--history", str(hist), "--markdown", str(md)]) == 0
    history = read_history(hist, "acme", parse_time("2025-05-19T00:00:00Z"))
    assert [p.campaigns["security-policy"] for p in history.points] == [(1, 5), (2, 5)]
    row = next(x for x in md.read_text().splitlines() if x.startswith("| `security-policy`"))
    assert row == (
        "| `security-policy` | 2025-06-30 | 2 of 5 (40%) | 3 (was 4) | `payments` 1, `web` 1, "
        "(no owner) 1 | `@acme/security` |"
    )


def test_a_history_record_without_campaigns_still_reads(tmp_path):
    hist = write(
        tmp_path / "h.jsonl",
        [{"scanned_at": "2025-05-05T06:01:00Z", "org": "acme", "repos": {"acme/api": ["Gold", 9]}}],
    )
    history = read_history(hist, "acme", parse_time(NOW))
    assert history.points[0].campaigns == {}


def test_dashboard_section_snapshot(tmp_path, snapshot):
    results = load_results([write(tmp_path / "r.jsonl", records())])
    body = dashboard.render(summarise(results, History(), generated_at=NOW))
    section = body.split("**Campaigns**", 1)[1].split("\n\n", 2)[1]
    assert section == snapshot
    outside_code = re.sub(r"`[^`]*`", "", body)  # code spans show text, never HTML or mentions
    assert "<script>" not in outside_code and "@acme/all" not in outside_code


def test_no_campaigns_no_section(tmp_path):
    results = load_results([write(tmp_path / "r.jsonl", [scan(), repo("acme/api", "platform")])])
    s = summarise(results, History(), generated_at=NOW)
    assert "Campaigns" not in dashboard.render(s) and 'id="campaigns"' not in html.render(s)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_html_section_escaped_with_burndown(tmp_path):
    hist = tmp_path / "history.jsonl"
    main(
        [
            "report",
            str(write(tmp_path / "a.jsonl", records("2025-05-05T06:01:00Z"))),
            "--history",
            str(hist),
        ]
    )
    out = tmp_path / "r.html"
    second = write(tmp_path / "b.jsonl", records(fixed=True))
    assert main(["report", str(second), "--history", str(hist), "--html", str(out)]) == 0
    page = out.read_text("utf-8")
    section = page.split('<section id="campaigns">', 1)[1].split('<section id="failures">', 1)[0]
    assert "<script>alert" not in section and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert 'id="chart-burndown-0"' in section and "3 left" in section and "4 left" in section
    assert "acme/gateway" not in section.split("repositories left")[-1]  # fixed since
    parser = _Text()
    parser.feed(section)
    assert "script" not in parser.tags
    assert '<a href="#campaigns">Campaigns</a>' in page


def test_campaign_definition_comes_from_the_newest_record(tmp_path: Path):
    older = with_campaigns(
        repo("acme/a", "t", scanned_at="2025-05-01T06:01:00Z"),
        campaign("c", "met", overdue=False),
    )
    newer = with_campaigns(
        repo("acme/b", "t", scanned_at="2025-05-12T06:01:00Z"),
        campaign("c", "met", overdue=True),
    )
    results = load_results([write(tmp_path / "r.jsonl", [scan(), newer, older])])
    assert results.campaigns["c"].overdue is True
