"""Incremental org scans (``scorecard org --incremental``): what a repository's previous result
depends on (its *reuse key*), and the previous results file, read once.

A repository whose reuse key is unchanged reuses its previous record without downloading its
archive: see :func:`reuse_key` for what the key covers.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

from scorecard import __version__
from scorecard.outfile import describe
from scorecard.registry import Registry

#: Lines of a previous results file reported one by one (``--incremental``); the rest are
#: counted in one line.
MAX_PREVIOUS_WARNINGS = 10


def digest(value: Any) -> str:
    """A short stable digest of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _without_links(value: Any) -> Any:
    """``value`` without download links (a private repository's carries a token that
    changes on every query: not a fact about the repository)."""
    if isinstance(value, dict):
        return {k: _without_links(v) for k, v in value.items() if k != "tarballUrl"}
    if isinstance(value, list):
        return [_without_links(v) for v in value]
    return value


def tool_digest(registry: Registry) -> str:
    """The tool's version and the set of registered checks (id, package, options)."""
    return digest(
        [
            __version__,
            sorted((c.id, c.source, repr(sorted(c.defaults().items()))) for c in registry),
        ]
    )


def reuse_key(
    head: str | None, standard: str, tool: str, facts: Any, repo: dict[str, Any], community: Any
) -> dict[str, str] | None:
    """What a previous result depends on; ``None`` (never reused) without a head commit.
    The repository's own ``.github/standards.yml`` is covered by its head commit."""
    if not head:
        return None
    return {
        "head": head,
        "standard": standard,
        "tool": tool,
        "facts": digest(
            [
                _without_links(facts.node),
                facts.errors,
                repo,
                community if isinstance(community, dict) else str(community),
            ]
        ),
    }


class PreviousResults:
    """The reusable records of a previous results file, indexed by lower-case repository name:
    only each record's reuse key and where its line starts are held (memory does not grow
    with the records' size); a record is read again from the file when it is reused."""

    def __init__(
        self, path: str | os.PathLike[str], index: dict[str, tuple[dict[str, Any], int]]
    ) -> None:
        self.path, self._index = path, index

    def __len__(self) -> int:
        return len(self._index)

    def reusable(self, full_name: str, key: dict[str, str] | None) -> dict[str, Any] | None:
        """The previous record of ``full_name`` if it was graded with ``key``."""
        entry = self._index.get(full_name.lower())
        if key is None or entry is None or entry[0] != key:
            return None
        try:
            with open(self.path, "rb") as fh:
                fh.seek(entry[1])
                record = json.loads(fh.readline().decode("utf-8", "replace"))
        except (OSError, ValueError):
            return None  # the file changed under the scan: grade again
        return record if isinstance(record, dict) else None


def previous_records(path: str | os.PathLike[str], warn: Callable[[str], None]) -> PreviousResults:
    """The reusable records of a previous results file (none if it does not exist). A line
    that is not a record is skipped with a warning naming the file and line; those
    repositories are graded again."""
    index: dict[str, tuple[dict[str, Any], int]] = {}
    name, bad, keyless = os.fspath(path), 0, 0

    def skip(number: int, why: str) -> None:
        nonlocal bad
        bad += 1
        if bad <= MAX_PREVIOUS_WARNINGS:
            warn(f"{name}:{number}: {why}, ignored")

    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return PreviousResults(path, index)
    except OSError as exc:
        warn(f"{describe(path, exc)}: grading every repository")
        return PreviousResults(path, index)
    with fh:
        offset = 0
        for number, raw in enumerate(fh, 1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                skip(number, "not a JSON record")
                continue
            if not isinstance(rec, dict):
                skip(number, "not a JSON object")
                continue
            if rec.get("kind") != "repository":
                continue
            if not (
                isinstance(rec.get("repository"), str) and isinstance(rec.get("scorecard"), dict)
            ):
                skip(number, "a record without repository or scorecard")
            elif not isinstance(rec.get("reuse_key"), dict):
                keyless += 1  # written before incremental scans: graded again
            else:
                index[rec["repository"].lower()] = (rec["reuse_key"], start)
    if bad > MAX_PREVIOUS_WARNINGS:
        warn(f"{name}: {bad - MAX_PREVIOUS_WARNINGS} more lines ignored")
    if keyless:
        warn(
            f"{name}: {keyless} records have no reuse key (from a scan without "
            "--incremental support): those repositories are graded again"
        )
    return PreviousResults(path, index)
