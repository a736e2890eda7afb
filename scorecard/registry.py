"""One registry, one discovery path: every check, built-in or third-party, is an entry point.

Built-in checks are registered in this project's ``pyproject.toml`` under the entry-point group
``scorecard.checks``, exactly as a plugin package registers its own. A plugin that fails to load
(import error, not a Check, a duplicate id) becomes a :class:`LoadError` naming the package and
the entry point, and the rest of the catalog still runs.

Discovery reads the installed distributions' metadata (``importlib.metadata``) at each start:
installing or removing a plugin takes effect on the next run, with nothing cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from scorecard.check import ID_RE, Check

GROUP = "scorecard.checks"


class EntryPointLike(Protocol):
    """What the registry needs of an entry point (``importlib.metadata.EntryPoint`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> Any: ...


@dataclass(frozen=True)
class LoadError:
    entry_point: str
    package: str
    message: str

    def __str__(self) -> str:
        return f"check plugin {self.entry_point!r} from package {self.package!r}: {self.message}"


@dataclass
class Registry:
    checks: dict[str, Check] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)

    def __iter__(self) -> Iterator[Check]:
        return iter(self.checks.values())

    def __contains__(self, check_id: object) -> bool:
        return check_id in self.checks

    def __getitem__(self, check_id: str) -> Check:
        return self.checks[check_id]

    def add(self, chk: Check, *, entry_point: str = "", package: str = "") -> None:
        if chk.id in self.checks:
            other = self.checks[chk.id].source
            self.errors.append(
                LoadError(
                    entry_point or chk.id,
                    package,
                    f"check id {chk.id!r} is already registered by {other!r}; this one is ignored",
                )
            )
            return
        self.checks[chk.id] = replace(chk, source=package)


def _package_of(ep: EntryPointLike) -> str:
    package = getattr(ep, "package", None)
    if package is not None:
        return str(package)
    dist = getattr(ep, "dist", None)
    return dist.name if dist is not None else "?"


def discover() -> list[EntryPointLike]:
    """The group's entry points, from the installed distributions' metadata."""
    import importlib.metadata as md

    return list(md.entry_points(group=GROUP))


def load(entry_points: Iterable[EntryPointLike] | None = None) -> Registry:
    """Load every check registered in the ``scorecard.checks`` group."""
    if entry_points is None:
        entry_points = discover()
    reg = Registry()
    seen: set[tuple[str, str]] = set()
    for ep in sorted(entry_points, key=lambda e: e.name):
        package = _package_of(ep)
        if (ep.name, ep.value) in seen:  # the same distribution found twice on sys.path
            continue
        seen.add((ep.name, ep.value))
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin must not stop the run
            reg.errors.append(
                LoadError(ep.name, package, f"cannot be imported: {type(exc).__name__}: {exc}")
            )
            continue
        if not isinstance(obj, Check):
            reg.errors.append(
                LoadError(
                    ep.name, package, f"{ep.value} is not a check (use @scorecard.check.check)"
                )
            )
            continue
        if obj.id != ep.name or not ID_RE.match(obj.id):
            reg.errors.append(
                LoadError(ep.name, package, f"entry point name must equal the check id {obj.id!r}")
            )
            continue
        reg.add(obj, entry_point=ep.name, package=package)
    return reg


_DEFAULT: Registry | None = None


def default_registry(*, reload: bool = False) -> Registry:
    """The installed catalog, loaded once per process (again with ``reload``: after the
    Action's ``plugins`` input installed more)."""
    global _DEFAULT
    if _DEFAULT is None or reload:
        _DEFAULT = load()
    return _DEFAULT
