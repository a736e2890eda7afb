"""The git processes the CLI starts before it loads the checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
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


@pytest.mark.parametrize("argv,expected", [
    (["check"], "."),
    (["check", "repo"], "repo"),
    (["check", "--format", "json", "repo"], "repo"),
    (["check", "--format=json", "repo", "--only", "a"], "repo"),
    (["check", "-f", "json"], None),  # no guess: the run finds it out as usual
    (["checks"], None),
    (["org", "acme"], None),
    ([], None),
])
def test_the_launcher_guesses_the_folder_of_a_check(argv, expected):
    assert gitprocs.guess_target(argv) == expected


def test_the_command_starts_git_before_the_cli_and_stops_what_it_did_not_use(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    probe = ("import sys; from scorecard.sources import gitprocs; sys.argv = ['scorecard', "
             f"'check', {str(root)!r}, '--only', 'readme-present', '--format', 'json']; "
             "import scorecard.launch as l; l.hard_exit = lambda code: None; code = l.main(); "
             "print(code, 'scorecard.cli' in sys.modules, len(gitprocs._started))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[-2] == "0 True 0"  # graded; diff-files (not needed) was stopped


def test_a_check_ends_without_teardown_and_loses_nothing(tmp_path):
    """`scorecard check` ends with os._exit once everything is written: the whole output,
    the exit status, and a report file are all there."""
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    run = subprocess.run([sys.executable, "-m", "scorecard", "check", str(root), "--format",
                          "json", "--fail-under", "gold"], capture_output=True, text=True)
    assert run.returncode == 1 and json.loads(run.stdout)["target"] == str(root)
    out = tmp_path / "card.json"
    run = subprocess.run([sys.executable, "-m", "scorecard", "check", str(root), "-f", "json",
                          "--output", str(out)], capture_output=True, text=True)
    assert run.returncode == 0 and json.loads(out.read_text())["checks"]


def test_a_usage_error_stops_what_the_launcher_started(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    probe = ("import sys; from scorecard.sources import gitprocs; sys.argv = ['scorecard', "
             f"'check', {str(root)!r}, '--no-such-option']; import scorecard.launch as l\n"
             "try:\n    l.main()\nexcept SystemExit as exc:\n"
             "    print(exc.code, len(gitprocs._started))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.stdout.split() == ["2", "0"], run.stderr
