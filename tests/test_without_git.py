"""With no git binary on PATH (the Action's image has none), ``scorecard check`` and the Action
answer exactly as with git: the tracked files come from git's index read in Python, the content
scan reads the work tree, and the Action reads the pull request's base through the API.

Each run here is a separate process whose PATH holds no git (the interpreter is started by its
absolute path), so nothing in it can reach git; the fake GitHub, in this process, still can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from actionenv import MATURE, REPO, Project, Result, Runner, parse_outputs
from events import Events
from fakegithub import ADMIN, WORKFLOW
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import Symlink, build_repo, git

from scorecard.render import comment as comment_render

ADMIN_TOKEN = "ghp_admin_0123456789abcdefABCDEF"
WRITE = "ghs_nogitTOKEN0123456789abcdefXYZ00"
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"


@pytest.fixture
def no_git_path(tmp_path: Path) -> str:
    """A PATH with no git on it (an empty folder)."""
    empty = tmp_path / "bin-without-git"
    empty.mkdir()
    return str(empty)


def scorecard(
    *args: str, path: str | None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    if path is not None:
        full["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "scorecard", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_no_git_on_the_path_really_means_no_git(no_git_path):
    proc = scorecard("check", "--help", path=no_git_path)
    assert proc.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", "import shutil; print(shutil.which('git'))"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": no_git_path},
        check=True,
    )
    assert probe.stdout.strip() == "None"


def test_check_json_is_the_same_with_and_without_git(tmp_path, no_git_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("outside")
    sub = build_repo(tmp_path / "sub", {"x.pem": KEY}, commit=True)
    root = build_repo(
        tmp_path / "repo",
        {
            **MATURE,
            "docs/index.md": "# Docs\n",
            "docs/link.md": Symlink("index.md"),
            "escape.md": Symlink(str(outside)),
            "dangling.md": Symlink("nowhere"),
            "tests/fixtures/key.pem": KEY,
            "big/key.pem": KEY + "x" * (2 << 20),
            "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary",
            "notes/" + os.fsdecode(b"caf\xe9.txt"): "caf\xe9".encode("latin-1"),
            ".gitignore": "*.log\nbuild/\n",
        },
        commit=True,
    )
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/sub")
    git(root, "commit", "-qm", "submodule")
    # the work tree is not the commit: untracked and ignored files never count, changed files
    # count as they are now
    (root / "LICENSE").unlink()
    (root / "SECURITY.md").write_text(KEY)
    (root / "untracked.pem").write_text(KEY)
    (root / "debug.log").write_text(KEY)
    (root / "build").mkdir()
    (root / "build/out.pem").write_text(KEY)
    (root / "README.md").write_text("# Widgets\n")
    git(root, "add", "README.md")

    runs = {}
    for name, path in (("git", None), ("no git", no_git_path)):
        proc = scorecard(
            "check",
            str(root),
            "--format",
            "json",
            path=path,
            env={"SCORECARD_CACHE_DIR": str(tmp_path / f"cache-{name}")},
        )
        assert proc.returncode == 0, proc.stderr
        runs[name] = proc.stdout
    assert runs["no git"] == runs["git"]
    report = json.loads(runs["no git"])
    assert report["commit"] == git(root, "rev-parse", "HEAD").strip()
    assert report["warnings"] == []
    keys = next(c for c in report["checks"] if c["id"] == "no-private-keys")
    assert [loc["path"] for loc in keys["locations"]] == ["SECURITY.md"]  # not the fixture


def test_check_of_a_linked_work_tree_and_a_subfolder_without_git(tmp_path, no_git_path):
    root = build_repo(tmp_path / "repo", {**MATURE, "docs/guide.md": "# Guide\n"}, commit=True)
    wt = tmp_path / "wt"
    git(root, "worktree", "add", "-q", "-b", "topic", str(wt))
    (wt / "new.pem").write_text(KEY)
    git(wt, "add", "new.pem")
    for target in (wt, wt / "docs", root / "docs"):
        with_git = scorecard("check", str(target), "--format", "json", path=None)
        without = scorecard("check", str(target), "--format", "json", path=no_git_path)
        assert with_git.returncode == without.returncode == 0, without.stderr
        assert without.stdout == with_git.stdout, target


# ---- the Action ---------------------------------------------------------------------------------


def run_action(
    runner: Runner,
    payload: dict[str, Any],
    token: str,
    workspace: Path,
    path: str,
    sha: str,
    **inputs: str,
) -> Result:
    """``scorecard action`` in its own process, as the container runs it, with ``path`` as
    PATH."""
    event_dir = runner.tmp / f"workflow_{runner.runs + 1}"
    event_dir.mkdir(parents=True)
    (event_dir / "event.json").write_text(json.dumps(payload), encoding="utf-8")
    env, output, summary = runner.environ(
        "pull_request", event_dir / "event.json", token, workspace, sha, inputs
    )
    proc = scorecard("action", path=path, env=env, cwd=workspace)
    return Result(
        proc.returncode,
        proc.stdout + proc.stderr,
        parse_outputs(output.read_text("utf-8")),
        summary.read_text("utf-8"),
        workspace,
    )


@pytest.mark.parametrize("shallow", [False, True])
def test_action_pull_request_without_git_gives_the_same_comment(
    fake_github,  # noqa: F811
    tmp_path,
    no_git_path,
    shallow,
):
    """Without git, the base is read from the checkout's object store in Python; a shallow
    checkout lacks it, and the base comes through the API. The comment is the same."""
    gh = fake_github
    gh.add_org("acme")
    gh.add_team("acme", "platform", members=["alice"])
    gh.add_team("acme", "docs")
    gh.add_token(ADMIN_TOKEN, ADMIN, login="octocat")
    gh.add_token(WRITE, WORKFLOW, repo=REPO)
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "LICENSE"})
    sha = project.commit("feature", {"LICENSE": MATURE["LICENSE"], "docs/guide.md": "# G\n"})
    gh.add_pull(REPO, 7, sha, project.base)
    payload = Events(gh, ADMIN_TOKEN).pull_request(REPO, 7)
    # a full clone has the base (packed, as a clone packs it); a shallow one (fetch-depth: 1)
    # has only the head
    ws = (
        project.checkout(sha, shallow=True) if shallow else project.checkout(sha, merge_into="main")
    )
    (ws / "leftover.pem").write_text(KEY)  # untracked: never graded
    runner = Runner(gh, tmp_path / "runner")

    gh.reset_log()
    with_git = run_action(
        runner, payload, WRITE, ws, os.environ["PATH"], sha, **{"fail-on": "regression"}
    )
    assert with_git.code == 0, with_git.log
    if not shallow:
        assert gh.count(kind="graphql") == 0 and gh.count(kind="codeload") == 0  # from git
    assert with_git.outputs["comment"] == "created"
    body = gh.comments_of(REPO, 7)[0].body
    assert "fixed `license-present`" in body

    gh.reset_log()
    without = run_action(runner, payload, WRITE, ws, no_git_path, sha, **{"fail-on": "regression"})
    assert without.code == 0, without.log
    if shallow:
        assert gh.count(kind="graphql") >= 1  # the base through the API
    else:
        assert gh.count(kind="graphql") == 0 and gh.count(kind="codeload") == 0
    assert without.outputs["comment"] == "unchanged"  # the very same comment
    assert len(gh.comments_of(REPO, 7)) == 1 and gh.comments_of(REPO, 7)[0].body == body
    saved = (ws / without.outputs["comment-path"]).with_name("comment.md").read_text("utf-8")
    assert comment_render.same_comment(body, saved)
    for key in ("score", "level", "base-score", "base-level", "passed"):
        assert without.outputs[key] == with_git.outputs[key], key
    assert without.report["comparison"] == with_git.report["comparison"]
    assert without.report["scorecard"] == with_git.report["scorecard"]
    assert not any("git" in w for w in without.report["scorecard"]["warnings"])
    assert "leftover.pem" not in json.dumps(without.report)
