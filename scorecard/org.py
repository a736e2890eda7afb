"""``scorecard org ORG``: grade every repository of an organisation through the API.

- Lists the organisation's repositories (one REST page per 100), filters them (archived and
  forks skipped by default; ``--include``/``--exclude`` name globs, ``--topic``,
  ``--visibility``) and, with ``--shard I/N``, keeps a stable slice (by a hash of the name).
- Reads repositories in GraphQL batches (one query answers for a batch) and each commit's files
  from one archive download; at most ``concurrency`` requests are in flight.
- Appends each repository's result to a JSON Lines file as soon as it is graded; ``--resume``
  skips those already there. A killed scan loses nothing that finished; a repository that
  fails is recorded with its error and the scan goes on. Results are streamed, never held: the
  memory does not grow with the number of repositories.
- ``previous`` (``--incremental``): a repository whose reuse key (:func:`reuse_key`: head
  commit, organisation standard, tool version, platform facts of the GraphQL batch, and the
  REST-only settings its grading read; see :mod:`scorecard.incremental`) equals
  the one stored in its previous record is not downloaded nor graded again: its previous
  record is written again with ``"reused": true``.
- The organisation's standard comes from its ``.github`` repository (``org-standards.yml`` at
  its root, by default); repositories' own ``.github/standards.yml`` apply on top, within what
  its ``allow`` section permits.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import errno
import fnmatch
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scorecard import budgets
from scorecard.github.client import GitHubClient, GitHubError, NotFound
from scorecard.incremental import (
    PreviousResults,
    ask_rest_facts,
    digest,
    owners_digest,
    rest_facts,
    reuse_key,
    tool_digest,
    with_rest,
)
from scorecard.outfile import OutputError, describe, redact_data
from scorecard.pipeline import MAX_STANDARD_BYTES, grade_snapshot, repo_standard_layer
from scorecard.registry import Registry
from scorecard.snapshot import ReadError, Unknown
from scorecard.standard import Standard, StandardError, resolve

ORG_STANDARD_PATH = "org-standards.yml"
RECORD_VERSION = 1


def now_iso() -> str:
    return (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def shard_of(full_name: str, count: int) -> int:
    """The 1-based shard of a repository: stable across runs and machines."""
    digest = hashlib.sha256(full_name.lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: write I/N, e.g. 2/8") from None
    if not (n >= 1 and 1 <= i <= n):
        raise ValueError(f"--shard {text!r}: I must be between 1 and N")
    return i, n


def team_of(owner: str | None, org: str) -> str | None:
    """A team name for grouping, from what ``owner-defined`` resolved: ``@acme/platform``,
    ``group:acme/platform`` and ``group:default/platform`` all become ``platform``;
    ``@alice`` becomes ``alice``."""
    if not owner:
        return None
    name = owner.strip().lstrip("@")
    for prefix in ("group:", "user:"):
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
    if "/" in name:
        ns, _, slug = name.partition("/")
        if ns.lower() in (org.lower(), "default"):
            name = slug
    return name or None


@dataclass
class Filters:
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    topics: Sequence[str] = ()
    visibility: str | None = None
    archived: bool = False
    forks: bool = False
    shard: tuple[int, int] | None = None

    def keep(self, repo: dict[str, Any]) -> bool:
        name = str(repo.get("name", ""))
        if repo.get("archived") and not self.archived:
            return False
        if repo.get("fork") and not self.forks:
            return False
        if self.include and not any(fnmatch.fnmatchcase(name, g) for g in self.include):
            return False
        if any(fnmatch.fnmatchcase(name, g) for g in self.exclude):
            return False
        if self.topics and not set(self.topics) & set(repo.get("topics") or []):
            return False
        if self.visibility and str(repo.get("visibility", "")).lower() != self.visibility:
            return False
        return not (
            self.shard and shard_of(str(repo.get("full_name", "")), self.shard[1]) != self.shard[0]
        )


def list_repositories(client: GitHubClient, org: str) -> Iterator[dict[str, Any]]:
    """Every repository of ``org`` (an organisation, or else a user), as GitHub lists them."""
    try:
        yield from client.paginate(
            f"/orgs/{org}/repos", {"type": "all", "sort": "full_name"}, parallel=8
        )
    except NotFound:
        yield from client.paginate(f"/users/{org}/repos", {"type": "owner"}, parallel=8)


def org_standard_layer(
    client: GitHubClient, org: str, path: str = ORG_STANDARD_PATH
) -> tuple[str, str] | None:
    """The organisation's standard from its ``.github`` repository, as ``(label, text)``."""
    from scorecard.github.queries import org_standard_query

    result = client.graphql(
        org_standard_query(org, path), what=f"the organisation standard of {org}"
    )
    blob = (result.data.get("repository") or {}).get("object") or {}
    text = blob.get("text")
    if text is None:
        return None
    label = f"{org}/.github:{path}"
    if len(str(text).encode("utf-8", "surrogateescape")) > MAX_STANDARD_BYTES:
        raise StandardError(label, None, "", f"is larger than {MAX_STANDARD_BYTES:,} bytes")
    return label, str(text)


# ---- results file -----------------------------------------------------------------------------


def read_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Every record of JSON Lines result files; a line cut by a crash is skipped."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue  # the last line of a killed scan
                if isinstance(rec, dict):
                    yield rec


def done_repositories(path: str | os.PathLike[str]) -> set[str]:
    """Repositories already graded in a results file (errors are retried on resume)."""
    if not os.path.exists(path):
        return set()
    return {
        str(r["repository"]).lower()
        for r in read_records([path])
        if r.get("kind") == "repository" and r.get("repository")
    }


class ResultWriter:
    """Appends one JSON line per record, whole, at once (thread-safe), every string in it
    redacted.

    The file is streamed, never replaced: each record is one ``write`` to a file opened for
    appending, so that a killed scan, or a full disk, keeps every record written before (a
    line cut short is skipped by readers and ended by the next writer) and ``--resume``
    carries on. A failing open, write or close raises :class:`OutputError` with one line
    naming the file; after a failing write every later one fails the same way, so the scan
    stops rather than dropping records.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._lock = threading.Lock()
        self._path = path
        self._failed: OutputError | None = None
        try:
            p = Path(path)
            p.parent.mkdir(parents=True, exist_ok=True)
            self._fd: int | None = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(describe(path, exc)) from None
        try:
            if _cut_short(p):  # a line cut by a crash: end it, readers skip it
                self._append(b"\n")
        except OSError as exc:
            self._failed = OutputError(describe(path, exc))
            self.close()
            raise self._failed from None

    def write(self, record: dict[str, Any]) -> None:
        # ASCII only: a line cut short (a full disk, a kill) is still UTF-8, and is skipped
        line = json.dumps(redact_data(record), separators=(",", ":")) + "\n"
        with self._lock:
            if self._failed is not None:
                raise self._failed
            try:
                self._append(line.encode("utf-8"))
            except OSError as exc:
                self._failed = OutputError(describe(self._path, exc))
                raise self._failed from None

    def close(self) -> None:
        """Close the file; a failure is an OutputError, unless a write already failed."""
        with self._lock:
            fd, self._fd = self._fd, None
            if fd is None:
                return
            try:
                os.close(fd)
            except OSError as exc:
                if self._failed is None:
                    raise OutputError(describe(self._path, exc)) from None

    def _append(self, data: bytes) -> None:
        if self._fd is None:
            raise OSError(errno.EBADF, "the results file is closed")
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]


def _cut_short(path: Path) -> bool:
    """Whether ``path`` ends in a line without its newline."""
    with open(path, "rb") as fh:
        if fh.seek(0, os.SEEK_END) == 0:
            return False
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) != b"\n"


# ---- progress ---------------------------------------------------------------------------------


class Progress:
    """A bar on a terminal; a line every few seconds in CI logs."""

    def __init__(self, total: int, stream: IO[str] = sys.stderr, every: float = 5.0) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.done = self.errors = 0
        self.start = self.last = time.monotonic()
        self.tty = stream.isatty()
        self._lock = threading.Lock()

    def step(self, error: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.errors += int(error)
            now = time.monotonic()
            if self.tty or now - self.last >= self.every or self.done == self.total:
                self.last = now
                self._show(now)

    def _show(self, now: float) -> None:
        rate = self.done / max(now - self.start, 1e-6)
        eta = (self.total - self.done) / rate if rate > 0 else 0
        text = (
            f"{self.done}/{self.total} repositories graded, {self.errors} failed, "
            f"{rate:.1f}/s, about {eta:.0f} s left"
        )
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {text}  ")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"scorecard org: {text}\n")
        self.stream.flush()


# ---- the scan ---------------------------------------------------------------------------------


@dataclass
class ScanStats:
    listed: int = 0
    selected: int = 0
    skipped_done: int = 0
    graded: int = 0
    failed: int = 0
    seconds: float = 0.0
    requests: int = 0  # REST and GraphQL
    downloads: int = 0  # archives, from GitHub's download host
    reused: int = 0  # previous results reused (--incremental)
    unfinished: int = 0  # left for a resumed scan: --max-requests would have been passed
    failures: list[str] = field(default_factory=list)


def _record_for(card_json: dict[str, Any], repo: dict[str, Any], org: str) -> dict[str, Any]:
    owner = None
    for c in card_json.get("checks", []):
        if c.get("id") == "owner-defined":
            owner = (c.get("data") or {}).get("owner")
    return {
        "kind": "repository",
        "version": RECORD_VERSION,
        "repository": repo["full_name"],
        "scanned_at": now_iso(),
        "team": team_of(owner, org),
        "owner": owner,
        "archived": bool(repo.get("archived")),
        "fork": bool(repo.get("fork")),
        "visibility": repo.get("visibility"),
        "topics": list(repo.get("topics") or []),
        "scorecard": card_json,
    }


def scan(
    client: GitHubClient,
    org: str,
    registry: Registry,
    *,
    filters: Filters,
    writer: ResultWriter,
    resume_from: set[str] | None = None,
    config_layers: Sequence[tuple[str, str]] | None = None,
    org_standard_path: str = ORG_STANDARD_PATH,
    batch_size: int = 25,
    workers: int = 8,
    previous: PreviousResults | None = None,
    progress_stream: IO[str] | None = sys.stderr,
    log: Callable[[str], None] = lambda m: None,
    max_requests: int | None = None,
    fix_prs: bool = False,
) -> ScanStats:
    """Grade the organisation's repositories; each result goes to ``writer`` when ready.
    With ``fix_prs`` (and the organisation's standard opting in), each graded repository's
    fixes are proposed as a pull request (:mod:`scorecard.fix.org`).
    With ``max_requests``, no batch is started that could take the scan's API requests past
    it (the rest is ``stats.unfinished``, for a resumed scan)."""
    workers = max(1, workers)
    pool = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
    try:
        return _scan(
            pool,
            client,
            org,
            registry,
            filters=filters,
            writer=writer,
            resume_from=resume_from,
            config_layers=config_layers,
            org_standard_path=org_standard_path,
            batch_size=batch_size,
            workers=workers,
            previous=previous,
            progress_stream=progress_stream,
            log=log,
            max_requests=max_requests,
            fix_prs=fix_prs,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # an interrupted scan stops at once


def _scan(
    pool: cf.ThreadPoolExecutor,
    client: GitHubClient,
    org: str,
    registry: Registry,
    *,
    filters: Filters,
    writer: ResultWriter,
    resume_from: set[str] | None,
    config_layers: Sequence[tuple[str, str]] | None,
    org_standard_path: str,
    batch_size: int,
    workers: int,
    previous: PreviousResults | None,
    progress_stream: IO[str] | None,
    log: Callable[[str], None],
    max_requests: int | None = None,
    fix_prs: bool = False,
) -> ScanStats:
    from scorecard.sources.github import (
        GitHubPlatform,
        fetch_facts,
        owner_directory,
        snapshot_from_facts,
    )

    stats = ScanStats()
    start = time.monotonic()
    client.read_budgets()  # a budget spent before this run is waited for, never refused

    # What every repository shares is read while the repositories are listed: the
    # organisation's standard and community files (its .github repository), its teams and
    # members (for CODEOWNERS).
    layer_job = (
        pool.submit(org_standard_layer, client, org, org_standard_path)
        if config_layers is None
        else None
    )
    community_job = pool.submit(fetch_facts, client, [], org_community=org)
    directory_job = pool.submit(owner_directory, client, org)
    if layer_job is not None:
        layer = layer_job.result()
        config_layers = [layer] if layer else []
        log(f"organisation standard: {layer[0] if layer else 'none (the default standard)'}")
    assert config_layers is not None
    base_standard = resolve(registry, config_layers)  # fail early on a broken org standard

    fixer = None
    if fix_prs:
        if not base_standard.fix_pull_requests:
            raise StandardError(
                config_layers[0][0] if config_layers else "default",
                None,
                "fix.pull_requests",
                "the organisation's standard does not opt in to fix pull requests: add "
                "`fix: {pull_requests: true}` to it",
            )
        from scorecard.fix.org import DEFAULT_MAX_NEW, OrgFixer

        max_new = base_standard.fix_max_new
        fixer = OrgFixer(client, org, DEFAULT_MAX_NEW if max_new is None else max_new)

    standard_key, tool_key = digest(list(config_layers)), tool_digest(registry)
    repos = []
    for repo in list_repositories(client, org):
        stats.listed += 1
        if filters.keep(repo):
            if resume_from and str(repo["full_name"]).lower() in resume_from:
                stats.skipped_done += 1
                continue
            repos.append(
                {
                    k: repo.get(k)
                    for k in (
                        "full_name",
                        "name",
                        "archived",
                        "fork",
                        "visibility",
                        "topics",
                        "security_and_analysis",
                        "default_branch",
                        "permissions",
                    )
                }
            )
    stats.selected = len(repos)
    log(
        f"{stats.listed} repositories listed, {len(repos)} to grade"
        + (f", {stats.skipped_done} already in the results file" if stats.skipped_done else "")
    )
    log(estimate(client, len(repos), batch_size))
    writer.write(
        {
            "kind": "scan",
            "version": RECORD_VERSION,
            "org": org,
            "started_at": now_iso(),
            "shard": "/".join(map(str, filters.shard)) if filters.shard else None,
            "standard": base_standard.label,
            "repositories": len(repos),
        }
    )
    directory = directory_job.result()
    community: dict[str, str] | Unknown
    try:
        community = community_job.result()[1]
    except GitHubError as exc:
        community = Unknown(f"the organisation's .github repository could not be read: {exc}")
    progress = Progress(len(repos), progress_stream) if progress_stream else None
    owners_key = owners_digest(directory)

    def fail(repo: dict[str, Any], message: str) -> None:
        writer.write(
            {
                "kind": "error",
                "version": RECORD_VERSION,
                "repository": repo["full_name"],
                "scanned_at": now_iso(),
                "error": message,
            }
        )
        stats.failed += 1
        stats.failures.append(f"{repo['full_name']}: {message}")
        if progress:
            progress.step(error=True)

    def grade(
        repo: dict[str, Any],
        facts: Any,
        comm: Any,
        key: dict[str, str] | None,
        platform: GitHubPlatform,
    ) -> dict[str, Any]:
        snap = snapshot_from_facts(
            client,
            facts,
            community=comm,
            sha=facts.head_oid,
            label=repo["full_name"],
            directory=directory,
            platform=platform,
        )
        try:
            assert config_layers is not None
            standard = _repo_standard(registry, snap, config_layers, base_standard)
            card = grade_snapshot(snap, standard, registry, target=repo["full_name"])
            fix_pr = (
                fixer(snap, standard, registry, card, str(repo["full_name"]))
                if fixer is not None
                else None
            )
        finally:
            snap.close()
        record = _record_for(card.to_json(), repo, org)
        if fix_pr is not None:
            record["fix_pr"] = fix_pr
        key = with_rest(key, rest_facts(platform))  # the REST-only settings grading read
        return {**record, "graded_at": record["scanned_at"], "reused": False, "reuse_key": key}

    def grade_one(repo: dict[str, Any], facts: Any, comm: Any) -> None:
        """Grade one repository within its deadline (``budgets.repo_seconds``); whatever
        goes wrong, an error record, and the scan goes on."""
        # The listing's repository object stands in for `GET /repos/...`: it carries the
        # security settings (for admin tokens) and the token's permissions.
        platform = GitHubPlatform(client, facts, facts.head_oid, comm, repo, directory)
        key = reuse_key(facts.head_oid, standard_key, tool_key, facts, repo, comm, owners_key)
        try:
            before = (
                previous.reusable(str(repo["full_name"]), key, lambda: ask_rest_facts(platform))
                if previous
                else None
            )
        except GitHubError as exc:
            fail(repo, str(exc))
            return
        if before is not None:
            writer.write(
                {
                    **before,
                    "scanned_at": now_iso(),
                    "reused": True,
                    "graded_at": before.get("graded_at") or before.get("scanned_at"),
                }
            )
            stats.reused += 1
            if progress:
                progress.step()
            return
        try:
            record = budgets.call_with_deadline(
                budgets.current().repo_seconds,
                "grading the repository",
                lambda: grade(repo, facts, comm, key, platform),
            )
        except (GitHubError, StandardError, ReadError, OSError, budgets.TimedOut) as exc:
            fail(repo, str(exc))
            return
        except MemoryError:
            fail(repo, "grading the repository ran out of memory")
            return
        except budgets.Overdue:  # a deadline's exception, late: the repository took too long
            fail(repo, "grading the repository ran past its deadline")
            return
        except Exception as exc:  # one broken repository never stops the scan
            fail(repo, f"{type(exc).__name__}: {exc}")
            return
        writer.write(record)
        stats.graded += 1
        if progress:
            progress.step()

    def batch_job(batch: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
        """One GraphQL query for a batch: ``(repository, facts)`` of those it found."""
        names = [tuple(str(r["full_name"]).split("/", 1)) for r in batch]
        try:
            facts_list, _ = fetch_facts(client, names)  # type: ignore[arg-type]
        except GitHubError as exc:
            for r in batch:
                fail(r, str(exc))
            return []
        out = []
        for r, facts in zip(batch, facts_list, strict=True):
            if isinstance(facts, GitHubError):
                fail(r, str(facts))
            else:
                out.append((r, facts))
        return out

    batches = [repos[i : i + batch_size] for i in range(0, len(repos), batch_size)]
    pending = [0]  # repositories fetched or being graded, which may still make REST requests

    def affordable(batch: list[dict[str, Any]]) -> bool:
        """Whether the batch fits in what --max-requests leaves, at the most it can cost."""
        if max_requests is None:
            return True
        used = client.stats.rest + client.stats.graphql
        worst = 1 + REST_PER_REPOSITORY * (pending[0] + len(batch))
        return used + worst <= max_requests

    grading: set[cf.Future[None]] = set()
    batch_of: dict[cf.Future[list[tuple[dict[str, Any], Any]]], int] = {}
    fetching: set[cf.Future[list[tuple[dict[str, Any], Any]]]] = set()
    upcoming = iter(batches)
    # A bounded pipeline: a few batches fetched ahead, a few dozen repositories waiting to
    # be graded, so that memory does not grow with the size of the organisation.
    ahead, queued = 3, 2 * workers
    while True:
        while len(fetching) < ahead and len(grading) < queued:
            batch = next(upcoming, None)
            if batch is None:
                break
            if not affordable(batch):
                stats.unfinished = len(batch) + sum(len(b) for b in upcoming)
                break
            pending[0] += len(batch)
            job = pool.submit(batch_job, batch)
            batch_of[job] = len(batch)
            fetching.add(job)
        if not fetching and not grading:
            break
        waiting: set[cf.Future[Any]] = set(fetching) | set(grading)
        done, _ = cf.wait(waiting, return_when=cf.FIRST_COMPLETED)
        for fut in done:
            if fut in fetching:
                fetching.discard(fut)
                found = fut.result()
                pending[0] -= batch_of.pop(fut) - len(found)  # failed ones ask no more
                for r, facts in found:
                    grading.add(pool.submit(grade_one, r, facts, community))
            else:
                grading.discard(fut)
                pending[0] -= 1
                fut.result()
    if fixer is not None:
        log(
            f"fix pull requests: {fixer.opened} new"
            + (f", {fixer.held_back} more held back by fix.max_new" if fixer.held_back else "")
        )
    stats.seconds = time.monotonic() - start
    stats.requests = client.stats.rest + client.stats.graphql
    stats.downloads = client.stats.download
    return stats


#: At most this many REST requests per repository once its batch's facts are in: GitHub's
#: CODEOWNERS errors and code scanning's default setup, each only when a check needs it.
REST_PER_REPOSITORY = 2


def estimate(client: GitHubClient, count: int, batch_size: int) -> str:
    """What grading ``count`` repositories will ask of GitHub, and what the token has left."""
    queries = -(-count // max(batch_size, 1))
    said = (
        f"estimate: {queries} GraphQL queries (about {queries} points), at most "
        f"{REST_PER_REPOSITORY * count} REST requests and {count} archive downloads"
    )
    left = []
    for resource, unit in (("core", "REST requests"), ("graphql", "GraphQL points")):
        budget = client.pacer.budget(resource)
        if budget is not None:
            remaining, reset = budget
            at = time.strftime("%H:%M UTC", time.gmtime(reset))
            left.append(f"{remaining} {unit} until {at}")
    if left:
        said += "; the token has " + " and ".join(left)
        core = client.pacer.budget("core")
        if core is not None and core[0] < REST_PER_REPOSITORY * count:
            said += " (the scan may wait for the reset: it paces itself, none is refused)"
    return said


def _repo_standard(
    registry: Registry, snap: Any, org_layers: Sequence[tuple[str, str]], base: Standard
) -> Standard:
    own = repo_standard_layer(snap)
    if own is None:
        return base
    return resolve(registry, [*org_layers, own], restrict_from=len(org_layers))
