"""``repo-scorecard fix``: the mechanical fixes of failing checks, as file edits.

A fix is a function from the snapshot (and a :class:`FixContext`) to a :class:`FixOutcome`: the
edits it would make (:class:`Edit`: a path, its old text or None for a new file, the new text,
and why), or why it makes none. Nothing here writes: :mod:`.apply` writes the edits to a
checkout, :mod:`scorecard.github.fixpr` commits the same edits through the API as a pull
request. The built-in fixes are :func:`builtin_fixes` (by check id); a plugin offers one through the
entry-point group ``scorecard.fixes`` (name: the check id; value: a function with the same
signature as the built-in ones).
"""

from __future__ import annotations

from scorecard.fix.model import Edit, Fix, FixContext, FixOutcome

FIX_GROUP = "scorecard.fixes"
__all__ = ["FIX_GROUP", "Edit", "Fix", "FixContext", "FixOutcome", "builtin_fixes", "plugin_fixes"]


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
