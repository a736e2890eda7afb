"""The org report's campaigns (:mod:`scorecard.campaigns`): each campaign's progress overall
and per team, the repositories left with their owning team, and its burndown (repositories
left, scan by scan, from the history)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.campaigns import MET, NOT_APPLICABLE
from scorecard.report.history import Point
from scorecard.report.records import NO_OWNER, CampaignInfo, OrgResults, RepoEntry


@dataclass(frozen=True)
class TeamProgress:
    name: str  # NO_OWNER for repositories without an owner
    owned: bool
    met: int
    total: int  # repositories of the team the campaign applies to

    @property
    def left(self) -> int:
        return self.total - self.met


@dataclass(frozen=True)
class Left:
    """A repository that does not meet a campaign yet."""

    entry: RepoEntry
    state: str  # not met, or unknown
    failing: tuple[str, ...]


@dataclass(frozen=True)
class CampaignSummary:
    info: CampaignInfo
    met: int
    total: int  # graded repositories the campaign applies to
    teams: list[TeamProgress]  # most left first, the owner-less group last
    left: list[Left]  # by team, then name
    burndown: list[tuple[str, int]]  # (scanned_at, repositories left), oldest first

    @property
    def ratio(self) -> float:
        return self.met / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        return int(100 * self.ratio)


def progress(results: OrgResults) -> dict[str, tuple[int, int]]:
    """Each campaign's (repositories meeting it, repositories it applies to): this scan's
    point of the burndown, kept in the history."""
    out: dict[str, tuple[int, int]] = {}
    for name in results.campaigns:
        met = total = 0
        for e in results.graded:
            state = e.campaigns.get(name, (NOT_APPLICABLE, ()))[0]
            if state != NOT_APPLICABLE:
                total += 1
                met += state == MET
        out[name] = (met, total)
    return out


def summarise_campaigns(results: OrgResults, points: Sequence[Point]) -> list[CampaignSummary]:
    """Every campaign of the results, in the order of their deadlines. ``points`` are the
    history's scans and this one (oldest first)."""
    out = []
    for name, info in results.campaigns.items():
        teams: dict[str | None, list[int]] = {}
        left: list[Left] = []
        for e in results.graded:
            state, failing = e.campaigns.get(name, (NOT_APPLICABLE, ()))
            if state == NOT_APPLICABLE:
                continue
            tally = teams.setdefault(e.team, [0, 0])
            tally[1] += 1
            if state == MET:
                tally[0] += 1
            else:
                left.append(Left(e, state, failing))
        met = sum(t[0] for t in teams.values())
        total = sum(t[1] for t in teams.values())
        progress_by_team = [
            TeamProgress(team if team is not None else NO_OWNER, team is not None, m, n)
            for team, (m, n) in teams.items()
        ]
        progress_by_team.sort(key=lambda t: (not t.owned, -t.left, t.name.lower()))
        left.sort(key=lambda x: (x.entry.team is None, (x.entry.team or "").lower(), x.entry.name))
        burndown = [
            (p.scanned_at, p.campaigns[name][1] - p.campaigns[name][0])
            for p in points
            if name in p.campaigns
        ]
        out.append(CampaignSummary(info, met, total, progress_by_team, left, burndown))
    out.sort(key=lambda c: (c.info.deadline, c.info.name.lower()))
    return out
