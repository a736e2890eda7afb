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


def slow_read(fileobj, **kw):
    """read_archive through tarfile alone (what it does for archives the fast path refuses)."""
    import scorecard.sources.archive as archive

    original = archive._fast_members

    def refuse(*a, **k):
        raise archive._Unusual("forced")

    archive._fast_members = refuse
    try:
        return read_archive(fileobj, **kw)
    finally:
        archive._fast_members = original


@pytest.mark.parametrize("keep", [1 << 20, 10])
def test_the_fast_reader_equals_tarfile_on_git_archives(tmp_path, keep):
    import scorecard.sources.archive as archive

    root = build_repo(tmp_path / "r", LONG, commit=True)
    raw = archive_of(root).getvalue()
    _, members = archive._fast_members(io.BytesIO(raw), 1 << 30)
    assert len(members) > len(LONG)  # files, links and directories
    fast = read_archive(io.BytesIO(raw), keep=keep)
    assert fast == slow_read(io.BytesIO(raw), keep=keep)
    assert list(open_local(root).files) == fast[0]
    assert any(len(p) > 255 for p in fast[0])


def test_archives_the_fast_reader_refuses_are_read_by_tarfile(tmp_path):
    """GNU long names and hard links, an uncompressed archive, a bad checksum."""
    import tarfile

    import scorecard.sources.archive as archive

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        for name, body in (("p/" + "x" * 150 + ".md", b"long\n"), ("p/README.md", b"# r\n")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        hard = tarfile.TarInfo("p/hard.md")
        hard.type, hard.linkname = tarfile.LNKTYPE, "p/README.md"
        tar.addfile(hard)
    with pytest.raises(archive._Unusual):
        archive._fast_members(io.BytesIO(buf.getvalue()), 1 << 30)
    files, blobs = read_archive(io.BytesIO(buf.getvalue()))
    assert files == ["README.md", "x" * 150 + ".md"] and blobs["README.md"] == b"# r\n"

    root = build_repo(tmp_path / "r", FILES, commit=True)
    plain = subprocess.run(["git", "archive", "--format=tar", "--prefix=acme-r-abc1234/",
                            "HEAD"], cwd=root, capture_output=True, check=True).stdout
    assert read_archive(io.BytesIO(plain)) == read_archive(archive_of(root))
    corrupt = bytearray(plain)
    corrupt[100] ^= 0xFF  # in the first header (the mode): its checksum no longer matches
    with pytest.raises(archive._Unusual):
        archive._fast_members(io.BytesIO(bytes(corrupt)), 1 << 30)
    with pytest.raises(tarfile.TarError):
        read_archive(io.BytesIO(bytes(corrupt)))
    with pytest.raises(tarfile.TarError):
        read_archive(io.BytesIO(archive_of(root).getvalue()[:300]))  # truncated gzip
