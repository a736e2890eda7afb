"""The `workflow` primitive: `uses` (a glob on owner/repo[/path]@ref) and `runs` (a command, as
the CI analyser of ci-runs-tests reads it: wrappers and indirection count)."""

from __future__ import annotations

import json
import subprocess
import sys

from harness import build_repo

from scorecard.model import Location, Status

WF = """\
on: push
jobs:
  ci:
    uses: acme/ci-templates/.github/workflows/python.yml@v3
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make lint
"""
MAKEFILE = "lint:\n\tuv run ruff check .\n"

STD = """
rules:
  - id: org-ci-template
    require: { workflow: { uses: "acme/ci-templates/.github/workflows/*" } }
  - id: pinned-checkout
    require: { workflow: { uses: "actions/checkout@v4" } }
  - id: runs-ruff
    require: { workflow: { runs: "ruff check" } }
  - id: runs-mypy
    require: { workflow: { runs: mypy } }
"""


def test_uses_and_runs(apply_rules):
    res = apply_rules(STD, {".github/workflows/ci.yml": WF, "Makefile": MAKEFILE})
    assert res["org-ci-template"].status is Status.PASS
    assert res["org-ci-template"].locations == (Location(".github/workflows/ci.yml", 4),)
    assert res["pinned-checkout"].status is Status.PASS
    ruff = res["runs-ruff"]
    assert ruff.status is Status.PASS and "Makefile" in ruff.message  # followed through make
    mypy = res["runs-mypy"]
    assert mypy.status is Status.FAIL and "mypy" in mypy.message


def test_no_workflow(apply_rules):
    res = apply_rules(STD, {"README.md": "x"})
    assert res["org-ci-template"].status is Status.FAIL
    assert "no CI step uses" in res["org-ci-template"].message


def test_runs_sees_through_wrappers_and_npm_scripts(apply_rules):
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: uv run python -m pytest -q\n      - run: npm run lint\n"
    )
    std = (
        "rules:\n  - {id: py, require: {workflow: {runs: pytest}}}\n"
        '  - {id: es, require: {workflow: {runs: "eslint *"}}}\n'
    )
    res = apply_rules(
        std, {".github/workflows/ci.yml": wf, "package.json": '{"scripts": {"lint": "eslint src"}}'}
    )
    assert res["py"].status is Status.PASS
    assert res["py"].locations == (Location(".github/workflows/ci.yml", 6),)
    assert res["es"].status is Status.PASS and "package.json" in res["es"].message


def test_workflow_rules_work_from_an_installed_package(tmp_path):
    """The CI analyser is imported as the installed package names it (`scorecard.checks`),
    not as the source tree's folder: the command runs from another directory."""
    root = build_repo(tmp_path / "r", {".github/workflows/ci.yml": WF, "Makefile": MAKEFILE})
    cfg = tmp_path / "std.yml"
    cfg.write_text(STD)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scorecard.cli",
            "check",
            str(root),
            "--config",
            str(cfg),
            "--only",
            "runs-ruff",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert json.loads(proc.stdout)["checks"][0]["status"] == "pass", proc.stdout + proc.stderr
