"""Answers that are not GitHub's, through the commands (fault 12): a non-JSON 200 (a captive
portal, a misconfigured proxy) is a one-line error naming the URL path, never a traceback nor
"not found", and never the token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakegithub import ADMIN, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

TOKEN = "ghp_admin_token_0123456789"


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_token(TOKEN, ADMIN, login="admin-user")
    root = build_repo(tmp_path / "widgets", {"README.md": "# hi\n"}, commit=True)
    fake_github.add_repo("acme/widgets", root)
    return fake_github


def scorecard(gh: FakeGitHub, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(GITHUB_TOKEN=TOKEN, GITHUB_API_URL=gh.api_url, GITHUB_GRAPHQL_URL=gh.graphql_url)
    return subprocess.run(
        [sys.executable, "-m", "scorecard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], path: str) -> None:
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("scorecard: ")]
    assert len(errors) == 1, proc.stderr
    assert "not valid JSON" in errors[0] and path in errors[0]
    assert "Traceback" not in proc.stderr and "not found" not in proc.stderr
    assert TOKEN not in proc.stderr + proc.stdout


def test_check_says_the_graphql_answer_was_not_json(gh, tmp_path):
    gh.garbage = ("/graphql",)
    assert_one_line_error(scorecard(gh, tmp_path, "check", "acme/widgets"), "/api/graphql")


def test_org_says_the_listing_was_not_json(gh, tmp_path):
    gh.garbage = ("/orgs/acme/repos",)
    proc = scorecard(gh, tmp_path, "org", "acme", "-o", "results.jsonl", "--quiet")
    assert_one_line_error(proc, "/api/v3/orgs/acme/repos")


def test_org_says_the_graphql_answer_was_not_json(gh, tmp_path):
    gh.garbage = ("/graphql",)
    proc = scorecard(gh, tmp_path, "org", "acme", "-o", "results.jsonl", "--quiet")
    assert_one_line_error(proc, "/api/graphql")
