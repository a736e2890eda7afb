"""The in-memory archive snapshot follows the same file rules as a checkout."""

from __future__ import annotations

import io
import subprocess

import pytest
from harness import Symlink, build_repo

from scorecard.snapshot import TooLarge
from scorecard.sources.archive import ArchiveSnapshot, TooBig, read_archive
from scorecard.sources.local import open_local

FILES = {
    "README.md": "# r\n",
    "docs/guide.md": "guide\n",
    "link.md": Symlink("README.md"),
    "chain.md": Symlink("link.md"),
    "docs-link": Symlink("docs"),  # a link to a directory: not a file
    "through.md": Symlink("docs-link/guide.md"),  # a link through a linked directory
    "escape.md": Symlink("../outside.md"),
    "absolute.md": Symlink("/etc/passwd"),
    "dangling.md": Symlink("nowhere.md"),
    "loop-a": Symlink("loop-b"),
    "loop-b": Symlink("loop-a"),
    "big.bin": b"x" * 5000,
    "caf\udce9.txt": "latin-1 name\n",
}


def archive_of(root) -> io.BytesIO:
    data = subprocess.run(["git", "archive", "--format=tar.gz", "--prefix=acme-r-abc1234/",
                           "HEAD"], cwd=root, capture_output=True, check=True).stdout
    return io.BytesIO(data)


def test_same_files_and_contents_as_a_checkout(tmp_path):
    (tmp_path / "outside.md").write_text("outside\n")
    root = build_repo(tmp_path / "r", FILES, commit=True)
    local = open_local(root)
    files, blobs = read_archive(archive_of(root))
    assert files == list(local.files)
    assert "escape.md" not in files and "docs-link" not in files and "loop-a" not in files
    for path in files:
        assert blobs[path] == local.read_bytes(path), path


def test_files_over_the_cap_are_present_but_unreadable(tmp_path):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    files, blobs = read_archive(archive_of(root), keep=1000)
    snap = ArchiveSnapshot(label="x", files=files, meta=open_local(root).meta)
    snap.blobs = blobs
    assert snap.has("big.bin") and snap.size("big.bin") == 5000
    with pytest.raises(TooLarge):
        snap.read_bytes("big.bin")
    assert snap.read_text("README.md") == "# r\n"


def test_too_big_for_memory(tmp_path):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    with pytest.raises(TooBig):
        read_archive(archive_of(root), max_total=1000)
