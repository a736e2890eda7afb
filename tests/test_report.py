"""`scorecard report`: merging results files, history and trends, every output (Markdown
dashboard, HTML, JSON, CSV) with hostile repository text, the size limit, and the dashboard
issue against the fake GitHub. The browser test is in test_report_browser.py."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo
from reportfixtures import (
    ALL_BUT_GOLD,
    BRONZE_MISSING,
    error,
    previous_history,
    repo,
    scan,
    small_org,
    write,
)

from scorecard.cli import main
from scorecard.report import dashboard, data, html
from scorecard.report.history import History, read_history
from scorecard.report.records import ReportInputError, load_results, parse_time
from scorecard.report.summary import summarise

NOW = "2025-05-12T07:00:00Z"
HOSTILE_REPO = "acme/<script>alert(1)</script>"
HOSTILE_TEAM = "</script><img src=x onerror=alert(2)><!--"
MENTION_TEAM = "@acme/everyone"


def report(tmp_path: Path, records, history=None, name="results.jsonl"):
    """The summary of ``records`` (and a history file holding ``history`` records)."""
    path = write(tmp_path / name, records)
    results = load_results([path])
    hist = History()
    if history is not None:
        hpath = write(tmp_path / "history.jsonl", history)
        hist = read_history(hpath, results.org, parse_time(results.scanned_at))
    return results, summarise(results, hist, generated_at=NOW)


def run(*argv: str) -> int:
    return main(["report", *argv])


def json_doc(summary, results) -> dict:
    out = io.StringIO()
    data.write_json(summary, results, out)
    return json.loads(out.getvalue())


# ---- merging ----------------------------------------------------------------------------------


def test_newest_record_of_each_repository_wins(tmp_path):
    early, late = "2025-05-12T06:00:00Z", "2025-05-12T07:00:00+00:00"
    first = write(
        tmp_path / "a.jsonl",
        [
            scan(),
            repo("acme/x", "core", scanned_at=early),  # then an error: the error wins
            error("acme/y", "timeout", scanned_at=early),  # then graded: graded wins
            repo("acme/z", "core", ALL_BUT_GOLD, scanned_at=late),  # newer than b.jsonl's
        ],
    )
    second = write(
        tmp_path / "b.jsonl",
        [
            scan(),
            error("acme/x", "rate limited", scanned_at=late),
            repo("acme/y", "web", scanned_at=late),
            repo("acme/Z", "core", scanned_at=early),  # same repository, other case, older
        ],
    )
    results = load_results([first, second])
    assert sorted(results.repos) == ["acme/x", "acme/y", "acme/z"]
    assert results.repos["acme/x"].error == "rate limited"
    assert results.repos["acme/y"].graded and results.repos["acme/y"].team == "web"
    assert results.repos["acme/z"].level == "Silver"
    assert results.repos["acme/z"].failing == ("actions-pinned",)
    assert [e.name for e in results.errors] == ["acme/x"]
    assert results.org == "acme" and results.levels == ["Bronze", "Silver", "Gold"]


def test_equal_times_the_later_record_wins(tmp_path):
    path = write(tmp_path / "r.jsonl", [scan(), repo("acme/x", "a"), repo("acme/x", "b")])
    assert load_results([path]).repos["acme/x"].team == "b"


def test_a_line_cut_by_a_crash_is_skipped(tmp_path):
    path = write(
        tmp_path / "r.jsonl",
        [scan(), repo("acme/x", "core")],
        cut='{"kind": "repository", "repository": "acme/y", "scor',
    )
    assert list(load_results([path]).repos) == ["acme/x"]


def test_shards_merged_equal_one_file(tmp_path):
    records = small_org()
    one = write(tmp_path / "all.jsonl", records)
    head, body = records[0], records[1:]
    shard_a = write(tmp_path / "s1.jsonl", [{**head, "shard": "1/2"}, *body[::2]])
    shard_b = write(tmp_path / "s2.jsonl", [{**head, "shard": "2/2"}, *body[1::2]])
    outputs = []
    for files in ([one], [shard_b, shard_a]):
        results = load_results(files)
        s = summarise(results, History(), generated_at=NOW)
        doc = json_doc(s, results)
        doc.pop("files")
        csv_out = io.StringIO()
        data.write_csv(s, csv_out)
        md = dashboard.render(s).replace("2 results files", "1 results file")
        outputs.append((doc, csv_out.getvalue(), md))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "content,expected",
    [
        (None, "no such file"),
        (b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary", "not a text file"),
        (b"hello\nworld\n", "no `scorecard org` records"),
        (
            json.dumps(
                {
                    "kind": "repository",
                    "repository": "acme/x",
                    "scanned_at": "yesterday",
                    "scorecard": {},
                }
            ).encode(),
            "record 1 (acme/x)",
        ),
        (
            json.dumps(
                {
                    "kind": "repository",
                    "repository": "acme/x",
                    "scanned_at": "2025-01-01T00:00:00Z",
                    "scorecard": {"schema_version": 99},
                }
            ).encode(),
            "schema_version 99",
        ),
    ],
)
def test_bad_input_file_is_named(tmp_path, capsys, content, expected):
    good = write(tmp_path / "good.jsonl", small_org())
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_bytes(content)
    out = tmp_path / "report.html"
    assert run(str(good), str(bad), "--html", str(out)) == 2
    err = capsys.readouterr().err
    assert f"{bad}: " in err and expected in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_directory_and_mixed_organisations_are_refused(tmp_path):
    with pytest.raises(ReportInputError, match="a directory"):
        load_results([tmp_path])
    a = write(tmp_path / "a.jsonl", [scan("acme"), repo("acme/x", "t")])
    b = write(tmp_path / "b.jsonl", [scan("other"), repo("other/x", "t")])
    with pytest.raises(ReportInputError, match="different organisations"):
        load_results([a, b])


# ---- history and trends -----------------------------------------------------------------------


def test_trends_from_history(tmp_path):
    _, s = report(
        tmp_path,
        small_org(),
        history=[
            {
                "scanned_at": "2025-04-28T06:00:00Z",
                "org": "acme",
                "repos": {"acme/api": [None, 10]},
            },
            {"scanned_at": "2025-05-05T06:01:00Z", "org": "other", "repos": {}},  # not ours
            previous_history(),
            {"scanned_at": "2025-05-19T06:00:00Z", "org": "acme", "repos": {}},  # later: ignored
        ],
    )
    assert s.previous_at == "2025-05-05T06:01:00Z"
    assert dict(s.level_changes) == {"Gold": -1, "Silver": -1, "Bronze": 1, None: 1}
    assert [r.entry.name for r in s.moved(True)] == ["acme/api"]
    assert [r.entry.name for r in s.moved(False)] == ["acme/payments", "acme/deploy"]  # -17 first
    assert [r.entry.name for r in s.new] == ["acme/old-tool"]
    assert s.gone == ["acme/retired"]
    changes = {r.entry.name: r.delta for r in s.score_changes()}
    assert changes == {"acme/api": 17, "acme/payments": -17, "acme/sandbox": 17}
    teams = {t.name: t for t in s.teams}
    assert (teams["payments"].change, teams["payments"].lost) == (-8.5, 1)
    assert (teams["platform"].gained, teams["platform"].lost) == (1, 1)
    assert teams["(no owner)"].change == 17  # like for like: acme/sandbox 50 -> 67
    assert [p.scanned_at for p in s.points] == [
        "2025-04-28T06:00:00Z",
        "2025-05-05T06:01:00Z",
        s.scanned_at,
    ]


def test_history_appended_once(tmp_path, capsys):
    results = write(tmp_path / "r.jsonl", small_org())
    hist = write(tmp_path / "h.jsonl", [previous_history()])
    md = tmp_path / "d.md"
    assert (
        run(str(results), "--history", str(hist), "--no-history-update", "--markdown", str(md)) == 0
    )
    assert len(hist.read_text().splitlines()) == 1
    assert "since 2025-05-05" in md.read_text()
    for _ in range(2):  # a second run on the same results appends nothing more
        assert run(str(results), "--history", str(hist), "--markdown", str(md)) == 0
    lines = hist.read_text().splitlines()
    assert len(lines) == 2
    record = json.loads(lines[1])
    assert record["org"] == "acme" and record["scanned_at"] == "2025-05-12T06:02:00Z"
    assert record["repos"]["acme/api"] == ["Gold", 100]
    assert record["repos"]["acme/old-tool"] == [None, 33]
    assert "acme/broken" not in record["repos"]  # could not be graded: no grade to keep
    assert "already in it" in capsys.readouterr().err
    assert "since 2025-05-05" in md.read_text()  # still compared with the scan before


def test_broken_history_is_named(tmp_path, capsys):
    results = write(tmp_path / "r.jsonl", small_org())
    hist = tmp_path / "h.jsonl"
    hist.write_text('{"scanned_at": "2025-05-05T06:01:00Z", "org": "acme", "repos": [1]}\n')
    assert run(str(results), "--history", str(hist)) == 2
    assert f"{hist}: line 1 is not a history record" in capsys.readouterr().err


# ---- Markdown ---------------------------------------------------------------------------------


def test_markdown_dashboard_snapshot(tmp_path, snapshot):
    _, s = report(tmp_path, small_org(), history=[previous_history()])
    md = dashboard.render(s, report_url="https://acme.github.io/scorecard/report.html")
    assert md == snapshot
    assert md.startswith("<!-- repo-scorecard: org-dashboard -->\n")
    assert "−1 🥇" in md and "| `platform` | 3 | 1 | 1 | 1 | 0 | 83 | 0 (▲1 ▼1) |" in md
    assert md.rstrip().splitlines()[-3].endswith("(https://acme.github.io/scorecard/report.html)")


def test_markdown_first_scan_and_no_url(tmp_path):
    _, s = report(tmp_path, small_org())
    md = dashboard.render(s, report_url="javascript:alert(1)")
    assert "first scan" in md and "javascript" not in md
    assert "the HTML file of this run" in md


def hostile_org():
    return [
        scan("acme"),
        repo(
            HOSTILE_REPO,
            HOSTILE_TEAM,
            BRONZE_MISSING,
            message="<img src=x onerror=alert(3)> @acme/security [x](javascript:alert(4))",
        ),
        repo("acme/pipes", "te|am`x` **bold**", ALL_BUT_GOLD),
        repo("acme/ping", MENTION_TEAM),
        repo("acme/formula", '=HYPERLINK("http://evil.test","x")', owner="+cmd|' /C calc'!A0"),
        error("acme/-bad", "@SUM(1+1) <script>alert(5)</script>"),
        error("acme/err", "=1+2"),
    ]


def test_markdown_escapes_hostile_names(tmp_path):
    _, s = report(tmp_path, hostile_org())
    md = dashboard.render(s)
    body = md.split("\n", 1)[1]  # past our own marker comment
    # Outside code spans (whose text GitHub never reads as HTML), no "<" at all.
    prose = re.sub(r"(`+)(?:(?!\1).)+?\1", "", body)
    assert "<" not in prose and ">" not in prose
    assert f"`{HOSTILE_TEAM}`" in md
    assert "`@acme/everyone`" in md
    assert re.search(r"(?<!`)@acme/everyone", md) is None  # no live mention
    assert "| ``te\\|am`x` **bold**`` | 1 |" in md
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert all(len(re.findall(r"(?<!\\)\|", r)) == 9 for r in rows[:5])


def test_markdown_fits_for_a_huge_org(tmp_path):
    records = [scan()]
    for i in range(12_000):
        team = f"team-{i % 6000:05d}-{'x' * 40}" if i % 50 else None
        records.append(repo(f"acme/repo-{i}", team, ALL_BUT_GOLD if i % 3 else ()))
    _, s = report(tmp_path, records)
    md = dashboard.render(s, report_url="https://example.test/r.html")
    assert len(md) <= dashboard.MAX_CHARS
    more = re.search(r"… ([\d,]+) more teams in the HTML report", md)
    assert more is not None
    shown = md.count("| `team-")
    assert shown > 100 and shown + int(more.group(1).replace(",", "")) == 5880
    assert "| (no owner) | 240 |" in md  # kept however many teams are cut
    assert md.rstrip().endswith("_")  # the footer survived
    assert "[HTML report](https://example.test/r.html)" in md


# ---- JSON and CSV -----------------------------------------------------------------------------


def test_json_snapshot(tmp_path, snapshot):
    results, s = report(tmp_path, small_org(), history=[previous_history()])
    doc = json_doc(s, results)
    given = {r["repository"]: r["scorecard"] for r in small_org() if r["kind"] == "repository"}
    for item in doc["repositories"]:  # every scorecard as it was; the snapshot keeps statuses
        assert item["scorecard"] == given[item["repository"]]
        item["scorecard"] = {c["id"]: c["status"] for c in item["scorecard"]["checks"]}
    assert doc == snapshot
    assert doc["summary"]["levels"] == {"Gold": 1, "Silver": 2, "Bronze": 3, "none": 2}
    assert [r["repository"] for r in doc["repositories"]][:3] == [
        "acme/api",
        "acme/deploy",
        "acme/gateway",
    ]
    assert doc["errors"] == [
        {
            "repository": "acme/broken",
            "scanned_at": "2025-05-12T06:02:00Z",
            "error": "GitHub's GraphQL API did not answer for acme/broken: timeout",
        }
    ]


def test_csv_rows_and_formula_injection(tmp_path):
    _, s = report(tmp_path, hostile_org())
    out = io.StringIO()
    data.write_csv(s, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    by_name = {r["repository"]: r for r in rows}
    assert "'-bad" not in by_name and "'acme/-bad" not in by_name  # "acme/..." is safe
    assert by_name["acme/-bad"]["error"].startswith("'@SUM(1+1)")
    assert by_name["acme/err"]["error"] == "'=1+2"
    assert by_name["acme/formula"]["team"].startswith("'=HYPERLINK(")
    assert by_name["acme/formula"]["owner"].startswith("'+cmd")
    assert by_name["acme/ping"]["team"] == "'@acme/everyone"
    assert by_name["acme/pipes"]["actions-pinned"] == "fail"
    assert by_name["acme/pipes"]["level"] == "Silver" and by_name["acme/pipes"]["score"] == "83"
    assert by_name[HOSTILE_REPO]["failing_checks"] == "codeowners-present security-policy-present"
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), value


# ---- HTML -------------------------------------------------------------------------------------


def embedded(page: str) -> dict:
    m = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL
    )
    assert m is not None
    return json.loads(m.group(1))


def test_html_escapes_hostile_names(tmp_path):
    _, s = report(tmp_path, hostile_org())
    page = html.render(s)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "onerror=alert(2)>" not in page.replace("onerror=alert(2)&gt;", "")
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&lt;!--" in page  # team section
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert page.count("<!--") == 0
    blob = embedded(page)
    assert HOSTILE_REPO in [r[0] for r in blob["rows"]]
    assert HOSTILE_TEAM in blob["teams"]
    found = re.search(r'id="report-data">(.*?)</script>', page, re.DOTALL)
    assert found is not None
    raw = found.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    # the error message, server-rendered
    assert "@SUM(1+1) &lt;script&gt;alert(5)&lt;/script&gt;" in page


def test_html_is_self_contained(tmp_path):
    _, s = report(tmp_path, small_org(), history=[previous_history()])
    page = html.render(s, report_url="https://acme.github.io/r.html")
    assert (
        re.search(
            r"<(script|img|iframe|link|source|video|audio|embed|object)[^>]*\s"
            r"(src|href)=\"(?!data:)",
            page,
        )
        is None
    )
    assert "@import" not in page and "url(" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    assert unescape(csp.group(1)).startswith("default-src 'none'; img-src data:; style-src 'sha")
    for tag in ("svg", "/svg"):
        assert page.count(f"<{tag}") >= 4
    links = re.findall(r'href="([^"#][^"]*)"', page)
    assert links and all(u.startswith(("https://", "data:")) for u in links)


def test_html_table_data(tmp_path):
    _, s = report(tmp_path, small_org(), history=[previous_history()])
    blob = embedded(html.render(s))
    assert blob["levels"] == ["No level", "Bronze", "Silver", "Gold"]
    rows = {r[0]: r for r in blob["rows"]}
    _, team, rank, score, delta, prev, failing = rows["acme/payments"]
    assert (blob["teams"][team], rank, score, delta, prev) == ("payments", 2, 83, -17, 3)
    assert [blob["checks"][i] for i in failing] == ["actions-pinned"]
    assert rows["acme/old-tool"][4] is None  # new: no change to show


# ---- the command ------------------------------------------------------------------------------


def test_every_output_from_the_command(tmp_path, capsys):
    results = write(tmp_path / "r.jsonl", small_org())
    out = tmp_path / "out"
    assert (
        run(
            str(results),
            "--html",
            str(out / "r.html"),
            "--markdown",
            str(out / "d.md"),
            "--json",
            str(out / "r.json"),
            "--csv",
            str(out / "r.csv"),
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "8 repositories graded, 1 could not be graded" in captured.err
    assert json.loads((out / "r.json").read_text())["org"] == "acme"
    assert (out / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert len((out / "r.csv").read_text().splitlines()) == 10


def test_markdown_to_stdout_without_outputs(tmp_path, capsys):
    results = write(tmp_path / "r.jsonl", small_org())
    assert run(str(results)) == 0
    assert capsys.readouterr().out.startswith(dashboard.DASHBOARD_MARKER)


# ---- the dashboard issue ----------------------------------------------------------------------

TOKEN = "ghp_dashboard_token_0123456789"


@pytest.fixture
def gh(fake_github, tmp_path, monkeypatch):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_user("scorecard-bot")
    fake_github.add_repo(
        "acme/.github", build_repo(tmp_path / "dotgithub", {"README.md": "x"}, commit=True)
    )
    fake_github.add_token(TOKEN, ADMIN, login="scorecard-bot")
    for var in (
        "GH_TOKEN",
        "GITHUB_APP_ID",
        "GITHUB_APP_PRIVATE_KEY",
        "GITHUB_APP_INSTALLATION_ID",
        "GITHUB_API_URL",
        "GITHUB_GRAPHQL_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    return fake_github


def test_dashboard_issue_created_once_then_updated(gh, tmp_path, capsys):
    # Someone's own issue that quotes the marker is never taken over.
    gh.add_issue(
        "acme/.github",
        "About the dashboard",
        user="octocat",
        body=dashboard.DASHBOARD_MARKER + "\nhow do I read this?",
    )
    results = write(tmp_path / "r.jsonl", small_org())
    argv = [
        str(results),
        "--issue",
        "acme/.github",
        "--api-url",
        gh.api_url,
        "--report-url",
        "https://acme.github.io/r.html",
    ]
    assert run(*argv) == 0
    assert "dashboard issue acme/.github#2: created" in capsys.readouterr().err
    issues = gh.issues_of("acme/.github")
    assert [i.number for i in issues] == [1, 2]
    mine = issues[1]
    assert mine.title == "Scorecard dashboard: acme" and mine.labels == ["repo-scorecard"]
    assert mine.body.startswith(dashboard.DASHBOARD_MARKER)
    assert issues[0].body.endswith("how do I read this?")

    gh.reset_log()
    assert run(*argv) == 0  # the same results: nothing written
    assert "#2: unchanged" in capsys.readouterr().err
    assert gh.count(method="PATCH") == 0 and gh.count(method="POST") == 0

    newer = write(
        tmp_path / "r2.jsonl",
        [
            scan(started_at="2025-05-19T06:00:00Z"),
            repo("acme/api", "platform", BRONZE_MISSING, scanned_at="2025-05-19T06:01:00Z"),
        ],
    )
    assert run(str(results), str(newer), *argv[1:], "--title", "Maturity of acme") == 0
    assert "#2: updated" in capsys.readouterr().err
    issues = gh.issues_of("acme/.github")
    assert len(issues) == 2
    assert issues[1].title == "Maturity of acme" and "none 3" in issues[1].body
    assert gh.count(method="POST") == 0


def test_dashboard_issue_needs_a_token(tmp_path, monkeypatch, capsys):
    for var in (
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITHUB_APP_ID",
        "GITHUB_APP_PRIVATE_KEY",
        "GITHUB_APP_INSTALLATION_ID",
    ):
        monkeypatch.delenv(var, raising=False)
    results = write(tmp_path / "r.jsonl", small_org())
    md = tmp_path / "d.md"
    assert run(str(results), "--issue", "acme/.github", "--markdown", str(md)) == 2
    assert "no GitHub token" in capsys.readouterr().err
    assert not md.exists()
    assert run(str(results), "--issue", "not a repo") == 2
    assert "write OWNER/REPO" in capsys.readouterr().err
