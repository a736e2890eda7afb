"""The in-memory archive snapshot follows the same file rules as a checkout."""

from __future__ import annotations

import io
import subprocess

import pytest
from harness import FileSpec, Symlink, build_repo

from scorecard.snapshot import TooLarge
from scorecard.sources.archive import ArchiveError, ArchiveSnapshot, read_archive
from scorecard.sources.local import open_local

FILES: FileSpec = {
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
    data = subprocess.run(
        ["git", "archive", "--format=tar.gz", "--prefix=acme-r-abc1234/", "HEAD"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    return io.BytesIO(data)


def snapshot_of(content, meta) -> ArchiveSnapshot:
    snap = ArchiveSnapshot(label="x", files=content.files, meta=meta)
    snap.content = content
    return snap


def test_same_files_and_contents_as_a_checkout(tmp_path):
    (tmp_path / "outside.md").write_text("outside\n")
    root = build_repo(tmp_path / "r", FILES, commit=True)
    local = open_local(root)
    content = read_archive(archive_of(root))
    assert content.files == list(local.files)
    assert "escape.md" not in content.files and "docs-link" not in content.files
    assert "loop-a" not in content.files
    for path in content.files:
        assert content.read(path) == local.read_bytes(path), path


def test_files_over_the_cap_are_present_but_unreadable(tmp_path):
    root = build_repo(tmp_path / "r", FILES, commit=True)
    snap = snapshot_of(read_archive(archive_of(root)), open_local(root).meta)
    assert snap.has("big.bin") and snap.size("big.bin") == 5000
    with pytest.raises(TooLarge):
        snap.read_bytes("big.bin", cap=1000)
    assert snap.read_text("README.md") == "# r\n"


def test_large_archives_spill_to_one_temporary_file(tmp_path, monkeypatch):
    import scorecard.sources.archive as archive

    root = build_repo(tmp_path / "r", FILES, commit=True)
    held = read_archive(archive_of(root))
    monkeypatch.setattr(archive, "MAX_IN_MEMORY", 1000)
    spilled = read_archive(archive_of(root), workdir=str(tmp_path))
    assert spilled.spilled and not held.spilled
    assert spilled.files == held.files
    assert [spilled.read(p) for p in spilled.files] == [held.read(p) for p in held.files]
    spilled.close()


LONG = {
    **FILES,
    "a" * 99 + ".md": "ninety-nine\n",  # fits the ustar name field
    "d" * 120 + "/" + "n" * 90 + ".txt": "prefix and name\n",  # ustar prefix + name
    "deep/" + "/".join(["segment" * 8] * 6) + "/file.py": "pax path\n",  # a pax header
    "long-link.md": Symlink("deep/" + "/".join(["segment" * 8] * 6) + "/file.py"),
    "empty.txt": "",
    "tool.sh": "#!/bin/sh\n",
    "caf\u00e9/\u00fcber.md": "utf-8 names\n",
}


def test_git_archives_with_long_and_unicode_names(tmp_path):
    root = build_repo(tmp_path / "r", LONG, commit=True)
    local = open_local(root)
    content = read_archive(archive_of(root))
    assert content.files == list(local.files)
    assert any(len(p) > 255 for p in content.files)
    for path in content.files:
        assert content.read(path) == local.read_bytes(path), path


def test_gnu_names_hard_links_and_plain_tar(tmp_path):
    """GNU long names and hard links (resolved in memory), an uncompressed archive, a bad
    checksum, a cut gzip stream."""
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        for name, body in (("p/" + "x" * 150 + ".md", b"long\n"), ("p/README.md", b"# r\n")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        hard = tarfile.TarInfo("p/hard.md")
        hard.type, hard.linkname = tarfile.LNKTYPE, "p/README.md"
        tar.addfile(hard)
    content = read_archive(io.BytesIO(buf.getvalue()))
    assert content.files == ["README.md", "hard.md", "x" * 150 + ".md"]
    assert content.read("hard.md") == content.read("README.md") == b"# r\n"

    root = build_repo(tmp_path / "r", FILES, commit=True)
    plain = subprocess.run(
        ["git", "archive", "--format=tar", "--prefix=acme-r-abc1234/", "HEAD"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    mine, theirs = read_archive(io.BytesIO(plain)), read_archive(archive_of(root))
    assert mine.files == theirs.files
    assert [mine.read(p) for p in mine.files] == [theirs.read(p) for p in theirs.files]
    corrupt = bytearray(plain)
    corrupt[100] ^= 0xFF  # in the first header (the mode): its checksum no longer matches
    with pytest.raises(ArchiveError, match="corrupt"):
        read_archive(io.BytesIO(bytes(corrupt)))
    with pytest.raises(ArchiveError):
        read_archive(io.BytesIO(archive_of(root).getvalue()[:300]))  # truncated gzip
