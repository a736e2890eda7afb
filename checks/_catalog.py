"""The Backstage catalog entry of a repository: ``catalog-info.yaml`` (or ``.yml``) at the root.

Shared by ``catalog-info-valid``, ``owner-defined`` and ``docs-present`` (the TechDocs
annotation). The file is parsed once per snapshot (``snap.yaml_all``) and what the checks need
is memoised with ``snap.cached("catalog-info")``.

A file that does not parse still gives what can be read: its documents are split at the
``---`` lines that start YAML documents; each part that parses on its own is kept, and of a
part that does not, what comes before the error (read from the parser's events, every value a
string), so an entity before, after or around a YAML error still supplies its owner and
annotations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from scorecard.parsing import ParseError, YamlList, YamlMap, YamlStr, load_yaml_all
from scorecard.snapshot import ReadError, RepoSnapshot

#: The catalog file names Backstage discovers, in the order they are preferred.
FILES = ("catalog-info.yaml", "catalog-info.yml")
#: The annotation that points Backstage TechDocs at the documentation.
TECHDOCS_REF = "backstage.io/techdocs-ref"

#: A broken file is recovered from its first documents only (each is parsed on its own).
MAX_PARTS = 100
_DOC_START = re.compile(r"^---(?=\s|$)", re.MULTILINE)


@dataclass(frozen=True)
class Entity:
    """One YAML document of the file that is a mapping, with the line it starts on."""

    data: Mapping[Any, Any]
    line: int

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None

    @property
    def spec(self) -> Mapping[Any, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, Mapping) else {}

    @property
    def metadata(self) -> Mapping[Any, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, Mapping) else {}

    @property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return name if isinstance(name, str) else None

    @property
    def annotations(self) -> dict[str, str]:
        annotations = self.metadata.get("annotations")
        if not isinstance(annotations, Mapping):
            return {}
        return {k: v for k, v in annotations.items() if isinstance(k, str) and isinstance(v, str)}


@dataclass(frozen=True)
class Catalog:
    """What the catalog file holds. ``documents`` are every document when the file parsed
    (``None`` for empty ones); ``error`` says why it did not (then ``entities`` are those
    recovered from the parts that parse)."""

    path: str
    documents: tuple[Any, ...] = ()
    error: ParseError | None = None
    entities: tuple[Entity, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None

    def first(self, kind: str) -> Entity | None:
        """The first entity of ``kind`` (compared case-insensitively)."""
        for entity in self.entities:
            if entity.kind is not None and entity.kind.lower() == kind.lower():
                return entity
        return None

    def owner(self) -> tuple[str, int | None, Entity] | None:
        """The first ``Component``'s non-empty ``spec.owner``, its line, and the entity."""
        component = self.first("Component")
        if component is None:
            return None
        owner = component.spec.get("owner")
        if not isinstance(owner, str) or not owner.strip():
            return None
        return owner.strip(), value_line(component.spec, "owner", owner), component

    def annotations(self) -> dict[str, str]:
        """The annotations of every entity, the first entity's value winning."""
        merged: dict[str, str] = {}
        for entity in self.entities:
            for key, value in entity.annotations.items():
                merged.setdefault(key, value)
        return merged


def value_line(mapping: Mapping[Any, Any], key: Any, value: Any = None) -> int | None:
    """The line of ``value`` when it carries one, else of ``key`` in ``mapping``."""
    line = getattr(value, "line", None)
    if isinstance(line, int) and line > 0:
        return line
    line_of = getattr(mapping, "line_of", None)
    if line_of is not None:
        found = line_of(key)
        if isinstance(found, int) and found > 0:
            return found
    line = getattr(mapping, "line", None)
    return line if isinstance(line, int) and line > 0 else None


def _entities(documents: list[Any]) -> list[Entity]:
    out = []
    for doc in documents:
        if isinstance(doc, Mapping):
            line = getattr(doc, "line", 1)
            out.append(Entity(doc, line if isinstance(line, int) else 1))
    return out


try:  # the C parser is faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _Partial:
    """Builds documents from YAML parser events up to the first error: mappings, sequences and
    strings with their lines, as :mod:`scorecard.parsing` gives them (scalars stay strings)."""

    def __init__(self) -> None:
        self.docs: list[Any] = []
        self.root: Any = None
        self.stack: list[tuple[Any, list[Any]]] = []  # container, [pending key] for mappings

    def add(self, value: Any, line: int) -> None:
        if not self.stack:
            self.root = value
            return
        top, pending = self.stack[-1]
        if isinstance(top, YamlList):
            top.append(value)
            top.item_lines.append(line)
        elif not pending:
            try:
                hash(value)
            except TypeError:
                value = str(value)
            pending.append(value)
            top.key_lines[value] = line
        else:
            top[pending.pop()] = value

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.DocumentStartEvent):
            self.root, self.stack = None, []
        elif isinstance(event, yaml.DocumentEndEvent):
            self.docs.append(self.root)
            self.root = None
        elif isinstance(event, yaml.MappingStartEvent):
            mapping = YamlMap()
            mapping.line, mapping.key_lines = line, {}
            self.add(mapping, line)
            self.stack.append((mapping, []))
        elif isinstance(event, yaml.SequenceStartEvent):
            seq = YamlList()
            seq.line, seq.item_lines = line, []
            self.add(seq, line)
            self.stack.append((seq, []))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        elif isinstance(event, yaml.ScalarEvent):
            scalar = YamlStr(event.value)
            scalar.line = line
            self.add(scalar, line)
        elif isinstance(event, yaml.AliasEvent):
            self.add(None, line)


def partial_documents(text: str) -> list[Any]:
    """The documents of a YAML text that does not parse, as far as the parser got."""
    partial = _Partial()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            partial.feed(event)
    except (yaml.YAMLError, ValueError, RecursionError):
        if partial.root is not None:
            partial.docs.append(partial.root)
    return partial.docs


def _recover(text: str) -> list[Entity]:
    """The entities of a file that does not parse, part by part (see the module's doc)."""
    starts = [0] + [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    starts = starts[:MAX_PARTS]
    out: list[Entity] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        # Blank lines in front keep every line number that of the whole file.
        part = "\n" * text.count("\n", 0, begin) + text[begin:end]
        try:
            docs = load_yaml_all(part)
        except ParseError:
            docs = partial_documents(part)
        out.extend(_entities(docs))
    return out


def catalog_path(snap: RepoSnapshot) -> str | None:
    """The catalog file at the root, ``catalog-info.yaml`` first; None when there is none."""
    for name in FILES:
        if snap.has(name):
            return name
    return None


def _load(snap: RepoSnapshot) -> Catalog | None:
    path = catalog_path(snap)
    if path is None:
        return None
    parsed = snap.yaml_all(path)
    if parsed.ok:
        docs = list(parsed.data or [])
        return Catalog(path, tuple(docs), None, tuple(_entities(docs)))
    try:
        text = snap.read_text(path)
    except ReadError:
        return Catalog(path, error=parsed.error)
    return Catalog(path, error=parsed.error, entities=tuple(_recover(text)))


def load(snap: RepoSnapshot) -> Catalog | None:
    """The catalog file, read once per snapshot; None when there is none."""
    result: Catalog | None = snap.cached("catalog-info", lambda: _load(snap))
    return result


def backstage_annotations(snap: RepoSnapshot) -> dict[str, str]:
    """The annotations of the entities in the catalog file (empty when there is none)."""
    catalog = load(snap)
    return catalog.annotations() if catalog is not None else {}


def component_owner(snap: RepoSnapshot) -> str | None:
    """``spec.owner`` of the first ``Component`` in the catalog file, even an invalid one."""
    catalog = load(snap)
    found = catalog.owner() if catalog is not None else None
    return found[0] if found is not None else None
