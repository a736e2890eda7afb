"""The pipeline every mode shares: a snapshot and a standard in, a Scorecard out."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Collection, Sequence
from pathlib import Path

from scorecard.ecosystems import detect
from scorecard.engine import run_checks
from scorecard.model import Scorecard
from scorecard.registry import Registry
from scorecard.rules.when import unmet
from scorecard.scoring import grade
from scorecard.snapshot import ReadError, RepoSnapshot
from scorecard.standard import REPO_STANDARD_PATHS, Standard, StandardError, resolve


def repo_standard_layer(snap: RepoSnapshot) -> tuple[str, str] | None:
    """The repository's own standard file (``.github/standards.yml``), as ``(label, text)``."""
    for path in REPO_STANDARD_PATHS:
        if snap.has(path):
            try:
                return path, snap.read_text(path, cap=MAX_STANDARD_BYTES)
            except ReadError as exc:
                raise StandardError(path, None, "", exc.reason) from None
    return None


#: The largest standard file read (``--config``, ``.github/standards.yml``, the org's).
MAX_STANDARD_BYTES = 1024 * 1024


def config_layer(config: str | Path) -> tuple[str, str]:
    """The ``--config`` file as ``(label, text)``: a regular file of at most
    ``MAX_STANDARD_BYTES`` (a FIFO or a device such as ``/dev/zero`` is refused unopened)."""
    path, label = Path(config), str(config)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise StandardError(label, None, "", "is not a regular file")
        with path.open("rb") as fh:
            data = fh.read(MAX_STANDARD_BYTES + 1)
        if len(data) > MAX_STANDARD_BYTES:
            raise StandardError(label, None, "", f"is larger than {MAX_STANDARD_BYTES:,} bytes")
        return label, data.decode("utf-8")
    except FileNotFoundError:
        raise StandardError(label, None, "", "no such file") from None
    except OSError as exc:
        raise StandardError(label, None, "", f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise StandardError(label, None, "", "is not UTF-8 text") from None


def load_standard(
    registry: Registry,
    snap: RepoSnapshot | None = None,
    *,
    config: str | Path | None = None,
    org_layers: Sequence[tuple[str, str]] = (),
    today: dt.date | None = None,
) -> Standard:
    """Default standard + the organisation's layers + the repository's own file (or
    ``config``, which replaces the repository's file). Raises StandardError."""
    layers = list(org_layers)
    own = (
        config_layer(config)
        if config is not None
        else (repo_standard_layer(snap) if snap is not None else None)
    )
    if own is not None:
        layers.append(own)
    return resolve(
        registry, layers, today=today, restrict_from=len(org_layers) if org_layers else None
    )


def grade_snapshot(
    snap: RepoSnapshot,
    standard: Standard,
    registry: Registry,
    *,
    only: Collection[str] = (),
    skip: Collection[str] = (),
    target: str | None = None,
    ref: str | None = None,
) -> Scorecard:
    ecosystems = detect(snap)  # before the checks: done while the content scan runs
    results = run_checks(snap, standard, registry, only=only, skip=skip)
    warnings = list(snap.warnings) + [str(e) for e in registry.errors]
    if only or skip:
        warnings.append(
            "only some checks ran (--only/--skip): the level and score cover those alone"
        )
    elsewhere = {t.name: why for t in standard.tracks if (why := unmet(t.when, snap)) is not None}
    return grade(
        target or snap.label,
        snap.commit,
        results,
        standard,
        ref=ref,
        warnings=warnings,
        ecosystems=ecosystems,
        tracks_elsewhere=elsewhere,
        campaigns_elsewhere={
            c.name for c in standard.campaigns.values() if unmet(c.when, snap) is not None
        },
    )
