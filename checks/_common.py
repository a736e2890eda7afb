"""Helpers that several built-in checks share: file-name rules of the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from scorecard.snapshot import RepoSnapshot


def any_extension(name: str, bases: Iterable[str]) -> bool:
    """The bare name or the name followed by ``.`` and any suffix, case-insensitive
    (``README``, ``readme.rst``; not ``README-dev``)."""
    lower = name.lower()
    return any(lower == b.lower() or lower.startswith(b.lower() + ".") for b in bases)


def with_extensions(name: str, bases: Iterable[str], exts: Iterable[str]) -> bool:
    """The bare name, or the name with one of ``exts`` (each with its dot), case-insensitive."""
    lower = name.lower()
    exts = tuple(e.lower() for e in exts)
    for b in bases:
        b = b.lower()
        if lower == b or (lower.startswith(b + ".") and lower[len(b):] in exts):
            return True
    return False


def find_in(snap: RepoSnapshot, folders: Iterable[str], match: object) -> list[str]:
    """Paths of files directly in each folder (in the order given) whose name matches."""
    out: list[str] = []
    for folder in folders:
        out.extend(snap.find(folder, match))
    return out
