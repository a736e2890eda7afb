"""Gates: when a run fails, in one vocabulary for the command line and the Action.

- ``fail-under`` (``--fail-under``): a level of the standard or a score (0-100); the run fails
  when the repository is below it.
- ``fail-on-regression``: the run fails when a pull request lowers the level or the score
  (the Action on pull requests; a run without a base has nothing to compare).
- ``fail-on-error`` (``--fail-on-error``): the run fails when a check could not run.

The Action's older ``fail-on: regression | below-level`` with ``min-level`` still work and mean
``fail-on-regression: true`` and ``fail-under: <min-level>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.compare import Comparison
from scorecard.model import Scorecard, Status


class GateError(ValueError):
    """A gate that cannot be understood: the message names the setting."""


@dataclass(frozen=True)
class Threshold:
    """A level (``kind`` "level", ``value`` its name as the standard spells it) or a score."""

    kind: str
    value: str | float
    given: str

    def below(self, card: Scorecard) -> bool:
        if self.kind == "score":
            return card.score < float(self.value)
        names = [lvl.name for lvl in card.levels]
        held = names.index(card.level) if card.level in names else -1
        return held < names.index(str(self.value))


def threshold(value: str, levels: Sequence[str], setting: str = "--fail-under") -> Threshold:
    """``value`` read as a score (0-100) or one of ``levels`` (any case)."""
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
    under: Threshold | None = None
    regression: bool = False
    error: bool = False

    def failures(self, card: Scorecard, comparison: Comparison | None = None) -> list[str]:
        """Why the run fails, one reason per gate that failed (empty: it passes)."""
        reasons = []
        if self.under is not None and self.under.below(card):
            reasons.append(
                f"below fail-under {self.under.given} ({card.level or 'no level'}, "
                f"{card.score}/100)"
            )
        if self.regression and comparison is not None and comparison.regressed:
            reasons.append("the pull request lowers the grade (fail-on-regression)")
        if self.error and card.with_status(Status.ERROR):
            reasons.append("a check could not run (fail-on-error)")
        return reasons
