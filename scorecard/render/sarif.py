"""SARIF 2.1.0, for GitHub code scanning (``github/codeql-action/upload-sarif``).

Every check becomes a rule; every ``fail`` becomes a result (``error`` results become tool
notifications). Code scanning needs a location for each result: a failure that points nowhere
(a missing file) is reported at the repository's first README, or ``README.md``.

A location's path becomes ``artifactLocation.uri`` as an RFC 3986 relative reference
(:func:`artifact_uri`): every byte but unreserved characters and ``/`` percent-encoded, so
that a file name with a newline, a ``%``, a ``#`` or a ``:`` is one path, resolved against
``%SRCROOT%`` and nowhere else.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from scorecard import __version__
from scorecard.model import Scorecard, Status

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI = "https://github.com/repo-scorecard/repo-scorecard"


def artifact_uri(path: str) -> str:
    """``path`` (a repository path) as a relative URI reference: UTF-8, percent-encoded
    except unreserved characters and ``/``; leading slashes encoded too, so that it can
    never become an absolute path or a network-path reference (``//host/...``)."""
    uri = quote(path, safe="/")
    return re.sub(r"^/+", lambda m: "%2F" * len(m.group(0)), uri)


def render(card: Scorecard, fallback_path: str = "README.md") -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r in card.checks:
        index[r.id] = len(rules)
        rules.append(
            {
                "id": r.id,
                "name": "".join(w.capitalize() for w in r.id.split("-")),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": f"{r.title} ({r.pillar})"},
                "helpUri": r.docs_url,
                "help": {"text": r.remediation},
                "defaultConfiguration": {"level": "error" if r.level else "warning"},
                "properties": {"tags": ["scorecard", r.pillar] + ([r.level] if r.level else [])},
            }
        )
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for r in card.checks:
        if r.status is Status.ERROR:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{r.id}: {r.message}"},
                    "descriptor": {"id": r.id},
                }
            )
            continue
        if r.status is not Status.FAIL:
            continue
        locs = r.locations or ()
        physical = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(loc.path), "uriBaseId": "%SRCROOT%"},
                    **({"region": {"startLine": loc.line}} if loc.line else {}),
                }
            }
            for loc in locs[:10]
        ]
        if not physical:
            physical = [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": artifact_uri(fallback_path),
                            "uriBaseId": "%SRCROOT%",
                        }
                    }
                }
            ]
        results.append(
            {
                "ruleId": r.id,
                "ruleIndex": index[r.id],
                "level": "error" if r.level else "warning",
                "message": {"text": f"{r.message}. Fix: {r.remediation}"},
                "locations": physical,
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "repo-scorecard",
                "informationUri": TOOL_URI,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "results": results,
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "properties": {"score": card.score, "level": card.level},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
