"""Webhook event payloads as GitHub delivers them to a workflow (``GITHUB_EVENT_PATH``), built
from the fake GitHub's REST answers and validated against GitHub's webhook schemas
(``tests/data/webhooks-subset.json``, see ``make_webhooks_subset.py``).

    events = Events(gh, token)
    payload = events.pull_request("acme/widgets", 7, action="opened")  # validated
    path = events.write(tmp_path, payload)

The nested objects (repository, user, pull request) are the fake's REST answers fitted to the
webhook shape: REST-only fields dropped, webhook-only fields added.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import requests

DATA = Path(__file__).resolve().parent / "data"
DEFS = "#/definitions/"


@cache
def schema() -> dict[str, Any]:
    return json.loads((DATA / "webhooks-subset.json").read_text(encoding="utf-8"))


def validate(definition: str, payload: Any) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``payload`` is a valid ``definition``
    (``pull_request$opened``, ``push$event``, ``workflow_run$completed``...)."""
    wrapper = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": schema()["definitions"],
        "$ref": DEFS + definition,
    }
    jsonschema.Draft7Validator(wrapper).validate(payload)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema()["definitions"][node["$ref"][len(DEFS) :]]
    return node


def _object_schemas(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas ``node`` stands for (through $ref, allOf and the non-null oneOf)."""
    node = _resolve(node)
    out = [node] if "properties" in node or node.get("type") == "object" else []
    for sub in node.get("allOf", []):
        out += _object_schemas(sub)
    for sub in node.get("oneOf", []) + node.get("anyOf", []):
        resolved = _resolve(sub)
        if resolved.get("type") != "null":
            out += _object_schemas(resolved)
            break
    return out


def fit(value: Any, node: dict[str, Any]) -> Any:
    """``value`` (a REST answer) reshaped for the webhook schema ``node``: properties the
    schema does not allow are dropped, required ones that are missing and may be null are
    added as null (the caller adds the others)."""
    if isinstance(value, list):
        items = _resolve(node).get("items")
        return [fit(v, items) for v in value] if isinstance(items, dict) else value
    if not isinstance(value, dict):
        return value
    schemas = _object_schemas(node)
    if not schemas:
        return value
    props: dict[str, Any] = {}
    required: set[str] = set()
    closed = False
    for s in schemas:
        props.update(s.get("properties", {}))
        required |= set(s.get("required", []))
        closed = closed or s.get("additionalProperties") is False
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in props:
            if item is not None:
                out[key] = fit(item, props[key])
            elif key in required or _nullable(props[key]):
                out[key] = None
        elif not closed:
            out[key] = item
    for key in required - set(out):
        if _nullable(props.get(key, {})):
            out[key] = None
    return out


def _nullable(node: dict[str, Any]) -> bool:
    spec = _resolve(node)
    types = spec.get("type")
    return (
        types == "null"
        or (isinstance(types, list) and "null" in types)
        or any(_resolve(s).get("type") == "null" for s in spec.get("oneOf", []))
    )


def definition(name: str) -> dict[str, Any]:
    return {"$ref": DEFS + name}


class Events:
    """Payload factory for one fake GitHub; ``token`` must read what the payloads show."""

    def __init__(self, gh: Any, token: str) -> None:
        self.gh = gh
        self.token = token

    def rest(self, path: str) -> Any:
        resp = requests.get(
            f"{self.gh.api_url}{path}",
            timeout=10,
            headers={
                "Authorization": f"token {self.token}",
                "Accept": "application/vnd.github+json",
            },
        )
        resp.raise_for_status()
        return resp.json()

    # -- nested objects ------------------------------------------------------------------------
    def user(self, login: str) -> dict[str, Any]:
        return fit(self.rest(f"/users/{login}"), definition("user"))

    def repository(self, full_name: str) -> dict[str, Any]:
        repo = self.rest(f"/repos/{full_name}")
        out = fit(repo, definition("repository"))
        if isinstance(out.get("organization"), dict):  # webhooks name the organisation only
            out["organization"] = out["organization"]["login"]
        out.setdefault("custom_properties", dict(repo.get("custom_properties") or {}))
        return out

    def organization(self, login: str) -> dict[str, Any]:
        return fit(self.rest(f"/orgs/{login}"), definition("organization"))

    def _common(self, full_name: str, sender: str) -> dict[str, Any]:
        repo = self.repository(full_name)
        out: dict[str, Any] = {"repository": repo, "sender": self.user(sender)}
        if repo["owner"]["type"] == "Organization":
            out["organization"] = self.organization(repo["owner"]["login"])
        return out

    def _commit(self, full_name: str, sha: str) -> dict[str, Any]:
        """A commit as a push payload lists it, from the fake's commits endpoint."""
        data = self.rest(f"/repos/{full_name}/commits/{sha}")
        files = data.get("files") or []

        def person(p: dict[str, Any]) -> dict[str, Any]:
            return {"name": p["name"], "email": p["email"], "date": p["date"]}

        return {
            "id": data["sha"],
            "tree_id": data["commit"]["tree"]["sha"],
            "distinct": True,
            "message": data["commit"]["message"],
            "timestamp": data["commit"]["committer"]["date"],
            "url": data["html_url"],
            "author": person(data["commit"]["author"]),
            "committer": person(data["commit"]["committer"]),
            "added": [f["filename"] for f in files if f["status"] == "added"],
            "removed": [f["filename"] for f in files if f["status"] == "removed"],
            "modified": [f["filename"] for f in files if f["status"] == "modified"],
        }

    # -- events --------------------------------------------------------------------------------
    def pull_request(
        self,
        full_name: str,
        number: int,
        *,
        action: str = "opened",
        before: str | None = None,
        sender: str | None = None,
    ) -> dict[str, Any]:
        """``pull_request`` ``opened`` or ``synchronize`` (with ``before``, the previous
        head)."""
        pull = self.rest(f"/repos/{full_name}/pulls/{number}")
        body = fit(pull, {"allOf": [definition("pull-request")]})
        for side in ("head", "base"):
            if body[side]["repo"] is not None:
                body[side]["repo"].setdefault("custom_properties", {})
        payload: dict[str, Any] = {
            "action": action,
            "number": number,
            "pull_request": body,
            **self._common(full_name, sender or pull["user"]["login"]),
        }
        if action == "synchronize":
            payload["before"] = before or body["base"]["sha"]
            payload["after"] = body["head"]["sha"]
        validate(f"pull_request${action}", payload)
        return payload

    def push(
        self,
        full_name: str,
        after: str,
        before: str = "0" * 40,
        *,
        ref: str = "refs/heads/main",
        pusher: str = "octocat",
    ) -> dict[str, Any]:
        head = self._commit(full_name, after)
        repo = self._common(full_name, pusher)
        user = repo["sender"]
        web = repo["repository"]["html_url"]
        payload = {
            "ref": ref,
            "before": before,
            "after": after,
            "created": set(before) == {"0"},
            "deleted": False,
            "forced": False,
            "base_ref": None,
            "compare": f"{web}/compare/{before[:12]}...{after[:12]}",
            "commits": [head],
            "head_commit": head,
            "pusher": {"name": user["login"], "email": f"{user['login']}@example.com"},
            **repo,
        }
        validate("push$event", payload)
        return payload

    def workflow_dispatch(
        self,
        full_name: str,
        *,
        ref: str = "refs/heads/main",
        inputs: dict[str, Any] | None = None,
        sender: str = "octocat",
    ) -> dict[str, Any]:
        payload = {
            "inputs": inputs,
            "ref": ref,
            "workflow": ".github/workflows/scorecard.yml",
            **self._common(full_name, sender),
        }
        validate("workflow_dispatch$event", payload)
        return payload

    def workflow_run(
        self,
        full_name: str,
        *,
        head_sha: str,
        head_branch: str = "feature",
        event: str = "pull_request",
        conclusion: str = "success",
        run_id: int = 4242,
        head_repo: str | None = None,
        pull_numbers: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        """``workflow_run`` ``completed`` for the run of the "Scorecard" workflow on a pull
        request (GitHub lists no pull request when the head is in a fork)."""
        common = self._common(full_name, "octocat")
        repo = common["repository"]
        api, web = repo["url"], repo["html_url"]
        actor = common["sender"]
        commit = self.rest(f"/repos/{full_name}/commits/{head_sha}")
        when = commit["commit"]["committer"]["date"]

        def lite(r: dict[str, Any]) -> dict[str, Any]:
            return fit(r, definition("repository-lite"))

        head_repository = lite(self.repository(head_repo)) if head_repo else lite(repo)
        pulls = []
        for number in pull_numbers:
            pull = self.rest(f"/repos/{full_name}/pulls/{number}")
            ref = {"id": repo["id"], "url": api, "name": repo["name"]}
            pulls.append(
                {
                    "url": pull["url"],
                    "id": pull["id"],
                    "number": number,
                    "head": {"ref": pull["head"]["ref"], "sha": pull["head"]["sha"], "repo": ref},
                    "base": {"ref": pull["base"]["ref"], "sha": pull["base"]["sha"], "repo": ref},
                }
            )
        run_url = f"{api}/actions/runs/{run_id}"
        run = {
            "artifacts_url": f"{run_url}/artifacts",
            "cancel_url": f"{run_url}/cancel",
            "check_suite_url": f"{api}/check-suites/{run_id + 1}",
            "check_suite_id": run_id + 1,
            "check_suite_node_id": "CS_kwDOA" + str(run_id),
            "conclusion": conclusion,
            "created_at": when,
            "event": event,
            "head_branch": head_branch,
            "head_commit": {
                "id": head_sha,
                "tree_id": commit["commit"]["tree"]["sha"],
                "message": commit["commit"]["message"],
                "timestamp": when,
                "author": {
                    "name": commit["commit"]["author"]["name"],
                    "email": commit["commit"]["author"]["email"],
                },
                "committer": {
                    "name": commit["commit"]["committer"]["name"],
                    "email": commit["commit"]["committer"]["email"],
                },
            },
            "head_repository": head_repository,
            "head_sha": head_sha,
            "path": ".github/workflows/scorecard.yml",
            "display_title": "Scorecard",
            "html_url": f"{web}/actions/runs/{run_id}",
            "id": run_id,
            "jobs_url": f"{run_url}/jobs",
            "logs_url": f"{run_url}/logs",
            "node_id": "WFR_kwLOA" + str(run_id),
            "name": "Scorecard",
            "pull_requests": pulls,
            "repository": lite(repo),
            "rerun_url": f"{run_url}/rerun",
            "run_number": 12,
            "status": "completed",
            "updated_at": when,
            "url": run_url,
            "workflow_id": 161335,
            "workflow_url": f"{api}/actions/workflows/161335",
            "run_attempt": 1,
            "referenced_workflows": [],
            "run_started_at": when,
            "previous_attempt_url": None,
            "actor": actor,
            "triggering_actor": actor,
        }
        payload = {
            "action": "completed",
            "workflow_run": run,
            "workflow": {
                "badge_url": f"{web}/workflows/Scorecard/badge.svg",
                "created_at": when,
                "html_url": f"{web}/blob/main/.github/workflows/scorecard.yml",
                "id": 161335,
                "name": "Scorecard",
                "node_id": "W_kwDOA161335",
                "path": ".github/workflows/scorecard.yml",
                "state": "active",
                "updated_at": when,
                "url": f"{api}/actions/workflows/161335",
            },
            **common,
        }
        validate("workflow_run$completed", payload)
        return payload

    @staticmethod
    def write(folder: Path, payload: dict[str, Any], name: str = "event.json") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        return path


def head_of(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
