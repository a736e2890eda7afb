"""``scorecard action``: the GitHub Action. Environment in, mode chosen, pipeline run,
results published.

Modes (input ``mode``; by default ``pr`` on pull-request events, else ``repo``):

- ``pr``: grade the head (the workspace) and the base commit (through git in the checkout when
  it has it and git is installed, else through the API), both by the standard of the **base**
  (a pull request cannot loosen the rules it is judged by); post or update one sticky comment
  showing what the pull request changes; write the job summary, annotations and outputs; exit
  per ``fail-on``. From a fork, or with a read-only token, nothing is written to GitHub: the
  comment's data is saved to ``comment-path`` for a ``workflow_run`` workflow to post with
  ``post-saved-comment``.
- ``repo`` (push, schedule, workflow_dispatch): grade the workspace; summary and outputs.
- ``post-saved-comment: PATH``: post a comment saved by a pull-request run. The saved file is
  untrusted (a fork wrote it): the comment is rendered anew from its data, with all escaping,
  and only onto the pull request whose head commit matches.

Container actions get inputs as ``INPUT_<NAME>`` with the name upper-cased and its dashes
kept (``INPUT_FAIL-ON``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from scorecard.compare import Comparison, compare
from scorecard.engine import docs_url
from scorecard.github import workflow as wf
from scorecard.github.auth import register_credentials
from scorecard.github.client import Forbidden, GitHubClient, GitHubError
from scorecard.model import LevelStatus, Location, Scorecard, Status
from scorecard.outfile import OutputError, describe, redact_data, write_file
from scorecard.pipeline import grade_snapshot, repo_standard_layer
from scorecard.registry import Registry, default_registry
from scorecard.render import comment as comment_render
from scorecard.render import markdown
from scorecard.render.text import one_line
from scorecard.secrets import redact
from scorecard.snapshot import ReadError, RepoSnapshot
from scorecard.sources.local import SourceError
from scorecard.standard import Standard, StandardError, resolve

PR_EVENTS = ("pull_request", "pull_request_target")
FAIL_ON = ("none", "regression", "below-level")
DEFAULT_OUTPUT_DIR = "scorecard-output"
SAVED_MAX_BYTES = 8 << 20  # a saved comment larger than this is not read
_SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9._~/#%+=&?:@!$*;-]*\Z")


class ActionError(Exception):
    """A problem with the Action's inputs or environment: one clear message, exit 2."""


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class ActionEnv:
    environ: Mapping[str, str]
    out: TextIO = field(default=sys.stdout)

    def input(self, name: str, default: str = "") -> str:
        """An input as the runner passes it: ``INPUT_FAIL-ON`` (dashes kept); the underscore
        spelling is accepted too, for running the Action by hand."""
        for key in (f"INPUT_{name.upper()}", f"INPUT_{name.upper().replace('-', '_')}"):
            value = self.environ.get(key)
            if value is not None and value.strip() != "":
                return value.strip()
        return default

    def get(self, name: str, default: str = "") -> str:
        return self.environ.get(name) or default

    @property
    def workspace(self) -> Path:
        return Path(self.get("GITHUB_WORKSPACE") or os.getcwd())

    @property
    def repository(self) -> str:
        return self.get("GITHUB_REPOSITORY")

    @property
    def server(self) -> str:
        return self.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")

    @property
    def run_url(self) -> str | None:
        run_id = self.get("GITHUB_RUN_ID")
        if not (run_id and self.repository):
            return None
        return f"{self.server}/{self.repository}/actions/runs/{run_id}"

    def event(self) -> dict[str, Any]:
        path = self.get("GITHUB_EVENT_PATH")
        if not path:
            return {}
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ActionError(f"cannot read the event payload {path}: {exc}") from None
        return data if isinstance(data, dict) else {}

    def output_dir(self) -> Path:
        d = self.input("output-dir", DEFAULT_OUTPUT_DIR)
        path = Path(d) if Path(d).is_absolute() else self.workspace / d
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ActionError(f"output-dir: {describe(path, exc)}") from None
        return path

    def log(self, text: str) -> None:
        """One plain line in the job's log: secrets redacted, control characters shown
        escaped, and never taken for a workflow command by the runner (see
        :func:`scorecard.render.text.one_line`), whatever repository or standard text it
        holds."""
        self.out.write(one_line(redact(text.rstrip("\n"))) + "\n")
        self.out.flush()

    def command(self, name: str, message: str = "", **props: str | int | None) -> None:
        """A workflow command we mean (an annotation), its message and properties redacted,
        then escaped as the runner expects."""
        safe = {k: redact(str(v)) if v is not None else None for k, v in props.items()}
        self.out.write(wf.command(name, redact(message), **safe) + "\n")
        self.out.flush()


# ---- helpers ----------------------------------------------------------------------------------


def _client(env: ActionEnv) -> GitHubClient | None:
    token = env.input("token") or env.get("GITHUB_TOKEN")
    if not token:
        return None
    return GitHubClient(token, api_url=env.get("GITHUB_API_URL") or None,
                        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None)


def snapshot_of_commit_in_checkout(workspace: Path, sha: str) -> RepoSnapshot | None:
    """The files of commit ``sha`` when the checkout has it (read from git's object store,
    nothing written), else None: also when git is not installed (the Action's image has no git;
    the base is then read through the API)."""
    from scorecard.sources.gitcommit import open_commit

    return open_commit(workspace, sha, label=f"base {sha[:7]}")


def standard_from(snap: RepoSnapshot | None, registry: Registry, config: str) -> Standard:
    """The standard as ``snap`` (the base) defines it: ``config`` (a path in the repository)
    or its ``.github/standards.yml``; the default standard without a base."""
    layers: list[tuple[str, str]] = []
    if snap is not None:
        if config:
            if snap.has(config):
                try:
                    layers.append((config, snap.read_text(config, cap=1 << 20)))
                except ReadError as exc:
                    raise StandardError(config, None, "", exc.reason) from None
        else:
            own = repo_standard_layer(snap)
            if own:
                layers.append(own)
    return resolve(registry, layers)


def annotate(env: ActionEnv, card: Scorecard, cmp: Comparison | None) -> None:
    """Failing checks as annotations on their files: regressions as errors, other failures as
    warnings; past GitHub's 10 per type, one notice summarises the rest."""
    broke = {c.id for c in cmp.broke} if cmp else set()
    counts = {"error": 0, "warning": 0}
    hidden = 0
    for r in card.checks:
        if r.status is not Status.FAIL:
            continue
        kind = "error" if r.id in broke else "warning"
        for loc in r.locations or ():
            if counts[kind] >= wf.ANNOTATIONS_PER_TYPE:
                hidden += 1
                continue
            counts[kind] += 1
            message = r.message if len(r.message) <= 1000 else r.message[:999] + "…"
            env.command(kind, f"{message} — {r.remediation}", file=loc.path,
                        line=loc.line, title=f"scorecard: {r.id}")
    if hidden:
        env.command("notice", f"{hidden} more failing locations: see the job summary",
                    title="scorecard")


def summary_markdown(cmp: Comparison, links: comment_render.Links) -> str:
    parts = [comment_render.render(cmp, links, limit=200_000)]
    parts.append("\n<details><summary>Full report</summary>\n\n")
    parts.append(markdown.render(cmp.head, link_base=links.blob))
    parts.append("\n</details>\n")
    return "".join(parts)


def exit_code(fail_on: str, cmp: Comparison, min_level: str) -> tuple[int, bool]:
    """``(exit code, passed)`` per ``fail-on``."""
    if fail_on == "regression" and cmp.regressed:
        return 1, False
    if fail_on == "below-level":
        names = [lvl.name.lower() for lvl in cmp.head.levels]
        want = min_level.lower()
        held = names.index(cmp.head.level.lower()) if cmp.head.level else -1
        if want not in names:
            raise ActionError(f"min-level {min_level!r} is not a level of the standard "
                              f"({', '.join(lvl.name for lvl in cmp.head.levels)})")
        if held < names.index(want):
            return 1, False
    return 0, True


# ---- modes ------------------------------------------------------------------------------------


def save_comment(env: ActionEnv, cmp: Comparison, links: comment_render.Links, *,
                 number: int | None, head_sha: str | None, body: str) -> Path:
    """The comment's data for ``post-saved-comment``. ``head_sha`` is the pull request's head
    commit (the workspace of a ``pull_request`` run holds the merge commit instead; the
    ``workflow_run`` event and the pull request name the head)."""
    out = env.output_dir()
    data = {
        "kind": "repo-scorecard-comment", "version": 1, "repository": env.repository,
        "pull_request": number, "head_sha": head_sha or cmp.head.commit or "",
        "base_ref": links.base_ref, "run_url": links.run,
        "head": cmp.head.to_json(), "base": cmp.base.to_json() if cmp.base else None,
    }
    write_file(out / "comment.md", body)
    path = out / "comment.json"
    write_file(path, json.dumps(redact_data(data), indent=1))
    return path


def _rel(env: ActionEnv, path: Path) -> str:
    try:
        return str(path.relative_to(env.workspace))
    except ValueError:
        return str(path)


def run_pr(env: ActionEnv, registry: Registry) -> int:
    event = env.event()
    pr = event.get("pull_request") or {}
    number = pr.get("number") or event.get("number")
    head_sha = ((pr.get("head") or {}).get("sha")) or env.get("GITHUB_SHA")
    base = pr.get("base") or {}
    base_sha, base_ref = base.get("sha"), base.get("ref")
    head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
    base_repo = (base.get("repo") or {}).get("full_name") or env.repository
    from_fork = head_repo != base_repo
    client = _client(env)
    from scorecard.sources.local import open_local

    with tempfile.TemporaryDirectory(prefix="scorecard-base-") as tmp:
        base_snap: RepoSnapshot | None = None
        if base_sha:
            base_snap = snapshot_of_commit_in_checkout(env.workspace, base_sha)
            if base_snap is None and client is not None and env.repository:
                from scorecard.sources.github import open_github

                try:
                    base_snap = open_github(client, env.repository, ref=base_sha, workdir=tmp)
                except GitHubError as exc:
                    env.command("warning", f"cannot read the base commit {base_sha[:7]}: "
                                f"{exc}; comparing against nothing",
                                title="scorecard")
        standard = standard_from(base_snap, registry, env.input("config"))
        head_snap = open_local(env.workspace, label=env.repository or str(env.workspace))
        if head_sha:  # the pull request's head (the workspace may hold the merge commit)
            head_snap.commit = head_sha
        if base_snap is not None:
            # Repository settings (branch rules, security settings, inherited files) and
            # metadata are not the pull request's doing: the base sees what the head sees, so
            # the comparison shows what the pull request changed, not what the API (or the
            # folder's name) tells one side more.
            base_snap.platform, base_snap.meta = head_snap.platform, head_snap.meta
        try:
            head = _grade(head_snap, standard, registry, env)
            base_card = _grade(base_snap, standard, registry, env) if base_snap else None
        finally:
            close = getattr(base_snap, "close", None)
            if close is not None:
                close()
    cmp = compare(base_card, head)
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{head_sha}/" if head_sha and env.repository
        else None, run=env.run_url, base_ref=base_ref)
    body = comment_render.with_digest(redact(comment_render.render(cmp, links)), links)
    comment_path = save_comment(env, cmp, links, number=number, head_sha=head_sha, body=body)
    status = publish_comment(env, client, number, body, from_fork=from_fork)
    return finish(env, cmp, links, comment_path=comment_path, comment_status=status)


def publish_comment(env: ActionEnv, client: GitHubClient | None, number: int | None, body: str,
                    *, from_fork: bool) -> str:
    from scorecard.github.comments import own_login, upsert_comment

    if not _truthy(env.input("comment", "on")):
        return "off"
    if number is None or not env.repository:
        env.command("warning", "no pull request in the event: no comment",
                    title="scorecard")
        return "skipped"
    if from_fork:
        env.command("notice", "a pull request from a fork has a read-only token: the "
                    "comment is saved to comment-path for a workflow_run workflow to "
                    "post (see the README)", title="scorecard")
        return "saved"
    if client is None:
        env.command("warning", "no token: the comment is saved, not posted",
                    title="scorecard")
        return "saved"
    try:
        result, _ = upsert_comment(client, env.repository, int(number), body,
                                   comment_render.COMMENT_MARKER, own_login(client),
                                   same=comment_render.same_comment)
    except Forbidden:
        env.command("notice", "the token may not comment (read-only): the comment is "
                    "saved to comment-path", title="scorecard")
        return "saved"
    except GitHubError as exc:
        env.command("warning", f"could not post the comment: {exc}", title="scorecard")
        return "failed"
    env.log(f"scorecard: comment {result}")
    return result


def finish(env: ActionEnv, cmp: Comparison, links: comment_render.Links, *,
           comment_path: Path | None, comment_status: str) -> int:
    head = cmp.head
    out = env.output_dir()
    report = out / "report.json"
    write_file(report, json.dumps(redact_data({
        "scorecard": head.to_json(), "comparison": cmp.to_json(),
        "base": cmp.base.to_json() if cmp.base else None}), indent=1, ensure_ascii=False))
    wf.append_summary(summary_markdown(cmp, links), env.get("GITHUB_STEP_SUMMARY") or None)
    annotate(env, head, cmp)
    fail_on = env.input("fail-on", "none").lower()
    if fail_on not in FAIL_ON:
        raise ActionError(f"fail-on {fail_on!r}: use one of {', '.join(FAIL_ON)}")
    code, passed = exit_code(fail_on, cmp, env.input("min-level", "Bronze"))
    wf.set_outputs({
        "score": str(head.score), "level": head.level or "",
        "base-level": (cmp.base.level or "") if cmp.base else "",
        "base-score": str(cmp.base.score) if cmp.base else "",
        "passed": "true" if passed else "false",
        "report-path": _rel(env, report),
        "comment-path": _rel(env, comment_path) if comment_path else "",
        "comment": comment_status,
    }, env.get("GITHUB_OUTPUT") or None, env.out)
    env.log(f"scorecard: {head.level or 'no level'} · {head.score}/100"
            + (f" (base: {cmp.base.level or 'no level'} · {cmp.base.score}/100)"
               if cmp.base else ""))
    if code:
        reason = "lowers the grade" if fail_on == "regression" else \
            f"is below {env.input('min-level', 'Bronze')}"
        env.command("error", f"the repository {reason} (fail-on: {fail_on})",
                    title="scorecard")
    return code


def _grade(snap: RepoSnapshot, standard: Standard, registry: Registry,
           env: ActionEnv) -> Scorecard:
    """One side graded within the repository deadline (``SCORECARD_REPO_TIMEOUT``); each
    check has its own deadline inside it (see :mod:`scorecard.budgets`)."""
    from scorecard import budgets

    try:
        return budgets.call_with_deadline(
            budgets.current().repo_seconds, f"grading {snap.label}",
            lambda: grade_snapshot(snap, standard, registry, target=env.repository or None))
    except budgets.TimedOut as exc:
        raise ActionError(str(exc)) from None


def run_repo(env: ActionEnv, registry: Registry) -> int:
    from scorecard.sources.local import open_local

    snap = open_local(env.workspace, label=env.repository or str(env.workspace))
    standard = standard_from(snap, registry, env.input("config"))
    card = _grade(snap, standard, registry, env)
    cmp = compare(None, card)
    sha = card.commit or env.get("GITHUB_SHA")
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{sha}/" if sha and env.repository else None,
        run=env.run_url)
    return finish(env, cmp, links, comment_path=None, comment_status="off")


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _line(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else None


def untrusted_scorecard(data: Any, registry: Registry) -> Scorecard:
    """A scorecard read from a file that a fork's run wrote: every field coerced to its type,
    and what the comment shows as the tool's own words (the docs link and the remediation)
    taken from the installed checks, never from the file. Messages, paths and names stay
    untrusted text, escaped when the comment is rendered. Raises ValueError, KeyError,
    TypeError."""
    if not isinstance(data, dict):
        raise ValueError("not a scorecard")
    card = Scorecard.from_json(data)
    checks = []
    for r in card.checks:
        known = r.id in registry
        url = r.docs_url if _SAFE_URL.match(r.docs_url) else ""
        checks.append(dataclasses.replace(
            r, docs_url=url or (docs_url(r.id) if known else ""),
            remediation=registry[r.id].remediation if known else "",
            level=_str_or_none(r.level),
            locations=tuple(Location(str(loc.path), _line(loc.line)) for loc in r.locations)))
    return dataclasses.replace(
        card, checks=tuple(checks), commit=_str_or_none(card.commit),
        level=_str_or_none(card.level), ref=_str_or_none(card.ref),
        levels=tuple(LevelStatus(str(lvl.name), bool(lvl.held),
                                 tuple(str(b) for b in lvl.blocking)) for lvl in card.levels),
        warnings=tuple(str(w) for w in card.warnings))


def _saved_path(env: ActionEnv, path_text: str) -> Path:
    path = Path(path_text)
    if not path.is_absolute():
        path = env.workspace / path
    return path / "comment.json" if path.is_dir() else path


def run_post_saved(env: ActionEnv, path_text: str, registry: Registry) -> int:
    """Post a comment saved by a pull-request run (``workflow_run`` workflow). The file is
    untrusted: only its data is used, the comment is rendered anew, and only onto the pull
    request whose head is the saved commit (and the workflow run's, when the event says)."""
    from scorecard.github.comments import own_login, upsert_comment

    path = _saved_path(env, path_text)
    try:
        if path.stat().st_size > SAVED_MAX_BYTES:
            raise ValueError(f"larger than {SAVED_MAX_BYTES >> 20} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != "repo-scorecard-comment":
            raise ValueError("not a saved scorecard comment")
        head = untrusted_scorecard(data["head"], registry)
        base = untrusted_scorecard(data["base"], registry) if data.get("base") else None
        number = data["pull_request"]
        if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
            raise ValueError(f"pull_request {number!r} is not a number")
        head_sha = data["head_sha"]
        if not isinstance(head_sha, str) or not re.fullmatch(r"[0-9a-f]{40}", head_sha):
            raise ValueError("head_sha is not a commit")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ActionError(f"post-saved-comment: {path_text}: {exc}") from None
    if data.get("repository") != env.repository:
        raise ActionError(f"post-saved-comment: the saved comment is for another repository "
                          f"({str(data.get('repository'))[:100]!r}), not {env.repository!r}")
    client = _client(env)
    if client is None:
        raise ActionError("post-saved-comment needs a token with pull-requests: write")
    event = env.event()
    run = event.get("workflow_run") or {}
    if run and run.get("head_sha") and run["head_sha"] != head_sha:
        raise ActionError("post-saved-comment: the saved comment is for commit "
                          f"{head_sha[:7]}, but the workflow run was for {run['head_sha'][:7]}")
    pull = client.get(f"/repos/{env.repository}/pulls/{number}")
    if not isinstance(pull, dict) or (pull.get("head") or {}).get("sha") != head_sha:
        env.command("notice", f"pull request #{number} is not at {head_sha[:7]} (it "
                    "has moved on, or the saved comment is not its own): the comment "
                    "is not posted", title="scorecard")
        wf.set_outputs({"comment": "skipped"}, env.get("GITHUB_OUTPUT") or None, env.out)
        return 0
    cmp = compare(base, head)
    links = comment_render.Links(blob=f"{env.server}/{env.repository}/blob/{head_sha}/",
                                 run=run.get("html_url") if isinstance(run.get("html_url"), str)
                                 else env.run_url,
                                 base_ref=str((pull.get("base") or {}).get("ref") or "")
                                 or None)
    body = comment_render.with_digest(redact(comment_render.render(cmp, links)), links)
    result, _ = upsert_comment(client, env.repository, number, body,
                               comment_render.COMMENT_MARKER, own_login(client),
                               same=comment_render.same_comment)
    env.log(f"scorecard: comment {result} on #{number}")
    wf.set_outputs({"comment": result, "score": str(head.score), "level": head.level or ""},
                   env.get("GITHUB_OUTPUT") or None, env.out)
    return 0


def run(environ: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    env = ActionEnv(environ if environ is not None else os.environ, out or sys.stdout)
    token = env.input("token") or env.get("GITHUB_TOKEN")
    register_credentials(env.environ, token)
    wf.add_mask(token, env.out)
    registry = default_registry()
    for err in registry.errors:
        env.command("warning", str(err), title="scorecard plugin")
    try:
        fail_on = env.input("fail-on", "none").lower()
        if fail_on not in FAIL_ON:
            raise ActionError(f"fail-on {fail_on!r}: use one of {', '.join(FAIL_ON)}")
        saved = env.input("post-saved-comment")
        if saved:
            return run_post_saved(env, saved, registry)
        mode = env.input("mode") or ("pr" if env.get("GITHUB_EVENT_NAME") in PR_EVENTS
                                     else "repo")
        if mode == "pr":
            return run_pr(env, registry)
        if mode == "repo":
            return run_repo(env, registry)
        if mode in ("org", "report"):
            from scorecard.action_org import OrgActionError, run_org, run_report_mode

            try:
                return run_org(env, registry) if mode == "org" else run_report_mode(env)
            except OrgActionError as exc:
                raise ActionError(str(exc)) from None
        raise ActionError(f"mode {mode!r}: use pr, repo, org or report")
    except StandardError as exc:
        env.command("error", f"invalid standard: {exc}", file=exc.file if exc.file
                    and not exc.file.startswith("default") else None, line=exc.line,
                    title="scorecard")
        return 2
    except (ActionError, GitHubError, SourceError, OutputError) as exc:
        env.command("error", str(exc), title="scorecard")
        return 2
