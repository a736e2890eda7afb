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
import zlib
from collections.abc import Callable
from typing import IO

from scorecard.snapshot import DEFAULT_READ_CAP, ReadError, RepoSnapshot, TooLarge

MAX_IN_MEMORY = 128 * 1024 * 1024
MAX_LINK_HOPS = 40
FAST_MAX_BYTES = 32 * 1024 * 1024  # compressed archives the fast reader takes whole


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


class _Unusual(Exception):
    """Something the fast reader leaves to ``tarfile``."""


# Members: (kind, name, size or link target, data offset); kind is "file", "link" or "dir".
Member = tuple[str, str, "int | str", int]


def _members(data: bytes) -> list[Member]:
    """The members of an uncompressed tar as ``git archive`` writes them (ustar headers, pax
    global and extended headers for the commit id and long names). Anything else (GNU long
    names, hard links, sparse files, base-256 sizes, a bad checksum) raises :class:`_Unusual`
    and ``tarfile`` reads the archive instead: this reader only saves time on the common case
    (``tarfile`` costs about 0.15 ms of CPU per member, which an org scan pays thousands of
    times under the interpreter lock)."""
    out: list[Member] = []
    pos, end = 0, len(data)
    pax: dict[str, str] = {}
    while pos + 512 <= end:
        header = data[pos:pos + 512]
        if header[0] == 0:  # the end-of-archive zero blocks
            break
        stored = header[148:156].split(b"\0", 1)[0].strip()
        try:
            if int(stored or b"-1", 8) != sum(header) - sum(header[148:156]) + 256:
                raise _Unusual("checksum")
            size = int(header[124:136].split(b"\0", 1)[0].strip() or b"0", 8)
        except ValueError:
            raise _Unusual("a number that is not octal") from None
        kind = header[156:157]
        body = pos + 512
        pos = body + (size + 511) // 512 * 512
        if pos > end:
            raise _Unusual("truncated")
        if kind in (b"g", b"x"):
            fields = _pax(data[body:body + size])
            if kind == b"x":
                pax = fields
            continue
        name = header[0:100].split(b"\0", 1)[0]
        if header[257:263] == b"ustar\0" and header[345] != 0:
            name = header[345:500].split(b"\0", 1)[0] + b"/" + name
        text = pax.pop("path", None) or name.decode("utf-8", "surrogateescape")
        if kind in (b"0", b"\0", b"7"):
            if "size" in pax:
                raise _Unusual("a pax size")
            out.append(("file", text, size, body))
        elif kind == b"2":
            target = pax.pop("linkpath", None) or \
                header[157:257].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            out.append(("link", text, target, body))
        elif kind == b"5":
            out.append(("dir", text, 0, body))
        else:
            raise _Unusual(f"member type {kind!r}")
        pax = {}
    return out


def _pax(block: bytes) -> dict[str, str]:
    """The records of a pax header: ``"<length> <key>=<value>\\n"``."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(block) and block[pos] != 0:
        space = block.find(b" ", pos)
        try:
            length = int(block[pos:space])
        except ValueError:
            raise _Unusual("a broken pax record") from None
        record = block[space + 1:pos + length - 1]
        if length <= 0 or pos + length > len(block) or b"=" not in record:
            raise _Unusual("a broken pax record")
        key, _, value = record.partition(b"=")
        fields[key.decode("utf-8", "replace")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return fields


def _fast_members(fileobj: IO[bytes], max_total: int) -> tuple[bytes, list[Member]]:
    """The uncompressed archive and its members, or :class:`_Unusual` (also for archives
    over ``FAST_MAX_BYTES``: the fast reader holds the whole archive in memory)."""
    start = fileobj.tell()
    fileobj.seek(0, 2)
    if fileobj.tell() - start > FAST_MAX_BYTES:
        raise _Unusual("a large archive")
    fileobj.seek(start)
    raw = fileobj.read()
    if raw[:2] == b"\x1f\x8b":
        inflate = zlib.decompressobj(wbits=31)
        try:
            data = inflate.decompress(raw, max_total + (64 << 20))
        except zlib.error:
            raise _Unusual("not gzip") from None
        if inflate.unconsumed_tail or not inflate.eof:
            raise _Unusual("more than one gzip member, or more data than is held in memory")
    else:
        data = raw
    return data, _members(data)


def _slicer(data: bytes, offset: int, size: int | str) -> Callable[[], bytes]:
    return lambda: data[offset:offset + int(size)]


def read_archive(fileobj: IO[bytes], *, keep: int = DEFAULT_READ_CAP,
                 max_total: int | None = None) -> tuple[list[str], dict[str, bytes | int]]:
    """The files of a (gzipped) tar archive: sorted paths and their contents. Raises
    :class:`TooBig` past ``max_total`` bytes of files, ``tarfile.TarError`` when broken."""
    if max_total is None:
        max_total = MAX_IN_MEMORY
    start = fileobj.tell()
    try:
        data, members = _fast_members(fileobj, max_total)
    except _Unusual:
        fileobj.seek(start)
        members, data = [], b""
        slow = True
    else:
        slow = False
    blobs: dict[str, bytes | int] = {}
    links: dict[str, str] = {}
    total = 0

    def add(kind: str, name: str, value: int | str, read: Callable[[], bytes]) -> None:
        nonlocal total
        path = _strip_prefix(name.rstrip("/"))
        if not path or path.startswith("/") or ".." in path.split("/"):
            return
        if kind == "link":
            links[path] = str(value)
        elif kind == "file":
            size = int(value)
            total += size
            if total > max_total:
                raise TooBig(f"more than {max_total:,} bytes of files")
            blobs[path] = size if size > keep else read()

    if not slow:
        for kind, name, value, offset in members:
            add(kind, name, value, _slicer(data, offset, value))
    else:
        try:
            _read_with_tarfile(fileobj, add)
        except (EOFError, zlib.error) as exc:  # a cut download, a broken gzip stream
            raise tarfile.ReadError(f"the archive is cut short or corrupt ({exc})") from None
    for path in links:
        target = _resolve(path, links, blobs)
        if target is not None:
            blobs[path] = blobs[target]
    return sorted(blobs), blobs


def _read_with_tarfile(fileobj: IO[bytes],
                       add: Callable[[str, str, int | str, Callable[[], bytes]], None]) -> None:
    with tarfile.open(fileobj=fileobj, mode="r:*") as tar:
        for member in tar:
            kind = "dir" if member.isdir() else "link" if member.issym() else \
                "file" if member.isfile() else ""

            def read(m: tarfile.TarInfo = member) -> bytes:
                fh = tar.extractfile(m)
                return fh.read() if fh is not None else b""

            add(kind, member.name, member.linkname if kind == "link" else member.size, read)


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
