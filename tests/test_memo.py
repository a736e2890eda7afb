"""The on-disk memo of pattern compilation, and what it spares a second run."""

from __future__ import annotations

import os
import subprocess
import sys

from harness import build_repo

from scorecard.memo import DiskMemo


def test_memo_remembers_across_instances_and_forgets_on_a_new_identity(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path))
    calls: list[str] = []

    def compute(key: str):
        return lambda: calls.append(key) or key.upper()

    memo = DiskMemo("m", "lib 1")
    assert memo.get("a", compute("a")) == "A" and memo.get("a", compute("a")) == "A"
    memo.get("b", compute("b"))
    memo.save()
    again = DiskMemo("m", "lib 1")
    assert again.get("a", compute("a")) == "A" and calls == ["a", "b"]
    again.save()  # nothing new: nothing written, "b" stays
    assert DiskMemo("m", "lib 1").known == {"a": "A", "b": "B"}
    monkeypatch.setattr("scorecard.memo.MAX_ENTRIES", 2)
    third = DiskMemo("m", "lib 1")
    third.get("c", compute("c"))
    third.save()  # past the bound: only what this run used
    assert DiskMemo("m", "lib 1").known == {"c": "C"}
    assert DiskMemo("m", "lib 2").known == {}  # another version of the library
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    off = DiskMemo("m", "lib 1")
    assert off.known == {} and off.get("a", compute("a")) == "A"
    off.save()  # nothing written, nothing raised


def test_a_second_run_does_not_import_pathspec(tmp_path):
    """CODEOWNERS patterns and the private-key scan's ignore patterns are compiled once."""
    repo = build_repo(tmp_path / "r", {
        "README.md": "# r\n", ".github/CODEOWNERS": "* @acme/team\n/docs/ @alice\n*.md @bob\n",
        "tests/fixtures/key.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n"}, commit=True)
    probe = ("import sys, io; from scorecard.cli import main; out = io.StringIO(); "
             f"main(['check', {str(repo)!r}, '--format', 'json'], stdout=out); "
             "print('pathspec' in sys.modules)")
    env = {**os.environ, "SCORECARD_CACHE_DIR": str(tmp_path / "cache")}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              env=env, check=True).stdout.strip()

    assert run() == "True"
    assert run() == "False"
