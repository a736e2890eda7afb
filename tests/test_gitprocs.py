"""The git processes the CLI starts before it loads the checks."""

from __future__ import annotations

import os

from harness import build_repo, git

from scorecard.sources import gitprocs
from scorecard.sources.local import open_local


def test_started_processes_are_handed_over_once_and_give_what_git_gives(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "a\n", "b/c.txt": "c\n"}, commit=True)
    (root / "a.txt").write_text("changed\n")
    path = os.path.abspath(root)
    gitprocs.start(str(root))
    listing = gitprocs.take(path, "ls-files")
    assert listing is not None and gitprocs.take(path, "ls-files") is None  # once
    status, out, _ = gitprocs.read_all(listing)
    assert status == 0 and out == git(root, "ls-files", "-s", "-z").encode()
    changed = gitprocs.take(path, "diff-files")
    assert changed is not None and gitprocs.read_all(changed)[1] == b"a.txt\0"
    gitprocs.stop()  # rev-parse, not taken, is ended
    assert gitprocs.take(path, "rev-parse") is None


def test_open_local_takes_them_and_lists_the_same(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "a\n", "b/c.txt": "c\n", "d.md": "d\n"},
                      commit=True)
    plain = open_local(root)
    gitprocs.start(str(root))
    early = open_local(root)
    assert gitprocs.take(os.path.abspath(root), "ls-files") is None  # taken by open_local
    assert (list(early.files), early.commit, early.index_raw) == (
        list(plain.files), plain.commit, plain.index_raw)
    gitprocs.stop()


def test_nothing_is_started_for_a_file_or_without_git(tmp_path, monkeypatch):
    (tmp_path / "f.txt").write_text("x")
    gitprocs.start(str(tmp_path / "f.txt"))
    assert not gitprocs._started
    monkeypatch.setenv("PATH", str(tmp_path))  # no git here
    gitprocs.start(str(tmp_path))
    assert not gitprocs._started and not gitprocs._outputs
