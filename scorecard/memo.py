"""A memo of a pure function of strings, kept across runs in the tool's cache folder.

For work that costs more to set up than to do: turning CODEOWNERS patterns into regular
expressions needs :mod:`pathspec`, whose import alone takes tens of milliseconds at each start,
while a repository's patterns rarely change. The memo is keyed by the producing library's
identity (its file and modification time), so an upgrade starts afresh; past a few thousand
entries it keeps only those of the last run, which bounds it. Repositories' contents are never
stored, only the patterns and what they became. ``SCORECARD_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def library_identity(module: str) -> str:
    """Which copy of a library is installed (its file and modification time), found without
    importing it."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None and spec.origin else "?"
    try:
        stamp = os.stat(origin).st_mtime_ns
    except OSError:
        stamp = 0
    return f"{module} {origin} {stamp}"


MAX_ENTRIES = 4096


_SHARED: dict[tuple[str, str], DiskMemo] = {}


def memo_of(name: str, library: str, version: int = 1) -> DiskMemo:
    """The process's one memo ``name`` of what ``library`` computes (keyed by that library's
    installed copy and ``version``), made at first use."""
    found = _SHARED.get((name, library))
    if found is None:
        found = _SHARED[(name, library)] = DiskMemo(
            name, f"{version} {library_identity(library)}")
    return found


class DiskMemo:
    """``get(key, compute)``: a remembered answer, else ``compute()`` (remembered by ``save``)."""

    def __init__(self, name: str, identity: str) -> None:
        from scorecard.grepcache import cache_dir, read_keyed

        folder = cache_dir()
        self.path = str(folder / f"{name}.json") if folder is not None else None
        self.identity = identity
        self.used: dict[str, str | None] = {}
        known = read_keyed(self.path, identity) if self.path is not None else None
        self.known: dict[str, str | None] = known if isinstance(known, dict) else {}

    def get(self, key: str, compute: Callable[[], str | None]) -> str | None:
        if key in self.used:
            return self.used[key]
        value = self.known[key] if key in self.known else compute()
        self.used[key] = value
        return value

    def save(self) -> None:
        """Add what this run computed to the file (atomically), when it computed anything;
        past ``MAX_ENTRIES``, only what this run used is kept."""
        if self.path is None or self.used.keys() <= self.known.keys():
            return
        from scorecard.grepcache import write_keyed

        merged = {**self.known, **self.used}
        if len(merged) > MAX_ENTRIES:
            merged = dict(self.used)
        if write_keyed(self.path, self.identity, merged):
            self.known = merged
