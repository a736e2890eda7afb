"""Campaigns: a standard's named drives ("every service has a security policy by March 31").

A standard's ``campaigns:`` list names, for each campaign, the checks it is about (built-in,
plugin or declarative), a deadline, an owner and a description::

    campaigns:
      - name: security-policy
        checks: [security-policy-present, vulnerability-reporting-enabled]
        deadline: 2027-03-31
        owner: "@acme/security"
        description: Every repository says how to report a vulnerability.
        blocks: Bronze          # optional: after the deadline, Bronze needs these checks

Each graded repository's scorecard carries every campaign's state (:class:`CampaignStatus`
in :mod:`scorecard.model`): ``met`` when none of its checks fails, errs (or is ``unknown``
under ``unknown: fail``) and at least one was met; ``not met`` otherwise when one fails;
``unknown`` when none fails but one could not be checked; ``not applicable`` when none of its
checks ran or all were skipped, or its ``when`` (optional) does not hold. ``blocks: LEVEL``
(opt-in) makes the campaign's checks required for that level once the deadline has passed (a
check placed at a higher level moves down to it). The org report shows progress per campaign
and team, with a burndown over the history; the pull-request comment names the campaigns a
change advances or sets back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scorecard.model import DEFAULT_MAX_NEW, CampaignStatus, CheckResult, IssueSettings, Status
from scorecard.parsing import YamlList, YamlMap
from scorecard.rules.when import When, parse_when

MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not met", "unknown", "not applicable"
#: Tracking issues always carry this label (how they are found again), besides the campaign's.
ISSUE_LABEL = "repo-scorecard"

STATES = (MET, NOT_MET, UNKNOWN, NOT_APPLICABLE)


class CampaignError(Exception):
    """A campaign that is wrong; ``line`` and ``key`` say where."""

    def __init__(self, line: int | None, key: str, message: str) -> None:
        self.line, self.key, self.message = line, key, message
        super().__init__(message)


@dataclass(frozen=True)
class Campaign:
    """One campaign of a standard, as read from ``file``."""

    name: str
    checks: tuple[str, ...]
    deadline: str  # ISO date, inclusive
    owner: str = ""
    description: str = ""
    blocks: str | None = None  # a level name: required for it after the deadline
    overdue: bool = False  # the deadline has passed (on the day the standard was read)
    #: Tracking issues (opt-in): ``{"labels": [...], "max_new": N}``; None for none.
    issues: IssueSettings | None = None
    when: When | None = None  # where the campaign applies (elsewhere: not applicable)
    file: str = ""
    key: str = ""  # campaigns[N], for messages
    blocks_line: int | None = None

    def status(
        self, results: Sequence[CheckResult], unknown_fails: bool, applies: bool = True
    ) -> CampaignStatus:
        """This campaign's state for one repository's results (``applies``: its ``when``
        holds there, or cannot be told)."""
        by_id = {r.id: r for r in results}
        ran = [by_id[c] for c in self.checks if c in by_id] if applies else []
        failing = tuple(
            r.id
            for r in ran
            if r.status in (Status.FAIL, Status.ERROR)
            or (unknown_fails and r.status is Status.UNKNOWN)
        )
        if failing:
            state = NOT_MET
        elif any(r.status is Status.UNKNOWN for r in ran):
            state = UNKNOWN
        elif any(r.status.met for r in ran):
            state = MET
        else:
            state = NOT_APPLICABLE
        return CampaignStatus(
            name=self.name,
            state=state,
            deadline=self.deadline,
            checks=self.checks,
            failing=failing,
            overdue=self.overdue,
            owner=self.owner,
            description=self.description,
            issues=self.issues,
        )


def parse_campaigns(
    data: YamlMap,
    file: str,
    known: Callable[[str], bool],
    today: dt.date,
) -> list[Campaign]:
    """The campaigns of one standard layer (already schema-valid); ``known`` tells whether a
    check id exists. Raises :class:`CampaignError`."""
    items = data.get("campaigns") or YamlList()
    out: list[Campaign] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = f"campaigns[{i}]"
        line = items.line_of(i) if isinstance(items, YamlList) else None
        name = str(item["name"])
        if name.lower() in seen:
            raise CampaignError(line, f"{key}.name", f"a second campaign named {name!r}")
        seen.add(name.lower())
        checks = tuple(str(c) for c in item["checks"])
        for j, cid in enumerate(checks):
            if not known(cid):
                raise CampaignError(
                    _line(item, "checks", line),
                    f"{key}.checks[{j}]",
                    f"unknown check {cid!r} (`repo-scorecard checks` lists them)",
                )
        if len(set(checks)) != len(checks):
            raise CampaignError(_line(item, "checks", line), f"{key}.checks", "a check twice")
        try:
            deadline = dt.date.fromisoformat(str(item["deadline"]))
        except ValueError:
            raise CampaignError(
                _line(item, "deadline", line),
                f"{key}.deadline",
                f"{item['deadline']!r} is not a date (write YYYY-MM-DD)",
            ) from None
        out.append(
            Campaign(
                name=name,
                checks=checks,
                deadline=deadline.isoformat(),
                owner=str(item.get("owner") or ""),
                description=str(item.get("description") or ""),
                blocks=str(item["blocks"]) if item.get("blocks") is not None else None,
                issues=_issue_settings(item.get("issues")),
                when=parse_when(item["when"], f"{key}.when", _line(item, "when", line))
                if "when" in item
                else None,
                overdue=deadline < today,
                file=file,
                key=key,
                blocks_line=_line(item, "blocks", line),
            )
        )
    return out


def _issue_settings(value: Any) -> IssueSettings | None:
    """``issues: true`` or ``issues: {labels: [...], max_new: N}``; None when off."""
    if not value:
        return None
    if value is True:
        return IssueSettings()
    labels = tuple(str(x) for x in value.get("labels") or ())
    return IssueSettings(labels, int(value.get("max_new", DEFAULT_MAX_NEW)))


def _line(item: Any, key: str, default: int | None) -> int | None:
    return item.line_of(key) if isinstance(item, YamlMap) and key in item else default


@dataclass(frozen=True)
class CampaignChange:
    """A campaign whose state a change moves: ``advanced`` (to met) or ``set back`` (from
    met)."""

    campaign: CampaignStatus
    before: str | None  # None: not in the base's scorecard
    advanced: bool


def campaign_changes(
    base: Sequence[CampaignStatus], head: Sequence[CampaignStatus]
) -> list[CampaignChange]:
    """The campaigns that ``head`` meets and ``base`` did not, and those ``base`` met and
    ``head`` does not, in the head's order."""
    before = {c.name: c.state for c in base}
    out = []
    for c in head:
        was = before.get(c.name)
        if c.state == MET and was != MET and was is not None:
            out.append(CampaignChange(c, was, advanced=True))
        elif was == MET and c.state == NOT_MET:
            out.append(CampaignChange(c, was, advanced=False))
    return out
