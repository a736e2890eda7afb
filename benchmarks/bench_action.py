#!/usr/bin/env python3
"""Action benchmark: a pull-request run of ``scorecard action`` on a 5,000-file repository
against the fake GitHub, from the start of the run to the comment posted; and the size of the
Action's image when Docker is usable.

    .venv/bin/python benchmarks/bench_action.py
    .venv/bin/python benchmarks/bench_action.py --files 20000 --runs 5 --container

The repository (fixed seed and dates) is built in a temporary folder with an origin holding the
base on ``main`` and a pull request on ``feature``; the workspace is a clone at the merge
commit, as ``actions/checkout`` makes it, with the base in it (git reads it) or, with
``--shallow``, without (the API serves it). Each run is ``scorecard.action.run`` in-process
with the runner's environment, timed from the call to its return: the comment is posted
before it returns. The first run creates the comment; the following runs push a new commit
that changes the result, so each one edits the comment. ``--container`` also times
``docker run`` of the image (built by tests/test_container.py, or here when missing).

Budgets (DESIGN.md, "Performance budgets"): the whole check and comment under 5 s after the
container starts; the image under 150 MB. This script reports; it exits non-zero only when
something crashed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from actionenv import MATURE, REPO, Project, Runner, parse_outputs  # noqa: E402
from events import Events  # noqa: E402
from fakegithub import ADMIN, WORKFLOW, FakeGitHub  # noqa: E402

from scorecard.action import run  # noqa: E402

IMAGE = "repo-scorecard-action:test"
SEED = 5000
ADMIN_TOKEN = "ghp_bench_admin_0123456789"
WRITE = "ghs_bench_workflow_0123456789"


def tree(n: int) -> dict[str, Any]:
    """``n`` files: services with sources, tests and docs, plus the mature root files."""
    rng = random.Random(SEED)
    files: dict[str, Any] = dict(MATURE)
    kinds = [
        ("src/{s}/mod{i}.py", "def f{i}():\n    return {i}\n"),
        ("tests/{s}/test_mod{i}.py", "def test_{i}():\n    assert {i}\n"),
        ("docs/{s}/page{i}.md", "# Page {i}\n\nText.\n"),
        ("config/{s}/c{i}.yaml", "key{i}: {i}\n"),
    ]
    i = 0
    while len(files) < n:
        service = f"svc{rng.randrange(60):02d}"
        path, body = kinds[i % len(kinds)]
        files[path.format(s=service, i=i)] = body.format(i=i)
        i += 1
    return files


def timed_runs(gh: FakeGitHub, tmp: Path, n_files: int, runs: int, shallow: bool) -> dict[str, Any]:
    project = Project(gh, tmp, tree(n_files))
    gh.add_token(WRITE, WORKFLOW, repo=REPO)
    events = Events(gh, ADMIN_TOKEN)
    head = project.commit("feature", {"CHANGELOG.md": "# 1.0\n"})
    issue = gh.add_pull(REPO, 1, head, project.base)
    runner = Runner(gh, tmp / "runner")
    times, requests, results = [], [], []
    for i in range(runs):
        if i:  # a new push that changes the result: the comment is edited
            change = {"SECURITY.md": None} if i % 2 else {}
            head = project.commit(
                "feature",
                {} if change else {"SECURITY.md": MATURE["SECURITY.md"]},
                remove=tuple(change),
            )
            assert issue.pull is not None
            issue.pull.head_sha = head
        payload = events.pull_request(REPO, 1, action="opened" if not i else "synchronize")
        ws = (
            project.checkout("feature", shallow=True)
            if shallow
            else project.checkout(head, merge_into="main")
        )
        event_path = tmp / f"event{i}.json"
        event_path.write_text(json.dumps(payload))
        env, output, _ = runner.environ("pull_request", event_path, WRITE, ws, head, {})
        gh.reset_log()
        started = time.perf_counter()
        code = run(env, io.StringIO())
        times.append(time.perf_counter() - started)
        outputs = parse_outputs(output.read_text())
        if code != 0 or outputs.get("comment") not in ("created", "updated"):
            raise SystemExit(f"run {i}: exit {code}, comment {outputs.get('comment')}")
        requests.append(gh.count(include_codeload=True))
        results.append(outputs["comment"])
    comment = gh.comments_of(REPO, 1)
    return {
        "times": times,
        "requests": requests,
        "results": results,
        "comments": len(comment),
        "comment_chars": len(comment[0].body),
        "files": int(
            subprocess.run(
                ["git", "ls-files"], cwd=project.origin, capture_output=True, text=True
            ).stdout.count("\n")
        ),
    }


def docker_ok() -> bool:
    return (
        shutil.which("docker") is not None
        and subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0
    )


def image_size(ref: str) -> int | None:
    proc = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Size}}", ref],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(proc.stdout.strip()) if proc.returncode == 0 else None


#: `docker images` size of the official python:3.12-slim (Debian, amd64), which cannot be
#: pulled here: about 125 MB uncompressed (41 MB compressed on Docker Hub).
OFFICIAL_SLIM_BYTES = 125_000_000


def image_report(build: bool) -> None:
    if not docker_ok():
        print(
            "image: Docker is not usable here (run ../shared/tools/standin-base-image "
            "python:3.12-slim); size not measured"
        )
        return
    if image_size(IMAGE) is None or build:
        print(f"building {IMAGE} ...", flush=True)
        subprocess.run(
            ["docker", "build", "--quiet", "--tag", IMAGE, str(ROOT)],
            check=True,
            capture_output=True,
        )
    size = image_size(IMAGE) or 0
    base = image_size("python:3.12-slim") or 0
    layers = subprocess.run(
        ["docker", "history", "--format", "{{.Size}}\t{{.CreatedBy}}", IMAGE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ours = size - base
    print(
        f"image {IMAGE}: {size / 1e6:.1f} MB = base python:3.12-slim {base / 1e6:.1f} MB "
        f"+ ours {ours / 1e6:.1f} MB"
    )
    for line in layers.splitlines():
        amount, _, what = line.partition("\t")
        if amount not in ("0B", "") and ("pip install" in what or "COPY" in what):
            print(f"  {amount:>8}  {what[:90]}")
    estimate = OFFICIAL_SLIM_BYTES + ours
    print(
        f"  with the official python:3.12-slim (~{OFFICIAL_SLIM_BYTES / 1e6:.0f} MB): "
        f"~{estimate / 1e6:.0f} MB (budget: under 150 MB) -> "
        f"{'met' if estimate < 150e6 else 'NOT MET'}"
    )
    print(
        "  note: here python:3.12-slim is the local stand-in (Debian's python3 3.11 with pip "
        "and git, ~290 MB), as no registry is reachable; the image itself installs no git"
    )


def container_run(tmp: Path, n_files: int) -> None:
    with FakeGitHub(validate=False, strict=False) as gh:
        gh.add_org("acme")
        gh.add_token(ADMIN_TOKEN, ADMIN, login="octocat")
        gh.add_token(WRITE, WORKFLOW, repo=REPO)
        project = Project(gh, tmp, tree(n_files))
        head = project.commit("feature", {"CHANGELOG.md": "# 1.0\n"})
        gh.add_pull(REPO, 1, head, project.base)
        payload = Events(gh, ADMIN_TOKEN).pull_request(REPO, 1)
        ws = project.checkout(head, merge_into="main")
        (tmp / "wf").mkdir()
        (tmp / "wf/event.json").write_text(json.dumps(payload))
        files = tmp / "fc"
        files.mkdir()
        env = {
            "INPUT_TOKEN": WRITE,
            "INPUT_FAIL-ON": "none",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_OUTPUT": "/github/file_commands/out",
            "GITHUB_STEP_SUMMARY": "/github/file_commands/summary",
            "GITHUB_API_URL": gh.api_url,
            "GITHUB_GRAPHQL_URL": gh.graphql_url,
            "GITHUB_SERVER_URL": gh.web_url,
            "GITHUB_RUN_ID": "1",
            "GITHUB_SHA": head,
        }
        cmd = [
            "docker",
            "run",
            "--rm",
            "--network",
            "host",
            "--workdir",
            "/github/workspace",
            "-v",
            f"{ws}:/github/workspace",
            "-v",
            f"{tmp / 'wf'}:/github/workflow",
            "-v",
            f"{files}:/github/file_commands",
        ]
        for k, v in env.items():
            cmd += ["-e", f"{k}={v}"]
        started = time.perf_counter()
        proc = subprocess.run([*cmd, IMAGE], capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
        if proc.returncode != 0 or len(gh.comments_of(REPO, 1)) != 1:
            raise SystemExit(f"container run failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        print(
            f"container: docker run to exit, comment posted: {took:.2f} s "
            f"({gh.count()} API requests)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--shallow", action="store_true", help="a shallow checkout: the base commit through the API"
    )
    ap.add_argument(
        "--container",
        action="store_true",
        help="also time `docker run` of the image (needs Docker)",
    )
    ap.add_argument("--build", action="store_true", help="rebuild the image first")
    args = ap.parse_args(argv)
    os.environ.setdefault("SCORECARD_CACHE_DIR", tempfile.mkdtemp(prefix="bench-cache-"))
    with (
        tempfile.TemporaryDirectory(prefix="bench-action-") as tmp,
        FakeGitHub(validate=False, strict=False) as gh,
    ):
        gh.add_org("acme")
        gh.add_team("acme", "platform")
        gh.add_team("acme", "docs")
        gh.add_token(ADMIN_TOKEN, ADMIN, login="octocat")
        print(f"building a {args.files:,}-file repository and its pull request ...", flush=True)
        r = timed_runs(gh, Path(tmp), args.files, args.runs, args.shallow)
    print(
        f"PR run, {r['files']:,} tracked files, base read through "
        f"{'the API' if args.shallow else 'git'}: scorecard action start -> comment posted"
    )
    for i, (t, n, res) in enumerate(zip(r["times"], r["requests"], r["results"], strict=True)):
        print(f"  run {i + 1}: {t:.3f} s  ({n} requests, comment {res})")
    print(
        f"  median {statistics.median(r['times']):.3f} s, min {min(r['times']):.3f} s "
        f"(budget: under 5 s); {r['comments']} comment, {r['comment_chars']:,} characters"
    )
    image_report(args.build)
    if args.container and docker_ok() and image_size(IMAGE) is not None:
        with tempfile.TemporaryDirectory(prefix="bench-container-") as tmp:
            container_run(Path(tmp), args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
