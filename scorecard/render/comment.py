"""The sticky pull-request comment: the answer in the first line, what this pull request
changed before anything else, every failure with where and how to fix it; calm and short.

Everything that comes from the repository goes through :mod:`scorecard.render.markdown`'s
escaping (no raw HTML, no links it controls, no live ``@mentions``). The body stays within
GitHub's 65,536-character limit: when it would not, the least important parts are cut first
and the comment links to the job summary for the rest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.campaigns import CampaignChange
from scorecard.compare import Change, Comparison
from scorecard.model import CheckResult, Scorecard, Status, TrackStatus
from scorecard.render.markdown import (
    MARKER,
    check_link,
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
MESSAGE_CHARS = 400  # a longer message is cut in the comment (the job summary has it whole)


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


def _clip(text: str, limit: int = MESSAGE_CHARS) -> str:
    """At most ``limit`` characters of raw text (cut before escaping, so that no escape is
    ever cut in two)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _change_line(c: Change, links: Links, fixed: bool) -> str:
    r = c.result
    if fixed:
        return f"- ✅ fixed {code(r.id)}: {inline(_clip(r.message))}"
    loc = where(r, links.blob, limit=2)
    loc = f" {loc}" if r.locations else ""
    return f"- ❌ broke {code(r.id)}:{loc} {inline(_clip(r.message))}"


def _track_line(t: TrackStatus, cmp: Comparison) -> str:
    """``- security: Silver · 80/100 — Bronze → Silver, score +10`` (the change when there is
    a base)."""
    if not t.applies:
        return f"- {escape(t.name)}: does not apply ({inline(_clip(t.reason))})"
    line = f"- {escape(t.name)}: {level_label(t.level)} · {t.score}/100"
    base = next((b for b in cmp.base.tracks if b.name == t.name), None) if cmp.base else None
    if cmp.base is None:
        return line
    if base is None or not base.applies:
        return line + " — new here"
    names = [lvl.name for lvl in t.levels]
    before = names.index(base.level) if base.level in names else -1
    after = names.index(t.level) if t.level in names else -1
    if after > before:
        change = f"{level_label(base.level)} → {level_label(t.level)}"
    elif after < before:
        change = f"lowered from {level_label(base.level)}"
    else:
        change = "kept" if t.level else "no level yet"
    delta = t.score - base.score
    return f"{line} — {change}, score {'+' if delta > 0 else '−' if delta < 0 else '±'}{abs(delta)}"


def _campaign_change(c: CampaignChange) -> str:
    due = c.campaign.deadline
    when = f"overdue since {escape(due)}" if c.campaign.overdue else f"due {escape(due)}"
    if c.advanced:
        return f"✅ advances {code(c.campaign.name)} ({when})"
    failing = ", ".join(code(cid) for cid in c.campaign.failing)
    return f"❌ sets back {code(c.campaign.name)} ({when}; {failing} no longer met)"


def _failing_row(r: CheckResult, links: Links) -> str:
    return (
        f"| {check_link(r)} | {where(r, links.blob)} | {inline(_clip(r.message), True)} | "
        f"{inline(_clip(r.remediation), True, trusted=True)} |"
    )


def _failing_rows(results: Sequence[CheckResult], links: Links, memo: dict[int, str]) -> list[str]:
    rows = ["| check | where | what is wrong | how to fix |", "|---|---|---|---|"]
    for r in results:
        if id(r) not in memo:
            memo[id(r)] = _failing_row(r, links)
        rows.append(memo[id(r)])
    return rows


def _sections(
    cmp: Comparison,
    links: Links,
    *,
    passing: bool = True,
    later: bool = True,
    changes_limit: int | None = None,
    table_limit: int | None = None,
    memo: dict[int, str] | None = None,
) -> list[str]:
    """The comment's lines; ``memo`` keeps rendered rows from one attempt to the next."""
    memo = {} if memo is None else memo
    head = cmp.head
    out = [COMMENT_MARKER, _headline(cmp), ""]
    if cmp.base is not None:
        all_changes = [(c, False) for c in cmp.broke] + [(c, True) for c in cmp.fixed]
        if all_changes:
            out.append("**Changed by this pull request**")
            shown_changes = all_changes if changes_limit is None else all_changes[:changes_limit]
            for c, fixed in shown_changes:
                if id(c) not in memo:
                    memo[id(c)] = _change_line(c, links, fixed)
                out.append(memo[id(c)])
            if len(shown_changes) < len(all_changes):
                out.append(
                    f"- … and {len(all_changes) - len(shown_changes)} more in the job summary"
                )
        else:
            out.append("No check changed in this pull request.")
        out.append("")
        moved = cmp.campaigns
        if moved:
            out.append("**Campaigns**: " + " · ".join(_campaign_change(c) for c in moved))
            out.append("")
    if head.tracks:
        out.append("**Tracks**")
        out += [_track_line(t, cmp) for t in head.tracks]
        out.append("")
    failing = [r for r in head.checks if r.status in (Status.FAIL, Status.ERROR)]
    nxt = head.next_level
    if nxt is not None:
        blocking_ids = set(nxt.blocking)
        blocking = [r for r in failing if r.id in blocking_ids]
        out.append(
            f"**To reach {level_label(nxt.name)}**, {len(blocking)} "
            f"check{'s are' if len(blocking) != 1 else ' is'} left:"
        )
        shown = blocking if table_limit is None else blocking[:table_limit]
        out += _failing_rows(shown, links, memo)
        if len(shown) < len(blocking):
            out.append(f"\n… and {len(blocking) - len(shown)} more in the job summary.")
        out.append("")
        rest = [r for r in failing if r.id not in blocking_ids]
    else:
        out.append("Every level of the standard is held." if head.levels else "")
        out.append("")
        rest = failing
    if rest and later:
        out += [
            f"<details><summary>{len(rest)} more failing (for higher levels or no level)</summary>",
            "",
        ]
        shown = rest if table_limit is None else rest[:table_limit]
        out += _failing_rows(shown, links, memo)
        out += ["", "</details>", ""]
    out += ["| pillar | met |", "|---|---|"]
    out += [f"| {escape(p.pillar)} | {p.met} of {p.counted} |" for p in head.pillars]
    out.append("")
    ok = [r for r in head.checks if r.status is Status.PASS]
    if ok and passing:
        out += [
            f"<details><summary>{len(ok)} passing checks</summary>",
            "",
            id_list(ok),
            "",
            "</details>",
        ]
    unknown = head.with_status(Status.UNKNOWN)
    if unknown:
        reasons = sorted({r.message for r in unknown})
        out += [f"<details><summary>{len(unknown)} not checked (unknown)</summary>", ""]
        for reason in reasons:
            ids = [r for r in unknown if r.message == reason]
            out.append(f"- {id_list(ids)}: {inline(_clip(reason))}")
        out += ["", "See the README's “Tokens and permissions”.", "", "</details>"]
    out.append("")
    expiring = [
        r
        for r in head.checks
        if r.exemption is not None and r.exemption.expiring and not r.exemption.expired
    ]
    for r in expiring:
        assert r.exemption is not None
        out.append(
            f"⏳ The exemption of {code(r.id)} expires on {escape(r.exemption.expires)}: "
            f"{inline(_clip(r.exemption.reason))} — renew it or fix the check."
        )
    if expiring:
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
        parts.append(f"exemptions: {len(exempt)} (first expires {escape(soonest)})")
    return "<sub>" + " · ".join(parts) + "</sub>"


_DIGEST = re.compile(r"<!-- digest: ([0-9a-f]{16}) -->")


def with_digest(body: str, links: Links) -> str:
    """``body`` with a hidden digest of what it says after the marker: everything but the link
    to the run that wrote it. A later run of the same commit with the same results finds the
    same digest and leaves the comment alone (:func:`same_comment`), even though its run
    link differs."""
    said = body.replace(links.run, "") if links.run else body
    digest = hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]
    return body.replace(COMMENT_MARKER, f"{COMMENT_MARKER}<!-- digest: {digest} -->", 1)


def same_comment(old: str, new: str) -> bool:
    """Whether the comment ``old`` already says what ``new`` says (same digest)."""
    a, b = _DIGEST.search(old), _DIGEST.search(new)
    return a is not None and b is not None and a.group(1) == b.group(1)


def render(cmp: Comparison, links: Links = Links(), limit: int = MAX_COMMENT) -> str:
    """The comment body, at most ``limit`` characters."""
    attempts = [
        {},
        {"passing": False},
        {"passing": False, "later": False},
        {"passing": False, "later": False, "changes_limit": 20, "table_limit": 20},
        {"passing": False, "later": False, "changes_limit": 5, "table_limit": 5},
    ]
    memo: dict[int, str] = {}
    for kw in attempts:
        body = (
            "\n".join(
                _sections(cmp, links, memo=memo, **kw)  # type: ignore[arg-type]
            ).rstrip()
            + "\n"
        )
        if len(body) <= limit:
            return body
    more = f"[the job summary]({links.run})" if links.run else "the job summary"
    tail = f"\n\n… cut to fit GitHub's comment size: the full report is in {more}.\n"
    cut = body[: limit - len(tail) - 100].rsplit("\n", 1)[0]
    opened = cut.count("<details>") - cut.count("</details>")
    return cut + "\n\n</details>" * max(opened, 0) + tail
