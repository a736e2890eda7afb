"""Incremental org scans (``scorecard org --incremental``): what a repository's previous result
depends on (its *reuse key*), and the previous results file, read once.

A repository whose reuse key is unchanged reuses its previous record without downloading its
archive: see :func:`reuse_key` for what the key covers (head commit, the organisation's
standard, :func:`tool_digest`, the platform facts of the GraphQL batch and listing, the
organisation's community files and :func:`owners_digest`), and :func:`with_rest` for the
settings that only a REST request of their own tells: they are in the key of the repositories
whose grading read them, and asked again only there.

Limits:

- ``DEFAULT_MAX_AGE_DAYS`` (7; ``--incremental-max-age DAYS``, 0 reuses nothing): a result
  graded longer ago is graded again (a bound on what no key can see: a check plugin's own
  requests, GitHub's view of a user's access);
- ``MAX_RECORD_BYTES`` (16 MiB): a longer line of the previous file is skipped unread;
- ``MAX_PREVIOUS_WARNINGS`` (10): lines of a bad previous file named one by one, the rest
  counted in one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any

from scorecard import __version__
from scorecard.registry import Registry

#: Lines of a previous results file reported one by one (``--incremental``); the rest are
#: counted in one line.
MAX_PREVIOUS_WARNINGS = 10
#: A previous result older than this (days, by its ``graded_at``) is graded again
#: (``--incremental-max-age``): a bound on what the reuse key cannot see (a check plugin's own
#: requests; GitHub's view of a user's access).
DEFAULT_MAX_AGE_DAYS = 7.0
#: The longest line of a previous results file read; a longer one (a garbled file) is skipped
#: without being held in memory, and its repository graded again.
MAX_RECORD_BYTES = 16 << 20


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


def _installed_version(distribution: str) -> str:
    """The installed version of the distribution that registered a check ("" if unknown)."""
    if not distribution:
        return ""
    try:
        return str(metadata.version(distribution))
    except (metadata.PackageNotFoundError, ValueError):
        return ""


def tool_digest(registry: Registry) -> str:
    """The tool's version and the set of registered checks (id, package and its installed
    version, default options): a plugin released again re-grades everything."""
    return digest(
        [
            __version__,
            sorted(
                (c.id, c.source, _installed_version(c.source), repr(sorted(c.defaults().items())))
                for c in registry
            ),
        ]
    )


def owners_digest(directory: Any) -> str:
    """The organisation's teams and members (an ``OwnerDirectory``, or None when the token
    may not list them): ``codeowners-valid`` takes an owner found there as known."""
    if directory is None:
        return digest(None)
    return digest([sorted(directory.teams), sorted(directory.members)])


def reuse_key(
    head: str | None,
    standard: str,
    tool: str,
    facts: Any,
    repo: dict[str, Any],
    community: Any,
    owners: str,
) -> dict[str, str] | None:
    """What a previous result depends on; ``None`` (never reused) without a head commit.
    The repository's own ``.github/standards.yml`` is covered by its head commit; ``owners``
    is :func:`owners_digest` of the organisation. A setting that only a REST request of its own
    tells joins the key (:func:`with_rest`) only where grading read it."""
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
                owners,
            ]
        ),
    }


def rest_facts(platform: Any) -> dict[str, str]:
    """The settings a check reads with a REST request of its own, that nothing else in the key
    reflects, and that the platform was asked for: code scanning's default setup, which
    ``code-scanning-configured`` asks only when no workflow runs a code scanner. Other REST
    facts are covered already: the security settings come with the repository listing,
    GitHub's CODEOWNERS errors follow from the head commit and the organisation's teams and
    members (:func:`owners_digest`)."""
    if not platform.asked("default-setup"):
        return {}
    return {"code-scanning-default-setup": repr(platform.code_scanning_default_setup())}


def ask_rest_facts(platform: Any) -> dict[str, str]:
    """:func:`rest_facts`, the settings asked for first (an earlier grading read them)."""
    platform.code_scanning_default_setup()
    return rest_facts(platform)


def with_rest(key: dict[str, str] | None, rest: dict[str, str]) -> dict[str, str] | None:
    """``key`` with the REST-only settings that grading read (unchanged when it read none)."""
    return key if key is None or not rest else {**key, "rest": digest(rest)}


class PreviousResults:
    """The reusable records of a previous results file, indexed by lower-case repository name:
    only each record's reuse key and where its line starts are held (memory does not grow
    with the records' size); a record is read again from the file when it is reused."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        index: dict[str, tuple[dict[str, Any], int]],
        max_age_days: float = DEFAULT_MAX_AGE_DAYS,
    ) -> None:
        self.path, self._index = path, index
        self.max_age = dt.timedelta(days=max_age_days)

    def __len__(self) -> int:
        return len(self._index)

    def reusable(
        self, full_name: str, key: dict[str, str] | None, rest: Callable[[], dict[str, str]]
    ) -> dict[str, Any] | None:
        """The previous record of ``full_name`` if it was graded with ``key``, at most
        ``max_age`` ago. Where that grading read a REST-only setting, ``rest()`` asks for it
        again and it must be the same; where it did not (the check found what it needed in
        the head commit), nothing is asked."""
        entry = self._index.get(full_name.lower())
        if key is None or entry is None:
            return None
        before = entry[0]
        if {k: v for k, v in before.items() if k != "rest"} != key:
            return None
        if "rest" in before and with_rest(key, rest()) != before:
            return None
        key = before
        try:
            with open(self.path, "rb") as fh:
                fh.seek(entry[1])
                record = json.loads(fh.readline(MAX_RECORD_BYTES + 1).decode("utf-8", "replace"))
        except (OSError, ValueError):
            return None  # the file changed under the scan: grade again
        if not (
            isinstance(record, dict)
            and isinstance(record.get("repository"), str)
            and record["repository"].lower() == full_name.lower()
            and record.get("reuse_key") == key
        ):
            return None  # another record is there now (the file changed): grade again
        graded = _parse_time(record.get("graded_at"))
        if graded is None or dt.datetime.now(dt.timezone.utc) - graded > self.max_age:
            return None
        return record


def _parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time with its zone (``2026-01-02T03:04:05Z``), else None."""
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def previous_records(
    path: str | os.PathLike[str],
    warn: Callable[[str], None],
    *,
    max_age_days: float = DEFAULT_MAX_AGE_DAYS,
) -> PreviousResults:
    """The reusable records of a previous results file (none if it does not exist), graded
    at most ``max_age_days`` ago. A line that is not a record is skipped with a warning
    naming the file and line; those repositories are graded again."""
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
        return PreviousResults(path, index, max_age_days)
    except OSError as exc:
        warn(f"cannot read {os.fspath(path)}: {exc.strerror or exc}: grading every repository")
        return PreviousResults(path, index, max_age_days)
    with fh:
        try:
            keyless = _index_lines(fh, index, skip)
        except OSError as exc:
            warn(f"cannot read {name}: {exc.strerror or exc}: what was not read is graded again")
    if bad > MAX_PREVIOUS_WARNINGS:
        warn(f"{name}: {bad - MAX_PREVIOUS_WARNINGS} more lines ignored")
    if keyless:
        warn(
            f"{name}: {keyless} records have no reuse key (from a scan without "
            "--incremental support): those repositories are graded again"
        )
    return PreviousResults(path, index, max_age_days)


def _lines(fh: Any) -> Iterator[tuple[int, int, bytes | None]]:
    """``(line number, offset, line)`` of a binary file; ``None`` for a line longer than
    ``MAX_RECORD_BYTES``, which is skipped a piece at a time, never held whole."""
    number = offset = 0
    while raw := fh.readline(MAX_RECORD_BYTES + 1):
        number += 1
        start, offset = offset, offset + len(raw)
        if len(raw) <= MAX_RECORD_BYTES or raw.endswith(b"\n"):
            yield number, start, raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = fh.readline(MAX_RECORD_BYTES)
            offset += len(raw)
        yield number, start, None


def _index_lines(
    fh: Any, index: dict[str, tuple[dict[str, Any], int]], skip: Callable[[int, str], None]
) -> int:
    """Index the records of ``fh`` into ``index``; the number of records without a key."""
    keyless = 0
    for number, start, raw in _lines(fh):
        if raw is None:
            skip(number, f"a line longer than {MAX_RECORD_BYTES:,} bytes")
            continue
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
        if not (isinstance(rec.get("repository"), str) and isinstance(rec.get("scorecard"), dict)):
            skip(number, "a record without repository or scorecard")
        elif not isinstance(rec.get("reuse_key"), dict):
            keyless += 1  # written before incremental scans: graded again
        else:
            index[rec["repository"].lower()] = (rec["reuse_key"], start)
    return keyless
