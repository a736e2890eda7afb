"""The terminal report: the level and score first, then the results by pillar, each failure
with where and how to fix. Colour only on a terminal (and never with ``NO_COLOR``); control
characters from the repository (file names, messages) are shown escaped, never sent to the
terminal."""

from __future__ import annotations

import re
import textwrap

from scorecard.model import CheckResult, Scorecard, Status

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

ICONS = {Status.PASS: "✓", Status.FAIL: "✗", Status.EXEMPT: "~", Status.SKIP: "-",
         Status.UNKNOWN: "?", Status.ERROR: "!"}
ASCII_ICONS = {Status.PASS: "+", Status.FAIL: "x", Status.EXEMPT: "~", Status.SKIP: "-",
               Status.UNKNOWN: "?", Status.ERROR: "!"}
COLORS = {Status.PASS: "32", Status.FAIL: "31", Status.EXEMPT: "33", Status.SKIP: "90",
          Status.UNKNOWN: "35", Status.ERROR: "31;1"}


def clean(text: str) -> str:
    """Text with terminal control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


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
    return textwrap.wrap(clean(text), width=width, initial_indent=indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [indent]


def _result_lines(r: CheckResult, st: _Style, verbose: bool) -> list[str]:
    head = f"  {st.icon(r.status)} {r.id:<34} "
    lines = [head + clean(r.message)]
    if r.status in (Status.FAIL, Status.ERROR) or (verbose and r.locations):
        for loc in r.locations[:10]:
            lines.append(f"      {st.dim('at')} {clean(str(loc))}")
        if len(r.locations) > 10:
            lines.append(f"      {st.dim(f'and {len(r.locations) - 10} more')}")
    if r.status is Status.FAIL:
        lines += _wrap(f"fix: {r.remediation}", "      ")
        lines.append(f"      {st.dim(r.docs_url)}")
    return lines


def render(card: Scorecard, *, color: bool = False, unicode: bool = True,
           verbose: bool = False) -> str:
    st = _Style(color, unicode)
    counts = {s: len(card.with_status(s)) for s in Status}
    level = card.level or "no level"
    out = [st.bold(f"{level} · {card.score}/100") + f"  {clean(card.target)}"
           + (f" @ {card.commit[:12]}" if card.commit else "")]
    nxt = card.next_level
    if nxt is not None:
        out.append(f"next: {nxt.name}, {len(nxt.blocking)} check"
                   f"{'s' if len(nxt.blocking) != 1 else ''} left: {', '.join(nxt.blocking)}")
    out.append("")
    for p in card.pillars:
        out.append(st.bold(f"{p.pillar}") + st.dim(f"  {p.met}/{p.counted} met"))
        for r in card.checks:
            if r.pillar == p.pillar:
                out += _result_lines(r, st, verbose)
        out.append("")
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    out.append(f"{len(card.checks)} checks: {summary}. Standard: {clean(card.standard)}.")
    if counts[Status.UNKNOWN]:
        out.append("Unknown results neither lower the score nor block a level"
                   + (" (this standard sets unknown: fail, so they do)."
                      if card.unknown_policy == "fail" else "."))
    for w in card.warnings:
        out.append(f"warning: {clean(w)}")
    return "\n".join(out) + "\n"
