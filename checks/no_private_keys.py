"""No private keys

Fails when a tracked file holds a private key:

- any file of at most 1 MiB whose bytes contain the marker `-----BEGIN ... PRIVATE KEY-----`
  (`RSA`, `EC`, `OPENSSH`, `ENCRYPTED`, a bare `PRIVATE KEY`...) anywhere in a line, so a key
  pasted into source code or a binary file counts too; larger files are not scanned;
- any `.p12` or `.pfx` file (PKCS #12 key stores), by name, case-insensitive.

Paths matching the option `ignore` are not counted, and the result says how many were ignored
(`data`: `ignored`). A fail lists the paths (with the line of the marker) and never shows key
material.

Options:

- `ignore` (list of gitignore-style patterns; default: files under `test`, `tests`,
  `testdata`, `fixtures`, `spec` and `specs` directories at any depth, where test keys belong).
  An empty list counts every key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

import pathspec
import re2

from scorecard.check import Option, Options, check
from scorecard.model import Finding, Location, errored, failed, passed
from scorecard.names import search
from scorecard.snapshot import MiB, ReadError, RepoSnapshot

#: Valid both as a Python regular expression and as a POSIX ERE (for ``git grep -E``).
MARKER = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
MAX_SIZE = MiB
DEFAULT_IGNORE = ["test/", "tests/", "testdata/", "fixtures/", "spec/", "specs/"]
SHOWN = 10
MAX_LINE_LOOKUPS = 100

_MARKER_RE = re.compile(MARKER)


_KEYSTORES = re2.compile(rb"\.(?:p12|pfx)\x00")


def keystores(files: Sequence[str]) -> set[str]:
    """The ``.p12`` and ``.pfx`` files among ``files`` (by name, case-insensitive)."""
    return {files[i] for i in search(files, _KEYSTORES, lower=True)}


def _marker_line(snap: RepoSnapshot, path: str) -> int | None:
    try:
        data = snap.read_bytes(path, MAX_SIZE)
    except ReadError:
        return None
    m = _MARKER_RE.search(data)
    return data.count(b"\n", 0, m.start()) + 1 if m else None


_DIR_MARK = "ps_d"  # the group pathspec's expressions name "matched as a directory"


def ignore_rules(patterns: list[str]) -> list[tuple[Any, bool]] | str:
    """The patterns as pathspec's ``GitIgnoreSpec`` reads them (its public API, the same in
    pathspec 0.12 and 1.x): ``(regex, include)`` each, no-op lines left out, or the message of
    the first invalid one. The expressions are compiled by RE2, whose matching time is linear
    in the path whatever the pattern."""
    rules = []
    for pattern in patterns:
        try:
            spec = pathspec.GitIgnoreSpec.from_lines([pattern])  # pathspec 1.x may use RE2 too
            rules += [
                (re2.compile(p.regex.pattern), p.include)
                for p in spec.patterns
                if isinstance(p, pathspec.RegexPattern)
                and p.include is not None
                and p.regex is not None
            ]  # blank and comment lines are left out
        except re2.error:
            return f"{pattern!r}: too complex to match"
        except (ValueError, TypeError) as exc:
            return f"{pattern!r}: {exc}"
    return rules


def ignored_by(rules: list[tuple[Any, bool]], path: str) -> bool:
    """Whether ``GitIgnoreSpec`` would match ``path``, decided as pathspec's gitignore
    backend decides: from the last pattern back, the first that matches the path itself wins;
    a pattern that matches it only as a directory counts when no such pattern does."""
    result, rank = False, 0
    text = path.encode("utf-8", "replace")  # RE2 reads UTF-8; a non-UTF-8 byte becomes "?"
    for rx, include in reversed(rules):
        m = rx.search(text)
        if m is None:
            continue
        priority = 1 if m.groupdict().get(_DIR_MARK) else 2
        if priority > rank:
            result, rank = include, priority
        if priority == 2:
            break
    return result


@check(
    id="no-private-keys",
    pillar="security",
    title="No private keys",
    remediation="Remove the key from the repository and its history (git filter-repo), revoke "
    "and replace it, and load keys from a secret store; keys for tests belong "
    "under a test or fixtures directory.",
    options={
        "ignore": Option(
            "list[str]", DEFAULT_IGNORE, "gitignore-style patterns of paths where keys are expected"
        ),
    },
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    patterns = list(opts.get("ignore", DEFAULT_IGNORE))
    by_name = keystores(snap.files)  # first: the scan may still be running
    by_marker = set(snap.grep(MARKER, MAX_SIZE))
    found = sorted(by_marker | by_name)
    rules = ignore_rules(patterns)
    if isinstance(rules, str):
        return errored(f"option `ignore` has an invalid pattern: {rules}")
    kept = [p for p in found if not ignored_by(rules, p)]
    ignored = len(found) - len(kept)
    ignored_note = f" ({ignored} ignored by the `ignore` option)" if ignored else ""
    if not kept:
        return passed(f"no private keys in tracked files{ignored_note}", ignored=ignored)
    locations = []
    for i, path in enumerate(kept):
        line = _marker_line(snap, path) if path in by_marker and i < MAX_LINE_LOOKUPS else None
        locations.append(Location(path, line))
    shown = ", ".join(str(loc) for loc in locations[:SHOWN])
    more = f" and {len(kept) - SHOWN} more" if len(kept) > SHOWN else ""
    return failed(
        f"{len(kept)} file{'s' if len(kept) != 1 else ''} hold a private key: "
        f"{shown}{more}{ignored_note}",
        locations,
        ignored=ignored,
    )


# Reading every file is the slow part: the engine starts this scan before any check runs.
run = dataclasses.replace(run, _content_scan=(MARKER, MAX_SIZE))
