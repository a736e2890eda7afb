"""CODEOWNERS valid

Passes when the CODEOWNERS file GitHub uses (see `codeowners-present`) is under 3 MiB and every
line GitHub reads is valid: a gitignore-style pattern followed by zero or more owners (a
pattern without owners is valid: it un-owns its paths), each owner `@user`, `@org/team` or an
e-mail address, with `#` starting a comment.

Fails, listing every bad line as `file:line`, when a line:

- uses a pattern GitHub does not support: `!` negation, `[ ]` character ranges, `\\#` (which
  does not escape `#`: the rest of the line is a comment) or `***`, or a pattern longer than
  4,096 characters (more than any path holds);
- names an owner that is not `@user` (letters, digits, `-`, and `_` for Enterprise Managed
  User handles), `@org/team` or an e-mail address.

GitHub skips such a line whole, so its paths silently fall back to earlier rules. The check
also fails when the file is 3 MiB or more (GitHub does not load it at all) or is not text.
A `/` alone is valid (GitHub's documentation says so): it matches nothing.

With API access, GitHub's own validation (`GET /repos/{owner}/{repo}/codeowners/errors`) is
consulted too, and what it reports fails the check as well, notably owners that do not exist or
lack write access ("Unknown owner"). Locally only the syntax is checked.

`skip` when there is no CODEOWNERS file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import RepoSnapshot, Unknown

from ._codeowners import load

#: How many bad lines the message spells out (every one is in the locations).
SHOWN = 5


def _api_problem(error: Mapping[str, Any]) -> tuple[int | None, str]:
    """A line number and a one-line message from one item of GitHub's CODEOWNERS errors."""
    line = error.get("line")
    number = line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None
    message = str(error.get("message") or "").strip().split("\n", 1)[0]
    message = re.sub(r"\s+on line \d+", "", message).strip().rstrip(":")
    if not message:
        message = str(error.get("kind") or "error")
    suggestion = error.get("suggestion")
    if isinstance(suggestion, str) and suggestion and suggestion not in message:
        message += f" ({suggestion})"
    return number, f"{message} (reported by GitHub)"


@check(
    id="codeowners-valid",
    pillar="ownership",
    title="CODEOWNERS valid",
    remediation="Fix each listed CODEOWNERS line: a gitignore-style pattern (no `!`, `[ ]` or "
    "`\\#`) followed by `@user`, `@org/team` or e-mail owners that exist and have "
    "write access.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    co = load(snap)
    if co is None:
        return skipped("no CODEOWNERS file")
    if co.not_loaded is not None:
        return failed(co.not_loaded, [Location(co.path)])
    problems: dict[int | None, list[str]] = {}
    for problem in co.problems:
        problems.setdefault(problem.line, []).append(problem.message)
    api = snap.platform.codeowners_errors()
    api_answered = not isinstance(api, Unknown)
    path = co.path
    if not isinstance(api, Unknown):
        for error in api:
            if not isinstance(error, Mapping):
                continue
            number, message = _api_problem(error)
            if message not in problems.get(number, []):
                problems.setdefault(number, []).append(message)
    if not problems:
        rules = len(co.rules)
        extra = "; GitHub reports no errors" if api_answered else ""
        return passed(
            f"{path} is valid ({rules} rule{'s' if rules != 1 else ''}{extra})",
            [Location(path)],
            rules=rules,
        )
    numbered = sorted(problems.items(), key=lambda item: (item[0] is None, item[0] or 0))
    shown = []
    for number, messages in numbered[:SHOWN]:
        where = f"line {number}" if number is not None else "(no line)"
        shown.append(f"{where}: {'; '.join(messages)}")
    more = len(numbered) - SHOWN
    bad = len(numbered)
    message = (
        f"{path} has {bad} invalid line{'s' if bad != 1 else ''}: "
        + "; ".join(shown)
        + (f"; and {more} more" if more > 0 else "")
    )
    return failed(message, [Location(path, number) for number, _ in numbered], errors=bad)
