"""Backstage catalog entry valid

Passes when `catalog-info.yaml` (or `catalog-info.yml`) exists at the root and every YAML
document in it is a valid Backstage entity:

- `apiVersion` is `backstage.io/v1alpha1` or `backstage.io/v1beta1`;
- `kind` is a string (a built-in kind spelled in another case, such as `component`, is
  reported: Backstage matches kinds exactly);
- `metadata.name` is a string of 1-63 characters `[a-zA-Z0-9]` separated by one of `-`, `_`
  or `.` (no leading, trailing or doubled separator);
- `Component`, `API`, `Resource` and `System` entities have a `spec.owner`;
- `Component` entities also have `spec.type` and `spec.lifecycle` (non-empty strings).

Empty documents (a trailing `---`) are ignored, as Backstage ignores them.

Fails when the file is absent (a Backstage catalog entry is part of the Gold standard), when it
does not parse (with the parse error and its line), is binary or not UTF-8, holds no entity,
or when any entity breaks a rule above. A fail lists each problem with its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

from ._catalog import FILES, Entity, load, value_line

API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
NAME_RE = re.compile(r"[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*\Z")
BUILTIN_KINDS = (
    "Component",
    "API",
    "Resource",
    "System",
    "Domain",
    "Group",
    "User",
    "Location",
    "Template",
)
NEEDS_OWNER = ("Component", "API", "Resource", "System")
#: How many problems the message spells out (every one is in the locations).
SHOWN = 5


def _problems(entity: Entity) -> list[tuple[int | None, str]]:
    data: Mapping[Any, Any] = entity.data
    out: list[tuple[int | None, str]] = []

    def at(mapping: Mapping[Any, Any], key: Any) -> int | None:
        """The line of the value of ``key``."""
        return value_line(mapping, key, mapping.get(key)) or entity.line

    def key_at(mapping: Mapping[Any, Any], key: Any) -> int | None:
        """The line of ``key`` itself (where a missing sub-key belongs)."""
        return value_line(mapping, key) or entity.line

    api_version = data.get("apiVersion")
    if api_version is None:
        out.append((entity.line, "missing `apiVersion`"))
    elif api_version not in API_VERSIONS:
        out.append(
            (
                at(data, "apiVersion"),
                f"apiVersion `{api_version}` is not {' or '.join(API_VERSIONS)}",
            )
        )
    kind = data.get("kind")
    label = "entity"
    if kind is None:
        out.append((entity.line, "missing `kind`"))
        kind = ""
    elif not isinstance(kind, str) or not kind.strip():
        out.append((at(data, "kind"), "`kind` must be a non-empty string"))
        kind = ""
    else:
        label = kind
        canonical = next((k for k in BUILTIN_KINDS if k.lower() == kind.lower()), None)
        if canonical is not None and canonical != kind:
            out.append((at(data, "kind"), f"kind `{kind}` must be spelled `{canonical}`"))
        kind = canonical or kind

    metadata = data.get("metadata")
    if not isinstance(metadata, Mapping):
        where = at(data, "metadata") if metadata is not None else entity.line
        out.append(
            (
                where,
                "missing `metadata` mapping with a `name`"
                if metadata is None
                else "`metadata` must be a mapping",
            )
        )
    else:
        name = metadata.get("name")
        if name is None:
            out.append((key_at(data, "metadata"), "missing `metadata.name`"))
        elif not isinstance(name, str):
            out.append((at(metadata, "name"), f"metadata.name `{name}` must be a string"))
        else:
            label = f"{label} `{name}`"
            if not 1 <= len(name) <= 63 or not NAME_RE.match(name):
                out.append(
                    (
                        at(metadata, "name"),
                        f"metadata.name `{name}` must be 1-63 characters [a-zA-Z0-9] "
                        f"separated by one of -_.",
                    )
                )

    required = (["owner"] if kind in NEEDS_OWNER else []) + (
        ["type", "lifecycle"] if kind == "Component" else []
    )
    if required:
        spec = data.get("spec")
        if not isinstance(spec, Mapping):
            where = at(data, "spec") if spec is not None else entity.line
            fields = ", ".join(f"spec.{f}" for f in required)
            out.append((where, f"{label} has no `spec` mapping (needs {fields})"))
        else:
            for key in required:
                value = spec.get(key)
                if value is None:
                    out.append((key_at(data, "spec"), f"{label} has no `spec.{key}`"))
                elif not isinstance(value, str) or not value.strip():
                    out.append((at(spec, key), f"{label}: `spec.{key}` must be a non-empty string"))
    return out


@check(
    id="catalog-info-valid",
    pillar="ownership",
    title="Backstage catalog entry valid",
    remediation="Add a `catalog-info.yaml` at the root with a `Component` entity "
    "(`apiVersion: backstage.io/v1alpha1`, `metadata.name`, `spec.type`, "
    "`spec.lifecycle`, `spec.owner`), and fix each listed line.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    catalog = load(snap)
    if catalog is None:
        return failed(
            f"no {FILES[0]} (or .yml) at the root: the repository has no Backstage catalog entry"
        )
    path = catalog.path
    error = catalog.error
    if error is not None:
        why = f"{path} {error.message}" if error.message.startswith("is ") else f"{path}: {error}"
        return failed(why, [Location(path, error.line)])
    problems: list[tuple[int | None, str]] = []
    for number, doc in enumerate(catalog.documents, 1):
        if doc is not None and not isinstance(doc, Mapping):
            line = getattr(doc, "line", None)
            problems.append(
                (
                    line if isinstance(line, int) else None,
                    f"document {number} is not a mapping (a Backstage entity)",
                )
            )
    for entity in catalog.entities:
        problems.extend(_problems(entity))
    if not catalog.entities and not problems:
        return failed(f"{path} holds no entity", [Location(path)])
    if not problems:
        names = ", ".join(f"{e.kind} `{e.name}`" for e in catalog.entities[:3])
        more = len(catalog.entities) - 3
        return passed(
            f"{path} is a valid Backstage entry: {names}"
            + (f" and {more} more" if more > 0 else ""),
            [Location(path)],
        )
    problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
    shown = "; ".join(f"line {line}: {msg}" if line else msg for line, msg in problems[:SHOWN])
    more = len(problems) - SHOWN
    count = len(problems)
    return failed(
        f"{path} has {count} problem{'s' if count != 1 else ''}: {shown}"
        + (f"; and {more} more" if more > 0 else ""),
        [Location(path, line) for line, _ in problems],
    )
