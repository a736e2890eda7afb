"""The tool's one cache, owned by the engine, for repeat local runs: the content scan's
verdicts, and two results of the tracked-file list alone.

Scanning every file of a large checkout for a pattern (``no-private-keys`` does) is most of the
time a local run takes: the bytes must be read and searched. A git blob id is the hash of the
content, so a verdict ("this content matches / does not match the pattern") never goes stale.
:class:`VerdictCache` keeps, per pattern, the ids of blobs known to match and of blobs known
not to; a run then reads only the files whose content it has not seen. :class:`LastResult`
keeps a checkout's last answer, given again while its index is the same and no file changed.
Files changed in the work tree (which ``git diff-files`` names) are always read from disk.

:class:`Kept` holds one checkout's last result of a kind, given again while its key is the same.
Besides the content scan's last answer, two built-in checks keep a result that depends on
nothing but the tracked-file list, a file's text and their own code (see ``_kept`` on the
snapshot, engine-internal): CODEOWNERS coverage (0.15 s on 100,000 files) and tests-present
(0.05 s). Their key is a digest of the file list, of those inputs and of the code
(:func:`code_of`: the tool's version and the module's source).

Where: ``$SCORECARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/repo-scorecard``, else
``~/.cache/repo-scorecard``; ``SCORECARD_NO_CACHE=1`` turns it off. Each file is written whole
or not at all (a temporary file renamed over) and starts with its key on one line: a file
holding another key (another format, another index) is never used. Nothing from a repository
but blob ids, the matching paths, counts and up to five unowned paths is stored. A cache that
cannot be read or written only costs time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
from pathlib import Path

from scorecard import __version__

#: Blob ids kept per pattern, at most: past this, the cache keeps only what the last run saw.
MAX_ENTRIES = 2_000_000
_FORMAT = "repo-scorecard cache 2"  # part of every key: a new format ignores the old files


def directory() -> Path | None:
    """The cache folder; None when ``SCORECARD_NO_CACHE`` is set (to anything but 0)."""
    if os.environ.get("SCORECARD_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("SCORECARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repo-scorecard"


def read_keyed(path: str | os.PathLike[str], key: str) -> bytes | None:
    """The payload a cache file holds for ``key``; None when it is absent, unreadable or holds
    another key."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    first, newline, payload = data.partition(b"\n")
    if not newline or first != f"{_FORMAT}\0{key}".encode():
        return None
    return payload


def write_keyed(path: str | os.PathLike[str], key: str, payload: bytes) -> bool:
    """Keep ``payload`` for ``key`` (one line) in a cache file, atomically; False when it
    cannot be written."""
    if "\n" in key:
        raise ValueError("a cache key is one line")
    data = f"{_FORMAT}\0{key}\n".encode() + payload
    folder = os.path.dirname(os.fspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


@functools.cache
def code_of(*modules: str) -> bytes:
    """What identifies the code behind a kept result (part of its key): the tool's version and
    the source of each module file, so that edited code never reads an earlier one's results."""
    out = [__version__.encode()]
    for module in modules:
        try:
            out.append(Path(module).read_bytes())
        except OSError:
            out.append(module.encode())
    return b"\0".join(out)


def _name(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:24]


class VerdictCache:
    """Blob ids (hex, as bytes) known to match, and known not to, one pattern."""

    def __init__(self, pattern: bytes, max_size: int) -> None:
        folder = directory()
        self.key = _name(pattern, str(max_size).encode())
        self.path = folder / f"grep-{self.key}.bin" if folder is not None else None
        self.matching: set[bytes] = set()
        self.clean: set[bytes] = set()
        self.dirty = False
        data = read_keyed(self.path, self.key) if self.path is not None else None
        if data:
            matching, _, clean = data.partition(b"\n--\n")
            self.matching = set(matching.split())
            self.clean = set(clean.split())

    def known(self, oid: bytes) -> bool | None:
        if oid in self.clean:
            return False
        if oid in self.matching:
            return True
        return None

    def record(self, oid: bytes, matches: bool) -> None:
        (self.matching if matches else self.clean).add(oid)
        self.dirty = True

    def save(self, seen: set[bytes] | None = None) -> None:
        """Write what is known (past :data:`MAX_ENTRIES`, only the ids in ``seen``)."""
        if self.path is None or not self.dirty:
            return
        if seen is not None and len(self.matching) + len(self.clean) > MAX_ENTRIES:
            self.matching &= seen
            self.clean &= seen
        write_keyed(
            self.path,
            self.key,
            b"\n".join(sorted(self.matching)) + b"\n--\n" + b"\n".join(sorted(self.clean)),
        )
        self.dirty = False


class Kept:
    """One result of one kind, kept for the next run: given again while its key (a digest of
    everything the result depends on) is the same. One file per kind and ``names`` (a checkout's
    folder, a pattern), replaced by each new result."""

    def __init__(self, kind: str, *names: bytes) -> None:
        folder = directory()
        self.path = folder / f"{kind}-{_name(*names)}.bin" if folder is not None else None

    def load(self, key: str) -> bytes | None:
        return read_keyed(self.path, key) if self.path is not None else None

    def save(self, key: str, payload: bytes) -> None:
        if self.path is not None:
            write_keyed(self.path, key, payload)


class LastResult(Kept):
    """The content scan's last answer for one checkout: its index fingerprint (a hash of ``git
    ls-files -s``: paths, modes and blob ids) and the matching paths. When the index is the
    same and no file changed in the work tree, the answer is the same, with no per-file work at
    all."""

    def __init__(self, pattern: bytes, max_size: int, root: str) -> None:
        super().__init__("last", pattern, str(max_size).encode(), os.fsencode(root))

    def load_paths(self, fingerprint: str) -> list[bytes] | None:
        data = self.load(fingerprint)
        return None if data is None else [p for p in data.split(b"\0") if p]

    def save_paths(self, fingerprint: str, matches: list[bytes]) -> None:
        self.save(fingerprint, b"\0".join(matches))
