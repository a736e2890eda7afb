"""Markdown: the job summary, the report behind ``--format markdown``, and the building blocks
of the pull-request comment and the org dashboard.

Everything that comes from a repository (file names, owners, messages) goes through
:func:`inline`, which keeps the code spans a message has, escapes the rest so that it cannot
make HTML, links or tables, and turns ``@user`` / ``@org/team`` into code spans so that nobody
is pinged; and through :func:`scorecard.secrets.redact` first, since escaping (``ghs\\_...``)
would hide a token from a redaction of the finished text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from scorecard.model import CheckResult, Scorecard, Status, TrackStatus
from scorecard.secrets import redact

MARKER = "<!-- repo-scorecard: {kind} -->"
LEVEL_ICONS = {"bronze": "🥉", "silver": "🥈", "gold": "🥇"}
STATUS_ICONS = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.EXEMPT: "🟡",
    Status.SKIP: "➖",
    Status.UNKNOWN: "❔",
    Status.ERROR: "⚠️",
}

# A mention, and any mention written right after it (``@a@b``): once the first is put in a
# code span, the second would follow a backtick and ping.
_ONE_MENTION = r"@[A-Za-z0-9](?:[A-Za-z0-9_-]*)(?:/[A-Za-z0-9_.-]+)?"
_MENTION = re.compile(rf"(?<![\w`]){_ONE_MENTION}(?:{_ONE_MENTION})*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_AUTOLINK = re.compile(r"(?i)(://|www\.)")


def code(text: str, table: bool = False) -> str:
    """A code span holding ``text`` literally, whatever backticks it contains. In a table
    cell (``table=True``) a ``|`` is escaped, as GitHub's table syntax requires even there."""
    text = _visible(redact(text).replace("\n", " ").replace("\r", " "))
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def escape(text: str, trusted: bool = False) -> str:
    """Plain text, safe in Markdown: no HTML, links, emphasis, table breaks or mentions.
    Bare URLs are broken up (GitHub would make them links) unless the text is ``trusted``
    (written by a check's author, not taken from the repository)."""
    text = redact(text).replace("\r", " ").replace("\n", " ")
    out: list[str] = []
    pos = 0
    for m in _MENTION.finditer(text):
        out.append(_plain(text[pos : m.start()], trusted))
        out.append(code(m.group(0)))
        pos = m.end()
    out.append(_plain(text[pos:], trusted))
    return "".join(out)


def _visible(text: str) -> str:
    """Control characters shown as ``\\xNN``, never passed on."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _plain(text: str, trusted: bool = False) -> str:
    text = _visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    if not trusted:  # a zero-width space keeps GitHub from turning it into a link
        text = _AUTOLINK.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)
    return text


def inline(message: str, table: bool = False, trusted: bool = False) -> str:
    """A check's message: its backtick code spans kept as code, the rest escaped."""
    out: list[str] = []
    parts = message.split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick: treat the last one as text
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    for i, part in enumerate(parts):
        if i % 2:
            out.append(code(part, table))
        else:
            out.append(escape(part, trusted))
    return "".join(out)


def level_label(level: str | None) -> str:
    if level is None:
        return "No level"
    icon = LEVEL_ICONS.get(level.lower())
    return f"{icon} {escape(level)}" if icon else escape(level)


def short_sha(commit: str | None) -> str:
    return commit[:7] if commit else ""


def where(r: CheckResult, link_base: str | None = None, limit: int = 3) -> str:
    """``file:line`` of a result as code spans, linked when ``link_base`` (a blob URL prefix
    ending in ``/``) is given."""
    if not r.locations:
        return "—"
    shown = []
    for loc in r.locations[:limit]:
        label = code(str(loc), table=True)
        if link_base:
            anchor = f"#L{loc.line}" if loc.line else ""
            shown.append(f"[{label}]({link_base}{_url_path(loc.path)}{anchor})")
        else:
            shown.append(label)
    more = len(r.locations) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _url_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def pillar_table(card: Scorecard) -> list[str]:
    lines = ["| pillar | met | of |", "|---|---|---|"]
    for p in card.pillars:
        lines.append(f"| {escape(p.pillar)} | {p.met} | {p.counted} |")
    return lines


def check_link(r: CheckResult) -> str:
    """The check's id as a code span, linked to its docs when the URL is a plain ``https://``
    one that cannot leave the link's parentheses."""
    url = r.docs_url
    if url.startswith("https://") and not re.search(r"[\s()<>\[\]`|\\\x00-\x1f\x7f-\x9f]", url):
        return f"[{code(r.id)}]({url})"
    return code(r.id)


def failing_table(results: Iterable[CheckResult], link_base: str | None = None) -> list[str]:
    rows = ["| check | level | what is wrong | where | how to fix |", "|---|---|---|---|---|"]
    for r in results:
        rows.append(
            f"| {check_link(r)} | {escape(r.level or '—')} | "
            f"{inline(r.message, True)} | {where(r, link_base)} | "
            f"{inline(r.remediation, True, trusted=True)} |"
        )
    return rows


def id_list(results: Iterable[CheckResult]) -> str:
    return " · ".join(code(r.id) for r in results)


def unknown_section(card: Scorecard) -> list[str]:
    unknown = card.with_status(Status.UNKNOWN)
    if not unknown:
        return []
    lines = [f"<details><summary>{len(unknown)} not checked (unknown)</summary>", ""]
    for r in unknown:
        lines.append(f"- {code(r.id)}: {inline(r.message)}")
    lines += ["", "</details>"]
    return lines


def track_table(tracks: Sequence[TrackStatus]) -> list[str]:
    """One row per track: its level, score and what its next level needs (no rows, no table)."""
    if not tracks:
        return []
    rows = ["| track | level | score | to reach the next level |", "|---|---|---|---|"]
    for t in tracks:
        if not t.applies:
            rows.append(f"| {escape(t.name)} | — | — | does not apply: {inline(t.reason, True)} |")
            continue
        nxt = t.next_level
        need = (
            f"{level_label(nxt.name)}: " + ", ".join(code(c, table=True) for c in nxt.blocking)
            if nxt is not None
            else "every level held"
        )
        rows.append(f"| {escape(t.name)} | {level_label(t.level)} | {t.score}/100 | {need} |")
    return [*rows, ""]


def render(card: Scorecard, *, link_base: str | None = None, title: str | None = None) -> str:
    """The full Markdown report of one scorecard (the job summary, ``--format markdown``)."""
    lines = [MARKER.format(kind="report")]
    heading = title or card.target
    lines.append(f"### {level_label(card.level)} · {card.score}/100 — {escape(heading)}")
    lines.append("")
    nxt = card.next_level
    failing = [r for r in card.checks if r.status in (Status.FAIL, Status.ERROR)]
    if nxt is not None:
        lines.append(
            f"**To reach {level_label(nxt.name)}**, {len(nxt.blocking)} "
            f"check{'s' if len(nxt.blocking) != 1 else ''} left: "
            + ", ".join(code(c) for c in nxt.blocking)
        )
        lines.append("")
    elif card.levels:
        lines.append("Every level of the standard is held.")
        lines.append("")
    lines += track_table(card.tracks)
    if failing:
        lines.append(f"**{len(failing)} failing**")
        lines.append("")
        lines += failing_table(failing, link_base)
        lines.append("")
    lines += pillar_table(card)
    lines.append("")
    exempt = card.with_status(Status.EXEMPT)
    if exempt:
        lines.append(
            "**Exempt**: "
            + "; ".join(
                f"{code(r.id)} until {r.exemption.expires if r.exemption else '?'}" for r in exempt
            )
        )
        lines.append("")
    lines += unknown_section(card)
    passing = card.with_status(Status.PASS)
    if passing:
        lines += [
            "",
            f"<details><summary>{len(passing)} passing</summary>",
            "",
            id_list(passing),
            "",
            "</details>",
        ]
    skipped = card.with_status(Status.SKIP)
    if skipped:
        lines += ["", f"<details><summary>{len(skipped)} not applicable</summary>", ""]
        lines += [f"- {code(r.id)}: {inline(r.message)}" for r in skipped]
        lines += ["", "</details>"]
    lines += [
        "",
        f"<sub>Standard: {escape(card.standard)}"
        + (f" · commit {code(short_sha(card.commit))}" if card.commit else "")
        + "</sub>",
        "",
    ]
    return "\n".join(lines)
