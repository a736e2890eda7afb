"""Declarative checks: a standard's ``rules:`` turned into :class:`~scorecard.check.Check`
objects, which join the registry for the run and are graded, rendered and documented exactly
like built-in checks.

:mod:`.model` reads and validates the rules (line numbers kept for every node),
:mod:`.evaluate` answers each primitive against a snapshot. The standard
(:mod:`scorecard.standard`) calls :func:`to_check` for each rule of each layer.
"""

from __future__ import annotations

from collections.abc import Mapping

from scorecard.check import Check, Options
from scorecard.model import Finding, Status
from scorecard.secrets import redact
from scorecard.snapshot import RepoSnapshot

from .base import RuleError
from .evaluate import describe, evaluate
from .model import Rule, check_references, parse_rules
from .when import When, applies, not_applicable, parse_when
from .when import describe as describe_when

__all__ = [
    "Rule",
    "RuleError",
    "When",
    "applies",
    "check_references",
    "not_applicable",
    "parse_rules",
    "parse_when",
    "to_check",
]


def _doc(rule: Rule) -> str:
    parts = [
        rule.title,
        rule.description,
        f"Declarative rule from `{rule.file}`: requires `{describe(rule.require)}`.",
    ]
    if rule.when is not None:
        parts.append(f"Applies when `{describe_when(rule.when)}`.")
    if rule.docs:
        parts.append(f"More: {rule.docs}")
    return "\n\n".join(p for p in parts if p)


def to_check(rule: Rule, rules: Mapping[str, Rule]) -> Check:
    """The check that grades ``rule``; ``rules`` resolves its ``rule:`` references."""

    def run(snap: RepoSnapshot, opts: Options) -> Finding:
        skip = not_applicable(rule.when, snap)
        if skip is not None:
            return Finding(Status.SKIP, redact(skip))
        out = evaluate(rule.require, snap, rules)
        return Finding(out.status, redact(out.message), out.locations)

    needs_api = _platform_only(rule)
    return Check(
        id=rule.id,
        pillar=rule.pillar,
        title=rule.title,
        run=run,
        remediation=rule.remediation,
        weight=rule.weight,
        doc=_doc(rule),
        needs_api=needs_api,
        docs=rule.docs,
    )


def _platform_only(rule: Rule) -> bool:
    kinds: set[str] = set()
    stack = [rule.require]
    while stack:
        cond = stack.pop()
        kinds.add(cond.kind)
        stack.extend(cond.children)
    return kinds == {"platform"} or kinds - {"all", "any", "not"} == {"platform"}
