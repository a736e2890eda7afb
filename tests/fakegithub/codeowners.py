"""CODEOWNERS errors as GitHub reports them (REST ``/codeowners/errors``, GraphQL ``codeowners``).

GitHub reads the first of ``.github/CODEOWNERS``, ``CODEOWNERS``, ``docs/CODEOWNERS`` and reports,
per line: ``Invalid pattern`` (gitignore syntax GitHub does not support: ``!`` negation, ``[ ]``
ranges, ``\\#`` escapes, ``***``), ``Invalid owner`` (not ``@user``, ``@org/team`` or an e-mail
address) and ``Unknown owner`` (a user, team or e-mail address that does not exist). Messages are
laid out like GitHub's: ``Kind on line N: detail`` then the source line with carets under the
column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")

_USER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_TEAM = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def error(
    path: str,
    line: int,
    column: int,
    source: str,
    kind: str,
    detail: str | None = None,
    suggestion: str | None = None,
    width: int = 1,
) -> dict[str, Any]:
    head = f"{kind} on line {line}:" + (f" {detail}" if detail else "")
    message = f"{head}\n\n  {source}\n  {' ' * (column - 1)}{'^' * max(1, width)}"
    return {
        "line": line,
        "column": column,
        "kind": kind,
        "source": source,
        "suggestion": suggestion,
        "message": message,
        "path": path,
    }


def _pattern_problem(pattern: str) -> tuple[str | None, str | None] | None:
    """(detail, suggestion) when GitHub rejects the pattern, else None."""
    if pattern.startswith(("!", "\\#")) or "[" in pattern or "]" in pattern:
        return None, None
    if "***" in pattern:
        fixed = re.sub(r"\*{3,}", "**", pattern)
        return f"Did you mean `{fixed}`?", f"Did you mean `{fixed}`?"
    if pattern == "/":
        text = "The pattern `/` will never match anything, did you mean `*` instead?"
        return text, text
    return None


def compute_errors(
    text: str,
    path: str,
    user_exists: Callable[[str], bool],
    team_exists: Callable[[str, str], bool],
    email_exists: Callable[[str], bool],
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        source = raw.rstrip("\r")
        stripped = source.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # tokens with their 1-based columns; an unescaped " #" starts a trailing comment
        tokens: list[tuple[str, int]] = []
        for match in re.finditer(r"(?:\\.|[^\s\\])+", source):
            if match.group(0).startswith("#"):
                break
            tokens.append((match.group(0), match.start() + 1))
        if not tokens:
            continue
        pattern, pcol = tokens[0]
        problem = _pattern_problem(pattern)
        if problem is not None:
            detail, suggestion = problem
            errors.append(error(path, number, pcol, source, "Invalid pattern", detail, suggestion))
            continue
        for owner, col in tokens[1:]:
            if owner.startswith("@"):
                team = _TEAM.match(owner)
                if team:
                    if not team_exists(team.group(1), team.group(2)):
                        errors.append(_unknown(path, number, col, source, owner))
                elif _USER.match(owner):
                    if not user_exists(owner[1:]):
                        errors.append(_unknown(path, number, col, source, owner))
                else:
                    errors.append(error(path, number, col, source, "Invalid owner"))
            elif _EMAIL.match(owner):
                if not email_exists(owner):
                    errors.append(_unknown(path, number, col, source, owner))
            else:
                errors.append(error(path, number, col, source, "Invalid owner"))
    return errors


def _unknown(path: str, line: int, col: int, source: str, owner: str) -> dict[str, Any]:
    return error(
        path,
        line,
        col,
        source,
        "Unknown owner",
        f"make sure {owner} exists and has write access to the repository",
        width=len(owner),
    )
