"""The history file: JSON Lines, one compact record per scan, oldest first::

    {"scanned_at": "2025-05-05T06:12:40Z", "org": "acme",
     "repos": {"acme/api": ["Gold", 91], "acme/web": [null, 35]},
     "campaigns": {"security-policy": [12, 40]}}

``repos`` holds every graded repository's level (``null``: no level) and score; repositories
that could not be graded are left out. ``campaigns`` (only when the standard has some) holds
each campaign's repositories meeting it and those it applies to, for its burndown. Trends
compare this scan with the newest record older than it; the trend charts draw every record.
Appending is idempotent: a scan already recorded (same ``scanned_at``) is not appended twice,
so a report run again on the same results changes nothing. Records of other organisations and
lines cut by a crash are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard.outfile import redact_data
from scorecard.report.records import ReportInputError, parse_time

#: The trend charts show at most this many scans (the newest).
MAX_POINTS = 200


@dataclass(frozen=True)
class Point:
    """One scan, reduced to what the trend charts draw."""

    scanned_at: str
    when: dt.datetime
    counts: dict[str | None, int]  # level (None: no level) -> repositories
    median: float | None
    repositories: int
    #: Each campaign's progress then: name -> (repositories meeting it, repositories it applies to).
    campaigns: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Previous:
    """The scan that trends compare with: each repository's level and score then."""

    scanned_at: str
    repos: dict[str, tuple[str, str | None, int]]  # lower-cased name -> (name, level, score)

    def get(self, name: str) -> tuple[str | None, int] | None:
        hit = self.repos.get(name.lower())
        return (hit[1], hit[2]) if hit else None


@dataclass
class History:
    points: list[Point] = field(default_factory=list)  # older scans, oldest first
    previous: Previous | None = None
    recorded: bool = False  # this scan is in the file already


def point_of(
    scanned_at: str,
    when: dt.datetime,
    grades: Iterable[tuple[str | None, int]],
    campaigns: dict[str, tuple[int, int]] | None = None,
) -> Point:
    counts: dict[str | None, int] = {}
    scores = []
    for level, score in grades:
        counts[level] = counts.get(level, 0) + 1
        scores.append(score)
    return Point(
        scanned_at,
        when,
        counts,
        statistics.median(scores) if scores else None,
        len(scores),
        dict(campaigns or {}),
    )


def _campaigns_of(rec: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """A record's ``campaigns`` (``{"name": [met, total]}``; older records have none)."""
    raw = rec.get("campaigns")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("`campaigns` is not an object")
    return {str(name): (int(v[0]), int(v[1])) for name, v in raw.items()}


def _repos_of(rec: dict[str, Any]) -> dict[str, tuple[str, str | None, int]]:
    repos = rec.get("repos")
    if not isinstance(repos, dict):
        raise ValueError("no `repos` object")
    out: dict[str, tuple[str, str | None, int]] = {}
    for name, value in repos.items():
        level, score = value
        out[str(name).lower()] = (str(name), None if level is None else str(level), int(score))
    return out


def read_history(path: str | os.PathLike[str], org: str, current: dt.datetime) -> History:
    """The scans of ``org`` recorded in ``path`` (a missing file is an empty history)."""
    history = History()
    p = Path(path)
    if not p.exists():
        return history
    valid = lines = 0
    try:
        with open(p, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                lines += 1
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash
                if not isinstance(rec, dict):
                    continue
                try:
                    when = parse_time(rec.get("scanned_at"))
                    rec_org = str(rec.get("org") or "")
                    if org and rec_org and rec_org.lower() != org.lower():
                        valid += 1
                        continue
                    repos = _repos_of(rec)
                    campaigns = _campaigns_of(rec)
                except (TypeError, ValueError, IndexError) as exc:
                    raise ReportInputError(
                        f"{p}: line {number} is not a history record ({type(exc).__name__}: {exc})"
                    ) from None
                valid += 1
                if when == current:
                    history.recorded = True
                if when >= current:
                    continue  # this scan itself, or a later one: not a trend's baseline
                history.points.append(
                    point_of(
                        str(rec["scanned_at"]),
                        when,
                        ((lv, sc) for _, lv, sc in repos.values()),
                        campaigns,
                    )
                )
                if history.previous is None or when > parse_time(history.previous.scanned_at):
                    history.previous = Previous(str(rec["scanned_at"]), repos)
    except UnicodeDecodeError:
        raise ReportInputError(f"{p}: not a text file (the history is JSON Lines)") from None
    except IsADirectoryError:
        raise ReportInputError(f"{p}: a directory, not a history file") from None
    except OSError as exc:
        raise ReportInputError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    if lines and not valid:
        raise ReportInputError(
            f"{p}: no history records in it (is it the file that "
            "`scorecard report --history` writes?)"
        )
    history.points.sort(key=lambda pt: pt.when)
    history.points = history.points[-(MAX_POINTS - 1) :]
    return history


def history_record(
    scanned_at: str,
    org: str,
    grades: Iterable[tuple[str, str | None, int]],
    campaigns: dict[str, tuple[int, int]] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scanned_at": scanned_at,
        "org": org,
        "repos": {
            name: [level, score]
            for name, level, score in sorted(grades, key=lambda g: g[0].lower())
        },
    }
    if campaigns:  # {"name": [met, total]}: the campaigns' burndown
        out["campaigns"] = {name: list(v) for name, v in sorted(campaigns.items())}
    return out


def append_history(path: str | os.PathLike[str], record: dict[str, Any]) -> None:
    """Append one record as one whole line (ending a line cut by a crash first), its strings
    redacted."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    prefix = ""
    if p.exists() and p.stat().st_size > 0:
        with open(p, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                prefix = "\n"
    # ASCII only: a line cut short by a full disk is still UTF-8, skipped by readers
    line = json.dumps(redact_data(record), separators=(",", ":"))
    with open(p, "a", encoding="utf-8") as fh:
        fh.write(prefix + line + "\n")
