"""The sticky pull-request comment: the answer in the first line, what this pull request
changed before anything else, every failure with where and how to fix it; calm and short.

Everything that comes from the repository goes through :mod:`scorecard.render.markdown`'s
escaping (no raw HTML, no links it controls, no live ``@mentions``). The body stays within
GitHub's 65,536-character limit: when it would not, the least important parts are cut first
and the comment links to the job summary for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.compare import Change, Comparison
from scorecard.model import CheckResult, Scorecard, Status
from scorecard.render.markdown import (
    MARKER,
    code,
    escape,
    id_list,
    inline,
    level_label,
    short_sha,
    where,
)

COMMENT_MARKER = MARKER.format(kind="pr-comment")
MAX_COMMENT = 65_536


@dataclass(frozen=True)
class Links:
    """Where the comment's links point. ``blob`` is a URL prefix ending in ``/`` for files
    of the head commit; ``run`` is the workflow run (the job summary holds the full report)."""

    blob: str | None = None
    run: str | None = None
    base_ref: str | None = None


def _headline(cmp: Comparison) -> str:
    head = cmp.head
    first = f"### {level_label(head.level)} · {head.score}/100"
    if cmp.base is None:
        return first
    before = cmp.base.level
    if cmp.level_change == "same":
        change = f"{escape(head.level)} kept" if head.level else "no level yet"
    elif cmp.level_change == "up":
        change = f"{level_label(before)} → {level_label(head.level)}"
    else:
        change = f"lowered from {level_label(before)}"
    delta = cmp.score_delta
    score = f"score {'+' if delta > 0 else '−' if delta < 0 else '±'}{abs(delta)}"
    return f"{first} — {change}, {score}"


def _change_line(c: Change, links: Links, fixed: bool) -> str:
    r = c.result
    if fixed:
        return f"- ✅ fixed {code(r.id)}: {inline(r.message)}"
    loc = where(r, links.blob, limit=2)
    loc = f" {loc}" if r.locations else ""
    return f"- ❌ broke {code(r.id)}:{loc} {inline(r.message)}"


def _failing_rows(results: Sequence[CheckResult], links: Links) -> list[str]:
    rows = ["| check | where | what is wrong | how to fix |", "|---|---|---|---|"]
    for r in results:
        rows.append(f"| [{code(r.id)}]({r.docs_url}) | {where(r, links.blob)} | "
                    f"{inline(r.message, True)} | {inline(r.remediation, True, trusted=True)} |")
    return rows


def _sections(cmp: Comparison, links: Links, *, passing: bool = True, later: bool = True,
              changes_limit: int | None = None, table_limit: int | None = None) -> list[str]:
    head = cmp.head
    out = [COMMENT_MARKER, _headline(cmp), ""]
    if cmp.base is not None:
        changes = [_change_line(c, links, False) for c in cmp.broke] + \
                  [_change_line(c, links, True) for c in cmp.fixed]
        if changes:
            out.append("**Changed by this pull request**")
            lines = changes if changes_limit is None else changes[:changes_limit]
            out += lines
            if len(lines) < len(changes):
                out.append(f"- … and {len(changes) - len(lines)} more in the job summary")
        else:
            out.append("No check changed in this pull request.")
        out.append("")
    failing = [r for r in head.checks if r.status in (Status.FAIL, Status.ERROR)]
    nxt = head.next_level
    if nxt is not None:
        blocking = [r for r in failing if r.id in nxt.blocking]
        out.append(f"**To reach {level_label(nxt.name)}**, {len(blocking)} "
                   f"check{'s are' if len(blocking) != 1 else ' is'} left:")
        shown = blocking if table_limit is None else blocking[:table_limit]
        out += _failing_rows(shown, links)
        if len(shown) < len(blocking):
            out.append(f"\n… and {len(blocking) - len(shown)} more in the job summary.")
        out.append("")
        rest = [r for r in failing if r.id not in nxt.blocking]
    else:
        out.append("Every level of the standard is held." if head.levels else "")
        out.append("")
        rest = failing
    if rest and later:
        out += [f"<details><summary>{len(rest)} more failing "
                f"(for higher levels or no level)</summary>", ""]
        shown = rest if table_limit is None else rest[:table_limit]
        out += _failing_rows(shown, links)
        out += ["", "</details>", ""]
    out += ["| pillar | met |", "|---|---|"]
    out += [f"| {escape(p.pillar)} | {p.met} of {p.counted} |" for p in head.pillars]
    out.append("")
    ok = [r for r in head.checks if r.status is Status.PASS]
    if ok and passing:
        out += [f"<details><summary>{len(ok)} passing checks</summary>", "", id_list(ok), "",
                "</details>"]
    unknown = head.with_status(Status.UNKNOWN)
    if unknown:
        reasons = sorted({r.message for r in unknown})
        out += [f"<details><summary>{len(unknown)} not checked (unknown)</summary>", ""]
        for reason in reasons:
            ids = [r for r in unknown if r.message == reason]
            out.append(f"- {id_list(ids)}: {inline(reason)}")
        out += ["", "See the README's “Tokens and permissions”.", "", "</details>"]
    out.append("")
    out.append(_footer(head, links))
    return out


def _footer(head: Scorecard, links: Links) -> str:
    parts = []
    if links.base_ref:
        parts.append(f"Graded by the standard on {code(links.base_ref)} (the base branch)")
    else:
        parts.append(f"Standard: {escape(head.standard)}")
    if head.commit:
        parts.append(f"commit {code(short_sha(head.commit))}")
    if links.run:
        parts.append(f"[full report]({links.run})")
    exempt = [r for r in head.checks if r.exemption is not None and not r.exemption.expired]
    if exempt:
        soonest = min(r.exemption.expires for r in exempt if r.exemption)
        parts.append(f"exemptions: {len(exempt)} (first expires {soonest})")
    return "<sub>" + " · ".join(parts) + "</sub>"


def render(cmp: Comparison, links: Links = Links(), limit: int = MAX_COMMENT) -> str:
    """The comment body, at most ``limit`` characters."""
    attempts = [
        {},
        {"passing": False},
        {"passing": False, "later": False},
        {"passing": False, "later": False, "changes_limit": 20, "table_limit": 20},
        {"passing": False, "later": False, "changes_limit": 5, "table_limit": 5},
    ]
    for kw in attempts:
        body = "\n".join(_sections(cmp, links, **kw)).rstrip() + "\n"  # type: ignore[arg-type]
        if len(body) <= limit:
            return body
    cut = body[: limit - 200].rsplit("\n", 1)[0]
    more = f"[the job summary]({links.run})" if links.run else "the job summary"
    return f"{cut}\n\n… cut to fit GitHub's comment size: the full report is in {more}.\n"
