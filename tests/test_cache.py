"""The engine's one cache module: where it lives, how it is turned off, its keyed file format,
what a run keeps (the content scan's verdicts, two results of the file list alone), and that a
kept result is used while its inputs are the same and never after."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
from pathlib import Path
from typing import Any

import pytest
from harness import build_repo, git, run_cli

from scorecard import cache
from scorecard.check import Check, check
from scorecard.snapshot import RepoSnapshot


@pytest.mark.parametrize(
    "env,expected",
    [
        ({"SCORECARD_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}, "/c"),
        ({"XDG_CACHE_HOME": "/x"}, "/x/repo-scorecard"),
        ({"HOME": "/h"}, "/h/.cache/repo-scorecard"),
        ({"SCORECARD_CACHE_DIR": "/c", "SCORECARD_NO_CACHE": "0"}, "/c"),
        ({"SCORECARD_CACHE_DIR": "/c", "SCORECARD_NO_CACHE": "1"}, None),
    ],
)
def test_the_cache_folder_follows_the_environment(monkeypatch, env, expected):
    for name in ("SCORECARD_CACHE_DIR", "XDG_CACHE_HOME", "SCORECARD_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = cache.directory()
    assert (str(found) if found is not None else None) == expected


def test_a_keyed_file_gives_its_payload_for_its_key_only(tmp_path):
    path = tmp_path / "sub" / "f.bin"
    assert cache.read_keyed(path, "k1") is None  # absent
    assert cache.write_keyed(path, "k1", b"pay\nload\0")
    assert cache.read_keyed(path, "k1") == b"pay\nload\0"
    assert cache.read_keyed(path, "k2") is None  # another key: stale, never used
    path.write_bytes(b"k1")  # truncated before the end of the key line
    assert cache.read_keyed(path, "k1") is None
    assert os.listdir(tmp_path / "sub") == ["f.bin"]  # no temporary file left behind


def test_a_key_with_a_line_break_is_refused(tmp_path):
    with pytest.raises(ValueError):
        cache.write_keyed(tmp_path / "f", "a\nb", b"")


def test_an_unwritable_cache_costs_time_not_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cache.write_keyed(blocker / "f.bin", "k", b"v") is False


def test_what_a_run_keeps(tmp_path, monkeypatch):
    """The content scan's verdicts and last answer, and the two results of the file list alone
    (CODEOWNERS coverage, tests-present); no entry-point cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(folder))
    root = build_repo(
        tmp_path / "r",
        {
            "README.md": "# r\n",
            ".github/CODEOWNERS": "* @a\n",
            "tests/test_a.py": "def test(): pass\n",
        },
        commit=True,
    )
    code, _ = run_cli("check", str(root), "--format", "json")
    assert code in (0, 1)
    kept = sorted(p.name.rsplit("-", 1)[0] for p in Path(folder).iterdir())
    assert kept == ["codeowners-coverage", "grep", "last", "tests-present"]


# ---- results kept per checkout: used while their inputs are the same, never after -----------

FILES = {
    "README.md": "# r\n",
    ".github/CODEOWNERS": "* @a\n/docs/\n",
    "docs/guide.md": "guide\n",
    "src/app.py": "x = 1\n",
    "tests/test_app.py": "def test(): pass\n",
}


def _data(root: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    code, out = run_cli("check", str(root), "--format", "json", env=env)
    assert code in (0, 1), out
    return {c["id"]: c for c in json.loads(out)["checks"]}


@pytest.fixture
def computed(monkeypatch):
    """How many times each kept result was computed (not read from the cache)."""
    from scorecard.checks import _codeowners, tests_present

    counts = {"coverage": 0, "tests": 0}
    coverage, find_tests = _codeowners.Codeowners.coverage, tests_present.find_tests

    def counting_coverage(self: Any, *args: Any) -> Any:
        counts["coverage"] += 1
        return coverage(self, *args)

    def counting_find_tests(*args: Any) -> Any:
        counts["tests"] += 1
        return find_tests(*args)

    monkeypatch.setattr(_codeowners.Codeowners, "coverage", counting_coverage)
    monkeypatch.setattr(tests_present, "find_tests", counting_find_tests)
    return counts


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(folder))
    monkeypatch.delenv("SCORECARD_NO_CACHE", raising=False)
    return folder


@pytest.mark.parametrize("git_repo", [True, False], ids=["checkout", "plain-folder"])
def test_kept_results_are_used_while_the_inputs_are_the_same(
    tmp_path, cache_dir, computed, git_repo
):
    root = build_repo(tmp_path / "r", FILES, git_repo=git_repo, commit=git_repo)
    first = _data(root)
    assert computed == {"coverage": 1, "tests": 1}
    again = _data(root)
    assert computed == {"coverage": 1, "tests": 1}  # both read back
    assert again == first
    assert first["codeowners-coverage"]["data"] == {"ratio": 0.8, "owned": 4, "total": 5}
    assert "docs/guide.md" in first["codeowners-coverage"]["message"]


def test_an_edited_codeowners_is_never_answered_from_the_cache(tmp_path, cache_dir, computed):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    _data(root)
    (root / ".github/CODEOWNERS").write_text("* @a\n")  # in the work tree, not committed
    after = _data(root)
    assert computed["coverage"] == 2
    assert after["codeowners-coverage"]["data"] == {"ratio": 1.0, "owned": 5, "total": 5}


def test_a_new_file_changes_both_kept_results(tmp_path, cache_dir, computed):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    before = _data(root)
    (root / "docs/spec").mkdir()
    (root / "docs/spec/test_more.py").write_text("x\n")
    git(root, "add", "-A")
    after = _data(root)
    assert computed == {"coverage": 2, "tests": 2}
    assert before["tests-present"]["data"] == {"count": 1}
    assert after["tests-present"]["data"] == {"count": 2}
    assert after["codeowners-coverage"]["data"]["owned"] == 4
    assert after["codeowners-coverage"]["data"]["total"] == 6


def test_other_code_never_reads_a_kept_result(tmp_path, cache_dir, computed, monkeypatch):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    _data(root)
    monkeypatch.setattr(cache, "code_of", lambda *modules: b"another version")
    _data(root)
    assert computed == {"coverage": 2, "tests": 2}


def test_a_damaged_kept_result_is_computed_again(tmp_path, cache_dir, computed, monkeypatch):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    first = _data(root)
    saved = cache.Kept.load
    monkeypatch.setattr(
        cache.Kept, "load", lambda self, key: b"[1, 2, 3" if saved(self, key) else None
    )
    assert _data(root) == first
    assert computed == {"coverage": 2, "tests": 2}


def test_no_cache_keeps_nothing(tmp_path, cache_dir, computed):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    _data(root, env={"SCORECARD_NO_CACHE": "1"})
    _data(root, env={"SCORECARD_NO_CACHE": "1"})
    assert computed == {"coverage": 2, "tests": 2}
    assert not cache_dir.exists()


def test_a_code_identity_covers_the_version_and_each_source(tmp_path, monkeypatch):
    module = tmp_path / "m.py"
    module.write_text("a = 1\n")
    first = cache.code_of.__wrapped__(str(module))
    module.write_text("a = 2\n")
    second = cache.code_of.__wrapped__(str(module))
    assert second != first
    monkeypatch.setattr(cache, "__version__", "0.0.0")
    assert cache.code_of.__wrapped__(str(module)) != second


def test_plugin_authors_see_no_speed_machinery():
    assert "prefetch" not in inspect.signature(check).parameters
    assert "prefetch" not in {f.name for f in dataclasses.fields(Check)}
    assert not hasattr(RepoSnapshot, "remember")
    assert not hasattr(RepoSnapshot, "prefetch_grep")
