"""Python source read as text, never imported: the commands a file runs (``subprocess``,
``os.system``, ``session.run``...) and its functions (nox sessions, invoke tasks), within
:data:`PY_MAX_CALLS`, :data:`PY_SCAN_LIMIT` and :data:`PY_SCAN_BUDGET`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .shell import split_commands

_PY_STR = re.compile(r"""(?i)[rbuf]{0,2}('''|\"\"\"|'|")""")
_PY_KWARG = re.compile(r"^\w+\s*=(?!=)")


_PY_STR_END = {
    "'": re.compile(r"(?:[^'\\\n]|\\.)*(?:'|(?=\n)|$)", re.S),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*(?:"|(?=\n)|$)', re.S),
    "'''": re.compile(r"(?:[^\\]|\\.)*?(?:'''|$)", re.S),
    '"""': re.compile(r'(?:[^\\]|\\.)*?(?:"""|$)', re.S),
}
#: Bounds on the text search of one Python file: calls looked at, characters read per call
#: and in all.
PY_MAX_CALLS = 2_000
PY_SCAN_LIMIT = 4_000
PY_SCAN_BUDGET = 100_000


def _py_string_end(s: str, j: int, quote: str) -> int:
    """The index after the string literal whose body starts at ``j``."""
    m = _PY_STR_END[quote].match(s, j)
    return m.end() if m else len(s)


_PY_TOKEN = re.compile(r"""[()\[\]{},#]|(?i:[rbuf]{0,2})('\'\'|\"\"\"|'|")""")


def _py_scan(s: str, i: int, limit: int = PY_SCAN_LIMIT) -> tuple[int, list[str]]:
    """From just inside an opening bracket: the index of its closing bracket and the top-level
    comma-separated parts between (at most ``limit`` characters are looked at)."""
    depth = 1
    start = k = i
    parts: list[str] = []
    end = min(len(s), i + limit)
    while k < end:
        m = _PY_TOKEN.search(s, k, end)
        if m is None:
            break
        tok = m.group(0)
        if m.group(1):
            k = _py_string_end(s, m.end(), m.group(1))
            continue
        k = m.end()
        if tok == "#":
            nl = s.find("\n", k, end)
            k = end if nl < 0 else nl
        elif tok in "([{":
            depth += 1
        elif tok in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(s[start : m.start()])
                return m.start(), parts
        elif depth == 1:
            parts.append(s[start : m.start()])
            start = k
    parts.append(s[start:end])
    return end, parts


def _py_literal(expr: str) -> str | None:
    """The value of an expression made only of string literals (f-string fields become
    ``$V``), else None."""
    e = expr.strip()
    if not e:
        return None
    out: list[str] = []
    k = 0
    while k < len(e):
        m = _PY_STR.match(e, k)
        if not m:
            return None
        prefix = e[k : m.start(1)].lower()
        quote = m.group(1)
        end = _py_string_end(e, m.end(), quote)
        body = e[m.end() : max(m.end(), end - len(quote))]
        if "r" not in prefix:
            body = body.replace("\\'", "'").replace('\\"', '"').replace("\\\\", "\\")
        if "f" in prefix:
            body = re.sub(r"\{[^{}]*\}", "$V", body)
        out.append(body)
        k = end
        while k < len(e) and e[k] in " \t\r\n\\":
            k += 1
    return "".join(out)


PyArg = Union[str, list[Union[str, None]], None]  # noqa: UP007 - a runtime alias on 3.10


def _py_arg(expr: str) -> PyArg:
    e = expr.strip()
    lit = _py_literal(e)
    if lit is not None:
        return lit
    if e[:1] in "[(" and e[-1:] in "])":
        _, parts = _py_scan(e, 1)
        items: list[str | None] = []
        for p in parts:
            p = p.strip()
            if p:
                items.append(None if p.startswith("*") else _py_literal(p))
        return items
    return None


_PY_CALL = re.compile(
    r"(?<![\w.])(?:subprocess\.|sp\.)?(?:run|call|check_call|check_output|Popen|getoutput"
    r"|getstatusoutput)\s*\(|\b\w+\.(?:run|run_always|sudo|system|popen)\s*\("
    r"|\b(?P<main>pytest|unittest)\.main\s*\(|\bcoverage\.(?P<cov>Coverage|coverage"
    r"|process_startup)\s*\("
)

PyCommand = tuple[tuple[str, ...], str, int]


def python_commands(text: str, first_line: int = 1) -> list[PyCommand]:
    """The commands a Python file runs, found by text search: the literal arguments of
    ``subprocess``/``os.system``/``session.run``/``c.run`` calls, ``pytest.main()``,
    ``unittest.main()`` and ``coverage.Coverage()``. ``(words, text, line)``."""
    out: list[PyCommand] = []
    budget = PY_SCAN_BUDGET
    for n, m in enumerate(_PY_CALL.finditer(text)):
        if n >= PY_MAX_CALLS or budget <= 0:
            break
        bol = text.rfind("\n", 0, m.start()) + 1
        if text[bol : m.start()].lstrip().startswith("#"):
            continue  # commented out
        arg = len(text) - len(text[m.end() :].lstrip())  # where the first argument starts
        line = first_line + text.count("\n", 0, arg if m.group("main") is None else m.start())
        if m.group("cov"):
            out.append((("coverage", "run"), f"coverage.{m.group('cov')}()", line))
            continue
        close, parts = _py_scan(text, m.end(), min(PY_SCAN_LIMIT, budget))
        budget -= close - m.end() + 1
        positional: list[PyArg] = []
        for p in parts:
            p = p.strip()
            if not p:
                continue
            if _PY_KWARG.match(p):
                break
            if not p.startswith("*"):
                positional.append(_py_arg(p))
        if m.group("main"):
            if m.group("main") == "unittest":
                out.append((("python", "-m", "unittest"), "unittest.main()", line))
            else:
                first = positional[0] if positional else None
                args = [x for x in first if x] if isinstance(first, list) else []
                out.append((("pytest", *args), " ".join(["pytest.main()", *args]), line))
            continue
        if not positional:
            continue
        first = positional[0]
        if isinstance(first, list):
            words = tuple("$V" if x is None else x for x in first)
        elif (
            isinstance(first, str)
            and len(positional) > 1
            and all(not isinstance(p, list) for p in positional)
        ):
            words = tuple("$V" if p is None else str(p) for p in positional)
        elif isinstance(first, str):
            for raw in split_commands(first):
                out.append((raw.words, raw.text, line + raw.line))
            continue
        else:
            continue
        if words:
            out.append((words, " ".join(words).replace("$V", "…"), line))
    return out


_PY_DEF = re.compile(r"^([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.M)


@dataclass(frozen=True)
class PyFunc:
    name: str
    param: str
    decorators: str
    body: str
    body_line: int  # 1-based line of the body's first line


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def py_functions(text: str) -> list[PyFunc]:
    lines = text.split("\n")
    out: list[PyFunc] = []
    budget = PY_SCAN_BUDGET
    for n, m in enumerate(_PY_DEF.finditer(text)):
        if n >= PY_MAX_CALLS or budget <= 0:
            break
        indent = len(m.group(1).expandtabs(8))
        li = text.count("\n", 0, m.start())
        top = li
        j = li - 1
        while j >= 0:
            st = lines[j].strip()
            if not st:
                break
            ind = _indent(lines[j])
            if ind == indent and st.startswith("@"):
                top = j
            elif not (ind > indent or st[0] in ")]}"):
                break
            j -= 1
        close, params = _py_scan(text, m.end(), min(PY_SCAN_LIMIT, budget))
        budget -= close - m.end() + 1
        param = params[0].split(":")[0].split("=")[0].strip() if params else ""
        colon = text.find(":", close)
        body_first = text.count("\n", 0, colon if colon >= 0 else close) + 1
        k = body_first
        while k < len(lines):
            st = lines[k].strip()
            if st and not st.startswith("#") and _indent(lines[k]) <= indent:
                break
            k += 1
        out.append(
            PyFunc(
                m.group(2),
                param,
                "\n".join(lines[top:li]),
                "\n".join(lines[body_first:k]),
                body_first + 1,
            )
        )
    return out
