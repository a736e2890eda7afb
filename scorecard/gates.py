"""Gates: when a run fails, in one vocabulary for the command line and the Action.

- ``fail-under`` (``--fail-under``): a level of the standard or a score (0-100); the run fails
  when the repository is below it. ``TRACK=LEVEL`` gates one of the standard's tracks instead
  (a track that does not apply to the repository never fails it); the main ladder is then not
  gated. ``--fail-under`` may be given more than once (e.g. ``--fail-under silver
  --fail-under security=gold``): every one must hold.
- ``fail-on-regression``: the run fails when a pull request lowers the level or the score
  (the Action on pull requests; a run without a base has nothing to compare).
- ``fail-on-error`` (``--fail-on-error``): the run fails when a check could not run.

The Action's older ``fail-on: regression | below-level`` with ``min-level`` still work and mean
``fail-on-regression: true`` and ``fail-under: <min-level>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scorecard.compare import Comparison
from scorecard.model import Scorecard, Status


class GateError(ValueError):
    """A gate that cannot be understood: the message names the setting."""


@dataclass(frozen=True)
class Threshold:
    """A level (``kind`` "level", ``value`` its name as the standard spells it), a score, or a
    track's level (``kind`` "track": ``track`` names it)."""

    kind: str
    value: str | float
    given: str
    track: str | None = None

    def below(self, card: Scorecard) -> bool:
        if self.kind == "score":
            return card.score < float(self.value)
        level, names = card.level, [lvl.name for lvl in card.levels]
        if self.kind == "track":
            t = next((t for t in card.tracks if t.name == self.track), None)
            if t is None or not t.applies:
                return False
            level, names = t.level, [lvl.name for lvl in t.levels]
        held = names.index(level) if level in names else -1
        return held < names.index(str(self.value)) if str(self.value) in names else False

    def describe(self, card: Scorecard) -> str:
        """Where the repository stands, for the failure's reason."""
        if self.kind == "track":
            t = next((t for t in card.tracks if t.name == self.track), None)
            level, score = (t.level, t.score) if t is not None else (None, 0)
            return f"track {self.track}: {level or 'no level'}, {score}/100"
        return f"{card.level or 'no level'}, {card.score}/100"


def threshold(
    value: str,
    levels: Sequence[str],
    setting: str = "--fail-under",
    tracks: Mapping[str, Sequence[str]] | None = None,
) -> Threshold:
    """``value`` read as a score (0-100), one of ``levels`` (any case), or ``TRACK=LEVEL``
    with a track of ``tracks`` (its level names; empty: not known here, any name is taken)."""
    if "=" in value:
        name, _, level = (part.strip() for part in value.partition("="))
        known = {t.lower(): t for t in (tracks or {})}
        if name.lower() not in known:
            raise GateError(
                f"{setting} {value!r}: no track {name!r} in the standard"
                + (f" (tracks: {', '.join(known.values())})" if known else " (it has none)")
            )
        track = known[name.lower()]
        names = list((tracks or {})[track])
        found = next((n for n in names if n.lower() == level.lower()), None if names else level)
        if found is None:
            raise GateError(
                f"{setting} {value!r}: not a level of track {track} ({', '.join(names)})"
            )
        return Threshold("track", found, value, track)
    try:
        score = float(value)
    except ValueError:
        for name in levels:
            if name.lower() == value.strip().lower():
                return Threshold("level", name, value)
        raise GateError(
            f"{setting} {value!r}: not a score (0-100) nor a level of the "
            f"standard ({', '.join(levels)})"
        ) from None
    if not 0 <= score <= 100:
        raise GateError(f"{setting} {value!r}: a score is between 0 and 100")
    return Threshold("score", score, value)


@dataclass(frozen=True)
class Gates:
    under: tuple[Threshold, ...] = ()  # every one must hold (`--fail-under` may be repeated)
    regression: bool = False
    error: bool = False

    def failures(self, card: Scorecard, comparison: Comparison | None = None) -> list[str]:
        """Why the run fails, one reason per gate that failed (empty: it passes)."""
        reasons = []
        for under in self.under:
            if under.below(card):
                reasons.append(f"below fail-under {under.given} ({under.describe(card)})")
        if self.regression and comparison is not None and comparison.regressed:
            reasons.append("the pull request lowers the grade (fail-on-regression)")
        if self.error and card.with_status(Status.ERROR):
            reasons.append("a check could not run (fail-on-error)")
        return reasons
