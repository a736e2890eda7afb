"""``when:``: where a check (built-in, plugin or declarative), a track or a campaign applies.

A condition is one of:

- ``ecosystem: python`` (or a list: any of them), from :func:`scorecard.ecosystems.detect`;
- ``topic: service`` (or a list: any of them), the repository's GitHub topics;
- ``visibility: private`` (or a list), ``public``, ``private`` or ``internal``;
- ``property: {team-tier: gold}`` (a GitHub custom property: a value or a list of values);
- ``catalog: {spec.type: service, spec.lifecycle: [production, experimental]}``: values of the
  first entity of ``catalog-info.yaml`` (its ``Component``, else its first entity), by dotted
  path; every path given must hold one of its values;
- ``files: "docs/**"``: a tracked file matches the gitignore-style glob;
- ``all: [...]``, ``any: [...]``, ``not: {...}``.

:func:`applies` answers True (applies), False (does not: the check is ``skip`` and its message
names the condition that did not hold) or None (cannot tell: topics, visibility and custom
properties on a local checkout, custom properties in API mode too since the facts read do not
carry them). A check whose ``when`` cannot be told **runs**: a check is never silently dropped
because a fact is missing. Under ``not``, an unknown stays unknown; ``all`` is False when any
part is False, ``any`` True when any part is True.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scorecard.ecosystems import ALIASES, ECOSYSTEMS, canonical, detect
from scorecard.snapshot import RepoSnapshot

from .base import RuleError, compile_glob, line_in, matching

KINDS = ("ecosystem", "topic", "visibility", "property", "catalog", "files", "all", "any", "not")
VISIBILITIES = ("public", "private", "internal")
# How much of a repository's own catalog value a skip message quotes (a fixed bound, not
# configurable: the value is untrusted and the message goes into every report).
SHOWN_CHARS = 80


@dataclass(frozen=True)
class When:
    kind: str
    value: Any
    line: int | None
    key: str
    children: tuple[When, ...] = ()
    compiled: Any = field(default=None, compare=False)


def _values(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in items)


def parse_when(node: Any, key: str, line: int | None) -> When:
    """A ``when`` from its (schema-valid) mapping. Raises :class:`RuleError` naming the line
    and key of what is wrong."""
    if not isinstance(node, dict) or len(node) != 1:
        raise RuleError(line, key, "`when` needs exactly one condition (combine with all/any)")
    kind = next(iter(node))
    value = node[kind]
    here = line_in(node, kind, line)
    path = f"{key}.{kind}"
    if kind not in KINDS:
        raise RuleError(
            here, path, f"unknown `when` condition {kind!r} (known: {', '.join(KINDS)})"
        )
    if kind in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise RuleError(here, path, f"`{kind}` needs at least one condition")
        kids = tuple(
            parse_when(child, f"{path}[{i}]", line_in(value, i, here))
            for i, child in enumerate(value)
        )
        return When(kind, None, here, path, kids)
    if kind == "not":
        return When(kind, None, here, path, (parse_when(value, path, here),))
    if kind == "ecosystem":
        names = []
        for name in _values(value):
            eco = canonical(name)
            if eco is None:
                known = ", ".join((*ECOSYSTEMS, *ALIASES))
                raise RuleError(here, path, f"unknown ecosystem {name!r} (known: {known})")
            names.append(eco)
        return When(kind, tuple(names), here, path)
    if kind == "visibility":
        wanted = tuple(v.lower() for v in _values(value))
        bad = [v for v in wanted if v not in VISIBILITIES]
        if bad:
            raise RuleError(
                here, path, f"{bad[0]!r} is not a visibility ({', '.join(VISIBILITIES)})"
            )
        return When(kind, wanted, here, path)
    if kind == "files":
        try:
            return When(kind, str(value), here, path, compiled=compile_glob(str(value)))
        except ValueError as exc:
            raise RuleError(here, path, str(exc)) from None
    if kind in ("property", "catalog"):
        if not isinstance(value, dict) or not value:
            raise RuleError(here, path, f"`{kind}` needs a mapping of names to values")
        return When(kind, {str(k): _values(v) for k, v in value.items()}, here, path)
    return When(kind, _values(value), here, path)  # topic


def describe(when: When) -> str:
    """The condition in one line: ``not(catalog spec.type=documentation)``."""
    if when.kind in ("all", "any"):
        return f"{when.kind}({'; '.join(describe(c) for c in when.children)})"
    if when.kind == "not":
        return f"not({describe(when.children[0])})"
    if when.kind in ("property", "catalog"):
        parts = [f"{k}={'|'.join(v)}" for k, v in when.value.items()]
        return f"{when.kind} {', '.join(parts)}"
    if when.kind == "files":
        return f"files {when.value}"
    return f"{when.kind} {'|'.join(when.value)}"


@dataclass(frozen=True)
class Answer:
    holds: bool | None  # None: cannot tell
    why: str


def applies(when: When, snap: RepoSnapshot) -> Answer:
    """Whether ``when`` holds for the snapshot, and why (in words naming the facts)."""
    if when.kind == "not":
        inner = applies(when.children[0], snap)
        if inner.holds is None:
            return inner
        return Answer(not inner.holds, inner.why)
    if when.kind in ("all", "any"):
        answers = [applies(c, snap) for c in when.children]
        decisive = [a for a in answers if a.holds is (when.kind == "any")]
        if decisive:
            return decisive[0]
        unknown = [a for a in answers if a.holds is None]
        if unknown:
            return unknown[0]
        return Answer(when.kind == "all", "; ".join(a.why for a in answers))
    return _PRIMITIVES[when.kind](when, snap)


def _ecosystem(when: When, snap: RepoSnapshot) -> Answer:
    found = detect(snap)
    hit = [e for e in when.value if e in found]
    shown = ", ".join(found) or "none"
    return Answer(bool(hit), f"ecosystems detected: {shown}")


def _topic(when: When, snap: RepoSnapshot) -> Answer:
    if not snap.is_remote:
        return Answer(None, "topics are only known through the GitHub API")
    topics = tuple(snap.meta.topics)
    hit = [t for t in when.value if t in topics]
    return Answer(bool(hit), f"topics: {', '.join(topics) or 'none'}")


def _visibility(when: When, snap: RepoSnapshot) -> Answer:
    vis = snap.meta.visibility if snap.is_remote else None
    if vis is None:
        return Answer(None, "the repository's visibility is only known through the GitHub API")
    return Answer(vis in when.value, f"the repository is {vis}")


def _property(when: When, snap: RepoSnapshot) -> Answer:
    where = "only known through the GitHub API" if not snap.is_remote else "not read"
    return Answer(None, f"custom properties are {where}")


def _catalog(when: When, snap: RepoSnapshot) -> Answer:
    # the catalog reader of the built-in checks, as installed (see rules.evaluate._workflow)
    if TYPE_CHECKING:
        from checks import _catalog
    else:
        from scorecard.checks import _catalog

    catalog = _catalog.load(snap)
    if catalog is None or not catalog.entities:
        return Answer(False, "no catalog entry (catalog-info.yaml)")
    entity = catalog.first("Component") or catalog.entities[0]
    for dotted, wanted in when.value.items():
        value: Any = entity.data
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        shown = "not set" if value is None else _bounded(repr(value))
        if value is None or str(value) not in wanted:
            return Answer(False, f"catalog-info.yaml {dotted} is {shown}")
    return Answer(
        True, "catalog-info.yaml " + ", ".join(f"{k}={'|'.join(v)}" for k, v in when.value.items())
    )


def _bounded(text: str) -> str:
    """``repr`` output (one line, control characters escaped) cut to :data:`SHOWN_CHARS`."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _files(when: When, snap: RepoSnapshot) -> Answer:
    found = matching(snap, when.compiled)
    return Answer(bool(found), f"{len(found)} file(s) match {when.value}")


_PRIMITIVES = {
    "ecosystem": _ecosystem,
    "topic": _topic,
    "visibility": _visibility,
    "property": _property,
    "catalog": _catalog,
    "files": _files,
}


def unmet(when: When | None, snap: RepoSnapshot) -> str | None:
    """``when: ... does not hold (the deciding fact)`` when ``when`` is given and does not
    hold; None when it holds or cannot be told."""
    if when is None:
        return None
    answer = applies(when, snap)
    if answer.holds is not False:
        return None
    return f"`when: {describe(when)}` does not hold ({answer.why})"


def not_applicable(when: When | None, snap: RepoSnapshot) -> str | None:
    """The message of a check that does not apply here; None when it runs (its ``when``
    holds, or cannot be told)."""
    why = unmet(when, snap)
    return None if why is None else f"does not apply here: {why}"


__all__: Sequence[str] = ("When", "applies", "describe", "not_applicable", "parse_when", "unmet")
