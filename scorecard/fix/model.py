"""What a fix returns (:class:`Edit`, :class:`FixOutcome`) and what it is given
(:class:`FixContext`): the whole interface of a fix, built-in or from a plugin."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scorecard.snapshot import RepoSnapshot


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
