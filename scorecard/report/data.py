"""The report as data for other tools: one JSON document and one CSV table.

JSON: ``org``, ``generated_at``, ``scanned_at``, ``summary`` (level counts, median score,
changes since the previous scan, pillar totals, the failures by frequency with how to fix
them), ``teams`` (per team: counts, median, change, repositories), ``repositories`` (each
graded repository's newest record: team, owner, flags, level, score, its previous level and
score, failing check ids and the full scorecard, by name) and ``errors`` (repositories that
could not be graded, with the error). The full scorecards are streamed from the results files
through a temporary file, so the memory does not grow with the organisation.

CSV: one row per repository (``repository, team, owner, level, score, previous_level,
previous_score, failing_checks, error``, then one column per check id with its status); a
repository that could not be graded has its ``error`` and no grade. A cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that no
spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import json
import tempfile
from typing import Any

from scorecard.outfile import TextSink
from scorecard.report.records import OrgResults, iter_winners
from scorecard.report.summary import Summary, TeamSummary

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def level_key(level: str | None) -> str:
    return "none" if level is None else level


def summary_json(s: Summary) -> dict[str, Any]:
    change: dict[str, Any] | None = None
    if s.previous_at is not None:
        change = {
            "levels": {level_key(lv): d for lv, d in s.level_changes},
            "median_score": s.median_change,
            "gained": [r.entry.name for r in s.moved(True)],
            "lost": [r.entry.name for r in s.moved(False)],
            "new": [r.entry.name for r in s.new],
            "gone": list(s.gone),
        }
    return {
        "repositories": len(s.repos),
        "errors": len(s.errors),
        "levels": {level_key(lv): s.counts.get(lv, 0) for lv in s.levels_desc},
        "median_score": s.median,
        "previous_scan": s.previous_at,
        "change": change,
        "pillars": [{"pillar": p.pillar, "met": p.met, "counted": p.counted} for p in s.pillars],
        "failures": [
            {
                "id": f.check.id,
                "title": f.check.title,
                "pillar": f.check.pillar,
                "level": f.check.level,
                "repositories": f.count,
                "remediation": f.check.remediation,
                "docs_url": f.check.docs_url,
            }
            for f in s.failures
        ],
    }


def team_json(s: Summary, t: TeamSummary) -> dict[str, Any]:
    return {
        "team": t.name if t.owned else None,
        "repositories": len(t.repos),
        "levels": {level_key(lv): t.counts.get(lv, 0) for lv in s.levels_desc},
        "median_score": t.median,
        "previous_median_score": t.previous_median,
        "change": t.change,
        "gained": t.gained,
        "lost": t.lost,
        "members": [r.entry.name for r in t.repos],
    }


def write_json(s: Summary, results: OrgResults, out: TextSink) -> None:
    """One JSON document; each repository on a line of its own."""
    head = {
        "org": s.org,
        "generated_at": s.generated_at,
        "scanned_at": s.scanned_at,
        "standards": s.standards,
        "files": s.files,
        "summary": summary_json(s),
        "teams": [team_json(s, t) for t in s.teams],
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    out.write(text[:-2] + ',\n  "repositories": [')
    trends = {r.entry.name.lower(): r for r in s.repos}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        index: list[tuple[str, str, int, int]] = []
        for entry, rec in iter_winners(results):
            trend = trends.get(entry.name.lower())
            if trend is None:
                continue
            prev = trend.previous
            item = {
                "repository": entry.name,
                "team": entry.team,
                "owner": entry.owner,
                "archived": entry.archived,
                "fork": entry.fork,
                "visibility": entry.visibility,
                "topics": list(entry.topics),
                "scanned_at": entry.scanned_at,
                "level": entry.level,
                "score": entry.score,
                "previous": None if prev is None else {"level": prev[0], "score": prev[1]},
                "failing": list(entry.failing),
                "scorecard": rec["scorecard"],
            }
            line = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            start = spool.tell()
            spool.write(line)
            index.append((entry.name.lower(), entry.name, start, len(line)))
        index.sort()
        for i, (_, _, start, length) in enumerate(index):
            spool.seek(start)
            out.write(("," if i else "") + "\n    " + spool.read(length))
    out.write('\n  ],\n  "errors": [')
    for i, e in enumerate(s.errors):
        out.write(
            ("," if i else "")
            + "\n    "
            + json.dumps(
                {"repository": e.name, "scanned_at": e.scanned_at, "error": e.error},
                ensure_ascii=False,
            )
        )
    out.write("\n  ]\n}\n")


def cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(s: Summary, out: TextSink) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "repository",
            "team",
            "owner",
            "level",
            "score",
            "previous_level",
            "previous_score",
            "failing_checks",
            "error",
            *s.check_ids,
        ]
    )
    rows: list[tuple[str, list[Any]]] = []
    for r in s.repos:
        e = r.entry
        prev = r.previous
        rows.append(
            (
                e.name.lower(),
                [
                    e.name,
                    e.team or "",
                    e.owner or "",
                    e.level or "",
                    e.score,
                    "" if prev is None else prev[0] or "",
                    "" if prev is None else prev[1],
                    " ".join(e.failing),
                    "",
                    *(e.statuses.get(c, "") for c in s.check_ids),
                ],
            )
        )
    for e in s.errors:
        rows.append(
            (
                e.name.lower(),
                [e.name, "", "", "", "", "", "", "", e.error, *("" for _ in s.check_ids)],
            )
        )
    rows.sort(key=lambda r: r[0])
    for _, row in rows:
        writer.writerow([cell(v) for v in row])
