"""The dashboard issue's Markdown: the headline (repositories, counts per level, change since
the last scan), a table per team, the most common failures with how to fix them, the number of
repositories that could not be graded, and a link to the HTML report.

At most 65,536 characters (GitHub's limit for an issue body): a huge organisation keeps its
biggest teams and a line saying how many more are in the HTML report. Every name and message
goes through the Markdown escaping helpers: no raw HTML, no links, no live ``@mentions``.
The body depends only on the results (not on when it was rendered), so an issue is not edited
when nothing changed.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from scorecard.model import EXPIRING_DAYS
from scorecard.render.markdown import LEVEL_ICONS, MARKER, code, escape, inline
from scorecard.report.campaigns import CampaignSummary
from scorecard.report.records import NO_OWNER
from scorecard.report.summary import Summary, TeamSummary, number, signed

DASHBOARD_MARKER = MARKER.format(kind="org-dashboard")
MAX_CHARS = 65_536
TOP_FAILURES = 5

_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]`\"']+$", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """A URL fit for a Markdown link target (http or https, nothing that could end the
    link), or None."""
    if not url:
        return None
    url = quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._")
    return url if _SAFE_URL.match(url) else None


def level_head(level: str | None) -> str:
    """A level as a short column head: its medal when it has one, else its escaped name."""
    if level is None:
        return "none"
    return LEVEL_ICONS.get(level.lower()) or escape(level)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _repos(n: int) -> str:
    return _plural(n, "repository", "repositories")


def headline(s: Summary) -> str:
    counts = " · ".join(f"{level_head(lv)} {s.counts.get(lv, 0):,}" for lv in s.levels_desc)
    org = escape(s.org) if s.org else "Organisation"
    text = f"### {org}: {_repos(len(s.repos))} · {counts}"
    if s.previous_at is None:
        return text + " — first scan"
    changes = s.level_changes
    since = f"since {escape(s.previous_at[:10])}"
    if not changes:
        return f"{text} — {since}: no level changed"
    return f"{text} — {since}: " + ", ".join(f"{signed(d)} {level_head(lv)}" for lv, d in changes)


def _team_cell(t: TeamSummary) -> str:
    return code(t.name, table=True) if t.owned else escape(t.name)


def _change_cell(t: TeamSummary) -> str:
    text = signed(t.change)
    moves = []
    if t.gained:
        moves.append(f"▲{t.gained}")
    if t.lost:
        moves.append(f"▼{t.lost}")
    return text + (f" ({' '.join(moves)})" if moves else "")


def team_row(s: Summary, t: TeamSummary) -> str:
    cells = [
        _team_cell(t),
        f"{len(t.repos):,}",
        *(f"{t.counts.get(lv, 0):,}" for lv in s.levels_desc),
        number(t.median),
        _change_cell(t),
    ]
    return "| " + " | ".join(cells) + " |"


def _campaign_row(c: CampaignSummary) -> str:
    due = escape(c.info.deadline) + (" ⚠️ overdue" if c.info.overdue and c.left else "")
    left = f"{len(c.left):,}"
    if len(c.burndown) > 1:
        left += f" (was {c.burndown[-2][1]:,})"
    worst = ", ".join(
        f"{code(t.name, table=True) if t.owned else escape(t.name)} {t.left:,}"
        for t in [t for t in c.teams if t.left][:3]
    )
    owner = code(c.info.owner, table=True) if c.info.owner else "—"
    return (
        f"| {code(c.info.name, table=True)} | {due} | {c.met:,} of {c.total:,} ({c.percent}%) | "
        f"{left} | {worst or '—'} | {owner} |"
    )


#: The dashboard's table of a track shows at most this many teams (the HTML report has all).
TRACK_TEAMS = 10


def track_rows(s: Summary) -> list[str]:
    """A table per track: its level distribution overall and for its biggest teams."""
    out: list[str] = []
    for t in s.tracks:
        heads = [level_head(lv) for lv in t.levels_desc]
        out += [
            "",
            f"**Track {code(t.name)}**"
            + (f" (does not apply to {_repos(t.elsewhere)})" if t.elsewhere else ""),
            "",
            "| team | repos | " + " | ".join(heads) + " |",
            "|---|---|" + "---|" * len(heads),
            "| **all** | "
            + f"{t.applies:,} | "
            + " | ".join(f"{t.counts.get(lv, 0):,}" for lv in t.levels_desc)
            + " |",
        ]
        for team in t.teams[:TRACK_TEAMS]:
            name = code(team.name, table=True) if team.owned else escape(team.name)
            cells = " | ".join(f"{team.counts.get(lv, 0):,}" for lv in t.levels_desc)
            out.append(f"| {name} | {team.applies:,} | {cells} |")
        if len(t.teams) > TRACK_TEAMS:
            out.append(f"| … {len(t.teams) - TRACK_TEAMS:,} more teams in the HTML report | | |")
    return out


#: The dashboard lists at most this many expiring exemptions (the HTML report has all).
EXPIRING_SHOWN = 20


def expiring_rows(s: Summary) -> list[str]:
    """Exemptions expiring within 14 days of the scan: renew them or fix the checks."""
    if not s.expiring:
        return []
    out = [
        "",
        f"**Exemptions expiring within {EXPIRING_DAYS} days** ({len(s.expiring):,})",
        "",
        "| repository | team | check | expires | reason |",
        "|---|---|---|---|---|",
    ]
    for entry, check, expires, reason in s.expiring[:EXPIRING_SHOWN]:
        team = code(entry.team, table=True) if entry.team else escape(NO_OWNER)
        out.append(
            f"| {code(entry.name, table=True)} | {team} | {code(check, table=True)} | "
            f"{escape(expires)} | {inline(reason, table=True)} |"
        )
    if len(s.expiring) > EXPIRING_SHOWN:
        out.append(f"| … {len(s.expiring) - EXPIRING_SHOWN:,} more in the HTML report | | | | |")
    return out


def campaign_rows(campaigns: list[CampaignSummary]) -> list[str]:
    """The campaigns' table: progress, repositories left (and at the previous scan), the
    teams with the most left."""
    if not campaigns:
        return []
    return [
        "",
        "**Campaigns**",
        "",
        "| campaign | due | met | left | most left | owner |",
        "|---|---|---|---|---|---|",
        *(_campaign_row(c) for c in campaigns),
    ]


def render(s: Summary, *, report_url: str | None = None, max_chars: int = MAX_CHARS) -> str:
    head = [DASHBOARD_MARKER, headline(s), ""]
    facts = [
        f"Median score **{number(s.median)}**"
        + (f" ({signed(s.median_change)})" if s.previous_at else "")
    ]
    if s.previous_at:
        up, down = len(s.moved(True)), len(s.moved(False))
        facts.append(f"{_repos(up)} gained a level, {down:,} lost one")
        if s.new:
            facts.append(f"{len(s.new):,} new")
        if s.gone:
            facts.append(f"{len(s.gone):,} no longer scanned")
    if s.errors:
        facts.append(
            f"⚠️ {_repos(len(s.errors))} could not be graded (each error is in the HTML report)"
        )
    head += [" · ".join(facts), ""]

    table_head = [
        "| team | repos | "
        + " | ".join(level_head(lv) for lv in s.levels_desc)
        + " | median score | change |",
        "|---|---|" + "---|" * len(s.levels_desc) + "---|---|",
    ]
    named = [t for t in s.teams if t.owned]
    unowned = [t for t in s.teams if not t.owned]

    tail: list[str] = track_rows(s) + campaign_rows(s.campaigns) + expiring_rows(s)
    if s.failures:
        tail += [
            "",
            "**Most common failures**",
            "",
            "| check | repos | how to fix |",
            "|---|---|---|",
        ]
        for f in s.failures[:TOP_FAILURES]:
            url = safe_url(f.check.docs_url)
            name = f"[{code(f.check.id)}]({url})" if url else code(f.check.id)
            fix = inline(f.check.remediation, table=True, trusted=True) or "—"
            tail.append(f"| {name} | {f.count:,} | {fix} |")
    url = safe_url(report_url)
    tail += [""]
    if url:
        tail.append(f"Full report with every repository, filters and trends: [HTML report]({url})")
    else:
        tail.append(
            "The full report (every repository, filters and trends) is the HTML file of this run."
        )
    footer = f"_Scanned {escape(s.scanned_at)}"
    if s.standards:
        footer += " · standard " + ", ".join(code(x) for x in s.standards[:3])
    footer += f" · {_plural(s.files, 'results file')}_"
    tail += ["", footer, ""]

    def assemble(rows: list[str], more: int) -> str:
        lines = head + (table_head + rows if rows or more else [])
        if more:
            lines += ["", f"… {more:,} more teams in the HTML report"]
        return "\n".join(lines + tail)

    rows = [team_row(s, t) for t in named]
    fixed = [team_row(s, t) for t in unowned]
    text = assemble(rows + fixed, 0)
    if len(text) <= max_chars:
        return text
    # Too long: keep the biggest teams that fit (and always the owner-less row).
    budget = max_chars - len(assemble(fixed, len(named))) - 16
    kept = 0
    for row in rows:
        if budget - (len(row) + 1) < 0:
            break
        budget -= len(row) + 1
        kept += 1
    text = assemble(rows[:kept] + fixed, len(named) - kept)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"
