"""RepoSnapshot: everything a check may read about one repository at one commit.

Two implementations exist: :class:`scorecard.sources.local.LocalSnapshot` over a checkout or
folder, and the GitHub API one. Checks never know which they read. The base class holds what
both share: the file index (built once), lazy reads with a size cap and binary detection, a
content store (bounded by CONTENT_STORE_BYTES) through which checks, rules and the in-process
content scan read each file once, and parsed-file caches so that no file is parsed twice.
"""

from __future__ import annotations

import bisect
import posixpath
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard.parsing import (
    Parsed,
    ParseError,
    get_on,
    load_json,
    load_toml,
    load_yaml,
    load_yaml_all,
)

MiB = 1024 * 1024
#: The default cap for reading one file. Larger files count as present but are not read.
DEFAULT_READ_CAP = 4 * MiB
#: The per-run content store: what a snapshot keeps of the files read in a run, so that the
#: content scan, the checks and the rules read each file once. Past this total a read is not
#: kept (a later reader reads that file again): memory stays bounded on a large checkout.
CONTENT_STORE_BYTES = 64 * MiB


class ReadError(Exception):
    """A tracked file that cannot be read as asked: ``reason`` says why, for a message."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotText(ReadError):
    """The file is binary or not valid UTF-8."""


class TooLarge(ReadError):
    """The file is larger than the cap of this read."""


@dataclass(frozen=True)
class Unknown:
    """A platform fact that could not be learnt, with the reason (often a missing permission)."""

    reason: str


@dataclass(frozen=True)
class NotAvailable:
    """A feature GitHub does not offer this repository (not a permission the token lacks): code
    scanning on a private repository without GitHub Advanced Security. The reason says why."""

    reason: str


@dataclass(frozen=True)
class RepoMeta:
    name: str
    default_branch: str | None = None
    visibility: str | None = None  # public, private, internal
    topics: tuple[str, ...] = ()
    archived: bool | None = None
    fork: bool | None = None
    owner: str | None = None  # the account (organisation or user) on GitHub


LOCAL_ONLY = "only available through the GitHub API (run `repo-scorecard check OWNER/REPO`)"


class Platform:
    """Facts only the hosting platform knows. Locally, every one of them is :class:`Unknown`.

    The GitHub source overrides these. Each returns the fact or ``Unknown(reason)``; the reason
    names the permission a token needs where that is the cause.
    """

    def branch_protection(self, min_approvals: int) -> dict[str, Any] | Unknown:
        """``{"protected": bool, "approvals": int, "source": "ruleset"|"classic"|None}``."""
        return Unknown(f"branch rules are {LOCAL_ONLY}")

    def secret_scanning(self) -> str | Unknown:
        """``enabled`` / ``disabled``."""
        return Unknown(f"secret scanning settings are {LOCAL_ONLY}")

    def code_scanning_default_setup(self) -> bool | Unknown | NotAvailable:
        return Unknown("default setup can only be seen through the API with administration: read")

    def codeowners_errors(self) -> list[dict[str, Any]] | Unknown:
        """GitHub's own CODEOWNERS errors: ``[{"line": int, "message": str, ...}]``."""
        return Unknown(f"GitHub's CODEOWNERS validation is {LOCAL_ONLY}")

    def org_community_file(self, kind: str) -> str | Unknown | None:
        """The path of an inherited file (``SECURITY``, ``CONTRIBUTING``) in the org's
        ``.github`` repository, None when there is none."""
        return Unknown(
            f"files inherited from the organisation's .github repository are {LOCAL_ONLY}"
        )

    def releases_count(self) -> int | Unknown:
        return Unknown(f"GitHub releases are {LOCAL_ONLY}")


@dataclass(frozen=True)
class Workflow:
    """A GitHub Actions workflow file: parsed ``data`` (a mapping) or a parse ``error``."""

    path: str
    data: Any = None
    error: ParseError | None = None
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and isinstance(self.data, dict)

    @property
    def on(self) -> Any:
        return get_on(self.data)

    @property
    def triggers(self) -> set[str]:
        """The event names that trigger the workflow."""
        on = self.on
        if isinstance(on, str):
            return {on}
        if isinstance(on, list):
            return {str(x) for x in on}
        if isinstance(on, dict):
            return {str(k) for k in on}
        return set()

    @property
    def jobs(self) -> dict[str, Any]:
        jobs = self.data.get("jobs") if isinstance(self.data, dict) else None
        return jobs if isinstance(jobs, dict) else {}

    def steps(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(job id, step mapping) for every step of every job."""
        for job_id, job in self.jobs.items():
            if not isinstance(job, dict):
                continue
            steps = job.get("steps")
            if isinstance(steps, list):
                for step in steps:
                    if isinstance(step, dict):
                        yield str(job_id), step


class Background:
    """A call running in a daemon thread; :meth:`result` waits for it and returns its value
    or raises its exception (what a one-thread executor's future does, without importing
    ``concurrent.futures`` at every start)."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(fn, *args), daemon=True, name="scorecard-grep"
        )
        self._thread.start()

    def _run(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # handed to result()
            self._error = exc

    def result(self) -> Any:
        while self._thread.is_alive():  # in steps: a deadline (scorecard.budgets) can stop it
            self._thread.join(0.1)
        if self._error is not None:
            raise self._error
        return self._value


@dataclass
class RepoSnapshot:
    """Base snapshot. Subclasses provide ``_read_raw`` and fill ``files`` (sorted, POSIX)."""

    label: str
    files: Sequence[str]
    meta: RepoMeta
    commit: str | None = None
    platform: Platform = field(default_factory=Platform)
    warnings: list[str] = field(default_factory=list)
    is_remote: bool = False

    def __post_init__(self) -> None:
        self._fileset: frozenset[str] | None = None
        self._dirs: dict[str, list[str]] | None = None
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()
        self._stored_bytes = 0  # the content store's size (see CONTENT_STORE_BYTES)

    # ---- the index -------------------------------------------------------------------------

    def has(self, path: str) -> bool:
        """Whether ``path`` is a tracked file (exact, case-sensitive)."""
        if self._fileset is None:
            self._fileset = frozenset(self.files)
        return path in self._fileset

    def listdir(self, directory: str = "") -> list[str]:
        """Names of the tracked files directly in ``directory`` ("" is the root)."""
        d = directory.strip("/")
        cached = self._dirs.get(d) if self._dirs is not None else None
        if cached is not None:
            return cached
        if self._dirs is None:
            self._dirs = {}
        n = len(d) + 1 if d else 0
        names = [f[n:] for f in self.files_under(d) if "/" not in f[n:]]
        self._dirs[d] = names
        return names

    def subdirs(self, directory: str = "") -> set[str]:
        """Names of the directories directly in ``directory`` that hold tracked files."""
        d = directory.strip("/")
        prefix = d + "/" if d else ""
        files, out = self.files, set()
        i = bisect.bisect_left(files, prefix)
        end = len(files)
        while i < end:
            f = files[i]
            if not f.startswith(prefix):
                break
            rest = f[len(prefix) :]
            slash = rest.find("/")
            if slash < 0:
                i += 1
                continue
            name = rest[:slash]
            out.add(name)
            i = bisect.bisect_left(files, prefix + name + "0", i)  # "0" follows "/": skip it
        return out

    def find(self, directory: str, predicate: Any) -> list[str]:
        """Paths of the files directly in ``directory`` whose name satisfies ``predicate``,
        sorted by name."""
        d = directory.strip("/")
        return [posixpath.join(d, n) if d else n for n in sorted(self.listdir(d)) if predicate(n)]

    def has_dir(self, directory: str) -> bool:
        """Whether any tracked file lies below ``directory`` (exact directory name)."""
        prefix = directory.strip("/") + "/"
        i = bisect.bisect_left(self.files, prefix)
        return i < len(self.files) and self.files[i].startswith(prefix)

    def files_under(self, directory: str) -> Sequence[str]:
        """Every tracked file below ``directory``, at any depth ("" is every file)."""
        d = directory.strip("/")
        if not d:
            return self.files
        prefix = d + "/"
        lo = bisect.bisect_left(self.files, prefix)
        hi = bisect.bisect_left(self.files, d + "0")  # "0" sorts right after "/"
        return self.files[lo:hi]

    # ---- reading ---------------------------------------------------------------------------

    def _read_raw(self, path: str, cap: int) -> bytes:
        """The bytes of a tracked file; raise ReadError/TooLarge. Subclasses implement."""
        raise NotImplementedError

    def _size(self, path: str) -> int | None:
        try:
            return len(self._read_raw(path, 1 << 62))
        except ReadError:
            return None

    def size(self, path: str) -> int | None:
        """The size in bytes of a tracked file, None when absent or unreadable."""
        return self._size(path) if self.has(path) else None

    def grep(self, pattern: bytes, max_size: int, paths: Sequence[str] | None = None) -> list[str]:
        """Tracked files of at most ``max_size`` bytes whose bytes match the regular expression
        ``pattern`` (binary files included), sorted. The engine may have started it early (in the
        background, beside the other checks)."""
        if paths is not None:
            return self._grep_paths(pattern, max_size, paths)
        key = ("grep", pattern, max_size)
        with self._lock:
            pending = self._cache.get(key)
        if pending is None:
            return self._grep(pattern, max_size)
        result: list[str] = pending.result()
        return result

    def _prefetch_grep(self, pattern: bytes, max_size: int) -> None:
        """Start :meth:`grep` early, where that helps (the engine calls it, for a built-in
        check's ``_content_scan``): here, a snapshot held in memory, it does not (the scan is
        interpreter work either way); a checkout overrides it."""

    def _start_grep(self, pattern: bytes, max_size: int) -> None:
        """Run :meth:`grep` in a background thread (one that mostly waits on subprocesses)."""
        key = ("grep", pattern, max_size)
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = Background(self._grep, pattern, max_size)

    def _grep(self, pattern: bytes, max_size: int) -> list[str]:
        return self._grep_paths(pattern, max_size, self.files)

    def _grep_paths(self, pattern: bytes, max_size: int, paths: Sequence[str]) -> list[str]:
        import re

        rx = re.compile(pattern)
        out = []
        for path in paths:
            try:
                data = self.read_bytes(path, max_size)
            except ReadError:
                continue
            if rx.search(data):
                out.append(path)
        return sorted(out)

    def read_bytes(self, path: str, cap: int = DEFAULT_READ_CAP) -> bytes:
        """The bytes of a tracked file of at most ``cap`` bytes. Raises :class:`ReadError`
        (absent, unreadable, outside the root) or :class:`TooLarge`."""
        if not self.has(path):
            raise ReadError(path, "not a tracked file")
        data = self._stored(path, cap)
        if data is None:
            data = self._read_raw(path, cap)
            self._keep(path, data)
        return data

    def _stored(self, path: str, cap: int) -> bytes | None:
        """The bytes of ``path`` held in the content store, None when it holds none. Raises
        :class:`TooLarge` when they exceed ``cap``."""
        data: bytes | None = self._cache.get(("bytes", path))
        if data is not None and len(data) > cap:
            raise TooLarge(path, f"larger than {cap} bytes")
        return data

    def _keep(self, path: str, data: bytes) -> None:
        """Keep the bytes read of ``path`` in the content store, within CONTENT_STORE_BYTES."""
        with self._lock:
            if self._stored_bytes + len(data) <= CONTENT_STORE_BYTES:
                self._cache[("bytes", path)] = data
                self._stored_bytes += len(data)

    def read_text(self, path: str, cap: int = DEFAULT_READ_CAP) -> str:
        """The text of a tracked UTF-8 file. Raises :class:`NotText` when it is binary (holds a
        NUL byte) or not valid UTF-8, besides what :meth:`read_bytes` raises."""
        data = self.read_bytes(path, cap)
        if b"\0" in data[:8192]:
            raise NotText(path, "is a binary file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotText(path, f"is not valid UTF-8 (byte {exc.start})") from None
        return text[1:] if text.startswith("\ufeff") else text

    def _parsed(self, kind: str, path: str, parse: Any) -> Parsed:
        key = (kind, path)
        if key not in self._cache:
            try:
                text = self.read_text(path)
                self._cache[key] = Parsed(path, data=parse(text))
            except ReadError as exc:
                self._cache[key] = Parsed(path, error=ParseError(exc.reason))
            except ParseError as exc:
                self._cache[key] = Parsed(path, error=exc)
        result: Parsed = self._cache[key]
        return result

    def yaml(self, path: str) -> Parsed:
        """The single YAML document of ``path``, parsed once."""
        return self._parsed("yaml", path, load_yaml)

    def yaml_all(self, path: str) -> Parsed:
        """Every YAML document of ``path`` (a list), parsed once."""
        return self._parsed("yaml_all", path, load_yaml_all)

    def json(self, path: str) -> Parsed:
        return self._parsed("json", path, load_json)

    def toml(self, path: str) -> Parsed:
        return self._parsed("toml", path, load_toml)

    def workflows(self) -> list[Workflow]:
        """The workflow files GitHub runs: ``.github/workflows/*.yml`` and ``*.yaml``."""
        key = ("workflows", "")
        if key not in self._cache:
            out = []
            for path in self.find(".github/workflows", lambda n: n.endswith((".yml", ".yaml"))):
                text = ""
                try:
                    text = self.read_text(path)
                    data = load_yaml(text)
                    if not isinstance(data, dict):
                        raise ParseError("a workflow must be a mapping", 1)
                    out.append(Workflow(path, data=data, text=text))
                except ReadError as exc:
                    out.append(Workflow(path, error=ParseError(exc.reason)))
                except ParseError as exc:
                    out.append(Workflow(path, error=exc, text=text))
            self._cache[key] = out
        workflows: list[Workflow] = self._cache[key]
        return workflows

    def close(self) -> None:
        """Release what the snapshot holds (a temporary folder, for some sources)."""

    def __enter__(self) -> RepoSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_cached(self, key: str) -> bool:
        """Whether :meth:`cached` holds ``key`` already."""
        return ("derived", key) in self._cache

    def cached(self, key: str, compute: Any) -> Any:
        """Memoise a derived fact shared between checks (e.g. the parsed CODEOWNERS)."""
        k = ("derived", key)
        if k not in self._cache:
            self._cache[k] = compute()
        return self._cache[k]

    def _kept(self, kind: str, inputs: Sequence[bytes], compute: Callable[[], bytes]) -> bytes:
        """``compute()``: a result that depends on nothing but the tracked-file list and
        ``inputs`` (a built-in check's, through the engine's cache: not part of the plugin
        contract). A checkout keeps it for its next run (``LocalSnapshot``); a snapshot held in
        memory computes it."""
        return compute()
