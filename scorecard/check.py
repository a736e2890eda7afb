"""What a check is: metadata plus one pure function from a snapshot and options to a finding.

A built-in or third-party check is a module like this::

    '''README present

    Passes when a README exists in ``.github/``, the root or ``docs/``. (This docstring is the
    check's documentation: ``docs/checks.md`` is generated from it.)
    '''
    from scorecard.check import check
    from scorecard.model import passed, failed

    @check(id="readme-present", pillar="docs", title="README present",
           remediation="Add a README.md at the root that says what the project is.")
    def run(snap, opts):
        ...
        return passed("README.md found", [Location("README.md")])

and a line in the package's ``pyproject.toml``::

    [project.entry-points."scorecard.checks"]
    readme-present = "mypkg.readme_present:run"

The decorator replaces the function with a :class:`Check`; the engine does what all checks
share (enabling, options, exemptions, error capture, timing).
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scorecard.model import Finding

if TYPE_CHECKING:
    from scorecard.snapshot import RepoSnapshot

PILLARS = ("ownership", "docs", "security", "tests")


def pillar_rank(pillar: str) -> tuple[int, str]:
    """Sort key: the built-in pillars first, in their order, then any others by name."""
    return (PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS), pillar)


ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Option types a check may declare, as the standard's schema names them.
OPTION_TYPES: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


@dataclass(frozen=True)
class Option:
    """A typed option with a default; the standard may set it per check."""

    type: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.type not in OPTION_TYPES:
            raise ValueError(f"unknown option type {self.type!r}")

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable for this option, or None."""
        if not OPTION_TYPES[self.type](value):
            return f"must be {self.type}, not {type(value).__name__}"
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {self.maximum}"
        return None


Options = Mapping[str, Any]
CheckFunction = Callable[["RepoSnapshot", Options], Finding]


@dataclass(frozen=True)
class Check:
    """A check as the registry knows it."""

    id: str
    pillar: str
    title: str
    run: CheckFunction = field(repr=False)
    remediation: str
    options: Mapping[str, Option] = field(default_factory=dict)
    weight: float = 1.0
    doc: str = ""
    needs_api: bool = False
    source: str = ""  # the distribution that registered it, filled in by the registry
    #: A documentation link of its own (a declarative rule's ``docs:``); else docs/checks.md.
    docs: str = ""
    #: Engine-internal, not part of the plugin contract (``@check`` does not take it): the
    #: content scan ``(pattern, max_size)`` a built-in check will ask for, which the engine
    #: starts in the background before any check runs.
    _content_scan: tuple[bytes, int] | None = field(default=None, repr=False)

    @property
    def docs_anchor(self) -> str:
        return self.id

    def defaults(self) -> dict[str, Any]:
        return {name: opt.default for name, opt in self.options.items()}

    def __call__(self, snap: RepoSnapshot, opts: Options | None = None) -> Finding:
        merged = self.defaults()
        if opts:
            merged.update(opts)
        return self.run(snap, merged)


def check(
    *,
    id: str,
    pillar: str,
    title: str,
    remediation: str,
    options: Mapping[str, Option] | None = None,
    weight: float = 1.0,
    needs_api: bool = False,
) -> Callable[[CheckFunction], Check]:
    """Declare a check. The module's docstring becomes its documentation."""
    if not ID_RE.match(id):
        raise ValueError(f"check id {id!r} must be kebab-case")

    def wrap(fn: CheckFunction) -> Check:
        module = sys.modules.get(fn.__module__)
        doc = inspect.cleandoc(module.__doc__ or "") if module else ""
        return Check(
            id=id,
            pillar=pillar,
            title=title,
            run=fn,
            remediation=remediation,
            options=dict(options or {}),
            weight=weight,
            doc=doc,
            needs_api=needs_api,
        )

    return wrap
