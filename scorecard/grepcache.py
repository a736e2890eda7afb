"""A cache of content-scan verdicts, keyed by git blob id.

Scanning every file of a large checkout for a pattern (``no-private-keys`` does) is most of the
time a local run takes: the bytes must be read and searched. A git blob id is the hash of the
content, so a verdict ("this content matches / does not match the pattern") never goes stale.
The cache keeps, per pattern, the ids of blobs known to match and of blobs known not to; a run
then reads only the files whose content it has not seen. Files changed in the work tree (which
``git diff-files`` names) are always read from disk.

It lives in ``$SCORECARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/repo-scorecard``, else
``~/.cache/repo-scorecard``; ``SCORECARD_NO_CACHE=1`` turns it off. Nothing from the
repository but blob ids is stored. Writes are atomic (a temporary file renamed over).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

MAX_ENTRIES = 2_000_000  # past this, the cache keeps only what the last run saw


def cache_dir() -> Path | None:
    if os.environ.get("SCORECARD_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("SCORECARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repo-scorecard"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> bool:
    """Write a cache file whole or not at all (a temporary file renamed over it); False when
    it cannot be written, which only costs time."""
    import tempfile  # only when writing: its import costs more than a cache hit

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


def read_keyed(path: str | os.PathLike[str], key: str, default: Any = None) -> Any:
    """The value a JSON cache file (``{"key": ..., "value": ...}``) holds for ``key``;
    ``default`` when the file is absent, unreadable or holds another key."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data, dict) and data.get("key") == key and "value" in data:
            return data["value"]
    except (OSError, ValueError):
        pass
    return default


def write_keyed(path: str | os.PathLike[str], key: str, value: Any) -> bool:
    """Keep ``value`` (JSON data) for ``key`` in a cache file; False when it cannot be."""
    import json

    try:
        data = json.dumps({"key": key, "value": value}).encode()
    except (TypeError, ValueError):
        return False
    return write_atomic(path, data)


class VerdictCache:
    """Blob ids (hex, as bytes) known to match, and known not to, one pattern."""

    def __init__(self, pattern: bytes, max_size: int) -> None:
        key = hashlib.sha256(pattern + b"\0" + str(max_size).encode()).hexdigest()[:20]
        d = cache_dir()
        self.path = d / f"grep-{key}.bin" if d else None
        self.matching: set[bytes] = set()
        self.clean: set[bytes] = set()
        self.dirty = False
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        matching, _, clean = data.partition(b"\n--\n")
        self.matching = set(matching.split()) if matching else set()
        self.clean = set(clean.split()) if clean else set()

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
        if self.path is None or not self.dirty:
            return
        if seen is not None and len(self.matching) + len(self.clean) > MAX_ENTRIES:
            self.matching &= seen
            self.clean &= seen
        write_atomic(self.path, b"\n".join(sorted(self.matching)) + b"\n--\n"
                     + b"\n".join(sorted(self.clean)))
        self.dirty = False


class LastResult:
    """The last answer for one repository: its index fingerprint (a hash of ``git ls-files
    -s``: paths, modes and blob ids) and the matching paths. When the index is the same and no
    file changed in the work tree, the answer is the same, with no per-file work at all."""

    def __init__(self, pattern: bytes, max_size: int, root: str) -> None:
        key = hashlib.sha256(pattern + b"\0" + str(max_size).encode() + b"\0"
                             + os.fsencode(root)).hexdigest()[:24]
        d = cache_dir()
        self.path = d / f"last-{key}.txt" if d else None

    def load(self, fingerprint: str) -> list[bytes] | None:
        if self.path is None:
            return None
        try:
            first, _, rest = self.path.read_bytes().partition(b"\n")
        except OSError:
            return None
        if first.decode("ascii", "replace") != fingerprint:
            return None
        return [p for p in rest.split(b"\0") if p]

    def save(self, fingerprint: str, matches: list[bytes]) -> None:
        if self.path is None:
            return
        write_atomic(self.path, fingerprint.encode() + b"\n" + b"\0".join(matches))
