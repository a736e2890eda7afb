"""Makefiles read as make would, without running them: rules, prerequisites, recipes,
variables (expanded within :data:`MAKE_EXPANSION_DEPTH`, :data:`EXPANSION_CAP` and
:data:`MAKE_EXPANSION_BUDGET`), includes (three deep) and the default goal."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from scorecard.model import Location

from .classify import MAKE_VALUES
from .commands import Chunk, Follow
from .limits import (
    EXPANSION_CAP,
    MAKE_EXPANSION_BUDGET,
    MAKE_EXPANSION_DEPTH,
    Budget,
    Lexing,
)
from .reading import RepoFiles, join_path

_MK_ASSIGN = re.compile(
    r"^(?:(?:export|override|private)\s+)*([A-Za-z_.][A-Za-z0-9_.-]*)\s*"
    r"(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$",
    re.S,
)
_MK_RULE = re.compile(r"^([^:=#\t][^:=#]*)(::?)(?!=)(.*)$", re.S)
_MK_VAR = re.compile(r"\$[({]([A-Za-z_.][A-Za-z0-9_.-]*)[)}]")
_MK_DIRECTIVES = frozenset(
    {"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "vpath", "unexport", "undefine"}
)


@dataclass
class _Makefile:
    path: str
    #: The analysis's own budget (:data:`LEX_BUDGET`), charged as well.
    work: Budget
    rules: dict[str, tuple[list[str], list[tuple[str, int, str]]]] = field(default_factory=dict)
    default: str | None = None
    variables: dict[str, str] = field(default_factory=lambda: {"MAKE": "make"})
    budget: int = MAKE_EXPANSION_BUDGET

    def expand(self, text: str) -> str:
        """``text`` with ``$(VAR)``/``${VAR}`` references replaced by their values, recursively
        (as make expands a recursive variable), within :data:`MAKE_EXPANSION_DEPTH`,
        :data:`EXPANSION_CAP` and the Makefile's :data:`MAKE_EXPANSION_BUDGET`; ``$$`` is
        ``$``. A reference past those bounds, undefined or referring to itself is kept as
        written."""
        escaped = text.replace("$$", "\0")
        expanded = self._substitute(escaped, 0, frozenset())
        return (escaped if expanded is None else expanded).replace("\0", "$")

    def _substitute(self, text: str, depth: int, active: frozenset[str]) -> str | None:
        """``text`` with its references expanded, or None past the size cap or the budget."""
        self.budget -= len(text)
        if self.budget < 0 or not self.work.spend(len(text)):
            return None
        parts: list[str] = []
        size = pos = 0
        for m in _MK_VAR.finditer(text):
            name = m.group(1)
            value = self.variables.get(name)
            sub = None
            if value is not None and depth < MAKE_EXPANSION_DEPTH and name not in active:
                sub = self._substitute(value.replace("$$", "\0"), depth + 1, active | {name})
            piece = text[pos : m.start()] + (m.group(0) if sub is None else sub)
            size += len(piece)
            self.budget -= len(piece)
            if size > EXPANSION_CAP or self.budget < 0 or not self.work.spend(len(piece)):
                return None
            parts.append(piece)
            pos = m.end()
        parts.append(text[pos:])
        return "".join(parts)


class Makefiles:
    """``make [TARGET...]`` followed into the repository's Makefiles (each parsed once)."""

    def __init__(self, files: RepoFiles, lex: Lexing) -> None:
        self.files = files
        self.lex = lex
        self._parsed: dict[str, _Makefile] = {}

    def _makefile(self, path: str) -> _Makefile:
        if path not in self._parsed:
            mk = _Makefile(path, self.lex.work)
            self._parsed[path] = mk
            self._parse_make(path, mk, posixpath.dirname(path), 0)
        return self._parsed[path]

    def _parse_make(self, path: str, mk: _Makefile, d: str, depth: int) -> None:
        text = self.files.text(path)
        if text is None:
            return
        lines = text.split("\n")
        current: list[str] | None = None
        in_define = False
        i = 0
        while i < len(lines):
            start = i
            line = lines[i]
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line += "\n" + lines[i]
            i += 1
            if in_define:
                in_define = not line.strip().startswith("endef")
                continue
            if line.startswith("\t"):
                if current:
                    recipe = re.sub(r"^[\s@+-]+", "", line[1:])
                    for t in current:
                        mk.rules[t][1].append((path, start + 1, recipe))
                continue
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            word = s.split(None, 1)[0]
            if word in _MK_DIRECTIVES:
                continue
            if word == "define":
                in_define, current = True, None
                continue
            if word in ("include", "-include", "sinclude"):
                current = None
                for f in s.split()[1:]:
                    inc = join_path(d, mk.expand(f))
                    if inc and depth < 3 and inc != path:
                        self._parse_make(inc, mk, d, depth + 1)
                continue
            m = _MK_ASSIGN.match(s)
            if m:
                name, op, value = m.groups()
                value = value.split(" #", 1)[0].strip()
                if op == "+=":
                    value = f"{mk.variables.get(name, '')} {value}".strip()
                if op != "?=" or name not in mk.variables:
                    mk.variables[name] = value
                if name == ".DEFAULT_GOAL":
                    mk.default = value
                current = None
                continue
            m = _MK_RULE.match(s)
            if not m:
                current = None
                continue
            deps_part, _, inline = m.group(3).partition(";")
            deps_part = deps_part.split("#", 1)[0]
            if "=" in deps_part:
                current = None
                continue
            current = []
            for t in mk.expand(m.group(1).strip()).split():
                rule = mk.rules.setdefault(t, ([], []))
                rule[0].extend(d_ for d_ in mk.expand(deps_part).split() if d_ != "|")
                current.append(t)
                if mk.default is None and not t.startswith(".") and "%" not in t:
                    mk.default = t
            if inline.strip():
                for t in current:
                    mk.rules[t][1].append((path, start + 1, inline.strip()))

    def _make_chunks(self, mk: _Makefile, target: str, seen: set[str], out: list[Chunk]) -> None:
        if target in seen or len(seen) > 50:
            return
        seen.add(target)
        rule = mk.rules.get(target)
        if rule is None:
            return
        for dep in rule[0]:
            self._make_chunks(mk, dep, seen, out)
        for path, line, recipe in rule[1]:
            for raw in self.lex.split(mk.expand(recipe)):
                out.append((raw.words, raw.text, Location(path, line + raw.line)))

    def follow(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        args = list(argv[1:])
        d: str | None = cwd
        makefile: str | None = None
        targets: list[str] = []
        i = 0
        while i < len(args):
            x = args[i]
            i += 1
            val: str | None = None
            if x in ("-C", "--directory", "-f", "--file", "--makefile") and i < len(args):
                val = args[i]
                i += 1
            elif x.startswith(("--directory=", "--file=", "--makefile=")):
                val = x.split("=", 1)[1]
                x = x.split("=", 1)[0]
            elif x.startswith(("-C", "-f")) and len(x) > 2:
                x, val = x[:2], x[2:]
            if val is not None:
                if x in ("-C", "--directory") and d is not None:
                    d = join_path(d, val)
                else:
                    makefile = val
                continue
            if x in MAKE_VALUES:
                i += 1
            elif not x.startswith("-") and "=" not in x:
                targets.append(x)
        if d is None:
            return []
        if makefile is not None:
            path = join_path(d, makefile)
        else:
            path = next(
                (
                    p
                    for p in (
                        posixpath.join(d, n) if d else n
                        for n in ("GNUmakefile", "makefile", "Makefile")
                    )
                    if self.files.has(p)
                ),
                None,
            )
        if not path or not self.files.has(path):
            return []
        mk = self._makefile(path)
        if not targets and mk.default:
            targets = [mk.default]
        out: list[Follow] = []
        for t in targets:
            chunks: list[Chunk] = []
            self._make_chunks(mk, t, set(), chunks)
            if chunks:
                out.append((f"make:{path}:{t}", chunks, d))
        return out

    # ---- tox ----------------------------------------------------------------------------------
