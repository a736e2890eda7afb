"""Grading in the Action: the standard as the base commit defines it, and one side (head or
base) graded within the repository deadline."""

from __future__ import annotations

from scorecard import budgets
from scorecard.action.env import ActionEnv, ActionError
from scorecard.model import Scorecard
from scorecard.pipeline import grade_snapshot, repo_standard_layer
from scorecard.registry import Registry
from scorecard.snapshot import ReadError, RepoSnapshot
from scorecard.standard import Standard, StandardError, resolve

STANDARD_MAX_BYTES = 1 << 20  # a ``config`` file larger than this is an error


def standard_from(snap: RepoSnapshot | None, registry: Registry, config: str) -> Standard:
    """The standard as ``snap`` (the base) defines it: ``config`` (a path in the repository)
    or its ``.github/standards.yml``; the default standard without a base."""
    layers: list[tuple[str, str]] = []
    if snap is not None:
        if config:
            if snap.has(config):
                try:
                    layers.append((config, snap.read_text(config, cap=STANDARD_MAX_BYTES)))
                except ReadError as exc:
                    raise StandardError(config, None, "", exc.reason) from None
        else:
            own = repo_standard_layer(snap)
            if own:
                layers.append(own)
    return resolve(registry, layers)


def grade(snap: RepoSnapshot, standard: Standard, registry: Registry, env: ActionEnv) -> Scorecard:
    """One side graded within the repository deadline (``SCORECARD_REPO_TIMEOUT``); each
    check has its own deadline inside it (see :mod:`scorecard.budgets`). Raises
    ActionError past the deadline."""
    try:
        return budgets.call_with_deadline(
            budgets.current().repo_seconds,
            f"grading {snap.label}",
            lambda: grade_snapshot(snap, standard, registry, target=env.repository or None),
        )
    except budgets.TimedOut as exc:
        raise ActionError(str(exc)) from None
