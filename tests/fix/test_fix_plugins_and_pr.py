"""A plugin's fix (entry-point group `scorecard.fixes`), and `repo-scorecard fix OWNER/REPO
--pr` against the fake GitHub: the same fixes proposed as one pull request."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo
from test_plugins import install_fake_dist

from scorecard.cli import main

PLUGIN = '''"""Has a Dockerfile"""
from scorecard.check import check
from scorecard.fix import Edit, FixOutcome
from scorecard.model import failed, passed


@check(id="dockerfile-present", pillar="ops", title="Has a Dockerfile",
       remediation="Add a Dockerfile.")
def run(snap, opts):
    return passed("found") if snap.has("Dockerfile") else failed("no Dockerfile")


def fix(snap, ctx):
    return FixOutcome((Edit("Dockerfile", None, "FROM scratch\\n", "a Dockerfile"),))
'''


def test_a_plugin_offers_a_fix(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "acme_fixes.py").write_text(PLUGIN)
    install_fake_dist(site, "acme-fixes", "dockerfile-present = acme_fixes:run")
    info = next(site.glob("*.dist-info"))
    with open(info / "entry_points.txt", "a") as fh:
        fh.write("\n[scorecard.fixes]\ndockerfile-present = acme_fixes:fix\n")
    root = build_repo(tmp_path / "r", {"README.md": "# x\n"})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-m", "scorecard.cli", "fix", str(root), "--only", "dockerfile-present"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "fixed  dockerfile-present: Dockerfile (a Dockerfile)" in done.stdout
    assert (root / "Dockerfile").read_text() == "FROM scratch\n"


TOKEN = "ghp_fix_pr_cli_token"


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_token(TOKEN, ADMIN, login="owner")
    fake_github.root = build_repo(tmp_path / "api", {"README.md": "# api\n\nWords.\n"}, commit=True)
    fake_github.add_repo("acme/api", fake_github.root)
    return fake_github


def run_fix(gh, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        [
            "fix",
            "acme/api",
            "--pr",
            "--api-url",
            gh.api_url,
            "--token",
            TOKEN,
            "--only",
            "changelog-present,contributing-present",
            *args,
        ],
        stdout=out,
    )
    return code, out.getvalue()


def test_fix_pull_request_from_the_command_line(gh):
    code, out = run_fix(gh, "--dry-run")
    assert code == 0 and "pull request: would be opened" in out
    assert gh.issues_of("acme/api", pulls=True) == []
    code, out = run_fix(gh)
    assert code == 0 and "pull request #1: opened" in out, out
    (pr,) = gh.issues_of("acme/api", pulls=True)
    assert pr.pull.head_ref == "scorecard/fixes"
    assert "[`changelog-present`](" in pr.body and "adds `CHANGELOG.md`" in pr.body
    files = subprocess.run(
        ["git", "-C", str(gh.root), "ls-tree", "--name-only", "scorecard/fixes"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert {"CHANGELOG.md", "CONTRIBUTING.md", "README.md"} == set(files)
    code, out = run_fix(gh)
    assert "pull request #1: unchanged" in out and len(gh.issues_of("acme/api", pulls=True)) == 1


def test_fix_owner_repo_needs_pr(gh, capsys):
    assert main(["fix", "acme/api", "--api-url", gh.api_url, "--token", TOKEN]) == 2
    assert "fix OWNER/REPO needs --pr" in capsys.readouterr().err
