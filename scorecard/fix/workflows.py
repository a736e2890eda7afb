"""Fixes to workflow files, edited as YAML round trips (``ruamel.yaml``): comments, key order,
quotes and indentation are kept; only what the fix adds changes.

- ``workflow-permissions-restricted``: a top-level ``permissions: {contents: read}``, and, for
  each job that needs more, job-level permissions for what its steps are known to need (the
  actions in :data:`NEEDS`). A job whose needs cannot be told (it calls a reusable workflow,
  uses ``actions/github-script``, runs ``gh`` or ``git push``, or passes the token to something
  else) leaves its workflow alone, and the fix says why: a wrong guess would break the job.
- ``actions-pinned``: each ``uses: owner/repo[/path]@ref`` resolved to its commit through the
  API, kept as a comment: ``uses: actions/checkout@<sha> # v4.2.2``. Offline (no token) it skips;
  ``docker://`` images are left (their digests come from a registry).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from scorecard.fix.model import Edit, FixContext, FixOutcome
from scorecard.github.errors import GitHubError
from scorecard.snapshot import ReadError, RepoSnapshot

#: What a step's action needs from the token, by the action's ``owner/repo[/path]``.
NEEDS: dict[str, dict[str, str]] = {
    "actions/checkout": {},
    "actions/setup-python": {},
    "actions/setup-node": {},
    "actions/setup-go": {},
    "actions/setup-java": {},
    "actions/cache": {},
    "actions/upload-artifact": {},
    "actions/download-artifact": {},
    "actions/upload-pages-artifact": {},
    "actions/deploy-pages": {"pages": "write", "id-token": "write"},
    "actions/attest-build-provenance": {"id-token": "write", "attestations": "write"},
    "actions/labeler": {"pull-requests": "write"},
    "actions/stale": {"issues": "write", "pull-requests": "write"},
    "github/codeql-action/init": {"security-events": "write", "actions": "read"},
    "github/codeql-action/analyze": {"security-events": "write", "actions": "read"},
    "github/codeql-action/upload-sarif": {"security-events": "write"},
    "softprops/action-gh-release": {"contents": "write"},
    "ncipollo/release-action": {"contents": "write"},
    "peter-evans/create-pull-request": {"contents": "write", "pull-requests": "write"},
    "peter-evans/create-or-update-comment": {"issues": "write", "pull-requests": "write"},
    "marocchino/sticky-pull-request-comment": {"pull-requests": "write"},
    "aws-actions/configure-aws-credentials": {"id-token": "write"},
    "google-github-actions/auth": {"id-token": "write"},
    "azure/login": {"id-token": "write"},
    "docker/setup-buildx-action": {},
    "docker/metadata-action": {},
    "docker/build-push-action": {},
    "pypa/gh-action-pypi-publish": {"id-token": "write"},
    "repo-scorecard/repo-scorecard": {"pull-requests": "write"},
}
_TOKEN_IN_RUN = re.compile(r"(^|[\s;&|(])(gh\s|git\s+push\b|curl\b[^\n]*api\.github\.com)")
_SHA = re.compile(r"^[0-9a-fA-F]{40}$")


def _yaml() -> YAML:
    yml = YAML(typ="rt")
    yml.preserve_quotes = True
    yml.width = 4096  # never rewrap a long line
    return yml


_KEY = re.compile(r"^( *)[^\s#-][^:]*:")
_DASH = re.compile(r"^( *)- ")


def guess_indent(text: str) -> tuple[int, int]:
    """The file's mapping indentation and how far a sequence's dash sits in from its key
    (GitHub's examples: 2 and 2; some files: 2 and 0)."""
    mapping, offset = 0, None
    parent = 0
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        dash = _DASH.match(line)
        if dash is not None:
            if offset is None:
                offset = max(0, len(dash.group(1)) - parent)
            continue
        key = _KEY.match(line)
        if key is not None:
            width = len(key.group(1))
            if width and not mapping:
                mapping = width
            parent = width
    return mapping or 2, 2 if offset is None else offset


def _load(text: str) -> tuple[YAML, Any]:
    """The file as a round-trip document, and a dumper with the file's own indentation."""
    mapping, offset = guess_indent(text)
    yml = _yaml()
    yml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yml, yml.load(text)


def _dump(yml: YAML, data: Any) -> str:
    out = io.StringIO()
    yml.dump(data, out)
    return out.getvalue()


def _workflows(snap: RepoSnapshot) -> list[tuple[str, str]]:
    out = []
    for path in sorted(snap.files):
        if path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml")):
            try:
                out.append((path, snap.read_text(path)))
            except ReadError:
                continue
    return out


def _action(uses: str) -> str:
    return uses.split("@", 1)[0].strip().lower()


def _job_needs(job: Any) -> tuple[dict[str, str] | None, str]:
    """The permissions a job needs beyond ``contents: read`` (None: cannot tell), and why."""
    if not isinstance(job, dict):
        return None, "a job is not a mapping"
    if "uses" in job:
        return None, "it calls a reusable workflow, whose needs are not known here"
    needs: dict[str, str] = {}
    for step in job.get("steps") or []:
        if not isinstance(step, dict):
            continue
        if "uses" in step:
            action = _action(str(step["uses"]))
            if action.startswith(("./", "docker://")):
                continue
            known = next((v for k, v in NEEDS.items() if action == k), None)
            if known is None:
                return None, f"its step uses {action}, whose needs are not known here"
            for scope, level in known.items():
                if needs.get(scope) != "write":
                    needs[scope] = level
        run = str(step.get("run") or "")
        if _TOKEN_IN_RUN.search(run):
            return None, "a step runs gh, git push or the API with the token"
        env = step.get("env") or {}
        with_ = step.get("with") or {}
        blob = f"{env}{with_}"
        given = "secrets.GITHUB_TOKEN" in blob or "github.token" in blob
        if given and ("uses" not in step or _action(str(step["uses"])) not in NEEDS):
            return None, "a step is given the token"
    return needs, ""


def permissions(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    edits: list[Edit] = []
    left: list[str] = []
    for path, text in _workflows(snap):
        try:
            yml, data = _load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else path
            left.append(f"{where} does not parse: left alone")
            continue
        if not isinstance(data, CommentedMap):
            continue
        top = data.get("permissions")
        if "permissions" in data and not (isinstance(top, str) and top.lower() == "write-all"):
            continue  # already restricted
        jobs = data.get("jobs") or {}
        plan: dict[str, dict[str, str]] = {}
        blocked = None
        for name, job in jobs.items() if isinstance(jobs, dict) else []:
            if isinstance(job, dict) and "permissions" in job:
                continue  # the job states its own
            needs, why = _job_needs(job)
            if needs is None:
                blocked = f"{path}: job {name}: {why}; add permissions by hand"
                break
            if needs:
                plan[str(name)] = needs
        if blocked is not None:
            left.append(blocked)
            continue
        read = CommentedMap([("contents", "read")])
        if "permissions" in data:
            data["permissions"] = read
        else:
            keys = list(data.keys())
            at = (
                keys.index("on") + 1
                if "on" in keys
                else (keys.index(True) + 1 if True in keys else 0)
            )
            data.insert(at, "permissions", read)
        for name, needs in plan.items():
            job = jobs[name]
            scopes = CommentedMap([("contents", "read")])
            for scope, level in sorted(needs.items()):
                scopes[scope] = level
            keys = list(job.keys())
            at = keys.index("runs-on") + 1 if "runs-on" in keys else 0
            job.insert(at, "permissions", scopes)
        why = "top-level `permissions: contents: read`" + (
            f"; job-level for {', '.join(sorted(plan))}" if plan else ""
        )
        edits.append(Edit(path, text, _dump(yml, data), why))
    if not edits:
        return FixOutcome.skip("; ".join(left) or "every workflow already restricts permissions")
    return FixOutcome(tuple(edits), "; ".join(left) or None)


def _refs(node: Any) -> list[tuple[Any, Any]]:
    """(mapping, key) of every ``uses:`` in a workflow (steps and job-level)."""
    found: list[tuple[Any, Any]] = []
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if key == "uses" and isinstance(value, str):
                found.append((node, key))
            else:
                found += _refs(value)
    elif isinstance(node, CommentedSeq):
        for item in node:
            found += _refs(item)
    return found


def _kept_comment(mapping: Any, key: Any) -> str:
    """The line's own comment, kept after the tag: `` (fetch the code)``."""
    slots = mapping.ca.items.get(key) if hasattr(mapping, "ca") else None
    token = next((t for t in (slots or ())[2:3] if t is not None), None)
    text = str(getattr(token, "value", "") or "").strip()
    text = text.lstrip("#").strip().split("\n", 1)[0]
    return f" ({text})" if text else ""


def pin_actions(snap: RepoSnapshot, ctx: FixContext) -> FixOutcome:
    if ctx.client is None:
        return FixOutcome.skip(
            "resolving tags to commits needs the GitHub API: give a token (--token, "
            "GITHUB_TOKEN or GH_TOKEN)"
        )
    resolved: dict[tuple[str, str], str | None] = {}
    edits: list[Edit] = []
    problems: list[str] = []
    for path, text in _workflows(snap):
        try:
            yml, data = _load(text)
        except YAMLError:
            problems.append(f"{path} does not parse: left alone")
            continue
        changed = 0
        for mapping, key in _refs(data):
            value = str(mapping[key]).strip()
            if value.startswith(("./", "docker://")) or "@" not in value:
                continue
            action, ref = value.rsplit("@", 1)
            if _SHA.match(ref):
                continue
            owner_repo = "/".join(action.split("/")[:2])
            if (owner_repo, ref) not in resolved:
                try:
                    data_ = ctx.client.get(f"/repos/{owner_repo}/commits/{ref}")
                    sha = data_.get("sha") if isinstance(data_, dict) else None
                    resolved[(owner_repo, ref)] = str(sha) if sha else None
                except GitHubError as exc:
                    resolved[(owner_repo, ref)] = None
                    problems.append(f"{owner_repo}@{ref}: {exc}")
            sha = resolved[(owner_repo, ref)]
            if sha is None:
                continue
            mapping[key] = f"{action}@{sha}"
            mapping.yaml_add_eol_comment(f"# {ref}" + _kept_comment(mapping, key), key)
            changed += 1
        if changed:
            why = f"{changed} action reference(s) pinned to their commits"
            edits.append(Edit(path, text, _dump(yml, data), why))
    if not edits:
        return FixOutcome.skip("; ".join(problems) or "nothing to pin")
    return FixOutcome(tuple(edits), "; ".join(problems) or None)
