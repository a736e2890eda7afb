"""The pipeline every mode shares: a snapshot and a standard in, a Scorecard out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path

from scorecard.engine import run_checks
from scorecard.model import Scorecard
from scorecard.registry import Registry
from scorecard.scoring import grade
from scorecard.snapshot import ReadError, RepoSnapshot
from scorecard.standard import REPO_STANDARD_PATHS, Standard, StandardError, resolve


def repo_standard_layer(snap: RepoSnapshot) -> tuple[str, str] | None:
    """The repository's own standard file (``.github/standards.yml``), as ``(label, text)``."""
    for path in REPO_STANDARD_PATHS:
        if snap.has(path):
            try:
                return path, snap.read_text(path, cap=1024 * 1024)
            except ReadError as exc:
                raise StandardError(path, None, "", exc.reason) from None
    return None


def config_layer(config: str | Path) -> tuple[str, str]:
    path = Path(config)
    try:
        return str(config), path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StandardError(str(config), None, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardError(str(config), None, "", f"cannot be read: {exc}") from None


def load_standard(registry: Registry, snap: RepoSnapshot | None = None, *,
                  config: str | Path | None = None,
                  org_layers: Sequence[tuple[str, str]] = (),
                  today: dt.date | None = None) -> Standard:
    """Default standard + the organisation's layers + the repository's own file (or
    ``config``, which replaces the repository's file). Raises StandardError."""
    layers = list(org_layers)
    own = config_layer(config) if config is not None else (
        repo_standard_layer(snap) if snap is not None else None)
    if own is not None:
        layers.append(own)
    return resolve(registry, layers, today=today,
                   restrict_from=len(org_layers) if org_layers else None)


def grade_snapshot(snap: RepoSnapshot, standard: Standard, registry: Registry, *,
                   only: Collection[str] = (), skip: Collection[str] = (),
                   target: str | None = None, ref: str | None = None) -> Scorecard:
    results = run_checks(snap, standard, registry, only=only, skip=skip)
    warnings = list(snap.warnings) + [str(e) for e in registry.errors]
    if only or skip:
        warnings.append("only some checks ran (--only/--skip): the level and score cover "
                        "those alone")
    return grade(target or snap.label, snap.commit, results, standard, ref=ref,
                 warnings=warnings)
