"""Regenerate ``webhooks-subset.json`` from the webhook payload schemas.

    python tests/data/make_webhooks_subset.py [PATH/TO/webhooks-schema.json]

The default source is ``../shared/github/webhooks-schema.json`` next to the project (npm
``@octokit/webhooks-schemas`` 7.6.1, MIT licence; see tests/data/README.md). Only the events the
Action reads are kept (``EVENTS``), with every definition they reference, unchanged: the file
stays a JSON Schema (draft-07) whose ``definitions`` hold the events and whose ``oneOf`` lists
them, so ``{"$ref": "#/definitions/<event>"}`` against it validates one payload.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2] / "shared" / "github" / "webhooks-schema.json"
OUTPUT = HERE / "webhooks-subset.json"

# The events the Action runs on (`pull_request` opened and synchronize, `push`,
# `workflow_dispatch`) and the one that posts a fork's saved comment (`workflow_run`).
EVENTS = (
    "pull_request$opened",
    "pull_request$synchronize",
    "push$event",
    "workflow_dispatch$event",
    "workflow_run$completed",
)
PREFIX = "#/definitions/"


def refs(node: Any) -> set[str]:
    """The definition names a schema fragment references."""
    out: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith(PREFIX):
                    raise ValueError(f"unexpected $ref {ref!r}")
                out.add(ref[len(PREFIX) :])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return out


def subset(source: dict[str, Any], events: tuple[str, ...] = EVENTS) -> dict[str, Any]:
    defs: dict[str, Any] = source["definitions"]
    keep: set[str] = set()
    todo = list(events)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name not in defs:
            raise KeyError(f"no definition {name!r} in the source")
        keep.add(name)
        todo.extend(refs(defs[name]) - keep)
    return {
        "$schema": source.get("$schema", "http://json-schema.org/draft-07/schema#"),
        "$comment": "A subset of @octokit/webhooks-schemas 7.6.1 (MIT licence); regenerate "
        "with tests/data/make_webhooks_subset.py",
        "definitions": {name: defs[name] for name in sorted(keep)},
        "oneOf": [{"$ref": PREFIX + name} for name in events],
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    data = subset(json.loads(source.read_text(encoding="utf-8")))
    OUTPUT.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(
        f"{OUTPUT.name}: {len(data['definitions'])} definitions "
        f"({OUTPUT.stat().st_size:,} bytes) from {source}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
