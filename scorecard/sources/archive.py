"""A RepoSnapshot held in memory, read from a repository archive (GitHub's tarball).

An org scan reads thousands of small repositories: unpacking each to disk and walking it costs
more than grading it. This snapshot keeps the files in memory instead, with the same rules as
a checkout: a symlink that resolves to a file inside the repository is followed, one that
leaves it, dangles, or names a directory is absent; files over the size cap count as present
but cannot be read (``TooLarge``), exactly as a checkout's reads are capped. Archives too large
to hold (more than ``MAX_IN_MEMORY`` bytes of files) are unpacked to disk instead (see
``sources/github.py``).
"""

from __future__ import annotations

import posixpath
import tarfile
from typing import IO

from scorecard.snapshot import DEFAULT_READ_CAP, ReadError, RepoSnapshot, TooLarge

MAX_IN_MEMORY = 128 * 1024 * 1024
MAX_LINK_HOPS = 40


class TooBig(Exception):
    """The archive's files exceed what this snapshot holds in memory."""


class ArchiveSnapshot(RepoSnapshot):
    """Build with :func:`read_archive`; ``blobs`` maps a path to its bytes, or to its size
    when it is over the cap."""

    blobs: dict[str, bytes | int]

    def _read_raw(self, path: str, cap: int) -> bytes:
        value = self.blobs.get(path)
        if value is None:
            raise ReadError(path, "not a tracked file")
        if isinstance(value, int) or len(value) > cap:
            size = value if isinstance(value, int) else len(value)
            raise TooLarge(path, f"is larger than {cap:,} bytes ({size:,})")
        return value

    def _size(self, path: str) -> int | None:
        value = self.blobs.get(path)
        if value is None:
            return None
        return value if isinstance(value, int) else len(value)


def _strip_prefix(name: str) -> str:
    """GitHub's archives put everything under ``owner-repo-sha7/``."""
    return name.split("/", 1)[1] if "/" in name else ""


def read_archive(fileobj: IO[bytes], *, keep: int = DEFAULT_READ_CAP,
                 max_total: int | None = None) -> tuple[list[str], dict[str, bytes | int]]:
    """The files of a (gzipped) tar archive: sorted paths and their contents. Raises
    :class:`TooBig` past ``max_total`` bytes of files, ``tarfile.TarError`` when broken."""
    if max_total is None:
        max_total = MAX_IN_MEMORY
    blobs: dict[str, bytes | int] = {}
    links: dict[str, str] = {}
    dirs: set[str] = set()
    total = 0
    with tarfile.open(fileobj=fileobj, mode="r:*") as tar:
        for member in tar:
            path = _strip_prefix(member.name.rstrip("/"))
            if not path or path.startswith("/") or ".." in path.split("/"):
                continue
            if member.isdir():
                dirs.add(path)
            elif member.issym():
                links[path] = member.linkname
            elif member.isfile():
                total += member.size
                if total > max_total:
                    raise TooBig(f"more than {max_total:,} bytes of files")
                if member.size > keep:
                    blobs[path] = member.size
                else:
                    fh = tar.extractfile(member)
                    blobs[path] = fh.read() if fh is not None else b""
    for path in links:
        target = _resolve(path, links, blobs)
        if target is not None:
            blobs[path] = blobs[target]
    return sorted(blobs), blobs


def _resolve(path: str, links: dict[str, str], blobs: dict[str, bytes | int]) -> str | None:
    """The regular file a link leads to inside the tree, or None (escapes, dangles, loops,
    or names a directory)."""
    current = path
    for _ in range(MAX_LINK_HOPS):
        target = links[current]
        if target.startswith("/"):
            return None
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
        if joined == ".." or joined.startswith("../") or joined == ".":
            return None
        # a link inside a linked directory: resolve the directories on the way too
        real = _resolve_dirs(joined, links, MAX_LINK_HOPS)
        if real is None:
            return None
        if real in blobs:
            return real
        if real not in links:
            return None
        current = real
    return None


def _resolve_dirs(path: str, links: dict[str, str], hops: int) -> str | None:
    if hops <= 0:
        return None  # a loop of directory links
    parts = path.split("/")
    for i in range(1, len(parts)):
        head = "/".join(parts[:i])
        if head in links:
            target = links[head]
            if target.startswith("/"):
                return None
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(head), target))
            if resolved == ".." or resolved.startswith("../"):
                return None
            return _resolve_dirs("/".join([resolved, *parts[i:]]), links, hops - 1)
    return path
