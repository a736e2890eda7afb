"""CODEOWNERS as GitHub reads it: where it lives, its rules, and which rule owns a path.

Shared by ``codeowners-present``, ``codeowners-valid``, ``codeowners-coverage`` and
``owner-defined``; the parsed file is memoised on the snapshot (``snap.cached("codeowners")``),
so it is read and parsed once per run.

GitHub's rules, followed here:

- the file is ``.github/CODEOWNERS``, ``CODEOWNERS`` or ``docs/CODEOWNERS`` (exact name, first
  found in that order);
- a file of 3 MiB or more is not loaded at all: it owns nothing;
- ``#`` starts a comment wherever it appears (``\\#`` does not escape it); a line is a
  gitignore-style pattern followed by zero or more owners (``@user``, ``@org/team`` or an
  e-mail address); a line with any invalid part is skipped whole;
- ``!`` negation, ``[ ]`` ranges and ``\\#`` are not supported, ``***`` is an invalid pattern;
  ``/`` alone is valid and matches nothing (as GitHub's documentation says);
- ``docs/*`` matches the direct children of ``docs/`` only, unlike gitignore;
- paths are matched case-sensitively, and the last matching rule wins; a rule without owners
  leaves its paths unowned.

A pattern longer than ``MAX_PATTERN`` characters (4,096, longer than any path a checkout can
hold) is reported as invalid and owns nothing.

Patterns are translated here (:func:`translate`) rather than by :mod:`pathspec`: CODEOWNERS is
not gitignore (``docs/*``, ``/``), and pathspec's public expressions differ between its 0.12
and 1.x releases. Each rule becomes one RE2 expression (``google-re2``), whose matching time is
linear in the path whatever the pattern (``*a*a*a…b`` made Python's backtracking engine run
for minutes). :class:`Matcher` looks rules up by their literal parts, so a file tries only the
few rules that could match it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import re2

from scorecard.snapshot import MiB, ReadError, RepoSnapshot, TooLarge

#: Where GitHub looks for CODEOWNERS, in the order it looks.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
#: GitHub does not load a CODEOWNERS file of this size or more.
MAX_SIZE = 3 * MiB
#: The longest pattern matched (characters); a longer one is an invalid line.
MAX_PATTERN = 4096

USER_RE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9_-]*\Z")
TEAM_RE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_RE = re.compile(r"[A-Za-z0-9.!$%&'*+/=?^_`{|}~-]+@" + _LABEL + r"(?:\." + _LABEL + r")+\Z")

# A token is a run of non-blank characters; a backslash escapes the next one (``a\ b``).
_TOKEN_RE = re.compile(r"(?:\\.|[^\s\\]|\\\Z)+", re.ASCII)
#: The patterns whose owners ``owner-defined`` takes as the repository's owners.
CATCH_ALL = ("*", "**", "/**")


def valid_owner(owner: str) -> bool:
    """Whether ``owner`` is ``@user``, ``@org/team`` or an e-mail address."""
    return bool(USER_RE.match(owner) or TEAM_RE.match(owner) or EMAIL_RE.match(owner))


@dataclass(frozen=True)
class Problem:
    """Why GitHub skips one line (1-based)."""

    line: int
    message: str


def _compile(regex: str) -> Any:
    """An RE2 expression (matching time linear in the text); RE2 logs nothing to stderr."""
    options = re2.Options()
    options.log_errors = False
    return re2.compile(regex, options)


def _encode(path: str) -> bytes:
    """A path as RE2 reads it, UTF-8; a byte that is not UTF-8 (kept by ``os.fsdecode`` as a
    lone surrogate) becomes ``?``, one character, as ``?`` and ``*`` expect."""
    return path.encode("utf-8", "replace")


@dataclass(frozen=True)
class Rule:
    """A valid line: a pattern, its owners (maybe none) and what :func:`translate` makes of the
    pattern: an RE2 expression matching the paths it covers (from the start of the path), its
    kind and its lookup key."""

    line: int
    pattern: str
    owners: tuple[str, ...]
    regex: str
    kind: str
    key: str

    def matches(self, path: str) -> bool:
        if self.kind in ("all", "none"):
            return self.kind == "all"
        return _compile(self.regex).match(_encode(path)) is not None


def _pattern_problem(pattern: str) -> str | None:
    """Why GitHub rejects ``pattern``, or None."""
    if pattern.startswith("!"):
        return f"pattern `{pattern}` uses `!` negation, which CODEOWNERS does not support"
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            return (
                f"pattern `{pattern}` uses a `[ ]` character range, which CODEOWNERS does "
                f"not support"
            )
    if "***" in pattern:
        return f"pattern `{pattern}` is invalid: `***` is not a wildcard (use `**`)"
    if len(pattern) > MAX_PATTERN:
        return (
            f"pattern `{pattern[:40]}…` is {len(pattern):,} characters long: longer than "
            f"the {MAX_PATTERN:,} this tool matches"
        )
    return None


def _glob_parts(segment: str) -> list[str] | None:
    """A segment of a pattern as wildcards (``*``, ``?``) and literal runs (unescaped, each
    starting with ``=``); None when it ends in a lone backslash."""
    parts: list[str] = []
    escaped = False
    for ch in segment:
        if escaped or ch not in "*?\\":
            escaped = False
            if parts and parts[-1].startswith("="):
                parts[-1] += ch
            else:
                parts.append("=" + ch)
        elif ch == "\\":
            escaped = True
        elif ch != "*" or parts[-1:] != ["*"]:  # `**` inside a segment is `*`
            parts.append(ch)
    return None if escaped else parts


_PART_REGEX = {"*": "[^/]*", "?": "[^/]"}


def _segment_regex(parts: list[str]) -> str:
    return "".join(_PART_REGEX.get(p) or re2.escape(p[1:]) for p in parts)


def _key(parsed: list[list[str] | None]) -> str:
    """What every path a rule matches holds, for :class:`Matcher` to look rules up by:
    ``/dir/name``, a literal start of the path (a rule anchored at the root); else ``=name``,
    a whole segment, ``<head`` or ``>tail``, the start or end of a segment, whichever is
    longest; "" when the rule has no literal part at all."""
    prefix = []
    for parts in parsed:
        if parts is None or len(parts) != 1 or not parts[0].startswith("="):
            break
        prefix.append(parts[0][1:])
    if prefix:
        return "/" + "/".join(prefix)
    keys = [""]
    for parts in parsed:
        if not parts:
            continue
        if len(parts) == 1 and parts[0].startswith("="):
            keys.append(parts[0])
            continue
        if parts[0].startswith("="):
            keys.append("<" + parts[0][1:])
        if parts[-1].startswith("="):
            keys.append(">" + parts[-1][1:])
    return max(keys, key=len)


def translate(pattern: str) -> tuple[str, str, str] | None:
    """A CODEOWNERS pattern as ``(regex, kind, key)``, None when it is not a valid pattern.

    ``regex`` is RE2 syntax for a match at the start of a path, and matches a path when the
    pattern matches it or a directory above it; ``kind`` says which: ``all`` (every path),
    ``none`` (no path: ``/`` alone), ``dir`` (only what is below a directory it matches:
    ``build/``, ``a/**``), ``file`` (only the path itself: a last segment ``*``, as in
    ``docs/*``), ``both``; ``key`` is described in :func:`_key`.

    Gitignore rules as GitHub applies them: a pattern without a slash but at its end matches at
    any depth; a leading ``**/`` too; another slash anchors it to the root; a trailing ``/``
    or ``/**`` matches everything below; an inner ``/**/`` zero or more directories; ``*``
    and ``?`` any characters but ``/``; ``\\`` escapes the next character."""
    if pattern == "/":
        return "", "none", ""
    segments = pattern.split("/")
    is_dir = not segments[-1]
    if not segments[0]:
        del segments[0]
    elif len(segments) == 1 or (len(segments) == 2 and is_dir):
        segments.insert(0, "**")
    if not segments[-1]:
        segments[-1] = "**"
    segments = [s for i, s in enumerate(segments) if s != "**" or segments[i - 1 : i] != ["**"]]
    if segments == ["**", "*"] or (segments == ["**"] and not is_dir):  # `*`, `**`, `/**`
        return "", "all", ""
    if segments == ["**"]:  # `**/`: every path in a directory
        return "[^/]+/", "dir", ""
    parsed = [None if s == "**" else _glob_parts(s) for s in segments]
    if any(parts is None and s != "**" for s, parts in zip(segments, parsed, strict=True)):
        return None
    out = ["(?s)"]
    follows = False  # a segment before: the next one starts with "/"
    last = len(segments) - 1
    for i, parts in enumerate(parsed):
        if parts is None:  # `**`
            out.append("(?:.+/)?" if i == 0 else "(?:/.+)?" if i < last else "/")
            follows = 0 < i < last
            continue
        out.append(
            ("/" if follows else "") + ("[^/]+" if parts == ["*"] else _segment_regex(parts))
        )
        follows = True
    tail = segments[-1]
    kind = "dir" if tail == "**" else "file" if tail == "*" else "both"
    out.append({"dir": "", "file": "$", "both": "(?:/|$)"}[kind])
    return "".join(out), kind, _key(parsed)


def parse_line(number: int, raw: str) -> Rule | Problem | None:
    """One line of CODEOWNERS: a rule, a problem (GitHub skips the line), or None (blank or
    comment)."""
    line = raw[:-1] if raw.endswith("\r") else raw
    hash_at = line.find("#")
    if hash_at >= 0:
        if hash_at > 0 and line[hash_at - 1] == "\\":
            return Problem(
                number,
                "`\\#` does not escape `#` in CODEOWNERS: everything from `#` on is a comment",
            )
        line = line[:hash_at]
    tokens = _TOKEN_RE.findall(line)
    if not tokens:
        return None
    pattern, owners = tokens[0], tuple(tokens[1:])
    problems = []
    problem = _pattern_problem(pattern)
    translated = None
    if problem is None:
        translated = translate(pattern)
        if translated is None:
            problem = f"pattern `{pattern}` is not a valid gitignore-style pattern"
    if problem is not None:
        problems.append(problem)
    problems.extend(
        f"owner `{o}` is not @user, @org/team or an e-mail" for o in owners if not valid_owner(o)
    )
    if problems or translated is None:
        return Problem(number, "; ".join(problems))
    return Rule(number, pattern, owners, *translated)


def parse(text: str) -> tuple[list[Rule], list[Problem]]:
    """The rules of a CODEOWNERS text, in file order, and the lines GitHub skips."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.split("\n"), 1):
        item = parse_line(number, raw)
        if isinstance(item, Rule):
            rules.append(item)
        elif isinstance(item, Problem):
            problems.append(item)
    return rules, problems


def locate(snap: RepoSnapshot) -> str | None:
    """The CODEOWNERS file GitHub uses, None when there is none."""
    for path in LOCATIONS:
        if snap.has(path):
            return path
    return None


class _Dir:
    """What is known of a directory: the rules that may match a path in it (looked up by the
    keys of the directory's path, besides rules without a key), the last rule matching every
    file in it (``best``), in reverse order the candidates that could beat ``best`` for a file
    of the directory (``for_files``), and whether a rule looked up by a file's own name or
    path could too (``by_name``)."""

    __slots__ = ("best", "by_name", "candidates", "for_files")

    def __init__(
        self, candidates: frozenset[int], best: int, for_files: tuple[int, ...], by_name: bool
    ):
        self.candidates = candidates
        self.best = best
        self.for_files = for_files
        self.by_name = by_name


class Matcher:
    """Finds the last rule matching each path, in time linear in the path for each rule tried.

    Each rule is looked up by its key (see :func:`translate`): a rule anchored at the root by
    its literal directory prefix, others by a literal segment, or the literal start or end of
    a segment; only rules without any literal part are tried on every path. A directory's
    answer (the last rule matching all files below it) is worked out once, from its parent's;
    a file then tries only the rules that could beat it, from the last one back, and stops at
    the first that matches. Each rule is one RE2 expression, compiled when first tried."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
        self._kinds = [rule.kind for rule in rules]
        self._by_key: dict[str, list[int]] = {}
        self._compiled: dict[int, Any] = {}
        general: list[int] = []
        everything = 0
        for i, rule in enumerate(rules, 1):
            if rule.kind == "all":
                everything = i
            elif rule.key:
                self._by_key.setdefault(rule.key, []).append(i)
            elif rule.kind != "none":
                general.append(i)
        self._heads = sorted({len(k) - 1 for k in self._by_key if k.startswith("<")})
        self._tails = sorted({len(k) - 1 for k in self._by_key if k.startswith(">")})
        # The last rule that a file's own name (or whole path, by directory) could add.
        self._by_name = max(
            (
                i
                for k, found in self._by_key.items()
                if k[0] in "=<>"
                for i in found
                if self._for_files(i)
            ),
            default=0,
        )
        self._by_path: dict[str, int] = {}
        for k, found in self._by_key.items():
            for i in found:
                if k[0] == "/" and self._for_files(i):
                    parent = k[1:].rpartition("/")[0]
                    self._by_path[parent] = max(i, self._by_path.get(parent, 0))
        self._dirs = {"": self._state("", frozenset(general), everything)}

    def _for_files(self, index: int) -> bool:
        """Whether rule ``index`` may match a file itself (not only what is below a folder)."""
        return self._kinds[index - 1] in ("file", "both")

    def _state(self, directory: str, candidates: frozenset[int], best: int) -> _Dir:
        for_files = tuple(
            sorted((i for i in candidates if i > best and self._for_files(i)), reverse=True)
        )
        by_name = best < max(self._by_name, self._by_path.get(directory, 0))
        return _Dir(candidates, best, for_files, by_name)

    def _matches(self, index: int, text: bytes) -> bool:
        rx = self._compiled.get(index)
        if rx is None:
            rx = self._compiled[index] = _compile(self.rules[index - 1].regex)
        return rx.match(text) is not None

    def _lookup(self, segment: str, path: str) -> set[int]:
        """The rules whose key the last ``segment`` of ``path`` holds."""
        get = self._by_key.get
        found = {*get("=" + segment, ()), *get("/" + path, ())}
        for n in self._heads:
            if n > len(segment):
                break
            found.update(get("<" + segment[:n], ()))
        for n in self._tails:
            if n > len(segment):
                break
            found.update(get(">" + segment[-n:], ()))
        return found

    def _dir(self, directory: str) -> _Dir:
        missing = []
        while directory not in self._dirs:
            missing.append(directory)
            directory = directory.rpartition("/")[0]
        above = self._dirs[directory]
        for directory in reversed(missing):
            candidates = above.candidates | self._lookup(directory.rpartition("/")[2], directory)
            best = above.best
            text = _encode(directory + "/")
            for i in sorted(candidates, reverse=True):
                if i <= best:
                    break
                if self._kinds[i - 1] in ("dir", "both") and self._matches(i, text):
                    best = i
                    break
            above = self._dirs[directory] = self._state(directory, candidates, best)
        return above

    def indexes(self, paths: Iterable[str]) -> list[int]:
        """For each path, the 1-based index in ``rules`` of the last rule matching it, 0 when
        none does."""
        out = []
        for path in paths:
            directory, _, name = path.rpartition("/")
            state = self._dirs.get(directory) or self._dir(directory)
            best, tries = state.best, state.for_files
            if state.by_name:
                extra = {i for i in self._lookup(name, path) if i > best and self._for_files(i)}
                if extra:
                    tries = tuple(sorted(extra.union(tries), reverse=True))
            if tries:
                text = _encode(path)
                best = next((i for i in tries if self._matches(i, text)), best)
            out.append(best)
        return out

    def rule_for(self, path: str) -> Rule | None:
        """The last rule matching ``path``, None when no rule does."""
        index = self.indexes([path])[0]
        return self.rules[index - 1] if index else None


@dataclass
class Codeowners:
    """The CODEOWNERS file GitHub uses, as GitHub reads it."""

    path: str
    size: int | None
    rules: list[Rule] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Why GitHub cannot use the file at all (too large, binary...), None when it can.
    not_loaded: str | None = None
    #: The file is 3 MiB or more, so GitHub ignores it.
    too_large: bool = False
    #: The file's text (empty when it was not loaded).
    text: str = field(default="", repr=False)
    _matcher: Matcher | None = field(default=None, init=False, repr=False)

    @property
    def loaded(self) -> bool:
        return self.not_loaded is None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.rules)
        return self._matcher

    def owners_of(self, path: str) -> tuple[str, ...]:
        """The owners of ``path`` (none when no rule, or a rule without owners, matches)."""
        rule = self.matcher.rule_for(path)
        return rule.owners if rule is not None else ()

    def coverage(self, paths: Sequence[str], sample: int = 5) -> tuple[int, list[str]]:
        """How many of ``paths`` have an owner, and the first ``sample`` that do not."""
        indexes = self.matcher.indexes(paths)
        unowned_rules = {0} | {i for i, r in enumerate(self.rules, 1) if not r.owners}
        counts = Counter(indexes)
        unowned = sum(counts[i] for i in unowned_rules)
        first: list[str] = []
        if unowned:
            for path, index in zip(paths, indexes, strict=True):
                if index in unowned_rules:
                    first.append(path)
                    if len(first) >= sample:
                        break
        return len(paths) - unowned, first

    def catch_all(self) -> Rule | None:
        """The last rule with owners whose pattern is ``*``, ``**`` or ``/**``."""
        for rule in reversed(self.rules):
            if rule.owners and rule.pattern in CATCH_ALL:
                return rule
        return None


def _load(snap: RepoSnapshot) -> Codeowners | None:
    path = locate(snap)
    if path is None:
        return None
    size = snap.size(path)
    if size is not None and size >= MAX_SIZE:
        return Codeowners(
            path,
            size,
            too_large=True,
            not_loaded=(
                f"{path} is {size:,} bytes: GitHub does not load a CODEOWNERS file of 3 MiB or more"
            ),
        )
    try:
        text = snap.read_text(path, cap=MAX_SIZE - 1)
    except TooLarge:
        return Codeowners(
            path,
            size,
            too_large=True,
            not_loaded=(
                f"{path} is 3 MiB or more: GitHub does not load a CODEOWNERS file that large"
            ),
        )
    except ReadError as exc:
        return Codeowners(path, size, not_loaded=f"{path} {exc.reason}")
    rules, problems = parse(text)
    return Codeowners(path, size, rules, problems, text=text)


def load(snap: RepoSnapshot) -> Codeowners | None:
    """The CODEOWNERS file GitHub uses, parsed once per snapshot; None when there is none."""
    result: Codeowners | None = snap.cached("codeowners", lambda: _load(snap))
    return result


def coverage(snap: RepoSnapshot, co: Codeowners, sample: int = 5) -> tuple[int, list[str]]:
    """``co.coverage`` of the snapshot's tracked files. It depends on nothing but the file
    list, the CODEOWNERS text and this module's code, so a checkout keeps it for its next run
    (through the engine's cache, :mod:`scorecard.cache`): on the benchmark's 100,000 files it
    takes 0.15 s to compute, the longest of any check on a repeat run."""
    from scorecard.cache import code_of

    def compute() -> bytes:
        return json.dumps(co.coverage(snap.files, sample)).encode()

    inputs = [co.text.encode("utf-8", "surrogatepass"), str(sample).encode(), code_of(__file__)]
    try:
        owned, unowned = json.loads(snap._kept("codeowners-coverage", inputs, compute))
        return int(owned), [str(p) for p in unowned]
    except (ValueError, TypeError):  # not what this code writes: computed again
        return co.coverage(snap.files, sample)
