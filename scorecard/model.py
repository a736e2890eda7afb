"""The records that flow through the pipeline: small, immutable, JSON-ready.

A check returns a :class:`Finding`; the engine turns it into a :class:`CheckResult` by adding
what the check declared (pillar, remediation, weight) and what the standard decided (level,
exemption); scoring collects results into a :class:`Scorecard`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Status(str, enum.Enum):
    """The outcome of one check. Only ``pass``, ``fail`` and ``exempt`` count in the score."""

    PASS = "pass"
    FAIL = "fail"
    EXEMPT = "exempt"
    SKIP = "skip"
    UNKNOWN = "unknown"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def counts(self) -> bool:
        return self in (Status.PASS, Status.FAIL, Status.EXEMPT)

    @property
    def met(self) -> bool:
        return self in (Status.PASS, Status.EXEMPT)


@dataclass(frozen=True, order=True)
class Location:
    """Where a result points: a repository path and, when known, a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        if self.line is not None:
            out["line"] = self.line
        return out


def _freeze(locations: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(locations)


@dataclass(frozen=True)
class Finding:
    """What a check function returns: a status, a sentence saying why, and where.

    ``data`` carries machine-readable facts other parts use (``owner`` for ``owner-defined``,
    ``ratio`` for ``codeowners-coverage``, ``spdx`` for ``license-present``...). Keep it small and
    JSON-serialisable.
    """

    status: Status
    message: str
    locations: tuple[Location, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.locations, tuple):
            object.__setattr__(self, "locations", _freeze(self.locations))


def passed(message: str, locations: Iterable[Location] = (), **data: Any) -> Finding:
    return Finding(Status.PASS, message, tuple(locations), data)


def failed(message: str, locations: Iterable[Location] = (), **data: Any) -> Finding:
    return Finding(Status.FAIL, message, tuple(locations), data)


def skipped(message: str, **data: Any) -> Finding:
    return Finding(Status.SKIP, message, (), data)


def unknown(message: str, **data: Any) -> Finding:
    return Finding(Status.UNKNOWN, message, (), data)


def errored(message: str, locations: Iterable[Location] = (), **data: Any) -> Finding:
    return Finding(Status.ERROR, message, tuple(locations), data)


#: An exemption that expires within this many days is flagged (PR comment, org report).
EXPIRING_DAYS = 14


@dataclass(frozen=True)
class Exemption:
    """A standard's decision to count a check as met for a while, with a reason; with
    ``paths``, only for failures whose locations those globs cover."""

    check: str
    reason: str
    expires: str  # ISO date, inclusive
    expired: bool = False
    paths: tuple[str, ...] = ()  # gitignore-style globs; empty: the whole check
    expiring: bool = False  # expires within EXPIRING_DAYS of the day the standard was read
    matcher: Any = field(default=None, compare=False, repr=False)  # ``paths`` compiled (RE2)

    def covers(self, path: str) -> bool:
        """Whether ``paths`` cover ``path`` (never, without ``paths``)."""
        data = path.encode("utf-8", "replace")
        return self.matcher is not None and any(rx.search(data) for rx in self.matcher)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reason": self.reason,
            "expires": self.expires,
            "expired": self.expired,
        }
        if self.paths:
            out["paths"] = list(self.paths)
        if self.expiring:
            out["expiring"] = True
        return out


@dataclass(frozen=True)
class CheckResult:
    """One check's result for one repository, as every output shows it."""

    id: str
    pillar: str
    title: str
    status: Status
    message: str
    locations: tuple[Location, ...] = ()
    remediation: str = ""
    docs_url: str = ""
    weight: float = 1.0
    level: str | None = None
    exemption: Exemption | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CheckResult:
        ex = d.get("exemption")
        return cls(
            id=str(d["id"]),
            pillar=str(d["pillar"]),
            title=str(d.get("title", d["id"])),
            status=Status(d["status"]),
            message=str(d.get("message", "")),
            locations=tuple(
                Location(str(loc["path"]), loc.get("line")) for loc in d.get("locations") or []
            ),
            remediation=str(d.get("remediation", "")),
            docs_url=str(d.get("docs_url", "")),
            weight=float(d.get("weight", 1.0)),
            level=d.get("required_level", d.get("level")),
            exemption=Exemption(
                str(d["id"]),
                str(ex["reason"]),
                str(ex["expires"]),
                bool(ex.get("expired")),
                tuple(str(p) for p in ex.get("paths") or ()),
                bool(ex.get("expiring")),
            )
            if ex
            else None,
            data=dict(d.get("data") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "pillar": self.pillar,
            "title": self.title,
            "status": self.status.value,
            "message": self.message,
            "locations": [loc.to_json() for loc in self.locations],
            "required_level": self.level,
            # the same value under its first name: kept while schema_version is 1 (a field
            # goes away only with a new schema_version); the top-level "level" is the held one
            "level": self.level,
            "weight": self.weight,
            "remediation": self.remediation,
            "docs_url": self.docs_url,
        }
        if self.exemption is not None:
            out["exemption"] = self.exemption.to_json()
        if self.data:
            out["data"] = dict(self.data)
        return out


@dataclass(frozen=True)
class PillarSummary:
    pillar: str
    met: int
    counted: int
    total: int

    def to_json(self) -> dict[str, Any]:
        return {
            "pillar": self.pillar,
            "met": self.met,
            "counted": self.counted,
            "total": self.total,
        }


@dataclass(frozen=True)
class LevelStatus:
    """Whether one level of the standard is held, and which checks stand in its way."""

    name: str
    held: bool
    blocking: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "held": self.held, "blocking": list(self.blocking)}


@dataclass(frozen=True)
class TrackStatus:
    """One track (a ladder of its own) for one repository: its level, its score over its own
    checks, and each level's status; a track whose ``when`` does not hold ``applies`` not."""

    name: str
    level: str | None
    score: int
    levels: tuple[LevelStatus, ...]
    applies: bool = True
    reason: str = ""  # why it does not apply

    @property
    def next_level(self) -> LevelStatus | None:
        return next((lvl for lvl in self.levels if not lvl.held), None)

    @property
    def blocking(self) -> tuple[str, ...]:
        """The checks that stand between the track's level and its next one."""
        nxt = self.next_level
        return nxt.blocking if nxt is not None else ()

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TrackStatus:
        return cls(
            name=str(d["name"]),
            level=d.get("level"),
            score=int(d.get("score") or 0),
            levels=tuple(
                LevelStatus(str(lv["name"]), bool(lv["held"]), tuple(lv.get("blocking") or ()))
                for lv in d.get("levels") or []
            ),
            applies=bool(d.get("applies", True)),
            reason=str(d.get("reason") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "applies": self.applies,
            "level": self.level,
            "score": self.score,
            "blocking": list(self.blocking),
            "levels": [lvl.to_json() for lvl in self.levels],
        }
        if not self.applies:
            out["reason"] = self.reason
        return out


#: A campaign opens at most this many tracking issues per scan unless its ``max_new`` says.
DEFAULT_MAX_NEW = 10


@dataclass(frozen=True)
class IssueSettings:
    """A campaign's tracking issues: extra labels, and how many may be opened per scan."""

    labels: tuple[str, ...] = ()
    max_new: int = DEFAULT_MAX_NEW

    def to_json(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "max_new": self.max_new}


@dataclass(frozen=True)
class CampaignStatus:
    """One campaign's state for one repository (see :mod:`scorecard.campaigns`)."""

    name: str
    state: str  # met, not met, unknown, not applicable
    deadline: str  # ISO date
    checks: tuple[str, ...]
    failing: tuple[str, ...] = ()
    overdue: bool = False
    owner: str = ""
    description: str = ""
    issues: IssueSettings | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CampaignStatus:
        issues = d.get("issues")
        return cls(
            name=str(d["name"]),
            state=str(d["state"]),
            deadline=str(d["deadline"]),
            checks=tuple(str(c) for c in d.get("checks") or ()),
            failing=tuple(str(c) for c in d.get("failing") or ()),
            overdue=bool(d.get("overdue")),
            owner=str(d.get("owner") or ""),
            description=str(d.get("description") or ""),
            issues=IssueSettings(
                tuple(str(x) for x in issues.get("labels") or ()), int(issues["max_new"])
            )
            if isinstance(issues, dict)
            else None,
        )

    def to_json(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "state": self.state,
            "deadline": self.deadline,
            "overdue": self.overdue,
            "checks": list(self.checks),
            "failing": list(self.failing),
            "owner": self.owner,
            "description": self.description,
        }
        if self.issues is not None:
            out["issues"] = self.issues.to_json()
        return out


SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Scorecard:
    """Results, score and level for one repository at one commit."""

    target: str
    commit: str | None
    score: int
    level: str | None
    checks: tuple[CheckResult, ...]
    pillars: tuple[PillarSummary, ...]
    levels: tuple[LevelStatus, ...]
    standard: str
    unknown_policy: str = "ignore"
    ref: str | None = None
    warnings: tuple[str, ...] = ()
    schema_version: int = SCHEMA_VERSION
    campaigns: tuple[CampaignStatus, ...] = ()
    ecosystems: tuple[str, ...] = ()  # what scorecard.ecosystems.detect found
    tracks: tuple[TrackStatus, ...] = ()  # the standard's other ladders, when it has some

    @property
    def next_level(self) -> LevelStatus | None:
        for lvl in self.levels:
            if not lvl.held:
                return lvl
        return None

    def result(self, check_id: str) -> CheckResult | None:
        for r in self.checks:
            if r.id == check_id:
                return r
        return None

    def with_status(self, status: Status) -> list[CheckResult]:
        return [r for r in self.checks if r.status is status]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Scorecard:
        """The inverse of :meth:`to_json` (for saved results and merged reports)."""
        if d.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"unsupported scorecard schema_version {d.get('schema_version')!r}")
        return cls(
            target=str(d["target"]),
            commit=d.get("commit"),
            score=int(d["score"]),
            level=d.get("level"),
            checks=tuple(CheckResult.from_json(c) for c in d.get("checks") or []),
            pillars=tuple(
                PillarSummary(str(p["pillar"]), int(p["met"]), int(p["counted"]), int(p["total"]))
                for p in d.get("pillars") or []
            ),
            levels=tuple(
                LevelStatus(str(lv["name"]), bool(lv["held"]), tuple(lv.get("blocking") or ()))
                for lv in d.get("levels") or []
            ),
            standard=str(d.get("standard", "")),
            unknown_policy=str(d.get("unknown_policy", "ignore")),
            ref=d.get("ref"),
            warnings=tuple(d.get("warnings") or ()),
            campaigns=tuple(CampaignStatus.from_json(c) for c in d.get("campaigns") or ()),
            ecosystems=tuple(str(e) for e in d.get("ecosystems") or ()),
            tracks=tuple(TrackStatus.from_json(t) for t in d.get("tracks") or ()),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "target": self.target,
            "commit": self.commit,
        }
        if self.ref is not None:
            out["ref"] = self.ref
        out.update(
            {
                "score": self.score,
                "level": self.level,
                "standard": self.standard,
                "unknown_policy": self.unknown_policy,
                "levels": [lvl.to_json() for lvl in self.levels],
                "pillars": [p.to_json() for p in self.pillars],
                "checks": [r.to_json() for r in self.checks],
                "warnings": list(self.warnings),
                "ecosystems": list(self.ecosystems),
            }
        )
        if self.tracks:  # additive: only standards with tracks have the key
            out["tracks"] = [t.to_json() for t in self.tracks]
        if self.campaigns:  # additive: only standards with campaigns have the key
            out["campaigns"] = [c.to_json() for c in self.campaigns]
        return out
