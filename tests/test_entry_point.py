"""The ``scorecard`` command and ``python -m scorecard``: the CLI and its one parser."""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import subprocess
import sys
from pathlib import Path

from harness import build_repo


def test_the_console_scripts_are_the_cli():
    scripts = {
        ep.name: ep.value
        for ep in md.entry_points(group="console_scripts")
        if ep.value.startswith("scorecard.")
    }
    assert scripts == {"repo-scorecard": "scorecard.cli:main", "scorecard": "scorecard.cli:main"}


def test_help_names_the_command_as_typed(tmp_path):
    for name in ("repo-scorecard", "scorecard"):
        script = Path(sys.executable).with_name(name)
        assert script.exists(), f"pip install -e . installs {name} beside {sys.executable}"
        run = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and run.stdout.startswith(f"usage: {name} "), run.stdout
        assert f"start with `{name} check .`" in run.stdout


def _command() -> list[str]:
    script = Path(sys.executable).with_name("scorecard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scorecard"]


def test_flags_before_the_target_grade_the_target(tmp_path):
    """`scorecard check -v /repo`: the target is what argparse says it is."""
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    for argv in (_command(), [sys.executable, "-m", "scorecard"]):
        run = subprocess.run(
            [*argv, "check", "-v", "-f", "json", "--only", "readme-present", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, "SCORECARD_NO_CACHE": "1"},
        )
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout)
        assert report["target"] == str(root)
        assert [c["id"] for c in report["checks"]] == ["readme-present"]
        assert "scorecard: check readme-present" in run.stderr  # --verbose took effect


def test_the_output_is_whole_and_the_status_kept(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    run = subprocess.run(
        [*_command(), "check", str(root), "--format", "json", "--fail-under", "gold"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and json.loads(run.stdout)["target"] == str(root)
    out = tmp_path / "card.json"
    run = subprocess.run(
        [*_command(), "check", str(root), "-f", "json", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and json.loads(out.read_text())["checks"]
