"""The pre-commit hook (.pre-commit-hooks.yaml), as a project that uses it runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import build_repo

ROOT = Path(__file__).resolve().parent.parent


def _pre_commit() -> str:
    found = shutil.which(
        "pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is not installed (pip install -e '.[dev]')")
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit try-repo needs this repository's git history")
    return found


def test_the_manifest_is_valid():
    proc = subprocess.run(
        [_pre_commit(), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_hook_grades_the_repository_and_fails_below_the_level(tmp_path):
    tool = _pre_commit()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "SCORECARD_NO_CACHE": "1"}
    bare = build_repo(tmp_path / "bare", {"src/app.py": "print(1)\n"}, commit=True)

    def hook(repo: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool, "try-repo", str(ROOT), "repo-scorecard", "--all-files", "--verbose"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    below = hook(bare)
    assert below.returncode == 1, below.stdout + below.stderr
    assert "below fail-under bronze" in below.stdout
    bronze = build_repo(
        tmp_path / "bronze",
        {
            "README.md": "# App\n",
            "LICENSE": "MIT License\n",
            ".github/CODEOWNERS": "* @acme/team\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: pytest\n",
            "src/app.py": "print(1)\n",
            "tests/test_app.py": "def test_app():\n    pass\n",
        },
        commit=True,
    )
    held = hook(bronze)
    assert held.returncode == 0, held.stdout + held.stderr
    assert "Bronze" in held.stdout
