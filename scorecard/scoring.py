"""Results + standard -> Scorecard: the level, the 0-100 score and the per-pillar summary.

- A result counts when it is ``pass``, ``fail`` or ``exempt`` (and ``unknown`` under
  ``unknown: fail``, as not met); ``pass`` and ``exempt`` are met.
- The score is the weighted share of met checks among those that count, rounded.
- Levels are cumulative: a repository holds a level when every check that level requires, and
  every check of the levels below, is met. ``fail`` and ``error`` block a level; ``skip`` never
  does; ``unknown`` only under ``unknown: fail``. A check the run did not include does not block.
- Tracks (``tracks:``) are ladders of their own, each graded the same way over its own checks,
  with a score over them alone; a track whose ``when`` does not hold does not apply.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from scorecard.check import pillar_rank
from scorecard.model import (
    CheckResult,
    LevelStatus,
    PillarSummary,
    Scorecard,
    Status,
    TrackStatus,
)
from scorecard.standard import Level, Standard, Track


def _counts(r: CheckResult, unknown_fails: bool) -> bool:
    return r.status.counts or (unknown_fails and r.status is Status.UNKNOWN)


def _blocks(r: CheckResult, unknown_fails: bool) -> bool:
    return r.status in (Status.FAIL, Status.ERROR) or (unknown_fails and r.status is Status.UNKNOWN)


def score_of(results: Sequence[CheckResult], unknown_fails: bool = False) -> int:
    total = sum(r.weight for r in results if _counts(r, unknown_fails))
    met = sum(r.weight for r in results if r.status.met)
    return round(100 * met / total) if total else 0


def ladder(
    levels: Sequence[Level], by_id: Mapping[str, CheckResult], unknown_fails: bool
) -> tuple[list[LevelStatus], str | None]:
    """Each level's status and the highest level held (levels are cumulative)."""
    out: list[LevelStatus] = []
    held: str | None = None
    below_held = True
    for lvl in levels:
        blocking = tuple(
            cid for cid in lvl.checks if cid in by_id and _blocks(by_id[cid], unknown_fails)
        )
        out.append(LevelStatus(lvl.name, below_held and not blocking, blocking))
        if below_held and not blocking:
            held = lvl.name
        else:
            below_held = False
    return out, held


def track_status(
    track: Track, by_id: Mapping[str, CheckResult], unknown_fails: bool, elsewhere: str | None
) -> TrackStatus:
    """``track`` for one repository's results; ``elsewhere`` is why it does not apply."""
    if elsewhere is not None:
        return TrackStatus(track.name, None, 0, (), applies=False, reason=elsewhere)
    levels, held = ladder(track.levels, by_id, unknown_fails)
    mine = [by_id[cid] for cid in track.checks if cid in by_id]
    return TrackStatus(track.name, held, score_of(mine, unknown_fails), tuple(levels))


def grade(
    target: str,
    commit: str | None,
    results: Sequence[CheckResult],
    standard: Standard,
    *,
    ref: str | None = None,
    warnings: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
    tracks_elsewhere: Mapping[str, str] | None = None,
    campaigns_elsewhere: Collection[str] = (),
) -> Scorecard:
    """The scorecard of ``results``; ``tracks_elsewhere`` names the tracks whose ``when`` does
    not hold here, with why, and ``campaigns_elsewhere`` the campaigns."""
    unknown_fails = standard.unknown == "fail"
    by_id = {r.id: r for r in results}
    levels, held = ladder(standard.levels, by_id, unknown_fails)
    pillars = sorted({r.pillar for r in results}, key=pillar_rank)
    summaries = tuple(
        PillarSummary(
            pillar=p,
            met=sum(1 for r in results if r.pillar == p and r.status.met),
            counted=sum(1 for r in results if r.pillar == p and _counts(r, unknown_fails)),
            total=sum(1 for r in results if r.pillar == p),
        )
        for p in pillars
    )
    elsewhere = tracks_elsewhere or {}
    return Scorecard(
        target=target,
        commit=commit,
        score=score_of(results, unknown_fails),
        level=held,
        checks=tuple(results),
        pillars=summaries,
        levels=tuple(levels),
        standard=standard.label,
        unknown_policy=standard.unknown,
        ref=ref,
        warnings=tuple(warnings),
        campaigns=tuple(
            c.status(results, unknown_fails, c.name not in campaigns_elsewhere)
            for c in standard.campaigns.values()
        ),
        ecosystems=tuple(ecosystems),
        tracks=tuple(
            track_status(t, by_id, unknown_fails, elsewhere.get(t.name)) for t in standard.tracks
        ),
    )
