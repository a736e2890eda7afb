"""Shell scripts to simple commands: a lenient lexer that never raises.

POSIX shells by default; PowerShell and cmd scripts with ``posix=False``, where a backslash is a
path separator. Each command keeps its words (quotes removed), its text, and where it starts in
the script (line and character offset), so that a reader can cite the file line holding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RawCommand:
    """One simple command of a script: its words (quotes removed), its text, its line (0-based,
    within the script) and the offset of its first character in the script."""

    words: tuple[str, ...]
    text: str
    line: int
    offset: int = 0


_PLAIN = re.compile(r"[^\s\\'\"$`#;&|<()^]+")
_HEREDOC_DELIM = re.compile(r"""(['"]?)([^\s'";&|<>()]+)\1""")


class _Lexer:
    """A lenient POSIX-shell splitter: commands end at newlines, ``;``, ``&&``, ``||``, ``|``
    and ``&``; quotes, ``$( )``, backquotes and ``${{ }}`` keep their content in one word;
    ``\\``-newline continues a line; comments and here-documents are skipped. It never
    raises: unbalanced quotes run to the end of the script."""

    def __init__(self, src: str, posix: bool = True) -> None:
        self.src = src
        self.posix = posix
        self.n = len(src)
        self.out: list[RawCommand] = []
        self.words: list[str] = []
        self.cur: list[str] = []
        self.in_word = False
        self.line = 0
        self.cmd_line = 0
        self.cmd_start = -1
        self.cmd_end = 0
        self.heredocs: list[str] = []

    def _mark(self, start: int, end: int) -> None:
        if self.cmd_start < 0:
            self.cmd_start = start
            self.cmd_line = self.line
        self.cmd_end = end

    def _add(self, s: str, start: int, end: int) -> None:
        self._mark(start, end)
        self.cur.append(s)
        self.in_word = True

    def _end_word(self) -> None:
        if self.in_word:
            self.words.append("".join(self.cur))
            self.cur = []
            self.in_word = False

    def _end_command(self) -> None:
        self._end_word()
        if self.words:
            raw = self.src[self.cmd_start : self.cmd_end].replace("\\\n", " ")
            self.out.append(
                RawCommand(tuple(self.words), " ".join(raw.split()), self.cmd_line, self.cmd_start)
            )
        self.words = []
        self.cmd_start = -1

    def _balanced(self, j: int) -> int:
        """Index after the bracket that closes the one at ``j``."""
        src, n = self.src, self.n
        open_ = src[j]
        close = ")" if open_ == "(" else "}"
        depth = 0
        k = j
        while k < n:
            ch = src[k]
            if ch == "\\":
                k += 2
                continue
            if ch in "'\"" and open_ == "(":
                q = src.find(ch, k + 1)
                k = n if q < 0 else q + 1
                continue
            if ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        return n

    def _expression_end(self, j: int) -> int:
        k = self.src.find("}}", j + 3)
        return self.n if k < 0 else k + 2

    def _double(self, i: int) -> int:
        src, n = self.src, self.n
        j = i + 1
        buf: list[str] = []
        while j < n:
            ch = src[j]
            if ch == "\\" and j + 1 < n and self.posix:
                nxt = src[j + 1]
                if nxt == "\n":
                    j += 2
                    continue
                if nxt in '"\\$`':
                    buf.append(nxt)
                    j += 2
                    continue
                buf.append(ch)
                j += 1
                continue
            if ch == '"':
                break
            if src.startswith("${{", j):
                k = self._expression_end(j)
                buf.append(src[j:k])
                j = k
                continue
            if src.startswith("$(", j):
                k = self._balanced(j + 1)
                buf.append(src[j:k])
                j = k
                continue
            buf.append(ch)
            j += 1
        end = min(j + 1, n)
        self._add("".join(buf), i, end)
        self.line += src.count("\n", i, end)
        return end

    def _heredoc(self, i: int) -> int:
        src, n = self.src, self.n
        if i < n and src[i] == "-":
            i += 1
        while i < n and src[i] in " \t":
            i += 1
        m = _HEREDOC_DELIM.match(src, i)
        self._end_word()
        if m:
            self.heredocs.append(m.group(2))
            return m.end()
        return i

    def _skip_heredocs(self, i: int) -> int:
        src, n = self.src, self.n
        for delim in self.heredocs:
            while i < n:
                j = src.find("\n", i)
                j = n if j < 0 else j
                body = src[i:j]
                i = min(j + 1, n)
                if j < n:
                    self.line += 1
                if body.strip() == delim:
                    break
        self.heredocs = []
        return i

    def run(self) -> list[RawCommand]:
        src, n = self.src, self.n
        i = 0
        while i < n:
            c = src[i]
            if not self.posix and c in "`^" and src.startswith(("`\n", "^\n"), i):
                self.line += 1  # PowerShell's and cmd's line continuations
                i += 2
                continue
            if c == "\\" and self.posix:
                if src.startswith("\\\n", i):
                    self.line += 1
                    i += 2
                elif src.startswith("\\\r\n", i):
                    self.line += 1
                    i += 3
                elif i + 1 < n:
                    self._add(src[i + 1], i, i + 2)
                    i += 2
                else:
                    i += 1
                continue
            if c == "'":
                j = src.find("'", i + 1)
                j = n if j < 0 else j
                self._add(src[i + 1 : j], i, min(j + 1, n))
                self.line += src.count("\n", i, j)
                i = j + 1
                continue
            if c == '"':
                i = self._double(i)
                continue
            if c == "$" and (
                src.startswith("${{", i) or src.startswith("$(", i) or src.startswith("${", i)
            ):
                j = self._expression_end(i) if src.startswith("${{", i) else self._balanced(i + 1)
                self._add(src[i:j], i, j)
                self.line += src.count("\n", i, j)
                i = j
                continue
            if c == "`" and self.posix:
                j = src.find("`", i + 1)
                j = n if j < 0 else j + 1
                self._add(src[i:j], i, j)
                self.line += src.count("\n", i, j)
                i = j
                continue
            if c == "#" and not self.in_word:
                j = src.find("\n", i)
                i = n if j < 0 else j
                continue
            if c in " \t\r":
                self._end_word()
                i += 1
                continue
            if c == "\n":
                self._end_command()
                self.line += 1
                i = self._skip_heredocs(i + 1)
                continue
            if c == ";":
                self._end_command()
                i += 2 if src.startswith(";;", i) else 1
                continue
            if c == "&":
                if src.startswith("&&", i):
                    self._end_command()
                    i += 2
                elif src.startswith("&>", i) or (
                    self.in_word and self.cur and self.cur[-1].endswith((">", "<"))
                ):
                    self._add("&", i, i + 1)
                    i += 1
                else:
                    self._end_command()
                    i += 1
                continue
            if c == "|":
                self._end_command()
                i += 2 if src.startswith(("||", "|&"), i) else 1
                continue
            if c == "<" and src.startswith("<<", i) and not src.startswith("<<<", i):
                i = self._heredoc(i + 2)
                continue
            if c in "()":
                self._end_word()
                self._mark(i, i + 1)
                self.words.append(c)
                i += 1
                continue
            m = _PLAIN.match(src, i)
            j = m.end() if m else i + 1
            self._add(src[i:j], i, j)
            i = j
        self._end_command()
        return self.out


def split_commands(script: str, posix: bool = True) -> list[RawCommand]:
    """The simple commands of a shell script, in order. ``posix=False`` reads PowerShell and
    cmd scripts, where a backslash is a path separator, not an escape."""
    return _Lexer(script, posix).run()
