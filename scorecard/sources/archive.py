"""A RepoSnapshot read from a repository archive (GitHub's tarball), never extracted to disk.

The archive comes from the scanned repository's owner, so it is untrusted: it is read with
``tarfile`` alone (no second parser), and **nothing from it is ever written as a file, a
directory or a link**. The uncompressed tar stream is held in memory, or, past
``MAX_IN_MEMORY`` bytes, in one anonymous temporary file; a file of the snapshot is a span
(offset, size) of that stream. Symlinks and hard links are recorded and resolved in memory
with the same rules as a checkout: a link that resolves to a file inside the repository is
followed, one that leaves it, dangles, loops or names a directory is absent. Names with
``..`` and absolute names are absent. Files over the read cap count as present but cannot be
read (``TooLarge``), exactly as a checkout's reads are capped.

An archive that a checkout could not hold (a path that is both a file and a directory, or
that goes through a symlink, as in CVE-2025-4517), that is not an archive, or that exceeds a
limit fails that repository with one line (:class:`ArchiveError`). Limits:

- ``SCORECARD_ARCHIVE_MAX_BYTES`` (default 2 GiB): bytes of the uncompressed tar stream;
  decompression stops there, so a gzip bomb costs at most this in CPU and memory or disk. A
  member that declares more than the stream holds is refused before it is read. The download of
  the compressed archive is capped at the same number.
- ``SCORECARD_ARCHIVE_MAX_ENTRIES`` (default 200,000): members (files, links, directories);
  the largest common repositories hold under 100,000 (Linux: about 90,000).
- ``MAX_NAME`` (4,096 bytes, Linux's PATH_MAX; a constant): a member's path or link target.
- ``MAX_HEADER`` (1 MiB; a constant): one extended header (pax or GNU long name), read whole
  by ``tarfile``.
- ``MAX_IN_MEMORY`` (128 MiB; a constant): past it, the stream goes to a temporary file.
"""

from __future__ import annotations

import gzip
import io
import os
import posixpath
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO

from scorecard.snapshot import ReadError, RepoSnapshot, TooLarge
from scorecard.sources.links import MAX_LINK_HOPS, expand_dir_links

MAX_BYTES = 2 << 30  # 2 GiB
MAX_ENTRIES = 200_000  # tarfile keeps every TarInfo: about 2.4 s of CPU per 100,000
MAX_NAME = 4096
MAX_HEADER = 1 << 20
MAX_IN_MEMORY = 128 << 20
CHUNK = 1 << 20
BYTES_ENV = "SCORECARD_ARCHIVE_MAX_BYTES"
ENTRIES_ENV = "SCORECARD_ARCHIVE_MAX_ENTRIES"


class ArchiveError(Exception):
    """The archive cannot be graded: one line, without the repository's name."""


@dataclass(frozen=True)
class Limits:
    """The configurable caps of one archive (see the module's docstring)."""

    max_bytes: int = MAX_BYTES
    max_entries: int = MAX_ENTRIES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The caps, with ``SCORECARD_ARCHIVE_MAX_BYTES`` / ``_MAX_ENTRIES`` where set."""
        env = os.environ if env is None else env
        return cls(
            max_bytes=_positive(env, BYTES_ENV, MAX_BYTES),
            max_entries=_positive(env, ENTRIES_ENV, MAX_ENTRIES),
        )


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ArchiveError(f"{name}={text!r} is not a whole number above 0")
    return value


@dataclass
class ArchiveContent:
    """The files of an archive: ``files`` (sorted) and, for each, a span of ``stream`` (the
    uncompressed tar, in memory or in an anonymous temporary file). :meth:`close` drops it."""

    files: list[str]
    spans: dict[str, tuple[int, int]]
    stream: IO[bytes]
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def spilled(self) -> bool:
        """Whether the stream is in a temporary file rather than in memory."""
        return not isinstance(self.stream, io.BytesIO)

    def size(self, path: str) -> int | None:
        span = self.spans.get(path)
        return None if span is None else span[1]

    def read(self, path: str) -> bytes:
        offset, size = self.spans[path]
        with self._lock:  # checks read from several threads (grep runs in the background)
            self.stream.seek(offset)
            return self.stream.read(size)

    def close(self) -> None:
        self.stream.close()


class ArchiveSnapshot(RepoSnapshot):
    """Build with :func:`read_archive`, then set ``content``; :meth:`close` releases it."""

    content: ArchiveContent

    def _read_raw(self, path: str, cap: int) -> bytes:
        size = self.content.size(path)
        if size is None:
            raise ReadError(path, "not a tracked file")
        if size > cap:
            raise TooLarge(path, f"is larger than {cap:,} bytes ({size:,})")
        return self.content.read(path)

    def _size(self, path: str) -> int | None:
        return self.content.size(path)

    def close(self) -> None:
        self.content.close()


def read_archive(
    fileobj: IO[bytes], *, limits: Limits | None = None, workdir: str | None = None
) -> ArchiveContent:
    """The files of a gzipped (or plain) tar archive, as GitHub and ``git archive`` make
    them (everything under one top folder, which is dropped). Raises :class:`ArchiveError`
    with one line when it is not an archive, is broken, or exceeds ``limits`` (default: from
    the environment). A stream too large for memory goes to a temporary file in ``workdir``."""
    limits = limits or Limits.from_env()
    stream = _inflate(fileobj, limits, workdir)
    try:
        spans = _index(stream, limits)
    except BaseException:
        stream.close()
        raise
    return ArchiveContent(sorted(spans), spans, stream)


def _inflate(fileobj: IO[bytes], limits: Limits, workdir: str | None) -> IO[bytes]:
    """The uncompressed tar stream, read a chunk at a time and never past the cap."""
    start = fileobj.tell()
    magic = fileobj.read(2)
    fileobj.seek(start)
    source: IO[bytes] | gzip.GzipFile = (
        gzip.GzipFile(fileobj=fileobj, mode="rb") if magic == b"\x1f\x8b" else fileobj
    )
    out: IO[bytes] = io.BytesIO()
    total = 0
    try:
        while chunk := source.read(CHUNK):
            total += len(chunk)
            if total > limits.max_bytes:
                raise ArchiveError(
                    f"more than {limits.max_bytes:,} bytes unpacked (limit "
                    f"{limits.max_bytes:,}; raise it with {BYTES_ENV})"
                )
            if total > MAX_IN_MEMORY and isinstance(out, io.BytesIO):
                spill = tempfile.TemporaryFile(dir=workdir)  # noqa: SIM115 - the snapshot closes it
                with out.getbuffer() as held:
                    spill.write(held)
                out.close()
                out = spill
            out.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        out.close()
        raise ArchiveError(f"the archive is cut short or corrupt ({exc})") from None
    except BaseException:
        out.close()
        raise
    if total < tarfile.BLOCKSIZE:
        out.close()
        raise ArchiveError(f"not an archive: {total} bytes, less than one tar block")
    return out


class _Guarded(io.RawIOBase):
    """The stream as ``tarfile`` sees it: a read larger than ``MAX_HEADER`` (an extended
    header, which ``tarfile`` reads whole) is refused; member data is never read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > MAX_HEADER:
            raise ArchiveError(f"an extended header of {size:,} bytes (limit {MAX_HEADER:,})")
        return self._stream.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


def _index(stream: IO[bytes], limits: Limits) -> dict[str, tuple[int, int]]:
    """Read the members with ``tarfile`` and map each file's path to its span."""
    stream.seek(0, os.SEEK_END)
    budget = stream.tell()
    stream.seek(0)
    spans: dict[str, tuple[int, int]] = {}
    links: dict[str, str] = {}
    hard: dict[str, str] = {}
    dirs: set[str] = set()
    count = 0
    try:
        with tarfile.open(fileobj=_Guarded(stream), mode="r:", encoding="utf-8") as tar:
            while (member := tar.next()) is not None:
                count += 1
                if count > limits.max_entries:
                    raise ArchiveError(
                        f"more than {limits.max_entries:,} entries (limit "
                        f"{limits.max_entries:,}; raise it with {ENTRIES_ENV})"
                    )
                path = _path(member.name)
                if member.size > budget - member.offset_data:
                    raise ArchiveError(
                        f"{_quote(path or member.name)} declares "
                        f"{member.size:,} bytes, more than the archive holds "
                        f"({budget:,} bytes unpacked)"
                    )
                if path is None:
                    continue
                for table in (spans, links, hard):  # a later member replaces an earlier one
                    table.pop(path, None)
                dirs.discard(path)
                if member.isdir():
                    dirs.add(path)
                elif member.issym():
                    links[path] = _name(member.linkname)
                elif member.islnk():
                    hard[path] = _name(member.linkname)
                elif member.isreg() and not member.issparse():
                    spans[path] = (member.offset_data, member.size)
                # devices, FIFOs and sparse files are not files of a repository: absent
    except (tarfile.TarError, EOFError, RecursionError, ValueError) as exc:
        raise ArchiveError(f"the archive is cut short or corrupt ({exc})") from None
    _refuse_clashes(spans, links, hard, dirs)
    for path, target in hard.items():  # a hard link names a member, from the archive's top
        linked = _path(target)
        if linked in spans:
            spans[path] = spans[linked]
    for path in links:
        real = _resolve(path, links, spans)
        if real is not None:
            spans[path] = spans[real]
    folders = _folders(spans, dirs)
    dir_links: dict[str, str] = {}
    for path in links:
        folder = None if path in spans else _dir_target(path, links, folders)
        if folder is not None:
            dir_links[path] = folder
    if dir_links:
        for path, source in expand_dir_links(sorted(spans), dir_links).items():
            spans[path] = spans[source]
    return spans


def _folders(spans: dict[str, tuple[int, int]], dirs: set[str]) -> set[str]:
    """Every folder of the tree: those the archive names and those its files are in."""
    folders = set(dirs)
    for path in spans:
        head = posixpath.dirname(path)
        while head and head not in folders:
            folders.add(head)
            head = posixpath.dirname(head)
    return folders


def _dir_target(path: str, links: dict[str, str], folders: set[str]) -> str | None:
    """The folder inside the tree that the link ``path`` leads to, or None: it leads out, to
    the root, to no folder, or to a folder that holds the link (a loop), as for a checkout."""
    real = _follow(path, links)
    if real is None or real not in folders or path == real or path.startswith(real + "/"):
        return None
    return real


def _name(name: str) -> str:
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME:
        raise ArchiveError(
            f"a name of {len(name.encode('utf-8', 'surrogateescape')):,} bytes "
            f"(limit {MAX_NAME:,}): {_quote(name)}"
        )
    return name


def _path(name: str) -> str | None:
    """The path of a member inside the repository (GitHub's archives put everything under
    ``owner-repo-sha7/``), or None: the top folder itself, an absolute name, or one with
    ``..`` (absent, as a checkout would have no such file)."""
    if name.startswith("/"):
        return None
    parts = [p for p in name.split("/")[1:] if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return _name("/".join(parts))


def _quote(name: str) -> str:
    return repr(name if len(name) <= 80 else name[:60] + "..." + name[-16:])


def _refuse_clashes(
    spans: dict[str, tuple[int, int]], links: dict[str, str], hard: dict[str, str], dirs: set[str]
) -> None:
    """A path that is a file or link and also holds other members: no checkout has one, and
    writing it would go through a link (CVE-2025-4517) or fail."""
    parents: set[str] = set(dirs)
    for path in (*spans, *links, *hard):
        head = posixpath.dirname(path)
        while head and head not in parents:
            parents.add(head)
            head = posixpath.dirname(head)
    for path in sorted(parents):
        if path in links:
            raise ArchiveError(
                f"{_quote(path)} is a symlink and a directory: no checkout "
                "holds that, so the archive is refused"
            )
        if path in spans or path in hard:
            raise ArchiveError(
                f"{_quote(path)} is both a file and a directory: no checkout "
                "holds that, so the archive is refused"
            )


def _resolve(path: str, links: dict[str, str], spans: dict[str, tuple[int, int]]) -> str | None:
    """The regular file a link leads to inside the tree, or None (escapes, dangles, loops,
    or names a directory)."""
    real = _follow(path, links)
    return real if real is not None and real in spans else None


def _follow(path: str, links: dict[str, str]) -> str | None:
    """Where the link ``path`` leads, through links to links and linked folders on the way:
    a path inside the tree that is no link, or None (it leaves the tree, names its root, or
    loops)."""
    current = path
    for _ in range(MAX_LINK_HOPS):
        target = links[current]
        if target.startswith("/"):
            return None
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
        if joined in (".", "..") or joined.startswith("../"):
            return None
        real = _resolve_dirs(joined, links, MAX_LINK_HOPS)
        if real is None or real not in links:
            return real
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
