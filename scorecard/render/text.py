"""The terminal report: the level and score first, then the results by pillar, each failure
with where and how to fix. Colour only on a terminal (and never with ``NO_COLOR``).

Every text that comes from a repository or a standard (file names, messages, level, pillar
and standard names) goes through :func:`one_line`: its control characters are shown escaped,
never sent to the terminal, and it can neither end a line nor start a GitHub Actions workflow
command (the runner reads every line a step prints).
"""

from __future__ import annotations

import re
import textwrap

from scorecard.model import CheckResult, Scorecard, Status, TrackStatus

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates (which reorder what a reader sees).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The runner takes a line as a command when it starts with `::` after leading whitespace, or
# when it holds `##[` anywhere (the legacy syntax).
_COMMAND = re.compile(r"(?:^|(?<=\s))::|##\[")

ICONS = {
    Status.PASS: "✓",
    Status.FAIL: "✗",
    Status.EXEMPT: "~",
    Status.SKIP: "-",
    Status.UNKNOWN: "?",
    Status.ERROR: "!",
}
ASCII_ICONS = {
    Status.PASS: "+",
    Status.FAIL: "x",
    Status.EXEMPT: "~",
    Status.SKIP: "-",
    Status.UNKNOWN: "?",
    Status.ERROR: "!",
}
COLORS = {
    Status.PASS: "32",
    Status.FAIL: "31",
    Status.EXEMPT: "33",
    Status.SKIP: "90",
    Status.UNKNOWN: "35",
    Status.ERROR: "31;1",
}


def _shown(ch: str) -> str:
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def one_line(text: str) -> str:
    """``text`` made safe for one line of a terminal or a CI log, whatever it holds: control
    characters (``\\n``, ``\\r``, ``\\x1b``, NEL, U+2028...) shown escaped (``\\n``,
    ``\\x1b``, ``\\u2028``), and what would make a workflow command (``::`` at the start
    of the text or of a word, ``##[`` anywhere) broken up by escaping its first character
    (``\\x3a:``, ``\\x23#[``)."""
    text = _UNSAFE.sub(lambda m: _shown(m.group(0)), text)
    return _COMMAND.sub(lambda m: "\\x3a:" if m.group(0) == "::" else "\\x23#[", text)


class _Style:
    def __init__(self, color: bool, unicode: bool) -> None:
        self.color, self.unicode = color, unicode

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def icon(self, status: Status) -> str:
        icon = (ICONS if self.unicode else ASCII_ICONS)[status]
        return self.paint(icon, COLORS[status])

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    # Lines are broken between words only: a word cut in two could start a line with `::`.
    return textwrap.wrap(
        one_line(text),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent]


def _result_lines(r: CheckResult, st: _Style, verbose: bool) -> list[str]:
    head = f"  {st.icon(r.status)} {one_line(r.id):<34} "
    lines = [head + one_line(r.message)]
    if r.status in (Status.FAIL, Status.ERROR) or (verbose and r.locations):
        for loc in r.locations[:10]:
            lines.append(f"      {st.dim('at')} {one_line(str(loc))}")
        if len(r.locations) > 10:
            lines.append(f"      {st.dim(f'and {len(r.locations) - 10} more')}")
    if r.status is Status.FAIL:
        lines += _wrap(f"fix: {r.remediation}", "      ")
        lines.append(f"      {st.dim(one_line(r.docs_url))}")
    return lines


def track_line(t: TrackStatus) -> str:
    """``track security: Silver · 80/100, next: Gold (2 checks left: a, b)``, one line."""
    name = one_line(t.name)
    if not t.applies:
        return f"track {name}: does not apply ({one_line(t.reason)})"
    text = f"track {name}: {one_line(t.level or 'no level')} · {t.score}/100"
    nxt = t.next_level
    if nxt is not None:
        text += (
            f", next: {one_line(nxt.name)} ({len(nxt.blocking)} check"
            f"{'s' if len(nxt.blocking) != 1 else ''} left: {one_line(', '.join(nxt.blocking))})"
        )
    return text


def render(
    card: Scorecard, *, color: bool = False, unicode: bool = True, verbose: bool = False
) -> str:
    st = _Style(color, unicode)
    counts = {s: len(card.with_status(s)) for s in Status}
    level = one_line(card.level or "no level")
    out = [
        st.bold(f"{level} · {card.score}/100")
        + f"  {one_line(card.target)}"
        + (f" @ {card.commit[:12]}" if card.commit else "")
    ]
    nxt = card.next_level
    if nxt is not None:
        out.append(
            f"next: {one_line(nxt.name)}, {len(nxt.blocking)} check"
            f"{'s' if len(nxt.blocking) != 1 else ''} left: " + one_line(", ".join(nxt.blocking))
        )
    for t in card.tracks:
        out.append(track_line(t))
    out.append("")
    for p in card.pillars:
        out.append(st.bold(one_line(p.pillar)) + st.dim(f"  {p.met}/{p.counted} met"))
        for r in card.checks:
            if r.pillar == p.pillar:
                out += _result_lines(r, st, verbose)
        out.append("")
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    noun = "check" if len(card.checks) == 1 else "checks"
    out.append(f"{len(card.checks)} {noun}: {summary}. Standard: {one_line(card.standard)}.")
    if counts[Status.UNKNOWN]:
        out.append(
            "Unknown results neither lower the score nor block a level"
            + (
                " (this standard sets unknown: fail, so they do)."
                if card.unknown_policy == "fail"
                else "."
            )
        )
    for w in card.warnings:
        out.append(f"warning: {one_line(w)}")
    return "\n".join(out) + "\n"
