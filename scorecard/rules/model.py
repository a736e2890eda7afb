"""Declarative rules as data: a standard's ``rules:`` list read into typed :class:`Rule` and
:class:`Condition` objects, each carrying the line it was written on.

The JSON Schema (``data/standard.schema.json``) has already checked the shape (one key per
condition, known keys, types); this module checks what a schema cannot: regular expressions
compile on RE2, JMESPath expressions parse, globs are valid gitignore patterns, ids do not
clash, references name a rule and do not form a cycle. Every problem is a
:class:`~scorecard.standard.StandardError`-shaped :class:`RuleError` naming line and key.

A rule's ``when:`` is read by :mod:`.when` (a rule whose ``when`` does not hold is ``skip``).

Limits: ``rule:`` references nest at most :data:`MAX_REFERENCE_DEPTH` (16) deep; the
standard's own :data:`scorecard.standard.MAX_NESTING` (64) bounds how deep conditions nest.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from typing import Any

import jmespath
import jmespath.exceptions

from scorecard.parsing import YamlMap

from .base import RuleError, compile_glob, compile_regex, line_in
from .when import parse_when

#: The primitives a condition may use, besides ``all``, ``any``, ``not`` and ``rule``.
PRIMITIVES = ("files", "content", "data", "workflow", "platform")
#: The file kinds ``data`` reads, by extension.
DATA_KINDS = {".yml": "yaml", ".yaml": "yaml", ".json": "json", ".toml": "toml"}
DEFAULT_PILLAR = "custom"
#: How many ``rule:`` references may lead one from another (a → b → c is 2).
MAX_REFERENCE_DEPTH = 16


@dataclass(frozen=True)
class Condition:
    """One node of a requirement: ``kind`` is a primitive, ``all``/``any``/``not`` (with
    ``children``) or ``rule`` (``spec["rule"]`` names another rule). ``spec`` holds the keys as
    written; ``compiled`` the RE2 expression, glob or JMESPath expression it needs."""

    kind: str
    spec: Mapping[str, Any]
    line: int | None
    key: str
    children: tuple[Condition, ...] = ()
    compiled: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    pillar: str
    level: str | None
    weight: float
    remediation: str
    description: str
    docs: str
    require: Condition
    file: str
    line: int | None
    level_line: int | None = None
    key: str = ""  # rules[i] in its file
    when: Any = None  # a scorecard.rules.when.When, or None: applies everywhere


def parse_condition(node: Any, key: str, line: int | None) -> Condition:
    """A condition from its (schema-valid) mapping. Raises :class:`RuleError`."""
    kind = next(iter(node))
    value = node[kind]
    here = line_in(node, kind, line)
    path = f"{key}.{kind}"
    if kind in ("all", "any"):
        if not value:
            raise RuleError(here, path, f"`{kind}` needs at least one condition")
        kids = tuple(
            parse_condition(child, f"{path}[{i}]", line_in(value, i, here))
            for i, child in enumerate(value)
        )
        return Condition(kind, {}, here, path, kids)
    if kind == "not":
        return Condition(kind, {}, here, path, (parse_condition(value, path, here),))
    if kind == "rule":
        return Condition(kind, {"rule": str(value)}, here, path)
    if kind not in PRIMITIVES:
        raise RuleError(
            here,
            path,
            f"unknown primitive {kind!r} (known: {', '.join(PRIMITIVES)}, all, any, not, rule)",
        )
    spec = dict(value)

    def fail(sub: str, message: str) -> RuleError:
        return RuleError(line_in(value, sub, here), f"{path}.{sub}", message)

    compiled: Any = None
    try:
        if kind == "files":
            compiled = compile_glob(str(spec["glob"]), bool(spec.get("ignore_case", False)))
            if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
                raise fail("min", "min is larger than max")
    except ValueError as exc:
        raise fail("glob", str(exc)) from None
    if kind == "content":
        if ("file" in spec) == ("glob" in spec) or ("contains" in spec) == ("absent" in spec):
            raise RuleError(
                here, path, "`content` needs `file` or `glob`, and `contains` or `absent`"
            )
        test = "contains" if "contains" in spec else "absent"
        try:
            glob = compile_glob(str(spec["glob"])) if "glob" in spec else None
        except ValueError as exc:
            raise fail("glob", str(exc)) from None
        try:
            compiled = (glob, compile_regex(str(spec[test])))
        except ValueError as exc:
            raise fail(test, str(exc)) from None
    if kind == "data":
        ext = posixpath.splitext(str(spec["file"]))[1].lower()
        if ext not in DATA_KINDS:
            raise fail("file", f"{spec['file']!r}: `data` reads .yml, .yaml, .json or .toml files")
        try:
            query = jmespath.compile(str(spec["path"]))
        except jmespath.exceptions.JMESPathError as exc:
            raise fail(
                "path",
                f"{spec['path']!r} is not a JMESPath expression: {' '.join(str(exc).split())}",
            ) from None
        tests = [t for t in ("exists", "equals", "matches", "in", "min", "max") if t in spec]
        matcher = None
        if "matches" in spec:
            try:
                matcher = compile_regex(str(spec["matches"]))
            except ValueError as exc:
                raise fail("matches", str(exc)) from None
        compiled = (query, tests[0], matcher)
    if kind == "workflow" and "runs" in spec and not str(spec["runs"]).split():
        raise fail("runs", "names no command")
    return Condition(kind, spec, here, path, compiled=compiled)


def parse_rules(
    data: YamlMap,
    file: str,
    taken: Callable[[str], str | None],
) -> list[Rule]:
    """The rules of one standard file. ``taken(id)`` says what already owns an id (a check,
    a plugin, a rule of a lower layer), or None. Raises :class:`RuleError`."""

    items = data.get("rules") or []
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        key = f"rules[{i}]"
        line = line_in(items, i, None)
        rid = str(item["id"])
        owner = taken(rid)
        if owner is not None or rid in seen:
            raise RuleError(
                line_in(item, "id", line),
                f"{key}.id",
                f"id {rid!r} is already "
                f"used by {owner or f'rules[{seen[rid]}]'}; a rule needs its own id",
            )
        seen[rid] = i
        when = (
            parse_when(item["when"], f"{key}.when", line_in(item, "when", line))
            if "when" in item
            else None
        )
        require = parse_condition(item["require"], f"{key}.require", line_in(item, "require", line))
        rules.append(
            Rule(
                id=rid,
                title=str(item.get("title") or rid),
                pillar=str(item.get("pillar") or DEFAULT_PILLAR),
                level=str(item["level"]) if "level" in item else None,
                weight=float(item.get("weight", 1)),
                remediation=str(
                    item.get("remediation")
                    or f"Meet the rule's requirement (see `scorecard docs`): {rid}."
                ),
                description=str(item.get("description", "")),
                docs=str(item.get("docs", "")),
                require=require,
                file=file,
                line=line,
                level_line=line_in(item, "level", line),
                key=key,
                when=when,
            )
        )
    return rules


def check_references(rules: Mapping[str, Rule], new: Container[str]) -> None:
    """Every ``rule:`` reference of the rules named in ``new`` names a known rule, and no
    chain of references comes back to where it started. Raises :class:`RuleError`."""

    def refs(cond: Condition) -> list[Condition]:
        own = [cond] if cond.kind == "rule" else []
        return own + [r for child in cond.children for r in refs(child)]

    for rid in (r for r in rules if r in new):
        for ref in refs(rules[rid].require):
            if ref.spec["rule"] not in rules:
                raise RuleError(ref.line, ref.key, f"no rule {ref.spec['rule']!r} is defined")
    height: dict[str, int] = {}  # how many references lead on from a rule; -1: being visited

    def visit(rid: str, depth: int) -> int:
        if rid not in height:
            height[rid] = -1
            most = 0
            for ref in refs(rules[rid].require):
                target = str(ref.spec["rule"])
                if height.get(target) == -1:
                    raise RuleError(
                        ref.line, ref.key, f"rule references form a cycle through {target!r}"
                    )
                if depth + 1 <= MAX_REFERENCE_DEPTH:
                    most = max(most, 1 + visit(target, depth + 1))
                if depth + 1 > MAX_REFERENCE_DEPTH or most > MAX_REFERENCE_DEPTH:
                    raise RuleError(
                        ref.line,
                        ref.key,
                        f"rule references nest more than {MAX_REFERENCE_DEPTH} deep",
                    )
            height[rid] = most
        return height[rid]

    for rid in rules:
        if rid in new:
            visit(rid, 0)
