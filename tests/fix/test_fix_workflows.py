"""Fixes to workflows, as YAML round trips: permissions restricted (job-level where a job
needs more, the workflow left alone when that cannot be told), actions pinned through the API
(the fake GitHub), comments and layout kept, a second run a no-op."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.cli import main
from scorecard.fix.workflows import guess_indent

WORKFLOW = """\
name: CI   # the main pipeline
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4   # fetch the code
      - run: make test
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: softprops/action-gh-release@v2
"""


def fix(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["fix", str(root), *args], stdout=out), out.getvalue()


def check(root: Path, cid: str) -> str:
    out = io.StringIO()
    main(["check", str(root), "--only", cid, "--format", "json"], stdout=out)
    return str(json.loads(out.getvalue())["checks"][0]["status"])


def test_permissions_keep_the_file_and_widen_only_what_jobs_need(tmp_path):
    root = build_repo(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    code, out = fix(root, "--only", "workflow-permissions-restricted")
    assert code == 0 and "job-level for release" in out
    text = (root / ".github/workflows/ci.yml").read_text()
    assert text == WORKFLOW.replace("jobs:\n", "permissions:\n  contents: read\njobs:\n").replace(
        "  release:\n    runs-on: ubuntu-latest\n",
        "  release:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n",
    )
    assert check(root, "workflow-permissions-restricted") == "pass"
    assert "nothing to do" in fix(root, "--only", "workflow-permissions-restricted")[1]


@pytest.mark.parametrize(
    ("job", "why"),
    [
        ("    uses: acme/ci/.github/workflows/build.yml@v1\n", "calls a reusable workflow"),
        (
            "    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n",
            "uses actions/github-script",
        ),
        ("    runs-on: x\n    steps:\n      - run: gh release create v1\n", "runs gh, git push"),
    ],
)
def test_a_job_whose_needs_cannot_be_told_leaves_the_workflow_alone(tmp_path, job, why):
    text = "on: push\njobs:\n  x:\n" + job
    root = build_repo(tmp_path / "r", {".github/workflows/w.yml": text})
    _, out = fix(root, "--only", "workflow-permissions-restricted")
    assert "skipped  workflow-permissions-restricted" in out and why in out
    assert (root / ".github/workflows/w.yml").read_text() == text


def test_a_workflow_that_does_not_parse_is_left_alone(tmp_path):
    bad = "on: push\njobs: [\n"
    good = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n"
    root = build_repo(
        tmp_path / "r", {".github/workflows/a.yml": bad, ".github/workflows/b.yml": good}
    )
    _, out = fix(root, "--only", "workflow-permissions-restricted")
    assert "fixed" in out and "a.yml:" in out and "does not parse: left alone" in out
    assert (root / ".github/workflows/a.yml").read_text() == bad


@pytest.mark.parametrize(
    ("text", "expected"),
    [(WORKFLOW, (2, 2)), ("on: push\njobs:\n    a:\n        steps:\n        - run: x\n", (4, 0))],
)
def test_indentation_is_the_file_own(text, expected):
    assert guess_indent(text) == expected


TOKEN = "ghp_fix_workflows_token"


@pytest.fixture
def actions(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_token(TOKEN, ADMIN, login="owner")
    gh.add_org("actions")
    src = build_repo(tmp_path / "checkout-src", {"action.yml": "name: checkout\n"}, commit=True)
    subprocess.run(["git", "-C", str(src), "tag", "v4"], check=True)
    gh.add_repo("actions/checkout", src)
    gh.sha = subprocess.run(
        ["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return gh


def test_actions_pinned_through_the_api_with_the_tag_kept(actions, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", actions.api_url)
    root = build_repo(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    code, out = fix(
        root, "--only", "actions-pinned", "--token", TOKEN, "--api-url", actions.api_url
    )
    assert code == 0, out
    text = (root / ".github/workflows/ci.yml").read_text()
    line = next(x for x in text.splitlines() if "actions/checkout" in x)
    assert line == f"      - uses: actions/checkout@{actions.sha}  # v4 (fetch the code)", line
    assert "softprops/action-gh-release@v2" in text  # unknown here: left, and said
    assert "softprops/action-gh-release@v2:" in out
    assert "# the main pipeline" in text and text.count("\n") == WORKFLOW.count("\n")


def test_actions_pinned_offline_skips_with_the_reason(tmp_path, monkeypatch):
    for var in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    root = build_repo(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    _, out = fix(root, "--only", "actions-pinned")
    assert "skipped  actions-pinned: resolving tags to commits needs the GitHub API" in out


def test_a_repository_whose_only_workflow_does_not_parse_is_told_why(tmp_path):
    root = build_repo(tmp_path / "r", {".github/workflows/ci.yml": "on: push\njobs: [\n"})
    _, out = fix(root, "--only", "workflow-permissions-restricted")
    assert "skipped  workflow-permissions-restricted: the check is skipped:" in out
    assert "ci.yml" in out
