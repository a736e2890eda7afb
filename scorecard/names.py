"""File-name rules of the catalog that both checks and sources need (a source must recognise
the organisation's inherited community files exactly as the checks recognise a repository's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


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
        if lower == b or (lower.startswith(b + ".") and lower[len(b) :] in exts):
            return True
    return False


SECURITY_EXTENSIONS = (".md", ".markdown", ".rst", ".adoc", ".txt")

#: Community health files, by kind: how GitHub (and the checks) recognise each by name.
COMMUNITY_FILES: dict[str, Callable[[str], bool]] = {
    "SECURITY": lambda n: with_extensions(n, ["SECURITY"], SECURITY_EXTENSIONS),
    "CONTRIBUTING": lambda n: any_extension(n, ["CONTRIBUTING"]),
}
