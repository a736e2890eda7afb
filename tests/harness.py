"""Build small repositories in tests and run checks on them.

    def test_readme(run_check):
        result = run_check("readme-present", {"README.md": "# Hi"})
        assert result.status is Status.PASS

``files`` maps a POSIX path to ``str`` (written as UTF-8), ``bytes``, or :class:`Symlink`.
By default the folder becomes a git repository with every file staged (``git=False`` leaves a
plain folder; ``commit=True`` also commits).
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard.model import Finding
from scorecard.registry import default_registry
from scorecard.sources.local import LocalSnapshot, open_local

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class Symlink:
    target: str


FileSpec = Mapping[str, str | bytes | Symlink]


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return proc.stdout


def write_files(root: Path, files: FileSpec) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            os.symlink(content.target, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def build_repo(root: Path, files: FileSpec, *, git_repo: bool = True, commit: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, files)
    if git_repo:
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        if commit:
            git(root, "commit", "-q", "--allow-empty", "-m", "test")
    return root


def snapshot(root: Path, files: FileSpec, **kw: Any) -> LocalSnapshot:
    return open_local(build_repo(root, files, **kw))


def run_check(
    root: Path,
    check_id: str,
    files: FileSpec,
    *,
    options: Mapping[str, Any] | None = None,
    git_repo: bool = True,
    snap: Any = None,
) -> Finding:
    """Run one registered check on a repository made of ``files``."""
    chk = default_registry()[check_id]
    if snap is None:
        snap = snapshot(root, files, git_repo=git_repo)
    return chk(snap, dict(options or {}))


def run_cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``scorecard ARGV`` in this process, with ``env`` added to the environment for the call:
    the exit code and what it wrote to standard output."""
    from scorecard.cli import main

    out = io.StringIO()
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        code = main(list(argv), stdout=out)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return code, out.getvalue()
