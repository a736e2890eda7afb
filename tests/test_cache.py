"""The engine's one cache module: where it lives, how it is turned off, its keyed file format,
and that nothing but the content scan's verdicts is kept."""

from __future__ import annotations

import dataclasses
import inspect
import os
from pathlib import Path

import pytest
from harness import build_repo, run_cli

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


def test_only_the_content_scan_is_kept_between_runs(tmp_path, monkeypatch):
    """No entry-point cache, no path-list results: a run leaves the content scan's verdicts
    and its last answer, nothing else."""
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
    kept = sorted(p.name.split("-")[0] for p in Path(folder).iterdir())
    assert kept == ["grep", "last"]


def test_plugin_authors_see_no_speed_machinery():
    assert "prefetch" not in inspect.signature(check).parameters
    assert "prefetch" not in {f.name for f in dataclasses.fields(Check)}
    assert not hasattr(RepoSnapshot, "remember")
    assert not hasattr(RepoSnapshot, "prefetch_grep")
