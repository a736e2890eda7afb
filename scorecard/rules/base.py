"""What the rule modules share: the error type, the line of a node, and the compiled forms of
regular expressions (RE2) and globs (gitignore-style, through pathspec, matched on RE2), with the
walk over the file list that a glob needs, memoised per snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pathspec
import re2

from scorecard.parsing import YamlList, YamlMap
from scorecard.snapshot import RepoSnapshot


class RuleError(Exception):
    """A rule that cannot be used: the line and dotted key where, and why."""

    def __init__(self, line: int | None, key: str, message: str) -> None:
        super().__init__(message)
        self.line, self.key, self.message = line, key, message


def compile_regex(pattern: str) -> Any:
    """``pattern`` on RE2, multi-line (``^``/``$`` at each line). Raises ValueError."""
    options = re2.Options()
    options.log_errors = False
    options.posix_syntax = False
    try:
        return re2.compile("(?m)" + pattern, options)
    except re2.error as exc:
        why = exc.args[0] if exc.args else ""
        why = why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)
        raise ValueError(
            f"`{pattern}` is not a regular expression RE2 accepts "
            f"(no backreferences or lookaround): {why}"
        ) from None


def compile_glob(pattern: str, ignore_case: bool = False) -> Any:
    """A gitignore-style pattern (pathspec's ``GitIgnoreSpec``) as an RE2 expression over a
    path. Raises ValueError."""
    if pattern.startswith("!"):
        raise ValueError(f"{pattern!r}: a negated glob is not a condition (use `not:`)")
    try:
        spec = pathspec.GitIgnoreSpec.from_lines([pattern])
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{pattern!r}: {exc}") from None
    regexes = [
        p.regex.pattern
        for p in spec.patterns
        if isinstance(p, pathspec.RegexPattern) and p.include and p.regex is not None
    ]
    if not regexes:
        raise ValueError(f"{pattern!r} matches no file (a comment or a blank pattern)")
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(regexes[0], options)
    except re2.error:
        raise ValueError(f"{pattern!r}: too complex to match") from None


def line_in(node: Any, key: Any, default: int | None) -> int | None:
    if isinstance(node, (YamlMap, YamlList)):
        try:
            return node.line_of(key)
        except (KeyError, IndexError, TypeError):
            return default
    return default


def matching(snap: RepoSnapshot, rx: Any) -> list[str]:
    """The tracked files the compiled glob matches; rules sharing a glob share the walk over
    the file index (on 100,000 files it takes about 0.2 s)."""

    def walk() -> list[str]:
        return [p for p in snap.files if rx.search(p.encode("utf-8", "replace")) is not None]

    found: list[str] = snap.cached(_key(rx), walk)
    return found


def _key(rx: Any) -> str:
    return f"rules-glob:{rx.options.case_sensitive}:{rx.pattern}"


def index_globs(snap: RepoSnapshot, globs: Sequence[Any]) -> None:
    """Match every compiled glob against the file list in one pass (an RE2 set per case
    sensitivity), leaving each glob's matches where :func:`matching` finds them: a standard
    with hundreds of `files` conditions costs one walk over the files, not one per glob."""
    todo: dict[str, Any] = {}
    for rx in globs:
        key = _key(rx)
        if key not in todo and not snap.has_cached(key):
            todo[key] = rx
    if len(todo) < 2:
        return
    groups: dict[bool, list[Any]] = {}
    for rx in todo.values():
        groups.setdefault(bool(rx.options.case_sensitive), []).append(rx)
    for case_sensitive, rxs in groups.items():
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = case_sensitive
        combined = re2.Set.SearchSet(options)
        for rx in rxs:
            combined.Add(rx.pattern)
        combined.Compile()
        found: list[list[str]] = [[] for _ in rxs]
        for path in snap.files:
            for i in combined.Match(path.encode("utf-8", "replace")) or ():
                found[i].append(path)
        for rx, paths in zip(rxs, found, strict=True):
            snap.cached(_key(rx), lambda paths=paths: paths)
