"""Planning and applying fixes on a checkout (``repo-scorecard fix``).

:func:`plan` grades the checkout, and for each failing check that has a fix (built-in or from a
plugin) asks it for its edits; :func:`write` writes them. A new file never replaces one that
exists (unless ``force``), an edited file is written only if it still holds what the fix read,
every file is written whole or not at all (:mod:`scorecard.outfile`), and no path may leave the
checkout. New files are marked with ``git add --intent-to-add`` so that ``git diff`` and the
next ``repo-scorecard check`` see them (nothing is staged).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.fix import Edit, FixContext, builtin_fixes, plugin_fixes
from scorecard.model import Scorecard, Status
from scorecard.outfile import OutputError, write_file
from scorecard.pipeline import grade_snapshot
from scorecard.registry import Registry
from scorecard.snapshot import RepoSnapshot
from scorecard.standard import Standard

FIXED, WOULD_FIX, SKIPPED, NOTHING, NO_FIX = (
    "fixed",
    "would fix",
    "skipped",
    "nothing to do",
    "no fix",
)


@dataclass
class CheckFix:
    check: str
    action: str  # one of the constants above
    reason: str = ""
    edits: list[Edit] = field(default_factory=list)


class FixError(Exception):
    """A fix that cannot be written; the message names the file."""


def plan(
    snap: RepoSnapshot,
    standard: Standard,
    registry: Registry,
    ctx: FixContext,
    *,
    only: Collection[str] = (),
    skip: Collection[str] = (),
    card: Scorecard | None = None,
) -> tuple[list[CheckFix], list[str]]:
    """What each check's fix would do, in catalog order; and the plugin fixes that failed to
    load. ``card`` is the snapshot's scorecard when it is graded already."""
    fixes = builtin_fixes()
    from_plugins, errors = plugin_fixes()
    fixes.update(from_plugins)
    if card is None:
        card = grade_snapshot(snap, standard, registry, only=only, skip=skip)
    out: list[CheckFix] = []
    for r in card.checks:
        fix = fixes.get(r.id)
        if r.status not in (Status.FAIL, Status.ERROR):
            if fix is not None and r.status is Status.SKIP:  # e.g. no workflow parses
                out.append(CheckFix(r.id, SKIPPED, f"the check is skipped: {r.message}"))
            elif fix is not None:
                out.append(CheckFix(r.id, NOTHING, r.status.value))
            continue
        if fix is None:
            out.append(CheckFix(r.id, NO_FIX, "no automatic fix: " + r.remediation))
            continue
        settings = standard.settings.get(r.id)
        ctx.options = dict(settings.options) if settings else {}
        try:
            outcome = fix(snap, ctx)
        except Exception as exc:  # a fix's bug must not stop the others
            out.append(CheckFix(r.id, SKIPPED, f"the fix crashed: {type(exc).__name__}: {exc}"))
            continue
        if outcome.edits:
            out.append(CheckFix(r.id, WOULD_FIX, outcome.skipped or "", list(outcome.edits)))
        else:
            out.append(CheckFix(r.id, SKIPPED, outcome.skipped or "the fix made no change"))
    return out, errors


def _target(root: Path, path: str) -> Path:
    target = (root / path).resolve()
    if not target.is_relative_to(root.resolve()) or os.path.islink(root / path):
        raise FixError(f"{path}: outside the checkout, or a symbolic link: not written")
    return target


def write(root: Path, fixes: Sequence[CheckFix], *, force: bool = False) -> list[str]:
    """Write the planned edits; the new files' paths. Raises FixError naming the file before
    writing anything when one cannot be written."""
    todo = [e for f in fixes if f.action == WOULD_FIX for e in f.edits]
    for e in todo:  # every check first: nothing half-written
        target = _target(root, e.path)
        if e.old is None and target.exists() and not force:
            raise FixError(f"{e.path} exists: not replaced (use --force to replace it)")
        if e.old is not None:
            try:
                current = target.read_text(encoding="utf-8")
            except OSError as exc:
                raise FixError(f"{e.path}: cannot be read: {exc.strerror or exc}") from None
            if current != e.old:
                raise FixError(f"{e.path} changed since it was read: run the fix again")
    created = []
    for e in todo:
        try:
            write_file(_target(root, e.path), e.new)
        except OutputError as exc:
            raise FixError(str(exc)) from None
        if e.old is None:
            created.append(e.path)
    for f in fixes:
        if f.action == WOULD_FIX:
            f.action = FIXED
    _intent_to_add(root, created)
    return created


def _intent_to_add(root: Path, paths: Sequence[str]) -> None:
    git = shutil.which("git")
    if not paths or git is None or not (root / ".git").exists():
        return
    subprocess.run(
        [git, "-C", str(root), "add", "--intent-to-add", "--", *paths],
        capture_output=True,
        check=False,
        timeout=60,
    )


def _visible(line: str) -> str:
    """A diff line shown safely on a terminal: control characters as ``\\xNN``."""
    return "".join(
        ch if ch == "\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in line.rstrip("\n")
    )


def diff(fixes: Sequence[CheckFix]) -> str:
    """The unified diff of every planned edit."""
    out: list[str] = []
    for f in fixes:
        for e in f.edits:
            old = (e.old or "").splitlines(keepends=True)
            new = e.new.splitlines(keepends=True)
            a = f"a/{e.path}" if e.old is not None else "/dev/null"
            out += [_visible(x) for x in difflib.unified_diff(old, new, a, f"b/{e.path}")]
    return "\n".join(out) + ("\n" if out else "")
