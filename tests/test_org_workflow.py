"""The reusable workflow's scan step (.github/workflows/org-scan.yml), run as the runner runs
it (bash, the step's environment) against the fake GitHub: incremental from the second run on,
and a run stopped by max-requests continued by the next one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghp_org_workflow_token"


def scan_step() -> dict:
    workflow = yaml.safe_load((ROOT / ".github/workflows/org-scan.yml").read_text("utf-8"))
    steps = workflow["jobs"]["scan"]["steps"]
    return next(s for s in steps if "repo-scorecard org" in str(s.get("run")))


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    root = build_repo(tmp_path / "tpl", {"README.md": "# x\n", "LICENSE": "MIT\n"}, commit=True)
    for i in range(10):
        gh.add_repo(f"acme/svc-{i}", root)
    return gh


def run_step(gh, workdir: Path, *, incremental: bool, max_requests: int = 0) -> str:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    bindir = str(Path(sys.executable).parent)
    assert (Path(bindir) / "repo-scorecard").exists(), "the package's console script"
    env = {
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": gh.api_url,
        "GITHUB_GRAPHQL_URL": gh.graphql_url,
        "ORG": "acme",
        "SHARD": "1/1",
        "INCREMENTAL": "yes" if incremental else "",
        "MAX_REQUESTS": str(max_requests),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", scan_step()["run"]],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def records(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def test_the_second_run_is_incremental(org, tmp_path):
    work = tmp_path / "cache"  # what actions/cache restores between runs
    work.mkdir()
    run_step(org, work, incremental=True)
    downloads = org.count(kind="codeload")
    log = run_step(org, work, incremental=True)
    assert org.count(kind="codeload") == downloads
    assert "0 graded, 10 reused" in log
    out = records(work / "results-1-of-1.jsonl")
    assert sum(1 for r in out if r.get("reused")) == 10


def test_a_run_stopped_by_max_requests_is_continued(org, tmp_path):
    work = tmp_path / "cache"
    work.mkdir()
    log = run_step(org, work, incremental=True, max_requests=3)
    assert "stopped before --max-requests 3" in log
    assert (work / "results-1-of-1.jsonl.partial").exists()
    run_step(org, work, incremental=True)
    assert not (work / "results-1-of-1.jsonl.partial").exists()
    names = [r["repository"] for r in records(work / "results-1-of-1.jsonl") if "scorecard" in r]
    assert len(names) == len(set(names)) == 10


def test_the_cache_steps_keep_what_the_scan_step_writes():
    workflow = yaml.safe_load((ROOT / ".github/workflows/org-scan.yml").read_text("utf-8"))
    steps = workflow["jobs"]["scan"]["steps"]
    caches = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache/")]
    assert [s["uses"].split("@")[0] for s in caches] == [
        "actions/cache/restore",
        "actions/cache/save",
    ]
    restore, save = caches
    assert restore["with"]["path"] == save["with"]["path"] == "results-*.jsonl*"
    assert restore["with"]["key"] == save["with"]["key"]
    assert save["if"] == "inputs.incremental && always()"
