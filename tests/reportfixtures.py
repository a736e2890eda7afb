"""Results files of `scorecard org` for the report's tests: scorecards built from a small fixed
catalog, graded the way the default standard grades (a level is held when its checks and
those of the levels below are met)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from scorecard.model import CheckResult, LevelStatus, PillarSummary, Scorecard, Status

DOCS = "https://example.test/docs/checks.md"
LEVELS = ("Bronze", "Silver", "Gold")
# id, pillar, level, title, remediation
CATALOG = (
    (
        "codeowners-present",
        "ownership",
        "Bronze",
        "CODEOWNERS present",
        "Add a `.github/CODEOWNERS` file that names an owning team.",
    ),
    (
        "readme-present",
        "docs",
        "Bronze",
        "README present",
        "Add a README.md at the root that says what the project is.",
    ),
    ("license-present", "docs", "Bronze", "License present", "Add a LICENSE file."),
    (
        "security-policy-present",
        "security",
        "Silver",
        "Security policy present",
        "Add a SECURITY.md that says how to report a vulnerability.",
    ),
    ("tests-present", "tests", "Silver", "Tests present", "Add tests and run them in CI."),
    (
        "actions-pinned",
        "security",
        "Gold",
        "Actions pinned",
        "Pin every `uses:` to a full commit SHA.",
    ),
)


def scorecard(
    repo: str, fails: Iterable[str] = (), unknown: Iterable[str] = (), message: str = "not found"
) -> dict[str, Any]:
    return {**_graded(frozenset(fails), frozenset(unknown), message), "target": repo}


@functools.lru_cache(maxsize=64)
def _graded(fails: frozenset[str], unknown: frozenset[str], message: str) -> dict[str, Any]:
    checks = []
    for cid, pillar, level, title, fix in CATALOG:
        status = Status.FAIL if cid in fails else Status.UNKNOWN if cid in unknown else Status.PASS
        checks.append(
            CheckResult(
                id=cid,
                pillar=pillar,
                title=title,
                status=status,
                message=message if status is Status.FAIL else "ok",
                remediation=fix,
                docs_url=f"{DOCS}#{cid}",
                level=level,
            )
        )
    levels, held, reached = [], True, None
    for name in LEVELS:
        blocking = tuple(c.id for c in checks if c.level == name and c.status is Status.FAIL)
        held = held and not blocking
        levels.append(LevelStatus(name, held, blocking))
        if held:
            reached = name
    pillars = []
    for pillar in ("ownership", "docs", "security", "tests"):
        mine = [c for c in checks if c.pillar == pillar]
        counted = [c for c in mine if c.status.counts]
        pillars.append(
            PillarSummary(pillar, sum(c.status.met for c in counted), len(counted), len(mine))
        )
    counted = [c for c in checks if c.status.counts]
    score = round(100 * sum(c.status.met for c in counted) / len(counted)) if counted else 0
    return Scorecard(
        target="",
        commit="0" * 40,
        score=score,
        level=reached,
        checks=tuple(checks),
        pillars=tuple(pillars),
        levels=tuple(levels),
        standard="default",
    ).to_json()


def scan(
    org: str = "acme",
    started_at: str = "2025-05-12T06:00:00Z",
    shard: str | None = None,
    repositories: int = 0,
) -> dict[str, Any]:
    return {
        "kind": "scan",
        "version": 1,
        "org": org,
        "started_at": started_at,
        "shard": shard,
        "standard": "default",
        "repositories": repositories,
    }


def repo(
    name: str,
    team: str | None,
    fails: Sequence[str] = (),
    scanned_at: str = "2025-05-12T06:01:00Z",
    **kw: Any,
) -> dict[str, Any]:
    owner = kw.pop("owner", f"@acme/{team}" if team else None)
    card = scorecard(name, fails, kw.pop("unknown", ()), kw.pop("message", "not found"))
    rec = {
        "kind": "repository",
        "version": 1,
        "repository": name,
        "scanned_at": scanned_at,
        "team": team,
        "owner": owner,
        "archived": False,
        "fork": False,
        "visibility": "public",
        "topics": [],
        "scorecard": card,
    }
    rec.update(kw)
    return rec


def error(name: str, message: str, scanned_at: str = "2025-05-12T06:02:00Z") -> dict[str, Any]:
    return {
        "kind": "error",
        "version": 1,
        "repository": name,
        "scanned_at": scanned_at,
        "error": message,
    }


def write(path: Path, records: Iterable[dict[str, Any]], cut: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        fh.write(cut)
    return path


ALL_BUT_GOLD = ("actions-pinned",)
SILVER_MISSING = ("security-policy-present",)
BRONZE_MISSING = ("codeowners-present", "security-policy-present")


def small_org() -> list[dict[str, Any]]:
    """Eight repositories of three teams and no owner, one that could not be graded."""
    return [
        scan(repositories=9),
        repo("acme/api", "platform"),
        repo("acme/gateway", "platform", ALL_BUT_GOLD),
        repo("acme/deploy", "platform", SILVER_MISSING),
        repo("acme/payments", "payments", ALL_BUT_GOLD),
        repo(
            "acme/ledger",
            "payments",
            ("security-policy-present", "tests-present"),
            unknown=("actions-pinned",),
        ),
        repo("acme/web", "frontend", ("actions-pinned", "tests-present")),
        repo("acme/sandbox", None, BRONZE_MISSING),
        repo(
            "acme/old-tool",
            None,
            ("readme-present", "license-present", "codeowners-present", "security-policy-present"),
        ),
        error("acme/broken", "GitHub's GraphQL API did not answer for acme/broken: timeout"),
    ]


def previous_history(org: str = "acme") -> dict[str, Any]:
    """The history record of the scan a week before :func:`small_org`."""
    return {
        "scanned_at": "2025-05-05T06:01:00Z",
        "org": org,
        "repos": {
            "acme/api": ["Silver", 83],
            "acme/gateway": ["Silver", 83],
            "acme/deploy": ["Silver", 83],
            "acme/payments": ["Gold", 100],
            "acme/ledger": ["Bronze", 60],
            "acme/web": ["Bronze", 67],
            "acme/sandbox": [None, 50],
            "acme/retired": ["Gold", 100],
        },
    }
