"""The engine: what every check shares happens here, once.

It picks the checks the standard enables (and ``--only``/``--skip`` keep), runs each with its
options, turns a crash into an ``error`` result instead of stopping the run, applies exemptions,
and makes every text that came from the repository safe to print (file names that are not valid
UTF-8 are shown with backslash escapes).

Each check runs within the run's budgets (:mod:`scorecard.budgets`): one that runs past its
deadline (``--check-timeout``, 60 s by default) or runs out of memory (the ``--memory-limit``
ceiling) becomes an ``error`` result saying so, and the run goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Sequence

from scorecard import budgets
from scorecard.check import Check, pillar_rank
from scorecard.model import CheckResult, Exemption, Finding, Location, Status
from scorecard.registry import Registry
from scorecard.rules.base import index_globs
from scorecard.rules.when import not_applicable
from scorecard.snapshot import RepoSnapshot
from scorecard.standard import Standard

_log = logging.getLogger("scorecard")


DOCS_BASE = "https://github.com/repo-scorecard/repo-scorecard/blob/main/docs/checks.md"


def safe_text(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates (undecodable file-name bytes) escaped."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def docs_url(check_id: str, base: str = DOCS_BASE) -> str:
    return f"{base}#{check_id}"


def run_one(
    chk: Check, snap: RepoSnapshot, options: dict[str, object], seconds: float | None = None
) -> Finding:
    """What ``chk`` finds, within ``seconds`` (default: the run's check deadline, see
    :mod:`scorecard.budgets`); a crash, a deadline passed or memory run out is an ``error``."""
    if seconds is None:
        seconds = budgets.current().check_seconds
    try:
        finding = budgets.call_with_deadline(seconds, "the check", lambda: chk.run(snap, options))
        if not isinstance(finding, Finding):
            raise TypeError(f"returned {type(finding).__name__}, not a Finding")
        return finding
    except budgets.TimedOut as exc:
        return Finding(Status.ERROR, str(exc))
    except MemoryError:
        return Finding(Status.ERROR, "the check ran out of memory")
    except Exception as exc:  # a check's bug must not stop the run
        _log.debug("check %s crashed", chk.id, exc_info=True)
        return Finding(Status.ERROR, f"the check crashed: {type(exc).__name__}: {exc}")


def select(
    standard: Standard, registry: Registry, only: Collection[str] = (), skip: Collection[str] = ()
) -> list[Check]:
    """The checks to run, in catalog order (by pillar, then id)."""
    ids = set(only) if only else set(standard.enabled())
    ids -= set(skip)
    return sorted((c for c in registry if c.id in ids), key=lambda c: (pillar_rank(c.pillar), c.id))


def _exempt_paths(
    exemption: Exemption, status: Status, message: str, locations: Sequence[Location]
) -> tuple[Status, str, tuple[Location, ...]]:
    """An exemption scoped to ``paths``: exempt when they cover every location of the failure;
    else the failure stands on the locations left (a failure with no location is not
    covered)."""
    left = tuple(loc for loc in locations if not exemption.covers(loc.path))
    covered = len(locations) - len(left)
    if locations and not left:
        return (
            Status.EXEMPT,
            f"exempt until {exemption.expires} for {', '.join(exemption.paths)}: "
            f"{exemption.reason} — {message}",
            tuple(locations),
        )
    if covered:
        message += (
            f" ({covered} location{'s' if covered != 1 else ''} exempt until "
            f"{exemption.expires} for {', '.join(exemption.paths)}: {exemption.reason})"
        )
    return status, message, left


def run_checks(
    snap: RepoSnapshot,
    standard: Standard,
    registry: Registry,
    *,
    only: Collection[str] = (),
    skip: Collection[str] = (),
    docs_base: str = DOCS_BASE,
) -> list[CheckResult]:
    results = []
    registry = standard.catalog(registry)  # with the standard's declarative rules
    selected = select(standard, registry, only, skip)
    seconds = budgets.current().check_seconds
    for chk in selected:  # the slow content scans run beside the other checks
        if chk._content_scan is not None:
            snap._prefetch_grep(*chk._content_scan)
    index_globs(snap, standard.globs)  # every rule's glob matched in one walk
    for chk in selected:
        settings = standard.settings[chk.id]
        start = time.perf_counter()
        elsewhere = not_applicable(settings.when, snap)  # `when:` in the check's settings
        if elsewhere is not None:
            finding = Finding(Status.SKIP, elsewhere)
        else:
            finding = run_one(chk, snap, dict(settings.options), seconds)
        _log.debug(
            "check %s: %s in %.1f ms", chk.id, finding.status, (time.perf_counter() - start) * 1000
        )
        status, message = finding.status, safe_text(finding.message)
        locations = finding.locations
        exemption = standard.exemptions.get(chk.id)
        if exemption is not None and status in (Status.FAIL, Status.UNKNOWN):
            if exemption.expired:
                message += f" (exemption expired on {exemption.expires}: {exemption.reason})"
            elif not exemption.paths:
                status = Status.EXEMPT
                message = f"exempt until {exemption.expires}: {exemption.reason} — {message}"
            else:
                status, message, locations = _exempt_paths(exemption, status, message, locations)
        results.append(
            CheckResult(
                id=chk.id,
                pillar=chk.pillar,
                title=chk.title,
                status=status,
                message=message,
                locations=tuple(Location(safe_text(loc.path), loc.line) for loc in locations),
                remediation=chk.remediation,
                docs_url=chk.docs or docs_url(chk.id, docs_base),
                weight=settings.weight,
                level=standard.level_of(chk.id),
                exemption=exemption
                if exemption is not None and status is not Status.PASS
                else None,
                data=dict(finding.data),
                source=chk.source,
            )
        )
    return results
