"""What a change does to a scorecard: the level and score before and after, the checks it fixes
and the checks it breaks. Pure: two Scorecards in, a Comparison out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scorecard.campaigns import CampaignChange, campaign_changes
from scorecard.model import CheckResult, Scorecard, Status

BAD = (Status.FAIL, Status.ERROR)


@dataclass(frozen=True)
class Change:
    id: str
    before: Status | None  # None: the check did not run on the base
    after: Status
    result: CheckResult

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before.value if self.before else None,
            "after": self.after.value,
        }


@dataclass(frozen=True)
class Comparison:
    base: Scorecard | None
    head: Scorecard
    fixed: tuple[Change, ...]
    broke: tuple[Change, ...]
    other: tuple[Change, ...]

    @property
    def level_rank(self) -> tuple[int, int]:
        names = [lvl.name for lvl in self.head.levels]

        def rank(level: str | None) -> int:
            return names.index(level) if level in names else -1

        return rank(self.base.level if self.base else None), rank(self.head.level)

    @property
    def level_change(self) -> str:
        """``up``, ``down`` or ``same`` (``same`` when there is no base)."""
        if self.base is None:
            return "same"
        before, after = self.level_rank
        return "up" if after > before else "down" if after < before else "same"

    @property
    def score_delta(self) -> int:
        return self.head.score - self.base.score if self.base else 0

    @property
    def campaigns(self) -> list[CampaignChange]:
        """The campaigns this change advances (to met) or sets back (from met)."""
        return campaign_changes(self.base.campaigns, self.head.campaigns) if self.base else []

    @property
    def regressed(self) -> bool:
        """The change lowers the grade: a lower level or a lower score."""
        return self.level_change == "down" or self.score_delta < 0

    def to_json(self) -> dict[str, Any]:
        return {
            "base_level": self.base.level if self.base else None,
            "base_score": self.base.score if self.base else None,
            "level": self.head.level,
            "score": self.head.score,
            "level_change": self.level_change,
            "score_delta": self.score_delta,
            "regressed": self.regressed,
            "fixed": [c.to_json() for c in self.fixed],
            "broke": [c.to_json() for c in self.broke],
            **(
                {
                    "campaigns": [
                        {"name": c.campaign.name, "before": c.before, "after": c.campaign.state}
                        for c in self.campaigns
                    ]
                }
                if self.head.campaigns
                else {}
            ),
        }


def compare(base: Scorecard | None, head: Scorecard) -> Comparison:
    before = {r.id: r.status for r in base.checks} if base else {}
    fixed, broke, other = [], [], []
    for r in head.checks:
        was = before.get(r.id)
        if base is None or was == r.status:
            continue
        change = Change(r.id, was, r.status, r)
        if r.status in BAD and was not in BAD:
            broke.append(change)
        elif was in BAD and r.status.met:
            fixed.append(change)
        else:
            other.append(change)
    return Comparison(base, head, tuple(fixed), tuple(broke), tuple(other))
