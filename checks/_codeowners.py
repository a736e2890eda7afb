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
- ``!`` negation, ``[ ]`` ranges and ``\\#`` are not supported, ``***`` is an invalid pattern,
  and ``/`` alone matches nothing (GitHub reports it as an error);
- paths are matched case-sensitively, and the last matching rule wins; a rule without owners
  leaves its paths unowned.

Patterns become regular expressions through :mod:`pathspec` (gitignore semantics, in which
``docs/*`` matches the direct children of ``docs/`` only, as in CODEOWNERS). To answer "which
is the last matching rule" for 100,000 files quickly, the rules are combined into alternations
in reverse order, one capturing group per rule, so one match answers; and since most of a
path's answer depends only on its directory or only on its file name, those answers are
memoised per directory and per file name (see :class:`Matcher`).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scorecard.memo import DiskMemo, memo_of
from scorecard.snapshot import MiB, ReadError, RepoSnapshot, TooLarge

#: Where GitHub looks for CODEOWNERS, in the order it looks.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
#: GitHub does not load a CODEOWNERS file of this size or more.
MAX_SIZE = 3 * MiB

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


@dataclass(frozen=True)
class Rule:
    """A valid line: a pattern, its owners (maybe none) and the regular expression that
    matches the paths it covers (``re.match`` against the whole path)."""

    line: int
    pattern: str
    owners: tuple[str, ...]
    regex: str
    kind: str  # "dir": depends on the directory only; "name": on the file name; else "path"

    def matches(self, path: str) -> bool:
        return re.match(self.regex, path, re.DOTALL) is not None


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
            return (f"pattern `{pattern}` uses a `[ ]` character range, which CODEOWNERS does "
                    f"not support")
    if "***" in pattern:
        return f"pattern `{pattern}` is invalid: `***` is not a wildcard (use `**`)"
    if pattern == "/":
        return "pattern `/` never matches anything (use `*` for every file)"
    return None


def _kind(pattern: str) -> str:
    if pattern.endswith("/") or pattern.rsplit("/", 1)[-1] in ("*", "**"):
        return "dir"
    rest = pattern[3:] if pattern.startswith("**/") else pattern
    return "name" if "/" not in rest else "path"


def _memo() -> DiskMemo:
    """Patterns already compiled, by this process or an earlier run (see scorecard.memo)."""
    return memo_of("codeowners-patterns", "pathspec")


def compile_pattern(pattern: str) -> str | None:
    """The regular expression (for ``re.match`` on a repository path) of a CODEOWNERS pattern,
    None when it is not a valid gitignore-style pattern."""
    return _memo().get(pattern, lambda: _compile(pattern))


def _compile(pattern: str) -> str | None:
    try:
        # imported here, and only for patterns not seen before: the import alone costs more
        # than the rest of reading CODEOWNERS
        from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

        regex, include = GitIgnoreBasicPattern.pattern_to_regex(pattern)
    except ValueError:
        return None
    if not isinstance(regex, str) or include is not True:
        return None
    # pathspec's expressions are for re.search: anchored ones start with "^".
    return regex if regex.startswith("^") else ".*?(?:" + regex + ")"


def parse_line(number: int, raw: str) -> Rule | Problem | None:
    """One line of CODEOWNERS: a rule, a problem (GitHub skips the line), or None (blank or
    comment)."""
    line = raw[:-1] if raw.endswith("\r") else raw
    hash_at = line.find("#")
    if hash_at >= 0:
        if hash_at > 0 and line[hash_at - 1] == "\\":
            return Problem(number, "`\\#` does not escape `#` in CODEOWNERS: everything from "
                                   "`#` on is a comment")
        line = line[:hash_at]
    tokens = _TOKEN_RE.findall(line)
    if not tokens:
        return None
    pattern, owners = tokens[0], tuple(tokens[1:])
    problems = []
    problem = _pattern_problem(pattern)
    regex = None
    if problem is None:
        regex = compile_pattern(pattern)
        if regex is None:
            problem = f"pattern `{pattern}` is not a valid gitignore-style pattern"
    if problem is not None:
        problems.append(problem)
    problems.extend(f"owner `{o}` is not @user, @org/team or an e-mail"
                    for o in owners if not valid_owner(o))
    if problems or regex is None:
        return Problem(number, "; ".join(problems))
    return Rule(number, pattern, owners, regex, _kind(pattern))


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


class _Alternation:
    """One expression trying rules in reverse order, one capturing group each, so that a single
    match names the last rule that matches."""

    __slots__ = ("groups", "max", "rx")

    def __init__(self, regexes: Iterable[tuple[int, str]]) -> None:
        parts: list[str] = []
        self.groups: dict[int, int] = {}
        group = 1
        for index, regex in sorted(regexes, reverse=True):
            parts.append("(" + regex + ")")
            self.groups[group] = index
            group += 1 + re.compile(regex).groups
        self.rx = re.compile("|".join(parts), re.DOTALL) if parts else None
        self.max = max(self.groups.values(), default=0)

    def best(self, subject: str) -> int:
        """The 1-based index of the last rule matching ``subject``, 0 when none does."""
        if self.rx is None:
            return 0
        m = self.rx.match(subject)
        return self.groups[m.lastindex] if m is not None and m.lastindex is not None else 0


_GLOB_CHARS = frozenset("*?[\\")


class _NameIndex:
    """The last of some one-segment globs (``*.js``, ``Makefile``) matching a name (a file
    name, or a directory name for ``build/`` globs too): exact names, extensions (``*.js``)
    and other ``*suffix`` globs are looked up in dictionaries; the others go through one
    alternation, tried on ``name + "/"`` so that ``build/`` globs match directory names."""

    def __init__(self, globs: Iterable[tuple[int, str, str]]) -> None:
        self.exact: dict[str, int] = {}
        self.extensions: dict[str, int] = {}
        suffixes: dict[int, dict[str, int]] = {}
        general: list[tuple[int, str]] = []
        for index, glob, regex in globs:  # in file order: a later rule replaces an earlier one
            suffix = glob[1:]
            if not _GLOB_CHARS.intersection(glob):
                self.exact[glob] = index
            elif glob.startswith("*") and suffix and not _GLOB_CHARS.intersection(suffix):
                if suffix.startswith(".") and "." not in suffix[1:]:
                    self.extensions[suffix] = index
                else:
                    suffixes.setdefault(len(suffix), {})[suffix] = index
            else:
                general.append((index, regex))
        self.suffixes = sorted(suffixes.items())
        self.general = _Alternation(general)
        self.max = max([self.general.max, *self.exact.values(), *self.extensions.values(),
                        *(i for _, d in self.suffixes for i in d.values())], default=0)
        self.memo: dict[str, int] = {}

    def best(self, name: str) -> int:
        """The last glob matching ``name`` (without a ``/``), 0 when none does."""
        found = self.memo.get(name)
        if found is not None:
            return found
        found = self.exact.get(name, 0)
        if self.extensions:
            dot = name.rfind(".")
            if dot >= 0:
                index = self.extensions.get(name[dot:], 0)
                if index > found:
                    found = index
        for length, by_suffix in self.suffixes:
            if length > len(name):
                break
            index = by_suffix.get(name[-length:], 0)
            if index > found:
                found = index
        if self.general.rx is not None:
            index = self.general.best(name + "/")
            if index > found:
                found = index
        self.memo[name] = found
        return found


def _segment_glob(rule: Rule) -> str | None:
    """The one-segment glob of a rule that tests path segments one by one: ``*.js`` and
    ``**/logs`` (any file or directory name), ``build/`` (any directory name); None for other
    rules."""
    body = rule.pattern[3:] if rule.pattern.startswith("**/") else rule.pattern
    if rule.kind == "name":
        return body
    glob = body[:-1]
    if body.endswith("/") and glob and "/" not in glob and glob != "**":
        return glob
    return None


def _literal_dir(pattern: str) -> str:
    """The literal directory prefix (ending in ``/``) that every path a rule anchored at the
    root matches starts with; "" when there is none."""
    body = pattern[1:] if pattern.startswith("/") else pattern
    cut = next((i for i, ch in enumerate(body) if ch in _GLOB_CHARS), len(body))
    return body[: body.rfind("/", 0, cut) + 1]


def _first_segment(pattern: str) -> str:
    """The literal directory name that ``**/name/...`` needs in a path, else ""."""
    if not pattern.startswith("**/"):
        return ""
    first, slash, _ = pattern[3:].partition("/")
    return first if slash and not _GLOB_CHARS.intersection(first) else ""


class _DirState:
    """What is known of a directory: the rules that may match files in it besides segment
    rules (``candidates``) and their alternations, the last segment rule matching it or a
    directory above it, and the last rule matching every file directly in it (``best``)."""

    __slots__ = ("below", "best", "candidates", "dirs", "paths", "segment_best")

    def __init__(self, candidates: tuple[int, ...],
                 alternations: tuple[_Alternation, _Alternation, _Alternation],
                 segment_best: int, best: int) -> None:
        self.candidates = candidates
        self.dirs, self.below, self.paths = alternations
        self.segment_best = segment_best
        self.best = best


class Matcher:
    """Finds the last rule matching each path, fast.

    A rule matches a file ``d/b`` when it matches a directory above it (the answer depends on
    ``d`` only: memoised per directory) or the path itself. Rules that test segments one by one
    (``*.js``, ``**/logs``, ``build/``) are tried once per distinct directory or file name
    (exact names and ``*.ext`` through dictionaries). Rules anchored at the root (``/src/``,
    ``docs/*``, ``/src/*.py``) are tried only in the directories under their literal prefix,
    and ``**/name/...`` rules only below a directory ``name``, once per directory. Only rules
    depending on both the directory and the file name (``/src/*.py``) are tried on whole
    paths, and only when they could beat the answer already found. Each group of rules is one
    alternation in reverse order, so one match gives the last matching rule.
    """

    #: A file name that no directory rule (last segment ``*``) can tell apart from another.
    PROBE = "\0"

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
        file_globs: list[tuple[int, str, str]] = []
        dir_globs: list[tuple[int, str, str]] = []
        self._by_prefix: dict[str, list[int]] = {}
        self._by_segment: dict[str, list[int]] = {}
        self._exact: dict[str, int] = {}
        for i, rule in enumerate(rules, 1):
            if rule.kind == "path" and not _GLOB_CHARS.intersection(rule.pattern):
                # A literal path (``/LICENSE``, ``docs/index.md``): the file itself through a
                # dictionary, and everything below it when it names a directory.
                literal = rule.pattern.lstrip("/")
                self._exact[literal] = i
                self._by_prefix.setdefault(literal + "/", []).append(i)
                continue
            glob = _segment_glob(rule)
            regex = compile_pattern("/" + glob) if glob is not None else None
            if glob is not None and regex is not None:
                dir_globs.append((i, glob, regex))
                if rule.kind == "name":
                    file_globs.append((i, glob, regex))
                continue
            first = _first_segment(rule.pattern)
            if first:
                self._by_segment.setdefault(first, []).append(i)
            else:
                self._by_prefix.setdefault(_literal_dir(rule.pattern), []).append(i)
        self._file_names = _NameIndex(file_globs)
        self._dir_names = _NameIndex(dir_globs)
        self._groups: dict[tuple[int, ...], tuple[_Alternation, _Alternation, _Alternation]] = {}
        root = tuple(self._by_prefix.get("", ()))
        alternations = self._alternations(root)
        self._dirs: dict[str, _DirState] = {
            "": _DirState(root, alternations, 0, alternations[0].best(self.PROBE))}

    def _alternations(self, candidates: tuple[int, ...]) -> tuple[_Alternation, _Alternation,
                                                                   _Alternation]:
        """For candidate rules: directory rules (tried on ``d/`` + PROBE: do they match every
        file directly in ``d``?), other rules tried on ``d/`` (do they match ``d`` or a
        directory above it?) and the same tried on whole paths."""
        found = self._groups.get(candidates)
        if found is None:
            chosen = [(i, self.rules[i - 1]) for i in candidates]
            found = (_Alternation((i, r.regex) for i, r in chosen if r.kind == "dir"),
                     _Alternation((i, r.regex) for i, r in chosen if r.kind != "dir"),
                     _Alternation((i, r.regex) for i, r in chosen if r.kind != "dir"))
            self._groups[candidates] = found
        return found

    def _dir(self, directory: str) -> _DirState:
        state = self._dirs.get(directory)
        if state is not None:
            return state
        parent, _, name = directory.rpartition("/")
        above = self._dirs.get(parent) or self._dir(parent)
        prefix = directory + "/"
        by_prefix = self._by_prefix.get(prefix)
        by_segment = self._by_segment.get(name)
        if by_prefix or by_segment:
            candidates = tuple(sorted({*above.candidates, *(by_prefix or ()),
                                       *(by_segment or ())}))
            alternations = self._alternations(candidates)
        else:
            candidates = above.candidates
            alternations = above.dirs, above.below, above.paths
        best = segment_best = above.segment_best
        named = self._dir_names.best(name)
        if named > best:
            best = segment_best = named
        dirs, below, _ = alternations
        if dirs.max > best:
            best = max(best, dirs.best(prefix + self.PROBE))
        if below.max > best:
            best = max(best, below.best(prefix))
        state = self._dirs[directory] = _DirState(candidates, alternations, segment_best, best)
        return state

    def indexes(self, paths: Iterable[str]) -> list[int]:
        """For each path, the 1-based index in ``rules`` of the last rule matching it, 0 when
        none does.

        Paths are taken a directory at a time (consecutive paths of one directory, as a sorted
        list has them): where no file-name rule, whole-path rule or literal path can beat what
        the directory's rules decide, every file of the run gets that answer at once, without
        looking at its name."""
        out: list[int] = []
        append, extend = out.append, out.extend
        dirs, get_dir = self._dirs, self._dir
        file_names = self._file_names
        names_max, name_memo, name_best = file_names.max, file_names.memo, file_names.best
        exact = self._exact
        exact_dirs = {p.rpartition("/")[0] for p in exact}
        split = map(operator.methodcaller("rpartition", "/"), paths)
        for directory, run in itertools.groupby(split, key=operator.itemgetter(0)):
            state = dirs.get(directory) or get_dir(directory)
            best = state.best
            by_path = state.paths.max > best or directory in exact_dirs
            if not by_path and names_max <= best:
                extend(itertools.repeat(best, sum(1 for _ in run)))
                continue
            if not by_path:  # file-name rules only: a dictionary lookup per name
                for _, _, name in run:
                    named = name_memo.get(name)
                    if named is None:
                        named = name_best(name)
                    append(named if named > best else best)
                continue
            prefix = directory + "/" if directory else ""
            for _, _, name in run:
                found = best
                if names_max > found:
                    named = name_memo.get(name)
                    if named is None:
                        named = name_best(name)
                    if named > found:
                        found = named
                path = prefix + name
                if state.paths.max > found:
                    index = state.paths.best(path)
                    if index > found:
                        found = index
                if exact:
                    index = exact.get(path, 0)
                    if index > found:
                        found = index
                append(found)
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
    #: Whether the patterns compiled are remembered for the next run (a checkout's).
    keep_patterns: bool = field(default=False, repr=False)
    _matcher: Matcher | None = field(default=None, init=False, repr=False)

    @property
    def loaded(self) -> bool:
        return self.not_loaded is None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.rules)
            if self.keep_patterns:
                _memo().save()  # the matcher compiles patterns of its own
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
        return Codeowners(path, size, too_large=True, not_loaded=(
            f"{path} is {size:,} bytes: GitHub does not load a CODEOWNERS file of 3 MiB or "
            f"more"))
    try:
        text = snap.read_text(path, cap=MAX_SIZE - 1)
    except TooLarge:
        return Codeowners(path, size, too_large=True, not_loaded=(
            f"{path} is 3 MiB or more: GitHub does not load a CODEOWNERS file that large"))
    except ReadError as exc:
        return Codeowners(path, size, not_loaded=f"{path} {exc.reason}")
    rules, problems = parse(text)
    return Codeowners(path, size, rules, problems, text=text)


def load(snap: RepoSnapshot) -> Codeowners | None:
    """The CODEOWNERS file GitHub uses, parsed once per snapshot (its matcher built too);
    None when there is none."""
    def parsed() -> Codeowners | None:
        found = _load(snap)
        if found is not None and not snap.is_remote:  # an org scan keeps its memo in memory
            found.keep_patterns = True
            _memo().save()
        return found

    result: Codeowners | None = snap.cached("codeowners", parsed)
    return result
