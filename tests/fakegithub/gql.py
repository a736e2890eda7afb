"""GraphQL of the fake: GitHub's real public schema, every query parsed and checked with all of
graphql-core's specified validation rules (as GitHub does: an unused fragment, an unknown field,
a wrong argument type are errors) plus GitHub's pagination rules, then executed by graphql-core.

The fake answers what the product asks (``scorecard/github/queries.py``): ``repository`` (its
facts, default branch, rules, git objects by expression) and ``rateLimit``. Resolution is
graphql-core's own over plain dicts; a value that is a function is called with the field's
arguments. A field the fake does not answer is null with an error, recorded in
``FakeGitHub.graphql_unimplemented`` (the fixture fails the test on it).
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    build_schema,
    execute_sync,
    get_named_type,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)

from . import gitwrite
from .state import SSO_MESSAGE, FakeError, Repo, Token

if TYPE_CHECKING:
    from .server import FakeGitHub

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "github-schema.graphql"
TEXT_LIMIT = 512_000
NODE_LIMIT = 500_000
PAGE_LIMIT = 100

_schema_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _build() -> GraphQLSchema:
    # Descriptions ("""...""" blocks, two thirds of the file) play no part in validation or
    # execution; dropping them halves the build time.
    sdl = re.sub(r'"""(?:.|\n)*?"""', "", SCHEMA_PATH.read_text(encoding="utf-8"))
    schema = build_schema(sdl, assume_valid_sdl=True)
    schema._validation_errors = []  # GitHub's SDL trips graphql-core's own checks
    return schema


def github_schema() -> GraphQLSchema:
    """GitHub's schema, built once per process (about 2 s)."""
    with _schema_lock:
        return _build()


def preload() -> None:
    """Start building the schema in the background."""
    threading.Thread(target=github_schema, daemon=True, name="fakegithub-schema").start()


# --------------------------------------------------------------------------------------------
# errors


class GitHubError(Exception):
    """An error entry GitHub adds (``type``, ``message``); the field answers null."""

    def __init__(self, type_: str, message: str, extensions: dict[str, Any] | None = None):
        super().__init__(message)
        self.type = type_
        self.message = message
        self.extensions = extensions


class Unimplemented(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"The fake GitHub does not implement {name}")
        self.name = name


def format_error(err: GraphQLError) -> dict[str, Any]:
    """GitHub's error entry; graphql-core's commonest message in graphql-ruby's words."""
    orig = err.original_error
    out: dict[str, Any] = {}
    kind = orig.type if isinstance(orig, GitHubError) else (err.extensions or {}).get("type")
    if kind:
        out["type"] = kind
    if err.path is not None:
        out["path"] = list(err.path)
    if isinstance(orig, GitHubError) and orig.extensions:
        out["extensions"] = orig.extensions
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    message = orig.message if isinstance(orig, GitHubError) else err.message
    ruby = re.match(r"Cannot query field '(\w+)' on type '(\w+)'\.", message)
    out["message"] = (
        f"Field '{ruby.group(1)}' doesn't exist on type '{ruby.group(2)}'" if ruby else message
    )
    return out


# --------------------------------------------------------------------------------------------
# GitHub's static rules: pagination boundaries (a validation rule), node limit and cost


def _selects_items(selection_set: SelectionSetNode | None, context: ValidationContext) -> bool:
    """Whether a connection's selection asks for its items (``nodes`` or ``edges``)."""
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, FieldNode) and sel.name.value in ("nodes", "edges"):
            return True
        if isinstance(sel, InlineFragmentNode) and _selects_items(sel.selection_set, context):
            return True
        if isinstance(sel, FragmentSpreadNode):
            frag = context.get_fragment(sel.name.value)
            if frag is not None and _selects_items(frag.selection_set, context):
                return True
    return False


class PaginationRule(ValidationRule):
    """GitHub's rule: a connection whose items are asked for needs ``first`` or ``last``,
    between 0 and 100."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        field_def = self.context.get_field_def()
        if (
            field_def is None
            or "first" not in field_def.args
            or not get_named_type(field_def.type).name.endswith("Connection")
        ):
            return
        name = node.name.value
        bounds = {
            a.name.value: a.value for a in node.arguments or () if a.name.value in ("first", "last")
        }
        if not bounds:
            if _selects_items(node.selection_set, self.context):
                self._report(
                    "MISSING_PAGINATION_BOUNDARIES",
                    node,
                    "You must provide a "
                    f"`first` or `last` value to properly paginate the `{name}` "
                    "connection.",
                )
            return
        for which, value in bounds.items():
            limit = int(value.value) if isinstance(value, IntValueNode) else None
            if limit is not None and limit > PAGE_LIMIT:
                self._report(
                    "EXCESSIVE_PAGINATION",
                    node,
                    f"Requesting {limit} records on "
                    f"the `{name}` connection exceeds the `{which}` limit of "
                    f"{PAGE_LIMIT} records.",
                )
            elif limit is not None and limit < 0:
                self._report(
                    "ARGUMENT_LIMIT",
                    node,
                    f"`{which}` on the `{name}` connection cannot be less than zero.",
                )

    def _report(self, kind: str, node: FieldNode, message: str) -> None:
        self.report_error(GraphQLError(message, node, extensions={"type": kind}))


RULES = [*specified_rules, PaginationRule]


@dataclass
class Analysis:
    """What GitHub computes before running a query: its operation, aliases, node count (at
    most 500,000) and cost (one point per 100 connection requests, at least 1)."""

    operation: str | None = None
    top_level: int = 0
    node_count: int = 0
    requests: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return max(1, round(self.requests / 100))


def analyze(document: DocumentNode, operation_name: str | None) -> Analysis:
    op = get_operation_ast(document, operation_name)
    if op is None:
        return Analysis(
            errors=[
                {
                    "message": "An operation name is required"
                    if operation_name is None
                    else f'No operation named "{operation_name}"'
                }
            ]
        )
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    result = Analysis(op.name.value if op.name else None, len(op.selection_set.selections))

    def walk(selection_set: SelectionSetNode, multiplier: int) -> None:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                args = {a.name.value: a.value for a in sel.arguments or ()}
                bound = args.get("first") or args.get("last")
                child = multiplier
                if isinstance(bound, IntValueNode):  # a connection: one request per parent
                    result.requests += multiplier
                    child = multiplier * int(bound.value)
                    result.node_count += child
                if sel.selection_set is not None:
                    walk(sel.selection_set, child)
            elif isinstance(sel, InlineFragmentNode):
                walk(sel.selection_set, multiplier)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
                walk(fragments[sel.name.value], multiplier)  # validation forbids cycles

    walk(op.selection_set, 1)
    if result.node_count > NODE_LIMIT:
        result.errors.append(
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "message": f"This query requests up to {result.node_count:,} possible nodes "
                f"which exceeds the maximum limit of {NODE_LIMIT:,}.",
            }
        )
    return result


def parse_and_validate(query: str) -> tuple[DocumentNode | None, list[dict[str, Any]]]:
    """The document, or GitHub's errors for it: syntax, then every validation rule."""
    try:
        document = parse(query)
    except GraphQLError as err:
        return None, [format_error(err)]
    errors = validate(github_schema(), document, RULES)
    return (None if errors else document), [format_error(e) for e in errors]


# --------------------------------------------------------------------------------------------
# answers: plain dicts, with functions for what takes arguments or reads git


@dataclass
class Context:
    gh: FakeGitHub
    token: Token
    sso_orgs: set[int] = field(default_factory=set)


def connection(
    items: Sequence[Any],
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    **_: Any,
) -> dict[str, Any]:
    """A connection's ``totalCount`` and ``nodes``: the first page (``first``) or the last
    (``last``); the product never pages further, so cursors are refused."""
    if after or before:
        raise Unimplemented("pagination cursors (after, before)")
    nodes = list(items)[:first] if first is not None else list(items)
    if last is not None:
        nodes = nodes[max(0, len(nodes) - last) :]
    return {"totalCount": len(items), "nodes": nodes}


def git_object(ctx: Context, repo: Repo, name: str) -> dict[str, Any] | None:
    """The object ``name`` (a revision, ``rev:path``, an id) names, as GitHub's GitObject."""
    git, path = ctx.gh.git, repo.path
    obj = git.info(path, name)
    if obj is None:
        return None
    out: dict[str, Any] = {"oid": obj.oid, "__typename": obj.type.capitalize()}
    if obj.type == "commit":
        out["tarballUrl"] = ctx.gh.codeload_link(repo, obj.oid, "tar.gz", graphql=True)
    elif obj.type == "tree":
        out["entries"] = lambda info: [
            {"name": i.text_name, "type": i.type} for i in git.tree(path, obj.oid) or []
        ]
    elif obj.type == "blob":

        def text(info: Any) -> str | None:
            data = (git.read(path, obj.oid) or obj).data or b""
            if b"\0" in data[:8000]:
                return None  # binary
            return data[:TEXT_LIMIT].decode(
                "utf-8", "ignore" if len(data) > TEXT_LIMIT else "replace"
            )

        out["text"] = text
    return out


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    kind = rule["type"]
    params = rule.get("parameters")
    if kind == "pull_request":  # GitHub always answers its parameters
        params = {"required_approving_review_count": 0, **(params or {})}
    typename = "".join(p.capitalize() for p in kind.split("_")) + "Parameters"
    parameters = (
        None
        if params is None
        else {
            "__typename": typename,
            "requiredApprovingReviewCount": params.get("required_approving_review_count"),
        }
    )
    return {"type": kind.upper(), "parameters": parameters}


def default_branch(ctx: Context, repo: Repo) -> dict[str, Any] | None:
    ref = f"refs/heads/{repo.default_branch}"
    if ctx.gh.head_sha(repo) is None:
        return None
    classic = repo.protections.get(repo.default_branch)
    reviews = (classic or {}).get("required_pull_request_reviews")
    return {
        "name": repo.default_branch,
        "target": lambda info: git_object(ctx, repo, ref),
        "refUpdateRule": None
        if classic is None
        else {
            "requiredApprovingReviewCount": (
                int(reviews.get("required_approving_review_count", 1)) if reviews else None
            )
        },
        "rules": lambda info, **page: connection(
            [_rule(rule) for _rs, rule in ctx.gh.branch_rules(repo, ref)], **page
        ),
    }


def repository(ctx: Context, repo: Repo) -> dict[str, Any]:
    owner = ctx.gh.user(repo.owner)
    return {
        "name": repo.name,
        "nameWithOwner": repo.full_name,
        "owner": {
            "login": owner.login if owner else repo.owner,
            "__typename": "Organization" if ctx.gh.org(repo.owner) else "User",
        },
        "isArchived": repo.archived,
        "isFork": repo.fork,
        "isPrivate": repo.private,
        "visibility": repo.visibility.upper(),
        "repositoryTopics": lambda info, **page: connection(
            [{"topic": {"name": t}} for t in repo.topics], **page
        ),
        "releases": lambda info, **page: connection(repo.releases, **page),
        "defaultBranchRef": lambda info: default_branch(ctx, repo),
        "object": lambda info, expression=None, oid=None: git_object(
            ctx, repo, oid or ctx.gh.git_expression(repo, expression or "")
        ),
    }


def root(ctx: Context, rate: dict[str, Any], analysis: Analysis) -> dict[str, Any]:
    def find(info: Any, owner: str, name: str, **_: Any) -> dict[str, Any]:
        gh, token = ctx.gh, ctx.token
        if gh.sso_blocked(token, owner):
            org = gh.org(owner)
            if org is not None:
                ctx.sso_orgs.add(org.id)
            raise GitHubError("FORBIDDEN", SSO_MESSAGE, {"saml_failure": True})
        repo = gh.find_repo(owner, name)
        if repo is None or not gh.can_see(token, repo):
            raise GitHubError(
                "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
            )
        return repository(ctx, repo)

    return {
        "repository": find,
        "rateLimit": {**rate, "cost": analysis.cost, "nodeCount": analysis.node_count},
        "createCommitOnBranch": lambda info, input: create_commit_on_branch(ctx, input),
    }


def create_commit_on_branch(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """GitHub's ``createCommitOnBranch``: file changes committed on top of the branch's head,
    which must be ``expectedHeadOid``; committed by GitHub (signed, on GitHub) for the token's
    user or App."""
    branch = data["branch"]
    nwo = str(branch.get("repositoryNameWithOwner") or "")
    owner, _, name = nwo.partition("/")
    repo = ctx.gh.find_repo(owner, name)
    if repo is None or not ctx.gh.can_see(ctx.token, repo):
        raise GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{nwo}'.")
    try:
        ctx.gh.check_write(ctx.token, repo, "contents")
    except FakeError as exc:
        raise GitHubError("FORBIDDEN", exc.message) from None
    ref = f"refs/heads/{branch.get('branchName') or ''}"
    head = ctx.gh.git.resolve(repo.path, ref) if branch.get("branchName") else None
    if head is None:
        raise GitHubError("NOT_FOUND", f'A ref named "{ref}" does not exist.')
    if head != data["expectedHeadOid"]:
        raise GitHubError(
            "STALE_DATA",
            f'Expected branch to point to "{data["expectedHeadOid"]}" but it did not. Pull and '
            "try again.",
        )
    changes = data.get("fileChanges") or {}
    try:
        additions = [
            (str(a["path"]), base64.b64decode(a["contents"], validate=True))
            for a in changes.get("additions") or ()
        ]
    except (binascii.Error, ValueError):
        raise GitHubError("UNPROCESSABLE", "contents must be Base64-encoded") from None
    deletions = [str(d["path"]) for d in changes.get("deletions") or ()]
    message = data["message"]
    text = str(message["headline"]) + (f"\n\n{message['body']}" if message.get("body") else "")
    oid = gitwrite.commit_changes(
        repo.path, head, additions, deletions, text, (ctx.token.login, "noreply@github.com")
    )
    ctx.gh.rest.move_branch(repo, ref, oid)
    return {
        "commit": git_object(ctx, repo, oid),
        "ref": {"name": ref.removeprefix("refs/heads/"), "prefix": "refs/heads/"},
        "clientMutationId": data.get("clientMutationId"),
    }


_MISSING = object()


def resolve_field(source: Any, info: Any, **args: Any) -> Any:
    """graphql-core's default resolver, but a field the answer lacks is an error, not null."""
    value = source.get(info.field_name, _MISSING) if isinstance(source, Mapping) else _MISSING
    if value is _MISSING:
        raise Unimplemented(f"{info.parent_type.name}.{info.field_name}")
    return value(info, **args) if callable(value) else value


def resolve_type(value: Mapping[str, Any], info: Any, abstract_type: Any) -> str | None:
    return value.get("__typename")


def run(
    gh: FakeGitHub,
    token: Token,
    document: DocumentNode,
    analysis: Analysis,
    variables: dict[str, Any],
    operation_name: str | None,
    rate: dict[str, Any],
) -> tuple[dict[str, Any], Context]:
    ctx = Context(gh, token)
    result = execute_sync(
        github_schema(),
        document,
        root_value=root(ctx, rate, analysis),
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=resolve_field,
        type_resolver=resolve_type,
    )
    errors = []
    for err in result.errors or []:
        orig = err.original_error
        if isinstance(orig, Unimplemented):
            gh.note_unimplemented(orig.name)
        elif orig is not None and not isinstance(orig, GitHubError | GraphQLError):
            gh.note_problem(f"GraphQL resolver error at {err.path}: {orig!r}")
        elif orig is None and err.message.startswith("Cannot return null for non-nullable"):
            gh.note_problem(f"GraphQL: {err.message} (at {err.path})")
        errors.append(format_error(err))
    body: dict[str, Any] = {"data": result.data}
    if errors:
        body["errors"] = errors
    return body, ctx


__all__ = ["Analysis", "analyze", "github_schema", "parse_and_validate", "preload", "run"]
