"""Tracking issues for campaigns (issue 12, point 4), against the fake GitHub: an org scan
whose org standard carries a campaign with `issues:`, then `repo-scorecard report
--campaign-issues`: created, left alone, updated, closed, reopened, capped, never a
person's issue, and one broken repository does not stop the others."""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

import pytest
from fakegithub import ADMIN, INSTALLATION
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.cli import main
from scorecard.report.tracking import marker

TOKEN = "ghp_campaign_issues_token"
READ_TOKEN = "ghp_campaign_issues_read_only"
ORG_STANDARD = """\
campaigns:
  - name: changelog
    checks: [changelog-present]
    deadline: 2099-03-31
    owner: "@acme/security"
    description: Every repository says how to report a vulnerability.
    issues: {labels: [security], max_new: 2}
  - name: no-issues-here
    checks: [readme-present]
    deadline: 2099-03-31
"""
BASE = {"README.md": "# x\n\nWords enough to count as a readme.\n", "LICENSE": "MIT\n"}


def commit(root: Path, files: dict[str, str | None]) -> None:
    """A new head for the repository served from ``root``."""
    for name, text in files.items():
        if text is None:
            (root / name).unlink()
        else:
            (root / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "change"], check=True)


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    # an App installation allowed to read issues, not to write them
    gh.add_token(
        READ_TOKEN,
        INSTALLATION,
        org="acme",
        permissions={"contents": "read", "metadata": "read", "issues": "read"},
    )
    dot_files = {**BASE, "org-standards.yml": ORG_STANDARD, "CHANGELOG.md": "# 1\n"}
    dot = build_repo(tmp_path / "dot", dot_files, commit=True)
    gh.add_repo("acme/.github", dot)
    gh.roots = {}
    for i in range(4):
        gh.roots[i] = build_repo(tmp_path / f"svc-{i}", BASE, commit=True)
        gh.add_repo(f"acme/svc-{i}", gh.roots[i])
    ok = {**BASE, "CHANGELOG.md": "# Changelog\n\n## 1.0\n"}
    gh.add_repo("acme/good", build_repo(tmp_path / "ok", ok, commit=True))
    return gh


def scan_and_report(gh, tmp_path: Path, token: str = TOKEN, n: int = 1) -> tuple[int, str]:
    out = tmp_path / f"results-{n}.jsonl"
    base = ["--api-url", gh.api_url, "--token", token]
    assert main(["org", "acme", "--output", str(out), *base], stdout=io.StringIO()) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["report", str(out), "--campaign-issues", *base], stdout=io.StringIO())
    return code, err.getvalue()


def ours(gh, repo: str) -> list:
    return [i for i in gh.issues_of(repo) if (i.body or "").startswith(marker("changelog"))]


def test_issues_opened_capped_then_left_alone(org, tmp_path):
    code, log = scan_and_report(org, tmp_path)
    assert code == 0, log
    opened = {r for r in (f"acme/svc-{i}" for i in range(4)) if ours(org, r)}
    assert len(opened) == 2, log  # max_new: 2
    assert "2 more repositories fall short; not opened this scan (max_new 2)" in log
    assert ours(org, "acme/good") == [] and ours(org, "acme/.github") == []
    issue = ours(org, sorted(opened)[0])[0]
    assert issue.title == "Scorecard campaign: changelog"
    assert set(issue.labels) == {"repo-scorecard", "security"}
    assert "`changelog-present`" in issue.body and "Due **2099-03-31**" in issue.body
    assert "`@acme/security`" in issue.body
    # the next scan opens the other two and writes nothing else
    org.reset_log()
    code, log = scan_and_report(org, tmp_path, n=2)
    assert all(len(ours(org, f"acme/svc-{i}")) == 1 for i in range(4))
    assert "2 opened, 0 updated, 0 reopened, 0 closed, 2 unchanged" in log
    # a third: nothing written at all
    org.reset_log()
    code, log = scan_and_report(org, tmp_path, n=3)
    assert "0 opened, 0 updated, 0 reopened, 0 closed, 4 unchanged" in log
    assert org.count("POST", "/repos/acme/svc") == org.count("PATCH", "/repos/acme/svc") == 0


def test_issue_closed_when_met_and_reopened_when_it_falls_short_again(org, tmp_path):
    scan_and_report(org, tmp_path)
    n = next(i for i in range(4) if ours(org, f"acme/svc-{i}"))
    target = f"acme/svc-{n}"
    commit(org.roots[n], {"CHANGELOG.md": "# Changelog\n\n## 1.0\n"})
    code, log = scan_and_report(org, tmp_path, n=2)
    assert code == 0, log
    (issue,) = ours(org, target)
    assert issue.state == "closed" and issue.state_reason == "completed", log
    notes = [c.body for c in org.comments_of(target, issue.number)]
    assert len(notes) == 1 and notes[0].startswith("Met as of the scan of")
    commit(org.roots[n], {"CHANGELOG.md": None})
    scan_and_report(org, tmp_path, n=3)
    (issue,) = ours(org, target)
    assert issue.state == "open" and issue.state_reason == "reopened"


def test_a_persons_issue_quoting_the_marker_is_not_taken_over(org, tmp_path):
    quoted = marker("changelog") + "\nplease fix"
    for i in range(4):
        org.add_issue(f"acme/svc-{i}", "x", body=quoted, user="person", labels=["repo-scorecard"])
    scan_and_report(org, tmp_path)
    for i in range(4):
        theirs = [x for x in ours(org, f"acme/svc-{i}") if x.user == "person"]
        assert len(theirs) == 1 and theirs[0].body == quoted and theirs[0].state == "open"
    assert sum(1 for i in range(4) for x in ours(org, f"acme/svc-{i}") if x.user == "owner") == 2


def test_read_only_token_logs_each_repository_and_goes_on(org, tmp_path):
    out = tmp_path / "r.jsonl"
    base = ["--api-url", org.api_url, "--token", TOKEN]
    assert main(["org", "acme", "--output", str(out), *base], stdout=io.StringIO()) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            [
                "report",
                str(out),
                "--campaign-issues",
                "--api-url",
                org.api_url,
                "--token",
                READ_TOKEN,
            ],
            stdout=io.StringIO(),
        )
    assert code == 0
    log = err.getvalue()
    assert log.count("campaign issues: acme/svc-") == 2  # max_new: two attempts, each logged
    assert "2 repositories could not be written" in log
    assert all(ours(org, f"acme/svc-{i}") == [] for i in range(4))
    assert "Traceback" not in log and READ_TOKEN not in log
    assert "Resource not accessible by integration" in log


def test_without_a_token_one_clear_message(org, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    out = tmp_path / "r.jsonl"
    base = ["--api-url", org.api_url, "--token", TOKEN]
    assert main(["org", "acme", "--output", str(out), *base], stdout=io.StringIO()) == 0
    code = main(
        ["report", str(out), "--campaign-issues", "--api-url", org.api_url], stdout=io.StringIO()
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "token" in err.lower() and "Traceback" not in err
