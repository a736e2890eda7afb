"""README substantive

Reads the README that `readme-present` finds (the one GitHub shows: `.github/`, then the root,
then `docs/`; in a folder holding several, `README.md` first, else the first alphabetically) and
passes when it has at least `min_words` words and at least one heading. The result gives the
word count and whether a heading was found.

- A **word** is a whitespace-separated token holding a letter or a digit (so `-`, `|---|` and
  `*` do not count), outside fenced code blocks. A fence is a line of three or more backticks or
  tildes, as in CommonMark: it is closed by a line of the same character at least as long, and
  an unclosed fence runs to the end of the file. In reStructuredText and AsciiDoc READMEs, where
  a line of `~` underlines a title, only backtick fences count.
- A **heading** is, outside fences: a Markdown ATX heading (`#` to `######` followed by a space
  or the end of the line, indented by at most three spaces) or setext heading (a text line
  followed by a line of `=` or `-`); an HTML `<h1>` to `<h6>` (any case); a reStructuredText
  title (a text line underlined, and optionally overlined, by a line of one repeated punctuation
  character at least as long as the title); or an AsciiDoc title (`= Title` to
  `====== Title`). YAML front matter (between `---` lines at the top) is not a heading.

Fails when the README is too short or has no heading, and when it cannot be read as text
(binary, not valid UTF-8, larger than 4 MiB), saying why.

Option: `min_words` (integer, default 100, at least 0).

`skip` when there is no README (a symlinked README that leaves the repository counts as none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.check import Option, Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import ReadError, RepoSnapshot

from .readme_present import find_readme

#: From a token's first letter or digit (``\w`` without ``_``) to its end: one match per
#: whitespace-separated token that holds a letter or digit.
_WORD = re.compile(r"[^\W_]\S*")
_FENCE_OPEN = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})[ \t]*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_HTML_HEADING = re.compile(r"<h[1-6](?:[\s/>]|$)", re.IGNORECASE)
_ADOC_TITLE = re.compile(r"^={1,6}[ \t]+\S")
#: A line of one repeated punctuation character (reStructuredText adornment).
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1*[ \t]*$")
#: Lines that start another Markdown block, so the next line cannot make them a setext heading.
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|<)")

_MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".mdx")
_UNDERLINED = (".rst", ".rest", ".adoc", ".asciidoc", ".asc")


@dataclass(frozen=True)
class ReadmeStats:
    words: int
    heading_line: int | None  # 1-based line of the first heading, None when there is none


def _format(path: str) -> str:
    """``markdown``, ``underlined`` (reStructuredText, AsciiDoc) or ``plain`` (any other)."""
    lower = path.lower()
    if lower.endswith(_MARKDOWN):
        return "markdown"
    if lower.endswith(_UNDERLINED) or lower.endswith(".rst.txt"):
        return "underlined"
    return "plain"


def _front_matter_end(lines: Sequence[str]) -> int:
    """The number of lines of YAML front matter at the top (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def _is_text(line: str) -> bool:
    """A line that can be the text of a title: not blank, not itself an underline/rule."""
    stripped = line.strip()
    return bool(stripped) and not _ADORNMENT.match(stripped)


def _heading_at(lines: Sequence[str], i: int, in_fence: Sequence[bool]) -> int | None:
    """The 1-based line of the heading that line ``i`` (outside fences) is or underlines."""
    line = lines[i]
    if _ATX.match(line) or _ADOC_TITLE.match(line) or _HTML_HEADING.search(line):
        return i + 1
    if i == 0 or in_fence[i - 1]:
        return None
    prev = lines[i - 1]
    if not _is_text(prev) or _NOT_PARAGRAPH.match(prev):
        return None
    # Markdown setext: a paragraph line, then a line of = or -.
    if (
        _SETEXT_UNDERLINE.match(line)
        and not _ATX.match(prev)
        and len(prev) - len(prev.lstrip(" ")) <= 3
    ):
        return i
    # reStructuredText: a title underlined by punctuation at least as long as the title;
    # the title starts the line, unless it is overlined by the same adornment.
    if not _underlines(lines, i, in_fence):
        return None
    if not prev[0].isspace():
        return i
    overlined = i >= 2 and not in_fence[i - 2] and lines[i - 2].rstrip() == line.rstrip()
    return i if overlined else None


def _underlines(lines: Sequence[str], i: int, in_fence: Sequence[bool]) -> bool:
    """Whether line ``i``, a line of punctuation, underlines the text line above it."""
    if i == 0 or in_fence[i - 1] or not _is_text(lines[i - 1]):
        return False
    adorn = lines[i].rstrip()
    return bool(_ADORNMENT.match(adorn)) and len(adorn) >= len(lines[i - 1].strip())


def analyse(text: str, path: str) -> ReadmeStats:
    """Count the words outside fenced code blocks and find the first heading."""
    lines = text.splitlines()
    fmt = _format(path)
    # A line of ~ underlines a title in reStructuredText and AsciiDoc, where it never opens a
    # fence; in a README of unknown format, only when it directly underlines a text line.
    fence_chars = "`" if fmt == "underlined" else "`~"
    in_fence = [False] * len(lines)
    prose: list[str] = []
    fence: str | None = None  # the opening fence's run of characters while inside one
    for i, line in enumerate(lines):
        if fence is not None:
            in_fence[i] = True
            m = _FENCE_CLOSE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        m = _FENCE_OPEN.match(line)
        if (
            m
            and m.group(1)[0] in fence_chars
            and not (m.group(1)[0] == "`" and "`" in m.group(2))
            and not (  # a backtick info string
                m.group(1)[0] == "~" and fmt == "plain" and _underlines(lines, i, in_fence)
            )
        ):
            fence = m.group(1)
            in_fence[i] = True
            continue
        prose.append(line)
    words = len(_WORD.findall("\n".join(prose)))
    start = _front_matter_end(lines)
    for i in range(start, len(lines)):
        found = None if in_fence[i] else _heading_at(lines, i, in_fence)
        if found is not None:
            return ReadmeStats(words, found)
    return ReadmeStats(words, None)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@check(
    id="readme-substantive",
    pillar="docs",
    title="README substantive",
    remediation="Expand the README with headed sections (e.g. `## Usage`, `## Development`) that "
    "say what the project does, how to use it and who maintains it.",
    options={
        "min_words": Option(
            "int", 100, "the fewest words the README must hold, outside code blocks", minimum=0
        ),
    },
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    path = find_readme(snap)
    if path is None:
        return skipped("no README in .github/, the root or docs/")
    min_words: int = opts["min_words"]
    try:
        text = snap.read_text(path)
    except ReadError as exc:
        return failed(
            f"{path} {exc.reason}, so it cannot be read as text", [Location(path)], path=path
        )
    stats = analyse(text, path)
    enough = stats.words >= min_words
    has_heading = stats.heading_line is not None
    count = _plural(stats.words, "word")
    data = {
        "path": path,
        "words": stats.words,
        "heading": has_heading,
        "heading_line": stats.heading_line,
        "min_words": min_words,
    }
    where = [Location(path)]
    if enough and has_heading:
        return passed(f"{path}: {count} and a heading", where, **data)
    if not enough and has_heading:
        return failed(f"{path}: {count}, fewer than {min_words} (a heading found)", where, **data)
    if not enough:
        return failed(f"{path}: {count}, fewer than {min_words}, and no heading", where, **data)
    return failed(f"{path}: {count} but no heading", where, **data)
