"""The standard: which checks run, with which options and weights, the levels, the exemptions.

Standards come in layers, each a YAML file validated against ``data/standard.schema.json``:
the default standard shipped with the package, then (in org scans) the organisation's, then a
repository's own ``.github/standards.yml`` (or ``--config FILE``). A layer changes only what it
names; ``levels`` replaces the levels below it whole. An organisation's ``allow`` section says
what repositories may change (``rules: false``: they may not add rules; ``when: false``: they
may not scope checks). Every problem is a
:class:`StandardError` naming file, line and key.

A layer's ``rules:`` (declarative checks, :mod:`scorecard.rules`) become checks of a copy of
the registry as the layer is read, so that the same and higher layers can weight, disable,
exempt and place them like any check; :meth:`Standard.catalog` gives the registry with them
for a run.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard.campaigns import Campaign, CampaignError, parse_campaigns
from scorecard.check import Check
from scorecard.model import EXPIRING_DAYS, Exemption
from scorecard.parsing import ParseError, YamlList, YamlMap, load_yaml
from scorecard.registry import Registry
from scorecard.rules import (
    Rule,
    RuleError,
    When,
    check_references,
    parse_rules,
    parse_when,
    to_check,
)
from scorecard.rules.base import compile_glob

REPO_STANDARD_PATHS = (".github/standards.yml", ".github/standards.yaml")
ALLOW_KEYS = (
    "disable",
    "options",
    "weights",
    "levels",
    "exemptions",
    "unknown",
    "rules",
    "campaigns",
    "when",
    "tracks",
)


class StandardError(Exception):
    """A standard file that is wrong: ``file:line: key: message``."""

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        self.file, self.line, self.key, self.message = file, line, key, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


@dataclass(frozen=True)
class Level:
    name: str
    checks: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Track:
    """A ladder of its own (``tracks:``): levels over its own checks, optionally scoped by
    ``when``. The main ladder (``levels:``) is unchanged by tracks."""

    name: str
    levels: tuple[Level, ...]
    description: str = ""
    when: When | None = None
    file: str = ""

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(cid for lvl in self.levels for cid in lvl.checks)


@dataclass(frozen=True)
class CheckSettings:
    enabled: bool
    weight: float
    options: Mapping[str, Any]
    when: When | None = None  # where the check applies (None: everywhere)


@dataclass(frozen=True)
class Standard:
    """A resolved standard, ready to grade with."""

    name: str
    sources: tuple[str, ...]
    unknown: str
    levels: tuple[Level, ...]
    settings: Mapping[str, CheckSettings]
    exemptions: Mapping[str, Exemption]
    allow: Mapping[str, bool] = field(default_factory=lambda: dict.fromkeys(ALLOW_KEYS, True))
    #: The declarative checks of the standard's ``rules:``, by id, in the order written.
    rules: Mapping[str, Check] = field(default_factory=dict)
    #: The standard's ``campaigns:`` by name (:mod:`scorecard.campaigns`), in the order written.
    campaigns: Mapping[str, Campaign] = field(default_factory=dict)
    #: The standard's other ladders (``tracks:``), in the order written.
    tracks: tuple[Track, ...] = ()
    #: ``fix: {templates: {FILE: TEXT}}``: the texts ``repo-scorecard fix`` creates files with.
    fix_templates: Mapping[str, str] = field(default_factory=dict)
    #: Every compiled glob of the rules and `when`s: matched in one pass (rules.base).
    globs: tuple[Any, ...] = ()
    #: ``fix: {pull_requests: true, max_new: N}``: the opt-in to fix pull requests in org scans.
    fix_pull_requests: bool = False
    fix_max_new: int | None = None

    def catalog(self, registry: Registry) -> Registry:
        """``registry`` plus this standard's declarative checks (a copy, for one run)."""
        if not self.rules:
            return registry
        out = Registry(dict(registry.checks), list(registry.errors))
        for chk in self.rules.values():
            out.add(chk, package=chk.source)
        return out

    def enabled(self) -> list[str]:
        return [cid for cid, s in self.settings.items() if s.enabled]

    def level_of(self, check_id: str) -> str | None:
        for lvl in self.levels:
            if check_id in lvl.checks:
                return lvl.name
        return None

    @property
    def label(self) -> str:
        return " + ".join(self.sources)


# ---- reading and validating one layer ---------------------------------------------------------


def package_data(name: str) -> str:
    """A file of ``scorecard/data``: read from the folder when the package is one (the usual
    install, and a cheap read), else through importlib.resources (a zipped install)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name)
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        from importlib import resources

        return resources.files("scorecard").joinpath(f"data/{name}").read_text("utf-8")


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(package_data("standard.schema.json"))
    return schema


def schema_text() -> str:
    return package_data("standard.schema.json")


def _line_at(data: Any, path: Sequence[Any]) -> tuple[int | None, str]:
    """The line of the value at ``path`` in data loaded with line numbers, and a dotted key."""
    line = getattr(data, "line", None)
    node = data
    keys: list[str] = []
    for part in path:
        if isinstance(node, YamlMap) and part in node:
            line = node.line_of(part)
            node = node[part]
            keys.append(str(part))
        elif isinstance(node, YamlList) and isinstance(part, int) and part < len(node):
            line = node.line_of(part)
            node = node[part]
            keys.append(f"[{part}]")
        else:
            break
    return line, ".".join(keys).replace(".[", "[")


def parse_layer(text: str, file: str, *, validate: bool = True) -> YamlMap:
    """Parse and schema-validate one standard file. Raises :class:`StandardError`."""
    try:
        data = load_yaml(text, unique_keys=True)
    except ParseError as exc:
        raise StandardError(file, exc.line, "", exc.message) from None
    if data is None:
        data = YamlMap()
        data.key_lines = {}
    if not isinstance(data, YamlMap):
        raise StandardError(
            file, getattr(data, "line", 1), "", "a standard must be a mapping (key: value)"
        )
    for key in data:
        if not isinstance(key, str):  # e.g. `on:` or `1:` read as bool/int keys
            raise StandardError(file, data.line_of(key), str(key), "keys must be strings")
    _refuse_non_finite(data, data, file, [])
    if not validate:
        return data
    import jsonschema  # imported here: only runs when a standard file exists

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = jsonschema.exceptions.best_match(errors) or errors[0]
        line, key = _line_at(data, list(err.absolute_path))
        raise StandardError(file, line, key, _schema_message(err))
    return data


#: How deep mappings and lists may nest in a standard file (a rule's conditions nest; nothing
#: sensible needs more, and validating deeper nesting would exhaust Python's stack).
MAX_NESTING = 64


def _refuse_non_finite(node: Any, data: YamlMap, file: str, path: list[str | int]) -> None:
    """NaN and infinities (``.nan``, ``.inf``) compare false with everything: a weight or a
    ratio that is one would grade nonsense, so no number in a standard may be one. Nesting
    deeper than :data:`MAX_NESTING` is refused too."""
    if len(path) > MAX_NESTING:
        line, key = _line_at(data, path)
        raise StandardError(file, line, key, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(node, float) and not math.isfinite(node):
        line, key = _line_at(data, path)
        raise StandardError(file, line, key, f"{node} is not a number a standard can use")
    children: Any = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in children:
        _refuse_non_finite(value, data, file, [*path, key])


def _schema_message(err: Any) -> str:
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        return f"unknown key {', '.join(map(repr, extra))} (allowed: {allowed})"
    if err.validator == "oneOf" and isinstance(err.instance, (int, float, str, list)):
        if list(err.absolute_path)[-1:] == ["issues"]:
            return "must be true, false, or a mapping with labels and max_new"
        return "must be true, false, or a mapping with enabled, weight and options"
    if err.validator == "pattern" and "expires" in list(err.absolute_path)[-1:]:
        return f"{err.instance!r} is not a date (write YYYY-MM-DD)"
    if err.validator == "minItems":  # the same words whatever jsonschema's version says
        n = err.validator_value
        return "must not be empty" if n == 1 else f"needs at least {n} items"
    if err.validator == "maxProperties" and err.validator_value == 1:
        keys = ", ".join(map(str, err.instance))
        return f"one condition per mapping, not {keys}: combine them with `all:` or `any:`"
    if err.validator == "enum":
        return f"{err.instance!r} is not one of {', '.join(map(repr, err.validator_value))}"
    msg: str = err.message
    return msg


def _load_default() -> YamlMap:
    text = package_data("default-standard.yml")
    # The shipped default is validated by the test suite, not on every run (jsonschema's
    # import alone costs more than the rest of loading the standard).
    return parse_layer(text, "default standard", validate=False)


# ---- resolving layers ---------------------------------------------------------------------------


@dataclass
class _Builder:
    registry: Registry
    today: dt.date
    name: str = "default"
    sources: list[str] = field(default_factory=list)
    unknown: str = "ignore"
    levels: list[Level] = field(default_factory=list)
    enabled: dict[str, bool] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    whens: dict[str, When] = field(default_factory=dict)
    exemptions: dict[str, Exemption] = field(default_factory=dict)
    allow: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(ALLOW_KEYS, True))
    rules: dict[str, Rule] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    fix_templates: dict[str, str] = field(default_factory=dict)
    fix_settings: dict[str, Any] = field(default_factory=dict)

    def _check(self, file: str, data: Any, path: list[Any], check_id: str) -> Check:
        if check_id not in self.registry:
            line, key = _line_at(data, path)
            raise StandardError(
                file,
                line,
                key,
                f"unknown check {check_id!r} (`scorecard checks` lists the installed ones)",
            )
        return self.registry[check_id]

    def _forbid(self, what: str, file: str, data: YamlMap, path: list[Any]) -> None:
        if not self.allow.get(what, True):
            line, key = _line_at(data, path)
            raise StandardError(
                file,
                line,
                key,
                f"the standard this file extends does not allow repositories to change {what}",
            )

    def apply(self, data: YamlMap, file: str, *, restricted: bool) -> None:
        """Lay one validated layer over what is built so far."""
        self.sources.append(file)
        self._add_rules(data, file, restricted=restricted)
        if "name" in data:
            self.name = str(data["name"])
        if "unknown" in data:
            if restricted and data["unknown"] != self.unknown:
                self._forbid("unknown", file, data, ["unknown"])
            self.unknown = str(data["unknown"])
        checks = data.get("checks") or {}
        for cid, conf in checks.items():
            chk = self._check(file, data, ["checks", cid], cid)
            if isinstance(conf, bool):
                conf = {"enabled": conf}
            if "enabled" in conf:
                if restricted and not conf["enabled"] and self.enabled.get(cid, True):
                    self._forbid("disable", file, data, ["checks", cid])
                self.enabled[cid] = bool(conf["enabled"])
            else:
                self.enabled.setdefault(cid, True)
            if "weight" in conf:
                if restricted:
                    self._forbid("weights", file, data, ["checks", cid, "weight"])
                self.weights[cid] = float(conf["weight"])
            if "when" in conf:
                if restricted:
                    self._forbid("when", file, data, ["checks", cid, "when"])
                line, _key = _line_at(data, ["checks", cid, "when"])
                try:
                    self.whens[cid] = parse_when(conf["when"], f"checks.{cid}.when", line)
                except RuleError as exc:
                    raise StandardError(file, exc.line, exc.key, exc.message) from None
            for opt, value in (conf.get("options") or {}).items():
                path = ["checks", cid, "options", opt]
                if restricted:
                    self._forbid("options", file, data, path)
                if opt not in chk.options:
                    line, key = _line_at(data, path)
                    known = ", ".join(chk.options) or "none"
                    raise StandardError(
                        file,
                        line,
                        key,
                        f"check {cid!r} has no option {opt!r} (its options: {known})",
                    )
                problem = chk.options[opt].problem(value)
                if problem:
                    line, key = _line_at(data, path)
                    raise StandardError(file, line, key, problem)
                self.options.setdefault(cid, {})[opt] = value
        if "levels" in data:
            if restricted:
                self._forbid("levels", file, data, ["levels"])
            levels = []
            seen: dict[str, int] = {}
            for i, lvl in enumerate(data["levels"]):
                names = list(lvl["checks"])
                if not restricted and file == "default":
                    # a built-in check that failed to load is reported by the registry
                    names = [c for c in names if c == "*" or c in self.registry]
                for j, cid in enumerate(names):
                    if cid == "*":
                        continue
                    self._check(file, data, ["levels", i, "checks", j], cid)
                    if cid in seen:
                        line, key = _line_at(data, ["levels", i, "checks", j])
                        raise StandardError(
                            file,
                            line,
                            key,
                            f"check {cid!r} is already in "
                            f"level {data['levels'][seen[cid]]['name']!r}",
                        )
                    seen[cid] = i
                levels.append(
                    Level(str(lvl["name"]), tuple(map(str, names)), str(lvl.get("description", "")))
                )
            names = [lvl.name.lower() for lvl in levels]
            if len(set(names)) != len(names):
                line, key = _line_at(data, ["levels"])
                raise StandardError(file, line, key, "level names must be unique")
            self.levels = levels
            for cid in seen:  # naming a check in a level enables it, unless this file disables it
                conf = checks.get(cid)
                if conf is None or (isinstance(conf, dict) and "enabled" not in conf):
                    self.enabled[cid] = True
        for i, ex in enumerate(data.get("exemptions") or []):
            if restricted:
                self._forbid("exemptions", file, data, ["exemptions", i])
            self._check(file, data, ["exemptions", i, "check"], str(ex["check"]))
            try:
                expires = dt.date.fromisoformat(str(ex["expires"]))
            except ValueError:
                line, key = _line_at(data, ["exemptions", i, "expires"])
                raise StandardError(
                    file, line, key, f"{ex['expires']!r} is not a valid date"
                ) from None
            paths = tuple(str(p) for p in ex.get("paths") or ())
            matcher = []  # the globs on RE2: linear time whatever the pattern
            for k, pattern in enumerate(paths):
                try:
                    matcher.append(compile_glob(pattern))
                except ValueError as exc:
                    line, key = _line_at(data, ["exemptions", i, "paths", k])
                    raise StandardError(file, line, key, str(exc)) from None
            self.exemptions[str(ex["check"])] = Exemption(
                check=str(ex["check"]),
                reason=str(ex["reason"]),
                expires=expires.isoformat(),
                expired=expires < self.today,
                paths=paths,
                expiring=self.today <= expires <= self.today + dt.timedelta(days=EXPIRING_DAYS),
                matcher=tuple(matcher) or None,
            )
        for name, text in ((data.get("fix") or {}).get("templates") or {}).items():
            self.fix_templates[str(name)] = str(text)
        for key in ("pull_requests", "max_new"):
            if key in (data.get("fix") or {}):
                self.fix_settings[key] = data["fix"][key]
        if "tracks" in data:
            if restricted:
                self._forbid("tracks", file, data, ["tracks"])
            self._add_tracks(data, file, checks)
        if "campaigns" in data:
            if restricted:
                self._forbid("campaigns", file, data, ["campaigns"])
            try:
                found = parse_campaigns(data, file, self.registry.__contains__, self.today)
            except (CampaignError, RuleError) as exc:
                raise StandardError(file, exc.line, exc.key, exc.message) from None
            self.campaigns.update((c.name, c) for c in found)  # a layer's campaign replaces
        if "allow" in data:
            for k, v in data["allow"].items():
                self.allow[k] = self.allow.get(k, True) and bool(v)

    def _add_tracks(self, data: YamlMap, file: str, checks: Mapping[str, Any]) -> None:
        """Read this layer's ``tracks:``; a track replaces one of the same name below. Naming a
        check in a track enables it, unless this file disables it."""
        seen: set[str] = set()
        for i, item in enumerate(data["tracks"]):
            name = str(item["name"])
            if name.lower() in seen:
                line, key = _line_at(data, ["tracks", i, "name"])
                raise StandardError(file, line, key, f"a second track named {name!r}")
            seen.add(name.lower())
            levels: list[Level] = []
            placed: dict[str, str] = {}
            for j, lvl in enumerate(item["levels"]):
                lname = str(lvl["name"])
                if any(lname.lower() == other.name.lower() for other in levels):
                    line, key = _line_at(data, ["tracks", i, "levels", j, "name"])
                    raise StandardError(file, line, key, f"a second level named {lname!r}")
                for k, cid in enumerate(lvl["checks"]):
                    self._check(file, data, ["tracks", i, "levels", j, "checks", k], str(cid))
                    if cid in placed:
                        line, key = _line_at(data, ["tracks", i, "levels", j, "checks", k])
                        raise StandardError(
                            file, line, key, f"check {cid!r} is already in level {placed[cid]!r}"
                        )
                    placed[str(cid)] = lname
                levels.append(
                    Level(lname, tuple(map(str, lvl["checks"])), str(lvl.get("description", "")))
                )
            when = None
            if "when" in item:
                line, _ = _line_at(data, ["tracks", i, "when"])
                try:
                    when = parse_when(item["when"], f"tracks[{i}].when", line)
                except RuleError as exc:
                    raise StandardError(file, exc.line, exc.key, exc.message) from None
            self.tracks[name] = Track(
                name, tuple(levels), str(item.get("description", "")), when, file
            )
            for cid in placed:
                conf = checks.get(cid)
                if conf is None or (isinstance(conf, dict) and "enabled" not in conf):
                    self.enabled[cid] = True

    def _add_rules(self, data: YamlMap, file: str, *, restricted: bool) -> None:
        """Read this layer's ``rules:`` and register each as a check (of this run's copy of
        the registry), so that the rest of the layer and the layers above can name them."""
        if "rules" not in data:
            return
        if restricted:
            self._forbid("rules", file, data, ["rules"])

        def taken(rid: str) -> str | None:
            if rid in self.rules:
                return f"the rule of {self.rules[rid].file}"
            if rid in self.registry:
                return f"the check of {self.registry[rid].source or 'repo-scorecard'}"
            return None

        try:
            new = parse_rules(data, file, taken)
            self.rules.update((r.id, r) for r in new)
            check_references(self.rules, {r.id for r in new})
        except RuleError as exc:
            raise StandardError(file, exc.line, exc.key, exc.message) from None
        for rule in new:
            self.registry.add(to_check(rule, self.rules), package=file)

    def _place_rules(self) -> None:
        """A rule's ``level:`` adds it to that level (unless a level already names it)."""
        named = {cid for lvl in self.levels for cid in lvl.checks}
        for rule in self.rules.values():
            if rule.level is None or rule.id in named:
                continue
            at = [i for i, lvl in enumerate(self.levels) if lvl.name.lower() == rule.level.lower()]
            if not at:
                names = ", ".join(lvl.name for lvl in self.levels) or "none"
                raise StandardError(
                    rule.file,
                    rule.level_line,
                    f"{rule.key}.level",
                    f"no level {rule.level!r} (levels: {names})",
                )
            lvl = self.levels[at[0]]
            self.levels[at[0]] = Level(lvl.name, (*lvl.checks, rule.id), lvl.description)

    def build(self) -> Standard:
        # Checks the layers never named run when some level or the default enables them.
        self._place_rules()
        known = [c.id for c in self.registry]
        enabled = {cid: self.enabled.get(cid, True) for cid in known}
        named = {cid for lvl in self.levels for cid in lvl.checks if cid != "*"}
        levels = []
        for lvl in self.levels:
            if "*" in lvl.checks:
                rest = [cid for cid in known if cid not in named and enabled.get(cid)]
                ids = [c for c in lvl.checks if c != "*"] + rest
                levels.append(Level(lvl.name, tuple(ids), lvl.description))
            else:
                levels.append(lvl)
        levels = self._campaign_levels(levels)
        settings = {
            cid: CheckSettings(
                enabled=enabled[cid],
                weight=self.weights.get(cid, self.registry[cid].weight),
                options={**self.registry[cid].defaults(), **self.options.get(cid, {})},
                when=self.whens.get(cid),
            )
            for cid in known
        }
        rules = {rid: self.registry[rid] for rid in self.rules}
        return Standard(
            self.name,
            tuple(self.sources),
            self.unknown,
            tuple(levels),
            settings,
            dict(self.exemptions),
            dict(self.allow),
            rules,
            dict(self.campaigns),
            tuple(self.tracks.values()),
            dict(self.fix_templates),
            tuple(self._globs()),
            bool(self.fix_settings.get("pull_requests", False)),
            self.fix_settings.get("max_new"),
        )

    def _globs(self) -> list[Any]:
        """The compiled globs of the rules' conditions and of every `when`."""
        out: list[Any] = []
        stack: list[Any] = [r.require for r in self.rules.values()]
        stack += [r.when for r in self.rules.values() if r.when is not None]
        stack += list(self.whens.values())
        stack += [t.when for t in self.tracks.values() if t.when is not None]
        stack += [c.when for c in self.campaigns.values() if c.when is not None]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            compiled = node.compiled
            if isinstance(compiled, tuple):  # content: (glob or None, regex)
                compiled = compiled[0] if node.kind == "content" else None
            if node.kind in ("files", "content") and compiled is not None:
                out.append(compiled)
        return out

    def _campaign_levels(self, levels: list[Level]) -> list[Level]:
        """Levels with each overdue campaign's checks required by the level it ``blocks``
        (moved down from a higher level; a check at that level or lower stays)."""
        for c in self.campaigns.values():
            if c.blocks is None:
                continue
            names = [lvl.name.lower() for lvl in levels]
            if c.blocks.lower() not in names:
                known = ", ".join(lvl.name for lvl in levels) or "none"
                raise StandardError(
                    c.file,
                    c.blocks_line,
                    f"{c.key}.blocks",
                    f"no level {c.blocks!r} (levels: {known})",
                )
            if not c.overdue:
                continue
            at = names.index(c.blocks.lower())
            below = {cid for lvl in levels[: at + 1] for cid in lvl.checks}
            moved = [cid for cid in c.checks if cid not in below]
            levels = [
                Level(
                    lvl.name,
                    (*lvl.checks, *moved)
                    if i == at
                    else tuple(cid for cid in lvl.checks if cid not in moved),
                    lvl.description,
                )
                for i, lvl in enumerate(levels)
            ]
        return levels


def resolve(
    registry: Registry,
    layers: Iterable[tuple[str, str]] = (),
    *,
    today: dt.date | None = None,
    restrict_from: int | None = None,
) -> Standard:
    """The standard made of the default standard and ``layers`` (``(file label, text)``, lowest
    first). Layers from index ``restrict_from`` on are held to the ``allow`` of those below.
    Raises :class:`StandardError`."""
    b = _Builder(Registry(dict(registry.checks), list(registry.errors)), today or dt.date.today())
    b.apply(_load_default(), "default", restricted=False)
    b.sources = ["default"]
    for i, (file, text) in enumerate(layers):
        data = parse_layer(text, file)
        if data.get("extends") == "none":
            b.sources, b.levels = [], []
            b.enabled = dict.fromkeys([c.id for c in b.registry], False)
        restricted = restrict_from is not None and i >= restrict_from
        b.apply(data, file, restricted=restricted)
    return b.build()


def default_standard(registry: Registry, today: dt.date | None = None) -> Standard:
    return resolve(registry, (), today=today)
