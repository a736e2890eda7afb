"""The numbers every output shows, computed once from the merged results and the history:
level counts, per-team figures, the most common failures, pillar totals and trends."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scorecard.check import pillar_rank
from scorecard.model import EXPIRING_DAYS
from scorecard.report.campaigns import CampaignSummary, progress, summarise_campaigns
from scorecard.report.history import History, Point, point_of
from scorecard.report.records import NO_OWNER, CheckInfo, OrgResults, RepoEntry
from scorecard.report.tracks import TrackSummary, summarise_tracks


@dataclass
class RepoTrend:
    entry: RepoEntry
    previous: tuple[str | None, int] | None  # (level, score) at the previous scan

    @property
    def delta(self) -> int | None:
        if self.previous is None or self.entry.score is None:
            return None
        return self.entry.score - self.previous[1]


@dataclass
class TeamSummary:
    name: str  # NO_OWNER for repositories without an owner
    owned: bool
    repos: list[RepoTrend]
    counts: dict[str | None, int]
    median: float | None
    previous_median: float | None  # of the team's repositories that the previous scan graded
    change: float | None  # their median score now minus then (like for like)
    gained: int  # repositories whose level rose since the previous scan
    lost: int


@dataclass
class Failure:
    check: CheckInfo
    count: int


@dataclass
class PillarTotal:
    pillar: str
    met: int
    counted: int

    @property
    def ratio(self) -> float:
        return self.met / self.counted if self.counted else 0.0


@dataclass
class Summary:
    org: str
    scanned_at: str
    generated_at: str
    levels: list[str]  # lowest first
    repos: list[RepoTrend]  # graded, by name
    errors: list[RepoEntry]
    counts: dict[str | None, int]
    median: float | None
    teams: list[TeamSummary]  # biggest first, the owner-less group last
    failures: list[Failure]  # most common first
    pillars: list[PillarTotal]
    check_ids: list[str]  # by pillar, then id
    checks: dict[str, CheckInfo]
    standards: list[str]
    files: int
    previous_at: str | None = None
    previous_counts: dict[str | None, int] | None = None
    previous_median: float | None = None
    gone: list[str] = field(default_factory=list)  # graded before, not in this scan
    points: list[Point] = field(default_factory=list)  # history and this scan, oldest first
    campaigns: list[CampaignSummary] = field(default_factory=list)  # by deadline
    tracks: list[TrackSummary] = field(default_factory=list)  # the standard's other ladders
    #: (repository, check, expires, reason) of exemptions expiring within EXPIRING_DAYS of
    #: the scan, soonest first
    expiring: list[tuple[RepoEntry, str, str, str]] = field(default_factory=list)

    @property
    def levels_desc(self) -> list[str | None]:
        """Levels highest first, then "no level"."""
        return [*reversed(self.levels), None]

    def rank(self, level: str | None) -> int:
        return self.levels.index(level) + 1 if level in self.levels else 0

    @property
    def level_changes(self) -> list[tuple[str | None, int]]:
        """How many more (or fewer) repositories hold each level than at the previous scan."""
        if self.previous_counts is None:
            return []
        return [
            (lv, self.counts.get(lv, 0) - self.previous_counts.get(lv, 0))
            for lv in self.levels_desc
            if self.counts.get(lv, 0) != self.previous_counts.get(lv, 0)
        ]

    @property
    def median_change(self) -> float | None:
        if self.median is None or self.previous_median is None:
            return None
        return self.median - self.previous_median

    def moved(self, up: bool) -> list[RepoTrend]:
        """Repositories whose level rose (``up``) or fell, the biggest moves first."""
        out = []
        for r in self.repos:
            if r.previous is None:
                continue
            step = self.rank(r.entry.level) - self.rank(r.previous[0])
            if (step > 0) if up else (step < 0):
                out.append((-abs(step), -abs(r.delta or 0), r.entry.name.lower(), r))
        return [t[-1] for t in sorted(out, key=lambda t: t[:3])]

    @property
    def new(self) -> list[RepoTrend]:
        return [r for r in self.repos if r.previous is None] if self.previous_at else []

    def score_changes(self, limit: int = 20) -> list[RepoTrend]:
        """The largest score changes, either way."""
        changed = [r for r in self.repos if r.delta]
        changed.sort(key=lambda r: (-abs(r.delta or 0), r.entry.name.lower()))
        return changed[:limit]


def median(values: Sequence[int]) -> float | None:
    return statistics.median(values) if values else None


def _counts(levels: Iterable[str | None]) -> dict[str | None, int]:
    return dict(Counter(levels))


def summarise(results: OrgResults, history: History, generated_at: str) -> Summary:
    graded = results.graded
    prev = history.previous
    trends = [RepoTrend(e, prev.get(e.name) if prev else None) for e in graded]
    levels = list(results.levels)
    for e in graded:  # a level no scorecard listed (should not happen): rank it lowest
        if e.level is not None and e.level not in levels:
            levels.insert(0, e.level)
    summary = Summary(
        org=results.org,
        scanned_at=results.scanned_at,
        generated_at=generated_at,
        levels=levels,
        repos=trends,
        errors=results.errors,
        counts=_counts(e.level for e in graded),
        median=median([e.score for e in graded if e.score is not None]),
        teams=[],
        failures=[],
        pillars=[],
        checks=results.checks,
        check_ids=sorted(results.checks, key=lambda c: (pillar_rank(results.checks[c].pillar), c)),
        standards=results.standards,
        files=len(results.files),
    )
    summary.teams = _teams(summary)
    fails: Counter[str] = Counter()
    pillars: dict[str, list[int]] = {}
    for e in graded:
        fails.update(e.failing)
        for pillar, met, counted in e.pillars:
            total = pillars.setdefault(pillar, [0, 0])
            total[0] += met
            total[1] += counted
    summary.failures = [
        Failure(results.checks[cid], n)
        for cid, n in sorted(fails.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    summary.pillars = [
        PillarTotal(p, v[0], v[1])
        for p, v in sorted(pillars.items(), key=lambda kv: pillar_rank(kv[0]))
    ]
    if prev is not None:
        summary.previous_at = prev.scanned_at
        summary.previous_counts = _counts(level for _, level, _ in prev.repos.values())
        summary.previous_median = median([score for _, _, score in prev.repos.values()])
        current = {key for key in results.repos}
        summary.gone = sorted(
            (name for key, (name, _, _) in prev.repos.items() if key not in current), key=str.lower
        )
    summary.points = list(history.points)
    if results.repos:
        now = max(results.repos.values(), key=lambda r: r.when).when
        summary.points.append(
            point_of(
                summary.scanned_at,
                now,
                ((e.level, e.score or 0) for e in graded),
                progress(results),
            )
        )
    summary.campaigns = summarise_campaigns(results, summary.points)
    summary.tracks = summarise_tracks(results)
    summary.expiring = expiring_exemptions(graded, results.scanned_at)
    return summary


def expiring_exemptions(
    repos: Sequence[RepoEntry], scanned_at: str
) -> list[tuple[RepoEntry, str, str, str]]:
    """The exemptions that expire within :data:`~scorecard.model.EXPIRING_DAYS` of the scan."""
    try:
        day = dt.date.fromisoformat(scanned_at[:10])
    except ValueError:
        return []
    out = []
    for e in repos:
        for check, expires, reason in e.exemptions:
            try:
                until = dt.date.fromisoformat(expires)
            except ValueError:
                continue
            if day <= until <= day + dt.timedelta(days=EXPIRING_DAYS):
                out.append((e, check, expires, reason))
    out.sort(key=lambda x: (x[2], x[0].name.lower(), x[1]))
    return out


def _teams(summary: Summary) -> list[TeamSummary]:
    groups: dict[str | None, list[RepoTrend]] = {}
    for r in summary.repos:
        groups.setdefault(r.entry.team, []).append(r)
    teams = []
    for team, repos in groups.items():
        scores = [r.entry.score for r in repos if r.entry.score is not None]
        before = [r.previous[1] for r in repos if r.previous is not None]
        again = [
            r.entry.score for r in repos if r.previous is not None and r.entry.score is not None
        ]
        then, now = median(before), median(again)
        gained = sum(
            1
            for r in repos
            if r.previous is not None and summary.rank(r.entry.level) > summary.rank(r.previous[0])
        )
        lost = sum(
            1
            for r in repos
            if r.previous is not None and summary.rank(r.entry.level) < summary.rank(r.previous[0])
        )
        teams.append(
            TeamSummary(
                name=team if team is not None else NO_OWNER,
                owned=team is not None,
                repos=repos,
                counts=_counts(r.entry.level for r in repos),
                median=median(scores),
                previous_median=then,
                change=None if then is None or now is None else now - then,
                gained=gained,
                lost=lost,
            )
        )
    teams.sort(key=lambda t: (not t.owned, -len(t.repos), t.name.lower(), t.name))
    return teams


def number(value: float | None) -> str:
    """A median for people: ``84``, ``84.5``; ``—`` when there is none."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def signed(value: float | None, zero: str = "0") -> str:
    """``+3``, ``−1`` (a real minus sign), ``0``; ``—`` when unknown."""
    if value is None:
        return "—"
    if value == 0:
        return zero
    text = number(abs(value))
    return ("+" if value > 0 else "\u2212") + text
