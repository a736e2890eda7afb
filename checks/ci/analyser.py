"""The analysis: every CI file walked, each command recorded with where it is written and
followed into the repository (three levels deep, each command once), within the bounds of
:mod:`.limits`; computed once per snapshot (:func:`analyse`)."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scorecard.model import Location
from scorecard.parsing import ParseError, load_yaml_all
from scorecard.snapshot import MiB, RepoSnapshot, Workflow

from .._workflows import describe_parse_error, value_lines
from .actions import Use, action_matches
from .commands import Chunk, Command, Follow, display, normalise
from .follow import Followers, inline_scripts
from .limits import LEX_BUDGET, MATRIX_VARIANTS, MAX_COMMANDS, MAX_DEPTH, Lexing
from .readers import (
    BUILDKITE_KEYS,
    COMMAND_INPUTS,
    JENKINS_STEP,
    MATRIX_REF,
    OTHER_CI,
    Matrix,
    defaults_shell,
    fill_matrix,
    matrix_of,
    script_values,
    workflow_problem,
    working_directory,
)
from .reading import RepoFiles, join_path, node_line


@dataclass(frozen=True)
class _Ctx:
    path: str
    line: int | None
    via: tuple[str, ...]
    depth: int
    seen: frozenset[str]


@dataclass(frozen=True)
class CiAnalysis:
    """Everything CI runs, computed once per snapshot."""

    commands: tuple[Command, ...]
    uses: tuple[Use, ...]
    #: CI files that were read (workflows that parse, other CI configs).
    sources: tuple[str, ...]
    #: CI files that could not be read, with why.
    problems: tuple[tuple[str, ParseError], ...]
    #: Sources read only in part (a Jenkinsfile: only its ``sh``/``bat`` steps).
    partial: tuple[str, ...] = ()
    #: Whether the analysis stopped early: :data:`MAX_COMMANDS` commands recorded, or
    #: :data:`LEX_BUDGET` spent. A command not found may then be in what was not read.
    truncated: bool = False


class _Analyser:
    """One analysis: walks the CI files, records each command and ``uses:``, and follows each
    command into the repository (:class:`~scorecard.checks.ci.follow.Followers`)."""

    def __init__(self, snap: RepoSnapshot) -> None:
        self.snap = snap
        self.files = RepoFiles(snap)
        self.lex = Lexing()
        self.followers = Followers(self.files, self.lex)
        self.commands: list[Command] = []
        self.uses: list[Use] = []
        self.sources: list[str] = []
        self.problems: list[tuple[str, ParseError]] = []
        self.partial: list[str] = []
        self.full = False  # MAX_COMMANDS reached
        self._scripts: dict[tuple[str, str, int, bool, bool, Matrix], list[Chunk]] = {}
        self._followed: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[Follow]] = {}

    @property
    def truncated(self) -> bool:
        return self.full or self.lex.work.exhausted

    # ---- commands -----------------------------------------------------------------------------

    def run_chunks(
        self, chunks: Iterable[Chunk], cwd: str, ctx: _Ctx | None, inline: int = 0
    ) -> None:
        stack: list[str] = []
        for words, text, where in chunks:
            if len(self.commands) >= MAX_COMMANDS:
                self.full = True
                return
            argv, wrappers = normalise(words)
            if not argv:
                continue
            if argv[0] in ("cd", "pushd"):
                target = join_path(cwd, argv[1]) if len(argv) > 1 else None
                if target is not None and self.files.exists_dir(target):
                    if argv[0] == "pushd":
                        stack.append(cwd)
                    cwd = target
                continue
            if argv[0] == "popd":
                if stack:
                    cwd = stack.pop()
                continue
            start = ctx or _Ctx(where.path, where.line, (), 0, frozenset())
            self.emit(argv, wrappers, text, where, cwd, start, inline)

    def emit(
        self,
        argv: tuple[str, ...],
        wrappers: tuple[str, ...],
        text: str,
        where: Location,
        cwd: str,
        ctx: _Ctx,
        inline: int = 0,
    ) -> None:
        if len(self.commands) >= MAX_COMMANDS:
            self.full = True
            return
        cmd = Command(text, argv, ctx.path, ctx.line, ctx.via, where, wrappers, cwd)
        self.commands.append(cmd)
        if inline < 3:
            for script in inline_scripts(argv):
                chunks = [(raw.words, raw.text, where) for raw in self.lex.split(script)]
                self.run_chunks(chunks, cwd, ctx, inline + 1)
        if ctx.depth >= MAX_DEPTH:
            return
        label = f"`{display(text)}`" if not ctx.via else f"{where} `{display(text)}`"
        for key, chunks, child_cwd in self.followed(cmd):
            if key in ctx.seen:
                continue
            child = _Ctx(ctx.path, ctx.line, (*ctx.via, label), ctx.depth + 1, ctx.seen | {key})
            self.run_chunks(chunks, child_cwd, child)

    def followed(self, cmd: Command) -> list[Follow]:
        """:meth:`follow`, once per command and directory: a command run by many steps (or
        many times by one) is read once."""
        key = (cmd.argv, cmd.wrappers, cmd.cwd)
        found = self._followed.get(key)
        if found is None:
            found = self._followed[key] = self.followers.follow(cmd)
        return found

    # ---- GitHub Actions -----------------------------------------------------------------------

    def script_chunks(
        self,
        value: str,
        path: str,
        source: str,
        python: bool = False,
        posix: bool = True,
        matrix: Matrix = (),
    ) -> list[Chunk]:
        """The commands of a ``run:`` value, each with the file line holding it, and one per
        value of the ``matrix`` keys it uses (``${{ matrix.toxenv }}``); memoised, so that a
        value reused by many steps (YAML aliases) is read once."""
        start = node_line(value) or 1
        key = (value, path, start, python, posix, matrix)
        cached = self._scripts.get(key)
        if cached is None:
            cached = self._script_chunks(value, start, path, source, python, posix)
            if matrix:
                cached = self._matrix_variants(cached, dict(matrix))
            self._scripts[key] = cached
        return cached

    def _matrix_variants(
        self, chunks: list[Chunk], matrix: Mapping[str, tuple[str, ...]]
    ) -> list[Chunk]:
        out: list[Chunk] = []
        for words, text, where in chunks:
            keys = [k for k in dict.fromkeys(MATRIX_REF.findall(text)) if k in matrix]
            if not keys:
                out.append((words, text, where))
                continue
            for combo in itertools.islice(
                itertools.product(*(matrix[k] for k in keys)), MATRIX_VARIANTS
            ):
                if len(out) >= MAX_COMMANDS or not self.lex.work.spend(len(text)):
                    return out
                chosen = dict(zip(keys, combo, strict=True))
                out.append(
                    (tuple(fill_matrix(w, chosen) for w in words), fill_matrix(text, chosen), where)
                )
        return out

    def _script_chunks(
        self, value: str, start: int, path: str, source: str, python: bool, posix: bool
    ) -> list[Chunk]:
        """Each command of ``value`` with the file line holding its first character
        (:func:`~scorecard.checks._workflows.value_lines`, as every check cites it)."""
        if python:
            ends = [0] + [m.end() for m in re.finditer("\n", value)]
            found = [
                (w, t, ends[min(line, len(ends)) - 1]) for w, t, line in self.lex.py_commands(value)
            ]
        else:
            found = [(r.words, r.text, r.offset) for r in self.lex.split(value, posix)]
        line_at = value_lines(source, value, start)
        return [(words, text, Location(path, line_at(offset))) for words, text, offset in found]

    def step(
        self,
        step: Mapping[str, Any],
        path: str,
        source: str,
        cwd: str,
        ctx: _Ctx | None,
        default_shell: str = "bash",
        matrix: Matrix = (),
    ) -> None:
        line = node_line(step)
        uses = step.get("uses")
        inputs = step.get("with") if isinstance(step.get("with"), dict) else {}
        assert isinstance(inputs, dict)
        if isinstance(uses, str) and uses.strip():
            uline = node_line(uses) or line
            where = Location(path, uline)
            self.uses.append(
                Use(
                    uses.strip(),
                    ctx.path if ctx else path,
                    ctx.line if ctx else uline,
                    inputs,
                    ctx.via if ctx else (),
                    where,
                )
            )
            self._action(uses.strip(), inputs, where, source, cwd, ctx)
        run = step.get("run")
        if isinstance(run, str) and not self.full:
            wd = step.get("working-directory")
            if isinstance(wd, str):
                cwd = join_path("", wd.strip()) or cwd if "${{" not in wd else cwd
            shell = step.get("shell")
            name = (shell if isinstance(shell, str) else default_shell).strip().lower()
            python = name.startswith("python")
            posix = not name.startswith(("pwsh", "powershell", "cmd"))
            chunks = self.script_chunks(run, path, source, python, posix, matrix)
            self.run_chunks(chunks, cwd, ctx)

    def _action(
        self,
        uses: str,
        inputs: Mapping[str, Any],
        where: Location,
        source: str,
        cwd: str,
        ctx: _Ctx | None,
    ) -> None:
        for action, key, prefix in COMMAND_INPUTS:
            value = inputs.get(key)
            if action_matches(uses, action) and isinstance(value, str):
                chunks = self.script_chunks(value, where.path, source)
                if prefix:
                    chunks = [((prefix.strip(), *w), f"{prefix}{t}", loc) for w, t, loc in chunks]
                self.run_chunks(chunks, cwd, ctx)
        if action_matches(uses, "pre-commit/action"):
            extra = inputs.get("extra_args")
            words = ("pre-commit", "run", *(str(extra).split() if extra else ["--all-files"]))
            self.run_chunks([(words, f"uses: {uses}", where)], "", ctx)
        if uses.startswith("./"):
            self._composite(uses, where, ctx)

    def _composite(self, uses: str, where: Location, ctx: _Ctx | None) -> None:
        d = join_path("", uses.split("@", 1)[0])
        if d is None:
            return
        path = next(
            (
                p
                for p in (posixpath.join(d, "action.yml"), posixpath.join(d, "action.yaml"))
                if self.files.has(p)
            ),
            None,
        )
        depth = ctx.depth if ctx else 0
        key = f"action:{path}"
        if path is None or depth >= MAX_DEPTH or (ctx and key in ctx.seen):
            return
        data = self.files.yaml(path)
        runs = data.get("runs") if isinstance(data, dict) else None
        steps = runs.get("steps") if isinstance(runs, dict) else None
        if (
            not isinstance(runs, dict)
            or not isinstance(steps, list)
            or str(runs.get("using")) != "composite"
        ):
            return
        text = f"uses: {uses}"
        label = f"`{text}`" if not ctx or not ctx.via else f"{where} `{text}`"
        child = _Ctx(
            ctx.path if ctx else where.path,
            ctx.line if ctx else where.line,
            (*(ctx.via if ctx else ()), label),
            depth + 1,
            (ctx.seen if ctx else frozenset()) | {key},
        )
        source = self.files.text(path) or ""
        for step in steps:
            if isinstance(step, dict):
                self.step(step, path, source, "", child)

    def workflow(self, wf: Workflow) -> None:
        data = wf.data
        default_wd = working_directory(data.get("defaults"), "")
        default_shell = defaults_shell(data.get("defaults"), "")
        for job in wf.jobs.values():
            if not isinstance(job, dict):
                continue
            uses = job.get("uses")
            if isinstance(uses, str) and uses.strip():
                inputs = job.get("with") if isinstance(job.get("with"), dict) else {}
                assert isinstance(inputs, dict)
                line = node_line(uses) or node_line(job)
                self.uses.append(
                    Use(uses.strip(), wf.path, line, inputs, (), Location(wf.path, line), job=True)
                )
            cwd = working_directory(job.get("defaults"), default_wd)
            runs_on = job.get("runs-on")
            labels = (
                [runs_on]
                if isinstance(runs_on, str)
                else runs_on
                if isinstance(runs_on, list)
                else []
            )
            windows = any(isinstance(x, str) and "windows" in x.lower() for x in labels)
            shell = defaults_shell(job.get("defaults"), default_shell) or (
                "pwsh" if windows else "bash"
            )
            steps = job.get("steps")
            matrix = matrix_of(job)
            for step in steps if isinstance(steps, list) else []:
                if isinstance(step, dict):
                    self.step(step, wf.path, wf.text, cwd, None, shell, matrix)

    # ---- other CI systems ---------------------------------------------------------------------

    def other(self, path: str, keys: frozenset[str]) -> None:
        text = self.files.text(path)
        if text is None:
            reason = "cannot be read as UTF-8 text" if self.files.has(path) else "is missing"
            self.problems.append((path, ParseError(reason)))
            return
        if path == "Jenkinsfile" or path.endswith("/Jenkinsfile"):
            self.sources.append(path)
            self.partial.append(path)
            self._jenkins(path, text)
            return
        try:
            docs = load_yaml_all(text, custom_tags_as_null=True)
        except ParseError as exc:
            self.problems.append((path, exc))
            return
        self.sources.append(path)
        for doc in docs:
            for key, value in script_values(doc, keys, 0):
                posix = key not in ("ps", "pwsh", "powershell", "cmd")
                self.run_chunks(self.script_chunks(value, path, text, posix=posix), "", None)

    def _jenkins(self, path: str, text: str) -> None:
        for m in JENKINS_STEP.finditer(text):
            quote = m.group("q")
            end = text.find(quote, m.end())
            end = len(text) if end < 0 else end
            body = text[m.end() : end]
            line = text.count("\n", 0, m.end()) + 1
            posix = m.group("step") == "sh"
            chunks = [
                (r.words, r.text, Location(path, line + r.line))
                for r in self.lex.split(body, posix)
            ]
            self.run_chunks(chunks, "", None)


def _analyse(snap: RepoSnapshot) -> CiAnalysis:
    an = _Analyser(snap)
    for wf in snap.workflows():
        problem = workflow_problem(wf)
        if problem is None:
            an.sources.append(wf.path)
            an.workflow(wf)
        else:  # not CI: named in the results, and ignored
            an.problems.append((wf.path, problem))
    for path, keys in OTHER_CI:
        if snap.has(path):
            an.other(path, keys)
    for path in snap.files_under(".buildkite"):
        if path.count("/") == 1 and path.endswith((".yml", ".yaml")):
            an.other(path, BUILDKITE_KEYS)
    return CiAnalysis(
        tuple(an.commands),
        tuple(an.uses),
        tuple(an.sources),
        tuple(an.problems),
        tuple(an.partial),
        an.truncated,
    )


def analyse(snap: RepoSnapshot) -> CiAnalysis:
    """What CI runs in this snapshot, computed once."""
    result: CiAnalysis = snap.cached("ci", lambda: _analyse(snap))
    return result


def ci_commands(snap: RepoSnapshot) -> list[Command]:
    """Every command CI runs, followed into the repository's own definitions."""
    return list(analyse(snap).commands)


def ci_uses(snap: RepoSnapshot) -> list[Use]:
    """Every ``uses:`` of every CI step (composite actions followed) and reusable-workflow
    job."""
    return list(analyse(snap).uses)


def describe_problems(problems: Sequence[tuple[str, ParseError]], shown: int = 3) -> str:
    """`` (1 CI file could not be read: .github/workflows/x.yml line 4)``, or ``""``."""
    if not problems:
        return ""
    parts = [describe_parse_error(path, err) for path, err in problems[:shown]]
    more = f" and {len(problems) - shown} more" if len(problems) > shown else ""
    n = len(problems)
    return f" ({n} CI file{'s' if n != 1 else ''} could not be read: {', '.join(parts)}{more})"


def describe_truncated(ci: CiAnalysis) -> str:
    """Why a command not found may still be there (``""`` when the analysis read all)."""
    if not ci.truncated:
        return ""
    return (
        f"CI holds too much to read entirely (the analysis stops at {MAX_COMMANDS:,} "
        f"commands and {LEX_BUDGET // MiB} MiB of scripts)"
    )


def remote_workflows(ci: CiAnalysis) -> list[Use]:
    """Jobs that call a reusable workflow of another repository: what it runs cannot be read
    here."""
    return [u for u in ci.uses if u.job and not u.ref.startswith("./")]


def describe_remote(uses: Sequence[Use], shown: int = 3) -> str:
    """``acme/.github/.github/workflows/ci.yml@v1 (ci.yml:7)``, for a message."""
    refs = [f"{u.ref} ({u.location})" for u in uses[:shown]]
    more = f" and {len(uses) - shown} more" if len(uses) > shown else ""
    return ", ".join(refs) + more
