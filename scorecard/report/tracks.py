"""The org report's tracks (a standard's other ladders, ``tracks:``): for each track, how many
repositories hold each of its levels, overall and per team, and how many it does not apply
to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scorecard.report.records import NO_OWNER, OrgResults


@dataclass(frozen=True)
class TrackTeam:
    name: str  # NO_OWNER for repositories without an owner
    owned: bool
    counts: dict[str | None, int]  # level (None: no level) -> repositories
    applies: int  # repositories of the team the track applies to


@dataclass(frozen=True)
class TrackSummary:
    name: str
    levels: list[str]  # lowest first
    counts: dict[str | None, int]
    applies: int  # graded repositories the track applies to
    elsewhere: int  # graded repositories it does not apply to
    teams: list[TrackTeam]  # most repositories first, the owner-less group last

    @property
    def levels_desc(self) -> list[str | None]:
        return [*reversed(self.levels), None]


def summarise_tracks(results: OrgResults) -> list[TrackSummary]:
    out = []
    for name, levels in results.tracks.items():
        counts: Counter[str | None] = Counter()
        teams: dict[str | None, Counter[str | None]] = {}
        elsewhere = 0
        for e in results.graded:
            level, _score, applies = e.tracks.get(name, (None, 0, False))
            if not applies:
                elsewhere += 1
                continue
            counts[level] += 1
            teams.setdefault(e.team, Counter())[level] += 1
        rows = [
            TrackTeam(
                team if team is not None else NO_OWNER, team is not None, dict(c), sum(c.values())
            )
            for team, c in teams.items()
        ]
        rows.sort(key=lambda t: (not t.owned, -t.applies, t.name.lower()))
        out.append(
            TrackSummary(name, list(levels), dict(counts), sum(counts.values()), elsewhere, rows)
        )
    return out
