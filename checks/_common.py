"""Helpers that several built-in checks share: file-name rules of the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from scorecard.names import any_extension, with_extensions
from scorecard.snapshot import RepoSnapshot

__all__ = ["any_extension", "find_in", "with_extensions"]


def find_in(snap: RepoSnapshot, folders: Iterable[str], match: object) -> list[str]:
    """Paths of files directly in each folder (in the order given) whose name matches."""
    out: list[str] = []
    for folder in folders:
        out.extend(snap.find(folder, match))
    return out
