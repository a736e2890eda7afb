"""GraphQL of the fake: GitHub's real public schema, every query parsed and validated against
it, GitHub's static limits (pagination boundaries, node limit, cost), then executed by
graphql-core over the fake's state.

Resolvers are plain Python objects whose methods are named after the GraphQL fields (camelCase);
internal attributes start with ``_`` so no GraphQL field can reach them. A field the fake does
not implement answers null with an error and is recorded in ``FakeGitHub.graphql_unimplemented``.
"""

from __future__ import annotations

import base64
import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    build_schema,
    execute,
    get_named_type,
    get_operation_ast,
    parse,
    validate,
)

from .gitstore import CommitInfo, GitObject, Signature, TreeItem
from .state import (
    INTEGRATION_DENIED,
    SSO_MESSAGE,
    Comment,
    FakeError,
    Issue,
    Org,
    Repo,
    Ruleset,
    Team,
    Token,
    User,
    decode_node_id,
    iso,
    node_id,
    now,
)

if TYPE_CHECKING:
    from .server import FakeGitHub

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "github-schema.graphql"
TEXT_LIMIT = 512_000
MAX_BODY = 65536
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
    def __init__(self, name: str = "?") -> None:
        super().__init__(f"The fake GitHub does not implement {name}")
        self.name = name


def _graphql_ruby_message(message: str) -> str:
    """graphql-core -> the wording of GitHub's graphql-ruby for the commonest errors."""
    match = re.match(r"Cannot query field '(\w+)' on type '(\w+)'\.", message)
    if match:
        return f"Field '{match.group(1)}' doesn't exist on type '{match.group(2)}'"
    return message


def format_error(err: GraphQLError) -> dict[str, Any]:
    out: dict[str, Any] = {}
    orig = err.original_error
    if isinstance(orig, GitHubError):
        out["type"] = orig.type
    if err.path is not None:
        out["path"] = list(err.path)
    if isinstance(orig, GitHubError) and orig.extensions:
        out["extensions"] = orig.extensions
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    out["message"] = orig.message if isinstance(orig, GitHubError) else _graphql_ruby_message(
        err.message)
    return out


# --------------------------------------------------------------------------------------------
# static analysis: GitHub's pagination rules, node limit and cost


@dataclass
class Analysis:
    errors: list[dict[str, Any]] = field(default_factory=list)
    node_count: int = 0
    requests: int = 0
    top_level: int = 0
    operation: str | None = None
    operation_type: str = "query"
    dry_run: bool = False

    @property
    def cost(self) -> int:
        return max(1, round(self.requests / 100))


def analyze(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
            variables: dict[str, Any]) -> Analysis:
    result = Analysis()
    op = get_operation_ast(document, operation_name)
    if op is None:
        result.errors.append({"message": "An operation name is required" if operation_name
                              is None else f'No operation named "{operation_name}"'})
        return result
    result.operation = op.name.value if op.name else None
    result.operation_type = op.operation.value
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    root = schema.mutation_type if op.operation == OperationType.MUTATION else schema.query_type
    values: dict[str, Any] = {}
    for definition in op.variable_definitions or ():
        name = definition.variable.name.value
        if definition.default_value is not None:
            values[name] = _arg_value(definition.default_value, {})
        if name in (variables or {}):
            values[name] = variables[name]
    result.top_level = len(op.selection_set.selections)
    if root is not None:
        _walk(schema, op.selection_set, root, 1, [], fragments, values, result, set())
        for sel in op.selection_set.selections:
            if isinstance(sel, FieldNode) and sel.name.value == "rateLimit":
                for arg in sel.arguments or ():
                    if arg.name.value == "dryRun" and _arg_value(arg.value, values):
                        result.dry_run = True
    return result


def _arg_value(node: Any, variables: dict[str, Any]) -> Any:
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, BooleanValueNode):
        return node.value
    return None


def _selects_nodes(selection_set: SelectionSetNode | None,
                   fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> bool:
    """Whether a connection's selection asks for its items (``nodes`` or ``edges``)."""
    if selection_set is None:
        return False
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode) and sel.name.value in ("nodes", "edges"):
            return True
        if isinstance(sel, InlineFragmentNode) and _selects_nodes(sel.selection_set,
                                                                  fragments, seen):
            return True
        if isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
            frag = fragments.get(sel.name.value)
            if frag is not None and _selects_nodes(frag.selection_set, fragments,
                                                   seen | {sel.name.value}):
                return True
    return False


def _walk(schema: GraphQLSchema, selection_set: SelectionSetNode, parent: Any, multiplier: int,
          path: list[str], fragments: dict[str, FragmentDefinitionNode],
          variables: dict[str, Any], result: Analysis, seen: set[str]) -> None:
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            name = sel.name.value
            if name.startswith("__") or not isinstance(
                    parent, GraphQLObjectType | GraphQLInterfaceType):
                continue
            field_def = parent.fields.get(name)
            if field_def is None:
                continue
            key = sel.alias.value if sel.alias else name
            named = get_named_type(field_def.type)
            child = multiplier
            if named.name.endswith("Connection") and "first" in field_def.args:
                args = {arg.name.value: _arg_value(arg.value, variables)
                        for arg in sel.arguments or ()}
                first, last = args.get("first"), args.get("last")
                if not isinstance(first, int) or isinstance(first, bool):
                    first = None
                if not isinstance(last, int) or isinstance(last, bool):
                    last = None
                location = {"line": sel.loc.source.get_location(sel.loc.start).line,
                            "column": sel.loc.source.get_location(sel.loc.start).column} \
                    if sel.loc else None
                entry: dict[str, Any] = {"path": [*path, key]}
                if location:
                    entry["locations"] = [location]
                if first is None and last is None and not _selects_nodes(
                        sel.selection_set, fragments, set()):
                    limit = 0  # only totalCount/pageInfo: GitHub needs no boundaries
                elif first is None and last is None:
                    result.errors.append({"type": "MISSING_PAGINATION_BOUNDARIES", **entry,
                                          "message": "You must provide a `first` or `last` value"
                                                     f" to properly paginate the `{name}` "
                                                     "connection."})
                    limit = 0
                else:
                    which, limit = ("first", first) if first is not None else ("last", last)
                    if limit > PAGE_LIMIT:
                        result.errors.append({
                            "type": "EXCESSIVE_PAGINATION", **entry,
                            "message": f"Requesting {limit} records on the `{name}` connection "
                                       f"exceeds the `{which}` limit of {PAGE_LIMIT} records."})
                    elif limit < 0:
                        result.errors.append({
                            "type": "ARGUMENT_LIMIT", **entry,
                            "message": f"`{which}` on the `{name}` connection cannot be less "
                                       "than zero."})
                        limit = 0
                result.requests += multiplier
                child = multiplier * max(limit, 0)
                result.node_count += child
                if result.node_count > NODE_LIMIT and not any(
                        e.get("type") == "MAX_NODE_LIMIT_EXCEEDED" for e in result.errors):
                    result.errors.append({
                        "type": "MAX_NODE_LIMIT_EXCEEDED", **entry,
                        "message": f"By the time this query traverses to the {name} connection,"
                                   f" it is requesting up to {result.node_count:,} possible "
                                   f"nodes which exceeds the maximum limit of {NODE_LIMIT:,}."})
            if sel.selection_set is not None:
                _walk(schema, sel.selection_set, named, child, [*path, key], fragments,
                      variables, result, seen)
        elif isinstance(sel, InlineFragmentNode):
            target = schema.type_map.get(sel.type_condition.name.value) \
                if sel.type_condition else parent
            _walk(schema, sel.selection_set, target, multiplier, path, fragments, variables,
                  result, seen)
        elif isinstance(sel, FragmentSpreadNode):
            frag = fragments.get(sel.name.value)
            if frag is None or sel.name.value in seen:
                continue
            target = schema.type_map.get(frag.type_condition.name.value)
            _walk(schema, frag.selection_set, target, multiplier, path, fragments, variables,
                  result, seen | {sel.name.value})


# --------------------------------------------------------------------------------------------
# execution context and helpers


@dataclass
class Context:
    gh: FakeGitHub
    token: Token
    analysis: Analysis
    rate: dict[str, Any]
    sso_orgs: set[int] = field(default_factory=set)
    head_cache: dict[int, str | None] = field(default_factory=dict)

    def head(self, repo: Repo) -> str | None:
        if repo.id not in self.head_cache:
            self.head_cache[repo.id] = self.gh.head_sha(repo)
        return self.head_cache[repo.id]


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _uncursor(value: str) -> int:
    try:
        raw = base64.b64decode(value.encode(), validate=True).decode()
        prefix, _, number = raw.rpartition(":")
        if prefix != "cursor:v2":
            raise ValueError(raw)
        return int(number)
    except Exception:
        raise GitHubError("INVALID_CURSOR_ARGUMENTS",
                          f"`{value}` does not appear to be a valid cursor.") from None


def connection(items: Sequence[Any], make: Callable[[Any], Any] = lambda x: x, *,
               first: int | None = None, last: int | None = None, after: str | None = None,
               before: str | None = None, **extra: Any) -> dict[str, Any]:
    total = len(items)
    start = _uncursor(after) + 1 if after else 0
    end = min(_uncursor(before), total) if before else total
    start = max(0, min(start, end))
    lo, hi = start, end
    if first is not None:
        hi = min(hi, lo + max(first, 0))
    if last is not None:
        lo = max(lo, hi - max(last, 0))
    nodes = [make(items[i]) for i in range(lo, hi)]
    edges = [{"cursor": _cursor(i), "node": node} for i, node in zip(range(lo, hi), nodes,
                                                                      strict=True)]
    return {
        "totalCount": total,
        "pageInfo": {"hasNextPage": hi < total, "hasPreviousPage": lo > 0,
                     "startCursor": _cursor(lo) if nodes else None,
                     "endCursor": _cursor(hi - 1) if nodes else None},
        "nodes": nodes,
        "edges": edges,
        **extra,
    }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_camel(k): _camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel_keys(v) for v in value]
    return value


def _when(ts: int) -> str:
    return iso(datetime.fromtimestamp(ts, timezone.utc)) or ""


def _git_date(sig: Signature) -> str:
    sign = 1 if sig.tz.startswith("+") else -1
    hours, minutes = int(sig.tz[1:3] or 0), int(sig.tz[3:5] or 0)
    offset = sign * (hours * 60 + minutes)
    from datetime import timedelta

    tz = timezone(timedelta(minutes=offset))
    return datetime.fromtimestamp(sig.timestamp, tz).isoformat()


LANGUAGES = {
    ".py": ("Python", "#3572A5"), ".js": ("JavaScript", "#f1e05a"),
    ".ts": ("TypeScript", "#3178c6"), ".go": ("Go", "#00ADD8"), ".rs": ("Rust", "#dea584"),
    ".java": ("Java", "#b07219"), ".rb": ("Ruby", "#701516"), ".c": ("C", "#555555"),
    ".h": ("C", "#555555"), ".cpp": ("C++", "#f34b7d"), ".cs": ("C#", "#178600"),
    ".sh": ("Shell", "#89e051"), ".md": ("Markdown", "#083fa1"),
    ".yml": ("YAML", "#cb171e"), ".yaml": ("YAML", "#cb171e"), ".json": ("JSON", "#292929"),
    ".toml": ("TOML", "#9c4221"), ".html": ("HTML", "#e34c26"), ".css": ("CSS", "#563d7c"),
    ".kt": ("Kotlin", "#A97BFF"), ".swift": ("Swift", "#F05138"), ".php": ("PHP", "#4F5D95"),
}


def _language(name: str | None) -> dict[str, Any] | None:
    if not name:
        return None
    color = next((c for n, c in LANGUAGES.values() if n == name), None)
    return {"name": name, "color": color,
            "id": node_id("Language", abs(hash(name)) % 100000)}


class Node:
    typename = "Node"

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx


# --------------------------------------------------------------------------------------------
# actors


class ActorNode(Node):
    def __init__(self, ctx: Context, user: User) -> None:
        super().__init__(ctx)
        self._user = user
        self.typename = user.node_type

    def _web(self, path: str = "") -> str:
        login = self._user.login
        if self._user.type == "Bot" and login.endswith("[bot]"):
            return f"{self._ctx.gh.web_url}/apps/{login[:-5]}{path}"
        return f"{self._ctx.gh.web_url}/{login}{path}"

    def login(self, info: Any) -> str:
        return self._user.login

    def id(self, info: Any) -> str:
        return node_id(self._user.node_type, self._user.id)

    def databaseId(self, info: Any) -> int:
        return self._user.id

    def name(self, info: Any) -> str | None:
        return self._user.name

    def email(self, info: Any) -> str:
        return self._user.email or ""

    def url(self, info: Any) -> str:
        return self._web()

    def resourcePath(self, info: Any) -> str:
        return self._web().split(self._ctx.gh.web_url, 1)[1]

    def avatarUrl(self, info: Any, size: int | None = None) -> str:
        return f"{self._ctx.gh.web_url}/avatars/u/{self._user.id}?v=4" + (
            f"&s={size}" if size else "")

    def createdAt(self, info: Any) -> str | None:
        return iso(self._user.created_at)

    updatedAt = createdAt

    def isSiteAdmin(self, info: Any) -> bool:
        return self._user.site_admin

    def isViewer(self, info: Any) -> bool:
        return self._user.login.lower() == self._ctx.token.login.lower()

    def company(self, info: Any) -> None:
        return None

    bio = location = websiteUrl = twitterUsername = company

    def description(self, info: Any) -> str | None:
        return self._user.description if isinstance(self._user, Org) else None

    def isVerified(self, info: Any) -> bool:
        return False

    # repositories owned
    def repositories(self, info: Any, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None,
                     orderBy: Mapping[str, str] | None = None, isArchived: bool | None = None,
                     isFork: bool | None = None, privacy: str | None = None,
                     visibility: str | None = None, **_: Any) -> dict[str, Any]:
        gh, token = self._ctx.gh, self._ctx.token
        if gh.sso_blocked(token, self._user.login):
            self._ctx.sso_orgs.add(self._user.id)
            raise GitHubError("FORBIDDEN", SSO_MESSAGE, {"saml_failure": True})
        repos = gh.visible_repos(token, self._user.login)
        if isArchived is not None:
            repos = [r for r in repos if r.archived == isArchived]
        if isFork is not None:
            repos = [r for r in repos if r.fork == isFork]
        if privacy is not None:
            repos = [r for r in repos if r.private == (privacy == "PRIVATE")]
        if visibility is not None:
            repos = [r for r in repos if r.visibility.upper() == visibility]
        repos.sort(key=lambda r: r.id)
        if orderBy:
            keys: dict[str, Callable[[Repo], Any]] = {
                "NAME": lambda r: r.name.lower(),
                "CREATED_AT": lambda r: (r.created_at, r.id),
                "UPDATED_AT": lambda r: (r.updated_at, r.id),
                "PUSHED_AT": lambda r: (r.updated_at, r.id),
                "STARGAZERS": lambda r: (r.stargazers, r.id),
            }
            repos.sort(key=keys[orderBy.get("field", "CREATED_AT")],
                       reverse=orderBy.get("direction") == "DESC")
        return connection(repos, lambda r: RepositoryNode(self._ctx, r), first=first,
                          last=last, after=after, before=before, totalDiskUsage=0)

    def repository(self, info: Any, name: str, **_: Any) -> RepositoryNode | None:
        return Query(self._ctx).repository(info, owner=self._user.login, name=name)

    # organisations only
    def team(self, info: Any, slug: str) -> TeamNode | None:
        team = self._ctx.gh.team(self._user.login, slug)
        return TeamNode(self._ctx, team) if team else None

    def teams(self, info: Any, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None,
              userLogins: list[str] | None = None, **_: Any) -> dict[str, Any]:
        org = self._user if isinstance(self._user, Org) else None
        teams = sorted(org.teams.values(), key=lambda t: t.slug) if org else []
        if userLogins:
            wanted = {u.lower() for u in userLogins}
            teams = [t for t in teams if wanted & {m.lower() for m in t.members}]
        return connection(teams, lambda t: TeamNode(self._ctx, t), first=first, last=last,
                          after=after, before=before)

    def viewerIsAMember(self, info: Any) -> bool:
        org = self._user
        return isinstance(org, Org) and self._ctx.token.personal and self._ctx.gh.is_member(
            self._ctx.token, org)

    def viewerCanAdminister(self, info: Any) -> bool:
        return self._ctx.token.kind == "admin"

    def rulesets(self, info: Any, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None, **_: Any) -> Any:
        org = self._user if isinstance(self._user, Org) else None
        if org is None or not self._ctx.gh.can_read_admin(self._ctx.token):
            return None
        return connection(org.rulesets, lambda rs: RulesetNode(self._ctx, rs, None),
                          first=first, last=last, after=after, before=before)


class TeamNode(Node):
    typename = "Team"

    def __init__(self, ctx: Context, team: Team) -> None:
        super().__init__(ctx)
        self._team = team

    def id(self, info: Any) -> str:
        return node_id("Team", self._team.id)

    def databaseId(self, info: Any) -> int:
        return self._team.id

    def slug(self, info: Any) -> str:
        return self._team.slug

    def name(self, info: Any) -> str:
        return self._team.name

    def combinedSlug(self, info: Any) -> str:
        return f"{self._team.org}/{self._team.slug}"

    def description(self, info: Any) -> str | None:
        return self._team.description

    def privacy(self, info: Any) -> str:
        return "VISIBLE"

    def url(self, info: Any) -> str:
        return f"{self._ctx.gh.web_url}/orgs/{self._team.org}/teams/{self._team.slug}"

    def resourcePath(self, info: Any) -> str:
        return f"/orgs/{self._team.org}/teams/{self._team.slug}"

    def organization(self, info: Any) -> ActorNode:
        org = self._ctx.gh.org(self._team.org)
        assert org is not None
        return ActorNode(self._ctx, org)

    def members(self, info: Any, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None, **_: Any) -> dict[str, Any]:
        users = [u for u in (self._ctx.gh.user(m) for m in self._team.members) if u]
        conn = connection(users, lambda u: ActorNode(self._ctx, u), first=first, last=last,
                          after=after, before=before)
        for edge in conn["edges"]:
            edge["role"] = "MEMBER"
        return conn


# --------------------------------------------------------------------------------------------
# git objects


def git_object(ctx: Context, repo: Repo, obj: GitObject | None) -> Node | None:
    if obj is None:
        return None
    if obj.type == "blob":
        return BlobNode(ctx, repo, obj.oid, obj.size)
    if obj.type == "tree":
        return TreeNode(ctx, repo, obj.oid)
    if obj.type == "commit":
        return CommitNode(ctx, repo, obj.oid)
    if obj.type == "tag":
        return TagNode(ctx, repo, obj.oid)
    return None


class GitNode(Node):
    kind = "blob"

    def __init__(self, ctx: Context, repo: Repo, oid: str) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._oid = oid

    def oid(self, info: Any) -> str:
        return self._oid

    def abbreviatedOid(self, info: Any) -> str:
        return self._oid[:7]

    def id(self, info: Any) -> str:
        return base64.b64encode(f"{self.typename}:{self._repo.id}:{self._oid}".encode()).decode()

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)

    def commitUrl(self, info: Any) -> str:
        return f"{self._ctx.gh.web_url}/{self._repo.full_name}/commit/{self._oid}"

    def commitResourcePath(self, info: Any) -> str:
        return f"/{self._repo.full_name}/commit/{self._oid}"


class BlobNode(GitNode):
    typename = "Blob"

    def __init__(self, ctx: Context, repo: Repo, oid: str, size: int | None = None) -> None:
        super().__init__(ctx, repo, oid)
        self._size = size

    def _data(self) -> bytes:
        obj = self._ctx.gh.git.read(self._repo.path, self._oid)
        return obj.data if obj is not None and obj.data is not None else b""

    def byteSize(self, info: Any) -> int:
        if self._size is None:
            found = self._ctx.gh.git.info(self._repo.path, self._oid)
            self._size = found.size if found else 0
        return self._size

    def isBinary(self, info: Any) -> bool:
        return b"\0" in self._data()[:8000]

    def isTruncated(self, info: Any) -> bool:
        return self.byteSize(info) > TEXT_LIMIT

    def text(self, info: Any) -> str | None:
        data = self._data()
        if b"\0" in data[:8000]:
            return None
        if len(data) > TEXT_LIMIT:
            return data[:TEXT_LIMIT].decode("utf-8", "ignore")
        return data.decode("utf-8", "replace")


class TreeNode(GitNode):
    typename = "Tree"

    def __init__(self, ctx: Context, repo: Repo, oid: str, path: str = "") -> None:
        super().__init__(ctx, repo, oid)
        self._path = path

    def entries(self, info: Any) -> list[TreeEntryNode]:
        items = self._ctx.gh.git.tree(self._repo.path, self._oid) or []
        sizes = _Sizes(self._ctx, self._repo, items)
        return [TreeEntryNode(self._ctx, self._repo, item, self._path, sizes)
                for item in items]


class _Sizes:
    """Blob sizes of one tree's entries, fetched together on the first ``size`` asked."""

    def __init__(self, ctx: Context, repo: Repo, items: list[TreeItem]) -> None:
        self._ctx, self._repo, self._items = ctx, repo, items
        self._sizes: dict[str, int] | None = None

    def get(self, oid: str) -> int:
        if self._sizes is None:
            blobs = [i.oid for i in self._items if i.type == "blob"]
            found = self._ctx.gh.git.info_many(self._repo.path, blobs)
            self._sizes = {oid: obj.size for oid, obj in found.items()}
        return self._sizes.get(oid, 0)


class TreeEntryNode(Node):
    typename = "TreeEntry"

    def __init__(self, ctx: Context, repo: Repo, item: TreeItem, parent: str,
                 sizes: _Sizes | None = None) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._item = item
        self._parent = parent
        self._sizes = sizes

    def name(self, info: Any) -> str:
        return self._item.text_name

    def nameRaw(self, info: Any) -> str:
        return base64.b64encode(self._item.name).decode()

    def path(self, info: Any) -> str:
        return f"{self._parent}/{self._item.text_name}" if self._parent else self._item.text_name

    def pathRaw(self, info: Any) -> str:
        return base64.b64encode(self.path(info).encode("utf-8", "surrogateescape")).decode()

    def type(self, info: Any) -> str:
        return self._item.type

    def mode(self, info: Any) -> int:
        return int(self._item.mode, 8)

    def oid(self, info: Any) -> str:
        return self._item.oid

    def size(self, info: Any) -> int:
        if self._item.type != "blob":
            return 0
        if self._sizes is not None:
            return self._sizes.get(self._item.oid)
        found = self._ctx.gh.git.info(self._repo.path, self._item.oid)
        return found.size if found else 0

    def extension(self, info: Any) -> str | None:
        name = self._item.text_name
        if self._item.type != "blob" or "." not in name.lstrip("."):
            return None
        return "." + name.rsplit(".", 1)[1]

    def isGenerated(self, info: Any) -> bool:
        return False

    def lineCount(self, info: Any) -> int | None:
        if self._item.type != "blob":
            return None
        obj = self._ctx.gh.git.read(self._repo.path, self._item.oid)
        data = obj.data if obj is not None and obj.data is not None else b""
        if b"\0" in data[:8000]:
            return None
        return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)

    def language(self, info: Any) -> dict[str, Any] | None:
        ext = self.extension(info)
        found = LANGUAGES.get(ext or "")
        return _language(found[0]) if found else None

    def object(self, info: Any) -> Node | None:
        item = self._item
        if item.type == "tree":
            return TreeNode(self._ctx, self._repo, item.oid, self.path(info))
        if item.type == "blob":
            return BlobNode(self._ctx, self._repo, item.oid)
        return None  # submodule commits live in another repository

    def submodule(self, info: Any) -> None:
        return None

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)


def _actor(ctx: Context, sig: Signature) -> dict[str, Any]:
    user = next((u for u in list(ctx.gh.users.values())
                 if u.email and u.email.lower() == sig.email.lower()), None)
    return {"name": sig.name, "email": sig.email, "date": _git_date(sig),
            "user": ActorNode(ctx, user) if user is not None and user.type == "User" else None,
            "avatarUrl": f"{ctx.gh.web_url}/avatars/u/e?email={sig.email}"}


class CommitNode(GitNode):
    typename = "Commit"

    def _info(self) -> CommitInfo:
        info = self._ctx.gh.git.commit(self._repo.path, self._oid)
        if info is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve to a Commit {self._oid}")
        return info

    def message(self, info: Any) -> str:
        return self._info().message.rstrip("\n")

    def messageHeadline(self, info: Any) -> str:
        return self._info().message.split("\n", 1)[0]

    def messageBody(self, info: Any) -> str:
        parts = self._info().message.split("\n", 1)
        return parts[1].strip("\n") if len(parts) > 1 else ""

    def committedDate(self, info: Any) -> str:
        return _when(self._info().committer.timestamp)

    def authoredDate(self, info: Any) -> str:
        return _when(self._info().author.timestamp)

    def pushedDate(self, info: Any) -> None:
        return None

    def author(self, info: Any) -> dict[str, Any]:
        return _actor(self._ctx, self._info().author)

    def committer(self, info: Any) -> dict[str, Any]:
        return _actor(self._ctx, self._info().committer)

    def authoredByCommitter(self, info: Any) -> bool:
        data = self._info()
        return data.author.email == data.committer.email

    def committedViaWeb(self, info: Any) -> bool:
        return False

    def tree(self, info: Any) -> TreeNode:
        return TreeNode(self._ctx, self._repo, self._info().tree)

    def file(self, info: Any, path: str) -> TreeEntryNode | None:
        parent, _, name = path.strip("/").rpartition("/")
        items = self._ctx.gh.git.tree(self._repo.path, f"{self._oid}:{parent}" if parent
                                      else self._info().tree)
        for item in items or []:
            if item.text_name == name:
                return TreeEntryNode(self._ctx, self._repo, item, parent)
        return None

    def url(self, info: Any) -> str:
        return self.commitUrl(info)

    def resourcePath(self, info: Any) -> str:
        return self.commitResourcePath(info)

    def treeUrl(self, info: Any) -> str:
        return f"{self._ctx.gh.web_url}/{self._repo.full_name}/tree/{self._oid}"

    def treeResourcePath(self, info: Any) -> str:
        return f"/{self._repo.full_name}/tree/{self._oid}"

    def tarballUrl(self, info: Any) -> str:
        return self._ctx.gh.codeload_link(self._repo, self._oid, "tar.gz", graphql=True)

    def zipballUrl(self, info: Any) -> str:
        return self._ctx.gh.codeload_link(self._repo, self._oid, "zip", graphql=True)

    def signature(self, info: Any) -> None:
        return None

    status = statusCheckRollup = onBehalfOf = signature

    def parents(self, info: Any, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None) -> dict[str, Any]:
        return connection(list(self._info().parents),
                          lambda oid: CommitNode(self._ctx, self._repo, oid),
                          first=first, last=last, after=after, before=before)

    def history(self, info: Any, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None, path: str | None = None,
                since: str | None = None, until: str | None = None,
                **_: Any) -> dict[str, Any]:
        oids = self._ctx.gh.git.history(self._repo.path, self._oid, path)
        if since or until:
            lo = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
            hi = datetime.fromisoformat(until.replace("Z", "+00:00")) if until else None
            kept = []
            for oid in oids:
                data = self._ctx.gh.git.commit(self._repo.path, oid)
                if data is None:
                    continue
                when = datetime.fromtimestamp(data.committer.timestamp, timezone.utc)
                if (lo is None or when >= lo) and (hi is None or when <= hi):
                    kept.append(oid)
            oids = kept
        return connection(oids, lambda oid: CommitNode(self._ctx, self._repo, oid),
                          first=first, last=last, after=after, before=before)


class TagNode(GitNode):
    typename = "Tag"

    def _fields(self) -> tuple[dict[str, str], str]:
        obj = self._ctx.gh.git.read(self._repo.path, self._oid)
        data = obj.data.decode("utf-8", "replace") if obj and obj.data else ""
        head, _, message = data.partition("\n\n")
        fields = {}
        for line in head.splitlines():
            key, _, value = line.partition(" ")
            fields[key] = value
        return fields, message

    def name(self, info: Any) -> str:
        return self._fields()[0].get("tag", "")

    def message(self, info: Any) -> str:
        return self._fields()[1].rstrip("\n")

    def tagger(self, info: Any) -> dict[str, Any] | None:
        raw = self._fields()[0].get("tagger")
        if not raw:
            return None
        from .gitstore import _signature

        return _actor(self._ctx, _signature(raw))

    def target(self, info: Any) -> Node | None:
        oid = self._fields()[0].get("object", "")
        return git_object(self._ctx, self._repo, self._ctx.gh.git.info(self._repo.path, oid))


# --------------------------------------------------------------------------------------------
# refs, rules, protection


def _rule_type(rtype: str) -> str:
    return rtype.upper()


class RulesetNode(Node):
    typename = "RepositoryRuleset"

    def __init__(self, ctx: Context, rs: Ruleset, repo: Repo | None) -> None:
        super().__init__(ctx)
        self._rs = rs
        self._repo = repo

    def id(self, info: Any) -> str:
        return node_id("RepositoryRuleset", self._rs.id)

    def databaseId(self, info: Any) -> int:
        return self._rs.id

    def name(self, info: Any) -> str:
        return self._rs.name

    def enforcement(self, info: Any) -> str:
        return self._rs.enforcement.upper()

    def target(self, info: Any) -> str:
        return self._rs.target.upper()

    def createdAt(self, info: Any) -> str | None:
        return iso(self._rs.created_at)

    def updatedAt(self, info: Any) -> str | None:
        return iso(self._rs.updated_at)

    def conditions(self, info: Any) -> dict[str, Any]:
        cond = self._rs.conditions
        ref = cond.get("ref_name")
        names = cond.get("repository_name")
        ids = cond.get("repository_id")
        return {
            "refName": {"include": list(ref.get("include", [])),
                        "exclude": list(ref.get("exclude", []))} if ref else None,
            "repositoryName": {"include": list(names.get("include", [])),
                               "exclude": list(names.get("exclude", [])),
                               "protected": bool(names.get("protected"))} if names else None,
            "repositoryId": {"repositoryIds": [node_id("Repository", i)
                                     for i in ids.get("repository_ids", [])]} if ids else None,
            "repositoryProperty": None,
        }

    def source(self, info: Any) -> Node | None:
        if self._rs.source_type == "Repository":
            repo = self._ctx.gh.repos.get(self._rs.source.lower())
            return RepositoryNode(self._ctx, repo) if repo else None
        org = self._ctx.gh.org(self._rs.source)
        return ActorNode(self._ctx, org) if org else None

    def rules(self, info: Any, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None, type: str | None = None,
              **_: Any) -> dict[str, Any]:
        rules = [r for r in self._rs.rules if type is None or _rule_type(r["type"]) == type]
        return connection(rules, lambda r: RuleNode(self._ctx, self._rs, r, self._repo),
                          first=first, last=last, after=after, before=before)

    def bypassActors(self, info: Any, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> dict[str, Any]:
        return connection([], first=first, last=last, after=after, before=before)


class RuleNode(Node):
    typename = "RepositoryRule"

    def __init__(self, ctx: Context, rs: Ruleset, rule: dict[str, Any],
                 repo: Repo | None) -> None:
        super().__init__(ctx)
        self._rs = rs
        self._rule = rule
        self._repo = repo

    def id(self, info: Any) -> str:
        return base64.b64encode(f"RepositoryRule:{self._rs.id}:{self._rule['type']}".encode()
                                ).decode()

    def type(self, info: Any) -> str:
        return _rule_type(self._rule["type"])

    def parameters(self, info: Any) -> dict[str, Any] | None:
        params = self._rule.get("parameters")
        typename = "".join(p.capitalize() for p in self._rule["type"].split("_")) + "Parameters"
        union = info.schema.type_map["RuleParameters"]
        assert isinstance(union, GraphQLUnionType)
        if params is None or typename not in {t.name for t in union.types}:
            return None
        gql_type = info.schema.type_map[typename]
        fields = gql_type.fields  # type: ignore[union-attr]
        given = _camel_keys(params)
        out: dict[str, Any] = {name: given.get(name) for name in fields}
        out["__typename"] = typename
        for key, value in list(out.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = [{**{f: None for f in _fields_of(info, gql_type, key)}, **v}
                            for v in value]
        return out

    def repositoryRuleset(self, info: Any) -> RulesetNode:
        return RulesetNode(self._ctx, self._rs, self._repo)


def _fields_of(info: Any, gql_type: Any, field_name: str) -> Iterable[str]:
    target = get_named_type(gql_type.fields[field_name].type)
    return getattr(target, "fields", {}).keys()


class BranchProtectionNode(Node):
    typename = "BranchProtectionRule"

    def __init__(self, ctx: Context, repo: Repo, pattern: str, spec: dict[str, Any]) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._pattern = pattern
        self._spec = spec

    def _flag(self, name: str) -> bool:
        value = self._spec.get(name)
        return bool(value.get("enabled")) if isinstance(value, dict) else bool(value)

    def _reviews(self) -> dict[str, Any] | None:
        return self._spec.get("required_pull_request_reviews")

    def _checks(self) -> dict[str, Any]:
        return self._spec.get("required_status_checks") or {}

    def id(self, info: Any) -> str:
        return node_id("BranchProtectionRule", self._repo.id)

    def databaseId(self, info: Any) -> int:
        return self._repo.id

    def pattern(self, info: Any) -> str:
        return self._pattern

    def requiresApprovingReviews(self, info: Any) -> bool:
        return self._reviews() is not None

    def requiredApprovingReviewCount(self, info: Any) -> int | None:
        reviews = self._reviews()
        return int(reviews.get("required_approving_review_count", 1)) if reviews else None

    def requiresCodeOwnerReviews(self, info: Any) -> bool:
        return bool((self._reviews() or {}).get("require_code_owner_reviews"))

    def dismissesStaleReviews(self, info: Any) -> bool:
        return bool((self._reviews() or {}).get("dismiss_stale_reviews"))

    def requireLastPushApproval(self, info: Any) -> bool:
        return bool((self._reviews() or {}).get("require_last_push_approval"))

    def isAdminEnforced(self, info: Any) -> bool:
        return self._flag("enforce_admins")

    def requiresStatusChecks(self, info: Any) -> bool:
        return bool(self._checks())

    def requiresStrictStatusChecks(self, info: Any) -> bool:
        return bool(self._checks().get("strict"))

    def requiredStatusCheckContexts(self, info: Any) -> list[str]:
        return list(self._checks().get("contexts", []))

    def requiredStatusChecks(self, info: Any) -> list[dict[str, Any]]:
        return [{"context": c, "app": None} for c in self._checks().get("contexts", [])]

    def requiresLinearHistory(self, info: Any) -> bool:
        return self._flag("required_linear_history")

    def requiresCommitSignatures(self, info: Any) -> bool:
        return self._flag("required_signatures")

    def requiresConversationResolution(self, info: Any) -> bool:
        return self._flag("required_conversation_resolution")

    def allowsForcePushes(self, info: Any) -> bool:
        return self._flag("allow_force_pushes")

    def allowsDeletions(self, info: Any) -> bool:
        return self._flag("allow_deletions")

    def blocksCreations(self, info: Any) -> bool:
        return self._flag("block_creations")

    def lockBranch(self, info: Any) -> bool:
        return self._flag("lock_branch")

    def lockAllowsFetchAndMerge(self, info: Any) -> bool:
        return self._flag("allow_fork_syncing")

    def restrictsPushes(self, info: Any) -> bool:
        return bool(self._spec.get("restrictions"))

    def restrictsReviewDismissals(self, info: Any) -> bool:
        return False

    def requiresDeployments(self, info: Any) -> bool:
        return False

    def requiredDeploymentEnvironments(self, info: Any) -> list[str]:
        return []

    def creator(self, info: Any) -> None:
        return None

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)

    def _empty(self, info: Any, first: int | None = None, after: str | None = None,
               last: int | None = None, before: str | None = None,
               **_: Any) -> dict[str, Any]:
        return connection([], first=first, last=last, after=after, before=before)

    pushAllowances = bypassPullRequestAllowances = bypassForcePushAllowances = _empty
    reviewDismissalAllowances = branchProtectionRuleConflicts = _empty

    def matchingRefs(self, info: Any, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None,
                     **_: Any) -> dict[str, Any]:
        refs = [name for name, _oid in self._ctx.gh.git.refs(self._repo.path, "refs/heads/")
                if name == f"refs/heads/{self._pattern}"]
        return connection(refs, lambda name: RefNode(self._ctx, self._repo, name),
                          first=first, last=last, after=after, before=before)


class RefNode(Node):
    typename = "Ref"

    def __init__(self, ctx: Context, repo: Repo, qualified: str) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._qualified = qualified  # refs/heads/main

    def _branch(self) -> str | None:
        prefix = "refs/heads/"
        return self._qualified[len(prefix):] if self._qualified.startswith(prefix) else None

    def id(self, info: Any) -> str:
        return base64.b64encode(f"Ref:{self._repo.id}:{self._qualified}".encode()).decode()

    def name(self, info: Any) -> str:
        return self._qualified.split("/", 2)[2] if self._qualified.count("/") >= 2 \
            else self._qualified

    def prefix(self, info: Any) -> str:
        return self._qualified[: len(self._qualified) - len(self.name(info))]

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)

    def target(self, info: Any) -> Node | None:
        obj = self._ctx.gh.git.info(self._repo.path, self._qualified)
        return git_object(self._ctx, self._repo, obj)

    def _protection(self) -> dict[str, Any] | None:
        branch = self._branch()
        return self._repo.protections.get(branch) if branch else None

    def branchProtectionRule(self, info: Any) -> BranchProtectionNode | None:
        spec = self._protection()
        if spec is None or not self._ctx.gh.can_read_admin(self._ctx.token):
            return None
        return BranchProtectionNode(self._ctx, self._repo, self._branch() or "", spec)

    def refUpdateRule(self, info: Any) -> dict[str, Any] | None:
        spec = self._protection()
        if spec is None:
            return None
        rule = BranchProtectionNode(self._ctx, self._repo, self._branch() or "", spec)
        perms = self._ctx.gh.permissions(self._ctx.token, self._repo)
        reviews = spec.get("required_pull_request_reviews")
        return {
            "pattern": self._branch(),
            "requiredApprovingReviewCount": rule.requiredApprovingReviewCount(info),
            "requiredStatusCheckContexts": rule.requiredStatusCheckContexts(info),
            "requiresCodeOwnerReviews": rule.requiresCodeOwnerReviews(info),
            "requiresConversationResolution": rule.requiresConversationResolution(info),
            "requiresLinearHistory": rule.requiresLinearHistory(info),
            "requiresSignatures": rule.requiresCommitSignatures(info),
            "allowsDeletions": rule.allowsDeletions(info),
            "allowsForcePushes": rule.allowsForcePushes(info),
            "blocksCreations": rule.blocksCreations(info),
            "viewerAllowedToDismissReviews": perms["admin"],
            "viewerCanPush": perms["push"] and (reviews is None or (
                perms["admin"] and not rule.isAdminEnforced(info))),
        }

    def rules(self, info: Any, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None, **_: Any) -> dict[str, Any]:
        found = self._ctx.gh.branch_rules(self._repo, self._qualified)
        return connection(found, lambda pair: RuleNode(self._ctx, pair[0], pair[1], self._repo),
                          first=first, last=last, after=after, before=before)

    def associatedPullRequests(self, info: Any, first: int | None = None,
                               after: str | None = None, last: int | None = None,
                               before: str | None = None, states: list[str] | None = None,
                               **_: Any) -> dict[str, Any]:
        branch = self._branch()
        issues = [i for i in sorted(self._repo.issues.values(), key=lambda i: i.number)
                  if i.pull is not None and i.pull.head_ref == branch
                  and (not states or _pull_state(i) in states)]
        return connection(issues, lambda i: IssueNode(self._ctx, self._repo, i), first=first,
                          last=last, after=after, before=before)


def _pull_state(issue: Issue) -> str:
    if issue.pull is not None and issue.pull.merged:
        return "MERGED"
    return issue.state.upper()


# --------------------------------------------------------------------------------------------
# issues, pull requests, comments, labels


class IssueNode(Node):
    def __init__(self, ctx: Context, repo: Repo, issue: Issue) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._issue = issue
        self.typename = "PullRequest" if issue.pull else "Issue"

    def _url(self) -> str:
        kind = "pull" if self._issue.pull else "issues"
        return f"{self._ctx.gh.web_url}/{self._repo.full_name}/{kind}/{self._issue.number}"

    def id(self, info: Any) -> str:
        return node_id(self.typename, self._issue.id)

    def databaseId(self, info: Any) -> int:
        return self._issue.id

    def number(self, info: Any) -> int:
        return self._issue.number

    def title(self, info: Any) -> str:
        return self._issue.title

    def body(self, info: Any) -> str:
        return self._issue.body or ""

    bodyText = body

    def state(self, info: Any) -> str:
        return _pull_state(self._issue)

    def stateReason(self, info: Any, **_: Any) -> str | None:
        return self._issue.state_reason.upper() if self._issue.state_reason else None

    def closed(self, info: Any) -> bool:
        return self._issue.state == "closed"

    def locked(self, info: Any) -> bool:
        return self._issue.locked

    def url(self, info: Any) -> str:
        return self._url()

    def resourcePath(self, info: Any) -> str:
        return self._url().split(self._ctx.gh.web_url, 1)[1]

    def createdAt(self, info: Any) -> str | None:
        return iso(self._issue.created_at)

    def updatedAt(self, info: Any) -> str | None:
        return iso(self._issue.updated_at)

    def closedAt(self, info: Any) -> str | None:
        return iso(self._issue.closed_at)

    def author(self, info: Any) -> ActorNode | None:
        user = self._ctx.gh.user(self._issue.user)
        return ActorNode(self._ctx, user) if user else None

    def authorAssociation(self, info: Any) -> str:
        return self._ctx.gh.author_association(self._issue.user, self._repo)

    def viewerDidAuthor(self, info: Any) -> bool:
        return self._issue.user.lower() == self._ctx.token.login.lower()

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)

    def milestone(self, info: Any) -> None:
        return None

    def labels(self, info: Any, first: int | None = None, after: str | None = None,
               last: int | None = None, before: str | None = None, **_: Any) -> dict[str, Any]:
        labels = [self._ctx.gh.ensure_label(self._repo, n) for n in self._issue.labels]
        return connection(labels, lambda lab: LabelNode(self._ctx, self._repo, lab),
                          first=first, last=last, after=after, before=before)

    def assignees(self, info: Any, first: int | None = None, after: str | None = None,
                  last: int | None = None, before: str | None = None) -> dict[str, Any]:
        users = [u for u in (self._ctx.gh.user(a) for a in self._issue.assignees) if u]
        return connection(users, lambda u: ActorNode(self._ctx, u), first=first, last=last,
                          after=after, before=before)

    def comments(self, info: Any, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None,
                 **_: Any) -> dict[str, Any]:
        items = sorted((c for c in list(self._repo.comments.values())
                        if c.issue_number == self._issue.number), key=lambda c: c.id)
        return connection(items, lambda c: CommentNode(self._ctx, self._repo, c), first=first,
                          last=last, after=after, before=before)

    # pull requests
    def _pull(self) -> Any:
        if self._issue.pull is None:
            raise Unimplemented("a PullRequest field on an Issue")
        return self._issue.pull

    def headRefName(self, info: Any) -> str:
        return str(self._pull().head_ref)

    def baseRefName(self, info: Any) -> str:
        return str(self._pull().base_ref)

    def headRefOid(self, info: Any) -> str:
        return str(self._pull().head_sha)

    def baseRefOid(self, info: Any) -> str:
        return str(self._pull().base_sha)

    def isCrossRepository(self, info: Any) -> bool:
        return bool(self._pull().from_fork)

    def isDraft(self, info: Any) -> bool:
        return bool(self._pull().draft)

    def merged(self, info: Any) -> bool:
        return bool(self._pull().merged)

    def mergedAt(self, info: Any) -> None:
        return None

    def mergeable(self, info: Any) -> str:
        return "UNKNOWN"

    def baseRepository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)

    def headRepository(self, info: Any) -> RepositoryNode | None:
        return None if self._pull().from_fork else RepositoryNode(self._ctx, self._repo)

    def _files(self) -> list[dict[str, Any]]:
        pull = self._pull()
        return self._ctx.gh.git.diff(self._repo.path, pull.base_sha, pull.head_sha)

    def additions(self, info: Any) -> int:
        return sum(f["additions"] for f in self._files())

    def deletions(self, info: Any) -> int:
        return sum(f["deletions"] for f in self._files())

    def changedFiles(self, info: Any) -> int:
        return len(self._files())

    def files(self, info: Any, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None) -> dict[str, Any]:
        kinds = {"added": "ADDED", "removed": "DELETED", "modified": "MODIFIED",
                 "renamed": "RENAMED", "copied": "COPIED", "changed": "CHANGED"}
        return connection(self._files(), lambda f: {
            "path": f["filename"], "additions": f["additions"], "deletions": f["deletions"],
            "changeType": kinds.get(f["status"], "MODIFIED"), "viewerViewedState": "UNVIEWED"},
            first=first, last=last, after=after, before=before)


class CommentNode(Node):
    typename = "IssueComment"

    def __init__(self, ctx: Context, repo: Repo, comment: Any) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._comment = comment

    def id(self, info: Any) -> str:
        return node_id("IssueComment", self._comment.id)

    def databaseId(self, info: Any) -> int:
        return int(self._comment.id)

    def body(self, info: Any) -> str:
        return str(self._comment.body)

    bodyText = body

    def author(self, info: Any) -> ActorNode | None:
        user = self._ctx.gh.user(self._comment.user)
        return ActorNode(self._ctx, user) if user else None

    def authorAssociation(self, info: Any) -> str:
        return self._ctx.gh.author_association(self._comment.user, self._repo)

    def createdAt(self, info: Any) -> str | None:
        return iso(self._comment.created_at)

    def updatedAt(self, info: Any) -> str | None:
        return iso(self._comment.updated_at)

    def url(self, info: Any) -> str:
        issue = self._repo.issues.get(self._comment.issue_number)
        kind = "pull" if issue is not None and issue.pull else "issues"
        return (f"{self._ctx.gh.web_url}/{self._repo.full_name}/{kind}/"
                f"{self._comment.issue_number}#issuecomment-{self._comment.id}")

    def viewerDidAuthor(self, info: Any) -> bool:
        return str(self._comment.user).lower() == self._ctx.token.login.lower()

    def isMinimized(self, info: Any) -> bool:
        return False

    def minimizedReason(self, info: Any) -> None:
        return None

    def issue(self, info: Any) -> IssueNode:
        return IssueNode(self._ctx, self._repo, self._repo.issues[self._comment.issue_number])

    def repository(self, info: Any) -> RepositoryNode:
        return RepositoryNode(self._ctx, self._repo)


class LabelNode(Node):
    typename = "Label"

    def __init__(self, ctx: Context, repo: Repo, label: Any) -> None:
        super().__init__(ctx)
        self._repo = repo
        self._label = label

    def id(self, info: Any) -> str:
        return node_id("Label", self._label.id)

    def name(self, info: Any) -> str:
        return str(self._label.name)

    def color(self, info: Any) -> str:
        return str(self._label.color)

    def description(self, info: Any) -> str | None:
        return self._label.description  # type: ignore[no-any-return]

    def isDefault(self, info: Any) -> bool:
        return bool(self._label.default)

    def url(self, info: Any) -> str:
        return f"{self._ctx.gh.web_url}/{self._repo.full_name}/labels/{self._label.name}"


# --------------------------------------------------------------------------------------------
# repositories


class RepositoryNode(Node):
    typename = "Repository"

    def __init__(self, ctx: Context, repo: Repo) -> None:
        super().__init__(ctx)
        self._repo = repo

    def _web(self) -> str:
        return f"{self._ctx.gh.web_url}/{self._repo.full_name}"

    def id(self, info: Any) -> str:
        return node_id("Repository", self._repo.id)

    def databaseId(self, info: Any) -> int:
        return self._repo.id

    def name(self, info: Any) -> str:
        return self._repo.name

    def nameWithOwner(self, info: Any) -> str:
        return self._repo.full_name

    def owner(self, info: Any) -> ActorNode:
        user = self._ctx.gh.user(self._repo.owner)
        assert user is not None
        return ActorNode(self._ctx, user)

    def description(self, info: Any) -> str | None:
        return self._repo.description

    def descriptionHTML(self, info: Any) -> str:
        import html

        return f"<div>{html.escape(self._repo.description or '')}</div>"

    def shortDescriptionHTML(self, info: Any, limit: int | None = 200) -> str:
        import html

        return html.escape((self._repo.description or "")[: limit or 200])

    def homepageUrl(self, info: Any) -> str | None:
        return self._repo.homepage or None

    def url(self, info: Any) -> str:
        return self._web()

    def resourcePath(self, info: Any) -> str:
        return f"/{self._repo.full_name}"

    def sshUrl(self, info: Any) -> str:
        host = self._ctx.gh.web_url.split("://", 1)[1].split(":")[0]
        return f"git@{host}:{self._repo.full_name}.git"

    def mirrorUrl(self, info: Any) -> None:
        return None

    def openGraphImageUrl(self, info: Any) -> str:
        return f"{self._ctx.gh.web_url}/og/{self._repo.full_name}"

    def isArchived(self, info: Any) -> bool:
        return self._repo.archived

    def archivedAt(self, info: Any) -> str | None:
        return iso(self._repo.updated_at) if self._repo.archived else None

    def isFork(self, info: Any) -> bool:
        return self._repo.fork

    def isPrivate(self, info: Any) -> bool:
        return self._repo.private

    def isTemplate(self, info: Any) -> bool:
        return self._repo.is_template

    def isDisabled(self, info: Any) -> bool:
        return False

    isLocked = isMirror = isUserConfigurationRepository = isDisabled

    def isBlankIssuesEnabled(self, info: Any) -> bool:
        return True

    def isEmpty(self, info: Any) -> bool:
        return self._ctx.head(self._repo) is None

    def isInOrganization(self, info: Any) -> bool:
        return self._ctx.gh.org(self._repo.owner) is not None

    def visibility(self, info: Any) -> str:
        return self._repo.visibility.upper()

    def createdAt(self, info: Any) -> str | None:
        return iso(self._repo.created_at)

    def updatedAt(self, info: Any) -> str | None:
        return iso(self._repo.updated_at)

    def pushedAt(self, info: Any) -> str | None:
        sha = self._ctx.head(self._repo)
        data = self._ctx.gh.git.commit(self._repo.path, sha) if sha else None
        return _when(data.committer.timestamp) if data else None

    def diskUsage(self, info: Any) -> int:
        return 0

    def stargazerCount(self, info: Any) -> int:
        return self._repo.stargazers

    def forkCount(self, info: Any) -> int:
        return self._repo.forks_count

    def hasIssuesEnabled(self, info: Any) -> bool:
        return self._repo.has_issues

    def hasWikiEnabled(self, info: Any) -> bool:
        return self._repo.has_wiki

    def hasProjectsEnabled(self, info: Any) -> bool:
        return self._repo.has_projects

    def hasDiscussionsEnabled(self, info: Any) -> bool:
        return self._repo.has_discussions

    def hasSponsorshipsEnabled(self, info: Any) -> bool:
        return False

    def hasVulnerabilityAlertsEnabled(self, info: Any) -> bool:
        return self._repo.dependabot_security_updates == "enabled"

    def deleteBranchOnMerge(self, info: Any) -> bool:
        return False

    autoMergeAllowed = allowUpdateBranch = webCommitSignoffRequired = deleteBranchOnMerge
    squashPrTitleUsedAsDefault = deleteBranchOnMerge

    def mergeCommitAllowed(self, info: Any) -> bool:
        return True

    squashMergeAllowed = rebaseMergeAllowed = forkingAllowed = mergeCommitAllowed

    def viewerPermission(self, info: Any) -> str:
        perms = self._ctx.gh.permissions(self._ctx.token, self._repo)
        for name, level in (("admin", "ADMIN"), ("maintain", "MAINTAIN"), ("push", "WRITE"),
                            ("triage", "TRIAGE")):
            if perms[name]:
                return level
        return "READ"

    def viewerCanAdminister(self, info: Any) -> bool:
        return self._ctx.gh.permissions(self._ctx.token, self._repo)["admin"]

    def viewerHasStarred(self, info: Any) -> bool:
        return False

    def parent(self, info: Any) -> None:
        return None

    templateRepository = codeOfConduct = contributingGuidelines = parent

    def licenseInfo(self, info: Any) -> dict[str, Any] | None:
        lic = self._repo.license
        if not lic:
            return None
        key = lic.get("key", "other")
        return {"key": key, "name": lic.get("name", key.upper()),
                "spdxId": lic.get("spdx_id", key.upper()), "nickname": None,
                "url": f"http://choosealicense.com/licenses/{key}/",
                "id": node_id("License", abs(hash(key)) % 1000), "pseudoLicense": key == "other",
                "featured": False, "hidden": False, "description": None, "body": "",
                "implementation": None, "conditions": [], "limitations": [],
                "permissions": []}

    def primaryLanguage(self, info: Any) -> dict[str, Any] | None:
        return _language(self._repo.language)

    def languages(self, info: Any, first: int | None = None, after: str | None = None,
                  last: int | None = None, before: str | None = None,
                  **_: Any) -> dict[str, Any]:
        langs = [self._repo.language] if self._repo.language else []
        conn = connection(langs, _language, first=first, last=last, after=after,
                          before=before, totalSize=1000 if langs else 0)
        for edge in conn["edges"]:
            edge["size"] = 1000
        return conn

    def repositoryTopics(self, info: Any, first: int | None = None, after: str | None = None,
                         last: int | None = None, before: str | None = None) -> dict[str, Any]:
        web = self._ctx.gh.web_url

        def make(name: str) -> dict[str, Any]:
            topic = {"name": name, "id": node_id("Topic", abs(hash(name)) % 100000)}
            return {"topic": topic, "url": f"{web}/topics/{name}",
                    "resourcePath": f"/topics/{name}",
                    "id": node_id("RepositoryTopic", abs(hash((self._repo.id, name))) % 10**7)}

        return connection(list(self._repo.topics), make, first=first, last=last, after=after,
                          before=before)

    def _release(self, rel: Any) -> dict[str, Any]:
        web = self._web()
        newest = max(self._repo.releases, key=lambda r: (r.created_at, r.id))
        return {"id": node_id("Release", rel.id), "databaseId": rel.id, "name": rel.name,
                "tagName": rel.tag_name, "createdAt": iso(rel.created_at),
                "publishedAt": iso(rel.published_at), "updatedAt": iso(rel.created_at),
                "isDraft": rel.draft, "isPrerelease": rel.prerelease,
                "isLatest": rel is newest, "description": rel.body,
                "url": f"{web}/releases/tag/{rel.tag_name}",
                "resourcePath": f"/{self._repo.full_name}/releases/tag/{rel.tag_name}",
                "author": ActorNode(self._ctx, u) if (u := self._ctx.gh.user(rel.author))
                else None}

    def releases(self, info: Any, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None,
                 orderBy: Mapping[str, str] | None = None) -> dict[str, Any]:
        rels = sorted(self._repo.releases, key=lambda r: (r.created_at, r.id),
                      reverse=not orderBy or orderBy.get("direction") == "DESC")
        return connection(rels, self._release, first=first, last=last, after=after,
                          before=before)

    def latestRelease(self, info: Any) -> dict[str, Any] | None:
        rels = [r for r in self._repo.releases if not r.draft and not r.prerelease]
        if not rels:
            return None
        return self._release(max(rels, key=lambda r: (r.created_at, r.id)))

    def release(self, info: Any, tagName: str) -> dict[str, Any] | None:
        rel = next((r for r in self._repo.releases if r.tag_name == tagName), None)
        return self._release(rel) if rel else None

    # -- git -------------------------------------------------------------------------------
    def defaultBranchRef(self, info: Any) -> RefNode | None:
        if self._ctx.head(self._repo) is None:
            return None
        return RefNode(self._ctx, self._repo, f"refs/heads/{self._repo.default_branch}")

    def ref(self, info: Any, qualifiedName: str) -> RefNode | None:
        name = qualifiedName
        if any(c in name for c in "\n\0:^~?*[\\ ") or ".." in name:
            return None
        candidates = [name] if name.startswith("refs/") else [
            f"refs/heads/{name}", f"refs/tags/{name}"]
        for candidate in candidates:
            if self._ctx.gh.git.info(self._repo.path, candidate) is not None:
                return RefNode(self._ctx, self._repo, candidate)
        return None

    def refs(self, info: Any, refPrefix: str, first: int | None = None,
             after: str | None = None, last: int | None = None, before: str | None = None,
             query: str | None = None, direction: str | None = None,
             orderBy: Mapping[str, str] | None = None) -> dict[str, Any]:
        if not refPrefix.startswith("refs/") or not refPrefix.endswith("/"):
            raise GitHubError("INVALID_ARGUMENTS", "refPrefix must start with `refs/` and end "
                                                   "with `/`")
        names = [n for n, _oid in self._ctx.gh.git.refs(self._repo.path, refPrefix)]
        if query:
            names = [n for n in names if query in n[len(refPrefix):]]
        if (orderBy and orderBy.get("direction") == "DESC") or direction == "DESC":
            names.reverse()
        return connection(names, lambda n: RefNode(self._ctx, self._repo, n), first=first,
                          last=last, after=after, before=before)

    def object(self, info: Any, expression: str | None = None,
               oid: str | None = None) -> Node | None:
        git = self._ctx.gh.git
        if oid is not None:
            obj = git.info(self._repo.path, oid) if len(oid) in (40, 64) else None
        elif expression is not None:
            obj = git.info(self._repo.path, self._ctx.gh.git_expression(self._repo, expression))
        else:
            return None
        if obj is None:
            return None
        node = git_object(self._ctx, self._repo, obj)
        if isinstance(node, TreeNode) and expression and ":" in expression:
            node._path = expression.partition(":")[2].strip("/")
        return node

    def codeowners(self, info: Any, refName: str | None = None) -> dict[str, Any] | None:
        sha = self._ctx.gh.resolve_ref(self._repo, refName) if refName else self._ctx.head(
            self._repo)
        if sha is None:
            return None
        errors = self._ctx.gh.codeowners_errors(self._repo, sha)
        if errors is None:
            return None
        return {"errors": [dict(e) for e in errors]}

    def isSecurityPolicyEnabled(self, info: Any) -> bool:
        return self.securityPolicyUrl(info) is not None

    def securityPolicyUrl(self, info: Any) -> str | None:
        sha = self._ctx.head(self._repo)
        if sha is None:
            return None
        for path in ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"):
            if self._ctx.gh.git.info(self._repo.path, f"{sha}:{path}") is not None:
                return f"{self._web()}/security/policy"
        return None

    # -- rules -----------------------------------------------------------------------------
    def rulesets(self, info: Any, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None,
                 includeParents: bool | None = True, targets: list[str] | None = None,
                 **_: Any) -> dict[str, Any]:
        sets = (self._ctx.gh.repo_rulesets(self._repo) if includeParents is not False
                else list(self._repo.rulesets))
        if targets:
            sets = [rs for rs in sets if rs.target.upper() in targets]
        return connection(sets, lambda rs: RulesetNode(self._ctx, rs, self._repo),
                          first=first, last=last, after=after, before=before)

    def ruleset(self, info: Any, databaseId: int, includeParents: bool | None = True,
                **_: Any) -> RulesetNode | None:
        for rs in self._ctx.gh.repo_rulesets(self._repo):
            if rs.id == databaseId:
                return RulesetNode(self._ctx, rs, self._repo)
        return None

    def branchProtectionRules(self, info: Any, first: int | None = None,
                              after: str | None = None, last: int | None = None,
                              before: str | None = None) -> dict[str, Any]:
        rules = []
        if self._ctx.gh.can_read_admin(self._ctx.token):
            rules = sorted(self._repo.protections.items())
        return connection(rules, lambda pair: BranchProtectionNode(
            self._ctx, self._repo, pair[0], pair[1]), first=first, last=last, after=after,
            before=before)

    # -- issues ----------------------------------------------------------------------------
    def _issues(self, pulls: bool, states: list[str] | None, labels: list[str] | None,
                filter_by: Mapping[str, Any] | None, order_by: Mapping[str, str] | None,
                head: str | None = None, base: str | None = None) -> list[Issue]:
        items = [i for i in list(self._repo.issues.values()) if (i.pull is not None) == pulls]
        if states:
            items = [i for i in items if _pull_state(i) in states]
        wanted = [lab.lower() for lab in (labels or [])]
        if filter_by:
            wanted += [lab.lower() for lab in filter_by.get("labels") or []]
            if filter_by.get("states"):
                items = [i for i in items if _pull_state(i) in filter_by["states"]]
            if filter_by.get("createdBy"):
                items = [i for i in items if i.user.lower() == filter_by["createdBy"].lower()]
        if wanted:
            items = [i for i in items
                     if any(w in {n.lower() for n in i.labels} for w in wanted)]
        if head is not None:
            items = [i for i in items if i.pull is not None and i.pull.head_ref == head]
        if base is not None:
            items = [i for i in items if i.pull is not None and i.pull.base_ref == base]
        field_name = (order_by or {}).get("field", "CREATED_AT")
        keys: dict[str, Callable[[Issue], Any]] = {
            "UPDATED_AT": lambda i: (i.updated_at, i.number),
            "COMMENTS": lambda i: (sum(1 for c in list(self._repo.comments.values())
                                       if c.issue_number == i.number), i.number),
        }
        items.sort(key=keys.get(field_name, lambda i: (i.created_at, i.number)),
                   reverse=(order_by or {}).get("direction") == "DESC")
        return items

    def issues(self, info: Any, first: int | None = None, after: str | None = None,
               last: int | None = None, before: str | None = None,
               states: list[str] | None = None, labels: list[str] | None = None,
               filterBy: Mapping[str, Any] | None = None,
               orderBy: Mapping[str, str] | None = None) -> dict[str, Any]:
        items = self._issues(False, states, labels, filterBy, orderBy)
        return connection(items, lambda i: IssueNode(self._ctx, self._repo, i), first=first,
                          last=last, after=after, before=before)

    def pullRequests(self, info: Any, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None,
                     states: list[str] | None = None, labels: list[str] | None = None,
                     headRefName: str | None = None, baseRefName: str | None = None,
                     orderBy: Mapping[str, str] | None = None) -> dict[str, Any]:
        items = self._issues(True, states, labels, None, orderBy, headRefName, baseRefName)
        return connection(items, lambda i: IssueNode(self._ctx, self._repo, i), first=first,
                          last=last, after=after, before=before)

    def issue(self, info: Any, number: int) -> IssueNode | None:
        found = self._repo.issues.get(number)
        if found is None or found.pull is not None:
            raise GitHubError("NOT_FOUND", "Could not resolve to an Issue with the number of "
                                           f"{number}.")
        return IssueNode(self._ctx, self._repo, found)

    def pullRequest(self, info: Any, number: int) -> IssueNode | None:
        found = self._repo.issues.get(number)
        if found is None or found.pull is None:
            raise GitHubError("NOT_FOUND", "Could not resolve to a PullRequest with the number "
                                           f"of {number}.")
        return IssueNode(self._ctx, self._repo, found)

    def issueOrPullRequest(self, info: Any, number: int) -> IssueNode | None:
        found = self._repo.issues.get(number)
        if found is None:
            raise GitHubError("NOT_FOUND", "Could not resolve to an issue or pull request with "
                                           f"the number of {number}.")
        return IssueNode(self._ctx, self._repo, found)

    def labels(self, info: Any, first: int | None = None, after: str | None = None,
               last: int | None = None, before: str | None = None, query: str | None = None,
               **_: Any) -> dict[str, Any]:
        labels = sorted(self._repo.labels.values(), key=lambda lab: lab.name.lower())
        if query:
            labels = [lab for lab in labels if query.lower() in lab.name.lower()]
        return connection(labels, lambda lab: LabelNode(self._ctx, self._repo, lab),
                          first=first, last=last, after=after, before=before)

    def label(self, info: Any, name: str) -> LabelNode | None:
        found = self._repo.labels.get(name.lower())
        return LabelNode(self._ctx, self._repo, found) if found else None


# --------------------------------------------------------------------------------------------
# mutations (the ones a tool that comments and keeps a dashboard issue needs)


class Mutations(Node):
    def _write(self, repo: Repo, permission: str = "issues") -> None:
        try:
            self._ctx.gh.check_write(self._ctx.token, repo, permission)
        except FakeError as err:
            raise GitHubError("FORBIDDEN", err.message) from None

    def _find_issue(self, ident: str) -> tuple[Repo, Issue]:
        decoded = decode_node_id(ident)
        if decoded is not None and decoded[0] in ("Issue", "PullRequest"):
            for repo in list(self._ctx.gh.repos.values()):
                for issue in list(repo.issues.values()):
                    if issue.id == decoded[1] and self._ctx.gh.can_see(self._ctx.token, repo):
                        return repo, issue
        raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of "
                                       f"'{ident}'")

    def _find_comment(self, ident: str) -> tuple[Repo, Comment]:
        decoded = decode_node_id(ident)
        if decoded is not None and decoded[0] == "IssueComment":
            for repo in list(self._ctx.gh.repos.values()):
                found = repo.comments.get(decoded[1])
                if found is not None and self._ctx.gh.can_see(self._ctx.token, repo):
                    return repo, found
        raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of "
                                       f"'{ident}'")

    def _body(self, body: str | None) -> None:
        if body is not None and len(body) > MAX_BODY:
            raise GitHubError("UNPROCESSABLE",
                              f"Body is too long (maximum is {MAX_BODY} characters)")

    def _may_edit(self, repo: Repo, author: str) -> None:
        if author.lower() != self._ctx.token.login.lower() and not self._ctx.gh.can_triage(
                self._ctx.token, repo):
            raise GitHubError("FORBIDDEN", f"{self._ctx.token.login} does not have the correct "
                                           "permissions to execute this mutation")

    def addComment(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, issue = self._find_issue(input["subjectId"])
        self._write(repo, "pull_requests" if issue.pull else "issues")
        self._body(input["body"])
        gh = self._ctx.gh
        with gh.lock:
            when = now()
            comment = Comment(gh.new_id(), issue.number, input["body"], self._ctx.token.login,
                              when, when)
            repo.comments[comment.id] = comment
            issue.updated_at = when
        node = CommentNode(self._ctx, repo, comment)
        return {"clientMutationId": input.get("clientMutationId"),
                "commentEdge": {"cursor": _cursor(comment.id), "node": node},
                "subject": IssueNode(self._ctx, repo, issue), "timelineEdge": None}

    def updateIssueComment(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, comment = self._find_comment(input["id"])
        issue = repo.issues.get(comment.issue_number)
        self._write(repo, "pull_requests" if issue is not None and issue.pull else "issues")
        self._may_edit(repo, comment.user)
        self._body(input["body"])
        with self._ctx.gh.lock:
            comment.body = input["body"]
            comment.updated_at = now()
        return {"clientMutationId": input.get("clientMutationId"),
                "issueComment": CommentNode(self._ctx, repo, comment)}

    def deleteIssueComment(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, comment = self._find_comment(input["id"])
        issue = repo.issues.get(comment.issue_number)
        self._write(repo, "pull_requests" if issue is not None and issue.pull else "issues")
        self._may_edit(repo, comment.user)
        with self._ctx.gh.lock:
            repo.comments.pop(comment.id, None)
        return {"clientMutationId": input.get("clientMutationId")}

    def _labels(self, repo: Repo, ids: list[str] | None) -> list[str]:
        names = []
        for ident in ids or []:
            decoded = decode_node_id(ident)
            label = next((lab for lab in list(repo.labels.values())
                          if decoded is not None and lab.id == decoded[1]), None)
            if label is None:
                raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global "
                                               f"id of '{ident}'")
            names.append(label.name)
        return names

    def createIssue(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        decoded = decode_node_id(input["repositoryId"])
        gh = self._ctx.gh
        repo = gh.repo_by_id(decoded[1]) if decoded and decoded[0] == "Repository" else None
        if repo is None or not gh.can_see(self._ctx.token, repo):
            raise GitHubError("NOT_FOUND", "Could not resolve to a node with the global id of "
                                           f"'{input['repositoryId']}'")
        self._write(repo)
        self._body(input.get("body"))
        labels = self._labels(repo, input.get("labelIds"))
        with gh.lock:
            issue = Issue(repo.next_number(), gh.new_id(), input["title"],
                          self._ctx.token.login, body=input.get("body"))
            if gh.can_triage(self._ctx.token, repo):
                issue.labels = labels
            repo.issues[issue.number] = issue
        return {"clientMutationId": input.get("clientMutationId"),
                "issue": IssueNode(self._ctx, repo, issue)}

    def _set_state(self, issue: Issue, state: str, reason: str | None = None) -> None:
        if state == issue.state:
            return
        issue.state = state
        if state == "closed":
            issue.closed_at = now()
            issue.closed_by = self._ctx.token.login
            issue.state_reason = reason or "completed"
        else:
            issue.closed_at = issue.closed_by = None
            issue.state_reason = "reopened"

    def updateIssue(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, issue = self._find_issue(input["id"])
        self._write(repo)
        self._may_edit(repo, issue.user)
        self._body(input.get("body"))
        labels = self._labels(repo, input.get("labelIds")) if "labelIds" in input else None
        with self._ctx.gh.lock:
            if input.get("title"):
                issue.title = input["title"]
            if "body" in input:
                issue.body = input["body"]
            if input.get("state"):
                self._set_state(issue, input["state"].lower())
            if labels is not None and self._ctx.gh.can_triage(self._ctx.token, repo):
                issue.labels = labels
            issue.updated_at = now()
        user = self._ctx.gh.user(self._ctx.token.login)
        return {"clientMutationId": input.get("clientMutationId"),
                "actor": ActorNode(self._ctx, user) if user else None,
                "issue": IssueNode(self._ctx, repo, issue)}

    def closeIssue(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, issue = self._find_issue(input["issueId"])
        self._write(repo)
        self._may_edit(repo, issue.user)
        with self._ctx.gh.lock:
            self._set_state(issue, "closed", (input.get("stateReason") or "COMPLETED").lower())
            issue.updated_at = now()
        return {"clientMutationId": input.get("clientMutationId"),
                "issue": IssueNode(self._ctx, repo, issue)}

    def reopenIssue(self, info: Any, input: Mapping[str, Any]) -> dict[str, Any]:
        repo, issue = self._find_issue(input["issueId"])
        self._write(repo)
        self._may_edit(repo, issue.user)
        with self._ctx.gh.lock:
            self._set_state(issue, "open")
            issue.updated_at = now()
        return {"clientMutationId": input.get("clientMutationId"),
                "issue": IssueNode(self._ctx, repo, issue)}


# --------------------------------------------------------------------------------------------
# the root


class Query(Mutations):
    typename = "Query"

    def _not_found_repo(self, owner: str, name: str) -> GitHubError:
        return GitHubError("NOT_FOUND",
                           f"Could not resolve to a Repository with the name '{owner}/{name}'.")

    def repository(self, info: Any, owner: str, name: str, **_: Any) -> RepositoryNode | None:
        gh, token = self._ctx.gh, self._ctx.token
        if gh.sso_blocked(token, owner):
            org = gh.org(owner)
            if org is not None:
                self._ctx.sso_orgs.add(org.id)
            raise GitHubError("FORBIDDEN", SSO_MESSAGE, {"saml_failure": True})
        repo = gh.find_repo(owner, name)
        if repo is None or not gh.can_see(token, repo):
            raise self._not_found_repo(owner, name)
        return RepositoryNode(self._ctx, repo)

    def organization(self, info: Any, login: str) -> ActorNode | None:
        org = self._ctx.gh.org(login)
        if org is None:
            raise GitHubError("NOT_FOUND", "Could not resolve to an Organization with the "
                                           f"login of '{login}'.")
        return ActorNode(self._ctx, org)

    def user(self, info: Any, login: str) -> ActorNode | None:
        user = self._ctx.gh.user(login)
        if user is None or user.type != "User":
            raise GitHubError("NOT_FOUND", f"Could not resolve to a User with the login of "
                                           f"'{login}'.")
        return ActorNode(self._ctx, user)

    def repositoryOwner(self, info: Any, login: str) -> ActorNode | None:
        user = self._ctx.gh.user(login)
        return ActorNode(self._ctx, user) if user is not None and user.type != "Bot" else None

    def viewer(self, info: Any) -> ActorNode:
        if self._ctx.token.integration:
            raise GitHubError("FORBIDDEN", INTEGRATION_DENIED)
        user = self._ctx.gh.user(self._ctx.token.login)
        assert user is not None
        return ActorNode(self._ctx, user)

    def rateLimit(self, info: Any, dryRun: bool | None = False) -> dict[str, Any]:
        return {**self._ctx.rate, "cost": self._ctx.analysis.cost,
                "nodeCount": self._ctx.analysis.node_count}

    def relay(self, info: Any) -> Query:
        return self

    def node(self, info: Any, id: str) -> Node | None:
        decoded = decode_node_id(id)
        if decoded is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of "
                                           f"'{id}'")
        kind, ident = decoded
        gh = self._ctx.gh
        found: Node | None = None
        if kind == "Repository":
            repo = gh.repo_by_id(ident)
            if repo is not None and gh.can_see(self._ctx.token, repo):
                found = RepositoryNode(self._ctx, repo)
        elif kind in ("User", "Organization", "Bot"):
            user = next((u for u in list(gh.users.values()) if u.id == ident), None)
            found = ActorNode(self._ctx, user) if user else None
        elif kind in ("Issue", "PullRequest", "IssueComment"):
            for repo in list(gh.repos.values()):
                if not gh.can_see(self._ctx.token, repo):
                    continue
                if kind == "IssueComment" and ident in repo.comments:
                    found = CommentNode(self._ctx, repo, repo.comments[ident])
                for issue in list(repo.issues.values()):
                    if issue.id == ident and kind != "IssueComment":
                        found = IssueNode(self._ctx, repo, issue)
        if found is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of "
                                           f"'{id}'")
        return found

    def nodes(self, info: Any, ids: list[str]) -> list[Node | None]:
        out: list[Node | None] = []
        for ident in ids:
            try:
                out.append(self.node(info, ident))
            except GitHubError:
                out.append(None)
        return out


# --------------------------------------------------------------------------------------------
# resolvers


_MISSING = object()


def resolve_field(source: Any, info: Any, **args: Any) -> Any:
    name = info.field_name
    if isinstance(source, Mapping):
        value = source.get(name, _MISSING)
    else:
        value = _MISSING if name.startswith("_") else getattr(source, name, _MISSING)
    if value is _MISSING:
        raise Unimplemented(f"{info.parent_type.name}.{name}")
    if callable(value) and not isinstance(value, type):
        return value(info, **args)
    return value


def resolve_type(value: Any, info: Any, abstract_type: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("__typename")  # type: ignore[no-any-return]
    return getattr(value, "typename", None)


class DocumentCache:
    """Parsed and validated documents by query text (validation is pure)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._docs: OrderedDict[str, tuple[DocumentNode | None, list[dict[str, Any]]]] = \
            OrderedDict()

    def get(self, schema: GraphQLSchema, query: str) -> tuple[DocumentNode | None,
                                                               list[dict[str, Any]]]:
        with self._lock:
            hit = self._docs.get(query)
            if hit is not None:
                self._docs.move_to_end(query)
                return hit
        try:
            document: DocumentNode | None = parse(query)
        except GraphQLError as err:
            entry: tuple[DocumentNode | None, list[dict[str, Any]]] = (None, [format_error(err)])
        else:
            assert document is not None
            errors = validate(schema, document)
            entry = (document if not errors else None, [format_error(e) for e in errors])
        with self._lock:
            self._docs[query] = entry
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        return entry


def _never(value: Any) -> bool:
    return False


def run(gh: FakeGitHub, token: Token, document: DocumentNode, analysis: Analysis,
        variables: dict[str, Any], operation_name: str | None,
        rate: dict[str, Any]) -> tuple[dict[str, Any], Context]:
    ctx = Context(gh, token, analysis, rate)
    result = execute(github_schema(), document, root_value=Query(ctx), context_value=ctx,
                     variable_values=variables, operation_name=operation_name,
                     field_resolver=resolve_field, type_resolver=resolve_type,
                     is_awaitable=_never)  # every resolver is synchronous
    assert not hasattr(result, "__await__")
    body: dict[str, Any] = {}
    errors = []
    for err in result.errors or []:  # type: ignore[union-attr]
        orig = err.original_error
        if isinstance(orig, Unimplemented):
            gh.note_unimplemented(orig.name)
        elif orig is not None and not isinstance(orig, GitHubError | GraphQLError):
            gh.note_problem(f"GraphQL resolver error at {err.path}: {orig!r}")
        elif orig is None and err.message.startswith("Cannot return null for non-nullable"):
            gh.note_problem(f"GraphQL: {err.message} (at {err.path})")
        errors.append(format_error(err))
    body["data"] = result.data  # type: ignore[union-attr]
    if errors:
        body["errors"] = errors
    return body, ctx


__all__ = ["Analysis", "DocumentCache", "analyze", "github_schema", "preload", "run"]
