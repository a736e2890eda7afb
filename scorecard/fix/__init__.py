"""``repo-scorecard fix``: the mechanical fixes of failing checks, as file edits.

A fix is a function from the snapshot (and a :class:`FixContext`) to a :class:`FixOutcome`: the
edits it would make (:class:`Edit`: a path, its old text or None for a new file, the new text,
and why), or why it makes none. Nothing here writes: :mod:`.apply` writes the edits to a
checkout, :mod:`scorecard.github.fixpr` commits the same edits through the API as a pull
request. The built-in fixes are in :data:`FIXES` (by check id); a plugin offers one through the
entry-point group ``scorecard.fixes`` (name: the check id; value: a function with the same
signature as the built-in ones).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scorecard.snapshot import RepoSnapshot

FIX_GROUP = "scorecard.fixes"


@dataclass(frozen=True)
class Edit:
    path: str
    old: str | None  # None: a new file
    new: str
    why: str


@dataclass(frozen=True)
class FixOutcome:
    edits: tuple[Edit, ...] = ()
    skipped: str | None = None  # why no fix is made

    @staticmethod
    def skip(reason: str) -> FixOutcome:
        return FixOutcome((), reason)


@dataclass
class FixContext:
    """What a fix may use besides the snapshot: the standard's ``fix:`` settings
    (``templates``: file name -> text), a GitHub client (None: offline), the organisation
    owning the repository (for CODEOWNERS' team names) and the check's options."""

    templates: Mapping[str, str] = field(default_factory=dict)
    client: Any = None
    org: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


Fix = Callable[[RepoSnapshot, FixContext], FixOutcome]


def builtin_fixes() -> dict[str, Fix]:
    from scorecard.fix import files, workflows

    return {
        "security-policy-present": files.security_policy,
        "changelog-present": files.changelog,
        "contributing-present": files.contributing,
        "codeowners-present": files.codeowners,
        "catalog-info-valid": files.catalog_info,
        "dependency-updates-configured": files.dependabot,
        "workflow-permissions-restricted": workflows.permissions,
        "actions-pinned": workflows.pin_actions,
    }


def plugin_fixes() -> tuple[dict[str, Fix], list[str]]:
    """The fixes plugins register (``scorecard.fixes``), and the ones that failed to load."""
    import importlib.metadata as md

    found: dict[str, Fix] = {}
    errors: list[str] = []
    for ep in md.entry_points(group=FIX_GROUP):
        try:
            fn = ep.load()
        except Exception as exc:  # a broken plugin must not stop the run
            errors.append(f"fix {ep.name}: cannot be imported: {type(exc).__name__}: {exc}")
            continue
        if not callable(fn):
            errors.append(f"fix {ep.name}: {ep.value} is not a function")
            continue
        found[ep.name] = fn
    return found, errors
