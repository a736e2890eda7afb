"""Fix pull requests for a whole organisation (issue 12, point 2): opt-in in the org standard,
one pull request per repository with fixable failures, capped per scan, idempotent, recorded."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.cli import main

TOKEN = "ghp_fix_org_token"
README = "# svc\n\nWords enough for a readme of this service.\n"


def org_of(gh, tmp_path: Path, standard: str, n: int = 3) -> None:
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    dot = {"README.md": README, "org-standards.yml": standard, "CHANGELOG.md": "# 1\n"}
    gh.add_repo("acme/.github", build_repo(tmp_path / "dot", dot, commit=True))
    for i in range(n):
        root = build_repo(tmp_path / f"svc{i}", {"README.md": README}, commit=True)
        gh.add_repo(f"acme/svc-{i}", root)
    gh.add_repo(
        "acme/done",
        build_repo(tmp_path / "done", {"README.md": README, "CHANGELOG.md": "# 1\n"}, commit=True),
    )


def scan(gh, tmp_path: Path, name: str, *extra: str) -> tuple[int, list[dict], str]:
    out = tmp_path / name
    err = io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        code = main(
            [
                "org",
                "acme",
                "--api-url",
                gh.api_url,
                "--token",
                TOKEN,
                "--output",
                str(out),
                "--fix-prs",
                *extra,
            ],
            stdout=io.StringIO(),
        )
    recs = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    return code, recs, err.getvalue()


OPT_IN = (
    "extends: none\nlevels:\n  - {name: Bronze, checks: [changelog-present]}\n"
    "fix: {pull_requests: true, max_new: 2}\n"
)


def pulls(gh, repo: str) -> list:
    return gh.issues_of(repo, pulls=True)


def test_fix_pull_requests_across_the_org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path, OPT_IN)
    code, recs, log = scan(gh, tmp_path, "1.jsonl", "--include", "svc-*", "--include", "done")
    assert code == 0, log
    fix = {r["repository"]: r.get("fix_pr") for r in recs if r["kind"] == "repository"}
    assert fix["acme/done"] == {"action": "nothing"}
    opened = [r for r, f in fix.items() if f and f["action"] == "opened"]
    held = [r for r, f in fix.items() if f and f["action"] == "held back"]
    assert len(opened) == 2 and len(held) == 1  # max_new: 2
    assert "fix pull requests: 2 new, 1 more held back by fix.max_new" in log
    for repo in opened:
        (pr,) = pulls(gh, repo)
        assert pr.pull.head_ref == "scorecard/fixes" and "CHANGELOG.md" in pr.body
    # the next scan: the open ones are unchanged, the held-back one is opened
    code, recs, log = scan(gh, tmp_path, "2.jsonl", "--include", "svc-*", "--include", "done")
    fix = {r["repository"]: r.get("fix_pr") for r in recs if r["kind"] == "repository"}
    assert sorted(f["action"] for r, f in fix.items() if r != "acme/done" and f) == [
        "opened",
        "unchanged",
        "unchanged",
    ]
    assert all(len(pulls(gh, f"acme/svc-{i}")) == 1 for i in range(3))


def test_without_the_opt_in_the_scan_refuses(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path, "checks: {changelog-present: true}\n", n=1)
    code, _, log = scan(gh, tmp_path, "1.jsonl")
    assert code == 2 and "does not opt in to fix pull requests" in log
    assert pulls(gh, "acme/svc-0") == []


def test_the_readme_workflow_uses_real_inputs():
    import re

    import yaml

    root = Path(__file__).resolve().parents[2]
    text = (root / "README.md").read_text("utf-8")
    section = text.split("### Fixing what can be fixed", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    (step,) = yaml.safe_load(block)["jobs"]["fix"]["steps"]
    inputs = set(yaml.safe_load((root / "action.yml").read_text("utf-8"))["inputs"])
    assert set(step["with"]) <= inputs and step["with"]["fix-prs"] is True
