"""What CI runs: every command and action of every CI step, followed into the repository.

Shared by ``ci-runs-tests``, ``coverage-configured`` and ``code-scanning-configured`` and
computed once per snapshot (``snap.cached("ci", ...)``):

- every GitHub Actions workflow that parses: each step's ``uses:`` (:class:`Use`) and each
  ``run:`` script split into commands (:class:`Command`) with the file line of each command;
  local composite actions (``uses: ./path``) are followed into their steps, and a few actions
  that run a command given as an input (``nick-fields/retry``, ``pre-commit/action``...) are
  read as that command; a script using ``${{ matrix.KEY }}`` is read once per value of the
  job's ``strategy.matrix`` (:data:`MATRIX_VALUES`, :data:`MATRIX_VARIANTS`);
- the script lines of the other CI systems (``.gitlab-ci.yml``, CircleCI, Travis, Azure
  Pipelines, Bitbucket, Drone, AppVeyor, Buildkite, the ``sh`` steps of a ``Jenkinsfile``);
- what the repository itself defines, followed up to three levels deep: ``package.json``
  scripts, ``Makefile`` targets, ``tox`` environments, ``noxfile.py`` sessions, invoke tasks,
  pre-commit hooks, ``pdm``/``hatch``/``poe`` scripts from ``pyproject.toml``, and script files
  run by their path (shell scripts as commands, Python files by a text search for the command
  strings they run). Nothing from the repository is imported or executed.

The work is bounded by the input: each distinct script text is lexed once and each command
followed once, Makefile variables expand within :data:`MAKE_EXPANSION_DEPTH`,
:data:`EXPANSION_CAP` and :data:`MAKE_EXPANSION_BUDGET`, and one analysis records at most
:data:`MAX_COMMANDS` commands and lexes at most :data:`LEX_BUDGET` characters; an analysis cut
short says so (:attr:`CiAnalysis.truncated`), and the checks then answer ``unknown``.

A command is normalised before it is classified: leading ``VAR=value`` assignments,
``${PREFIX}`` expansions, ``sudo``, ``env``, ``time`` and wrappers (``uv run``, ``uvx``,
``poetry run``, ``pipenv run``, ``hatch run``, ``pdm run``, ``python -m``, ``coverage run -m``,
``npx``, ``pnpm exec``, ``bundle exec``, ``xvfb-run``, ``docker compose run``...) are dropped,
so that ``uv run python -m pytest`` is ``pytest``. Only what runs counts: ``pip install
pytest`` and ``echo pytest`` are ``pip`` and ``echo``.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import yaml

from scorecard.model import Location
from scorecard.parsing import ParseError, YamlMap, _LineLoader
from scorecard.snapshot import MiB, ReadError, RepoSnapshot, Workflow

from ._workflows import describe_parse_error

#: How many times a chain may step into something the repository defines.
MAX_DEPTH = 3
#: A safety net against pathological repositories: the commands one analysis records.
MAX_COMMANDS = 20_000
#: The characters of script text one analysis lexes (each distinct text once, however many
#: steps, aliases or commands lead to it) and writes in Makefile variable expansions.
LEX_BUDGET = 8 * MiB
#: The largest file the analyser reads.
READ_CAP = MiB

# ==== shell scripts -> commands ==================================================================


@dataclass(frozen=True)
class RawCommand:
    """One simple command of a script: its words (quotes removed), its text and its line
    (0-based, within the script)."""

    words: tuple[str, ...]
    text: str
    line: int


_PLAIN = re.compile(r"[^\s\\'\"$`#;&|<()^]+")
_HEREDOC_DELIM = re.compile(r"""(['"]?)([^\s'";&|<>()]+)\1""")


class _Lexer:
    """A lenient POSIX-shell splitter: commands end at newlines, ``;``, ``&&``, ``||``, ``|``
    and ``&``; quotes, ``$( )``, backquotes and ``${{ }}`` keep their content in one word;
    ``\\``-newline continues a line; comments and here-documents are skipped. It never
    raises: unbalanced quotes run to the end of the script."""

    def __init__(self, src: str, posix: bool = True) -> None:
        self.src = src
        self.posix = posix
        self.n = len(src)
        self.out: list[RawCommand] = []
        self.words: list[str] = []
        self.cur: list[str] = []
        self.in_word = False
        self.line = 0
        self.cmd_line = 0
        self.cmd_start = -1
        self.cmd_end = 0
        self.heredocs: list[str] = []

    def _mark(self, start: int, end: int) -> None:
        if self.cmd_start < 0:
            self.cmd_start = start
            self.cmd_line = self.line
        self.cmd_end = end

    def _add(self, s: str, start: int, end: int) -> None:
        self._mark(start, end)
        self.cur.append(s)
        self.in_word = True

    def _end_word(self) -> None:
        if self.in_word:
            self.words.append("".join(self.cur))
            self.cur = []
            self.in_word = False

    def _end_command(self) -> None:
        self._end_word()
        if self.words:
            raw = self.src[self.cmd_start:self.cmd_end].replace("\\\n", " ")
            self.out.append(RawCommand(tuple(self.words), " ".join(raw.split()), self.cmd_line))
        self.words = []
        self.cmd_start = -1

    def _balanced(self, j: int) -> int:
        """Index after the bracket that closes the one at ``j``."""
        src, n = self.src, self.n
        open_ = src[j]
        close = ")" if open_ == "(" else "}"
        depth = 0
        k = j
        while k < n:
            ch = src[k]
            if ch == "\\":
                k += 2
                continue
            if ch in "'\"" and open_ == "(":
                q = src.find(ch, k + 1)
                k = n if q < 0 else q + 1
                continue
            if ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        return n

    def _expression_end(self, j: int) -> int:
        k = self.src.find("}}", j + 3)
        return self.n if k < 0 else k + 2

    def _double(self, i: int) -> int:
        src, n = self.src, self.n
        j = i + 1
        buf: list[str] = []
        while j < n:
            ch = src[j]
            if ch == "\\" and j + 1 < n and self.posix:
                nxt = src[j + 1]
                if nxt == "\n":
                    j += 2
                    continue
                if nxt in '"\\$`':
                    buf.append(nxt)
                    j += 2
                    continue
                buf.append(ch)
                j += 1
                continue
            if ch == '"':
                break
            if src.startswith("${{", j):
                k = self._expression_end(j)
                buf.append(src[j:k])
                j = k
                continue
            if src.startswith("$(", j):
                k = self._balanced(j + 1)
                buf.append(src[j:k])
                j = k
                continue
            buf.append(ch)
            j += 1
        end = min(j + 1, n)
        self._add("".join(buf), i, end)
        self.line += src.count("\n", i, end)
        return end

    def _heredoc(self, i: int) -> int:
        src, n = self.src, self.n
        if i < n and src[i] == "-":
            i += 1
        while i < n and src[i] in " \t":
            i += 1
        m = _HEREDOC_DELIM.match(src, i)
        self._end_word()
        if m:
            self.heredocs.append(m.group(2))
            return m.end()
        return i

    def _skip_heredocs(self, i: int) -> int:
        src, n = self.src, self.n
        for delim in self.heredocs:
            while i < n:
                j = src.find("\n", i)
                j = n if j < 0 else j
                body = src[i:j]
                i = min(j + 1, n)
                if j < n:
                    self.line += 1
                if body.strip() == delim:
                    break
        self.heredocs = []
        return i

    def run(self) -> list[RawCommand]:
        src, n = self.src, self.n
        i = 0
        while i < n:
            c = src[i]
            if not self.posix and c in "`^" and src.startswith(("`\n", "^\n"), i):
                self.line += 1  # PowerShell's and cmd's line continuations
                i += 2
                continue
            if c == "\\" and self.posix:
                if src.startswith("\\\n", i):
                    self.line += 1
                    i += 2
                elif src.startswith("\\\r\n", i):
                    self.line += 1
                    i += 3
                elif i + 1 < n:
                    self._add(src[i + 1], i, i + 2)
                    i += 2
                else:
                    i += 1
                continue
            if c == "'":
                j = src.find("'", i + 1)
                j = n if j < 0 else j
                self._add(src[i + 1:j], i, min(j + 1, n))
                self.line += src.count("\n", i, j)
                i = j + 1
                continue
            if c == '"':
                i = self._double(i)
                continue
            if c == "$" and (src.startswith("${{", i) or src.startswith("$(", i)
                             or src.startswith("${", i)):
                j = self._expression_end(i) if src.startswith("${{", i) else self._balanced(i + 1)
                self._add(src[i:j], i, j)
                self.line += src.count("\n", i, j)
                i = j
                continue
            if c == "`" and self.posix:
                j = src.find("`", i + 1)
                j = n if j < 0 else j + 1
                self._add(src[i:j], i, j)
                self.line += src.count("\n", i, j)
                i = j
                continue
            if c == "#" and not self.in_word:
                j = src.find("\n", i)
                i = n if j < 0 else j
                continue
            if c in " \t\r":
                self._end_word()
                i += 1
                continue
            if c == "\n":
                self._end_command()
                self.line += 1
                i = self._skip_heredocs(i + 1)
                continue
            if c == ";":
                self._end_command()
                i += 2 if src.startswith(";;", i) else 1
                continue
            if c == "&":
                if src.startswith("&&", i):
                    self._end_command()
                    i += 2
                elif src.startswith("&>", i) or (self.in_word and self.cur
                                                 and self.cur[-1].endswith((">", "<"))):
                    self._add("&", i, i + 1)
                    i += 1
                else:
                    self._end_command()
                    i += 1
                continue
            if c == "|":
                self._end_command()
                i += 2 if src.startswith(("||", "|&"), i) else 1
                continue
            if c == "<" and src.startswith("<<", i) and not src.startswith("<<<", i):
                i = self._heredoc(i + 2)
                continue
            if c in "()":
                self._end_word()
                self._mark(i, i + 1)
                self.words.append(c)
                i += 1
                continue
            m = _PLAIN.match(src, i)
            j = m.end() if m else i + 1
            self._add(src[i:j], i, j)
            i = j
        self._end_command()
        return self.out


def split_commands(script: str, posix: bool = True) -> list[RawCommand]:
    """The simple commands of a shell script, in order. ``posix=False`` reads PowerShell and
    cmd scripts, where a backslash is a path separator, not an escape."""
    return _Lexer(script, posix).run()


# ==== normalisation ==============================================================================

_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_VAR_PREFIX = re.compile(
    r"^(?:\$\{\{.*?\}\}|\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-])+")
_CWD_VAR = re.compile(r"^(?:\$\(CURDIR\)|\$\{?PWD\}?|\$\(pwd\)|\{toxinidir\})$")
_PY_NAME = re.compile(r"^python[0-9.]*w?$")
_ALIASES = {
    "gradlew": "gradle", "mvnw": "mvn", "py.test": "pytest", "bazelisk": "bazel",
    "pypy": "python", "pypy3": "python", "py": "python", "pnpx": "npx", "bunx": "npx",
    "nodejs": "node", "cargo-tarpaulin": "tarpaulin", "podman": "docker",
    "podman-compose": "docker-compose", "sonar-scanner.bat": "sonar-scanner",
}
_KEYWORDS = frozenset({
    "(", "{", "!", "if", "then", "else", "elif", "do", "while", "until", "exec", "command",
    "builtin", "nohup", "noglob", "catchsegv", "dbus-run-session", "-", "@", "call",
})

#: Names kept when written as a path (``vendor/bin/phpunit`` is ``phpunit``).
_KNOWN: frozenset[str] = frozenset({
    "pytest", "tox", "nox", "jest", "vitest", "mocha", "rspec", "ctest", "phpunit", "nosetests",
    "nose2", "gotestsum", "ginkgo", "ava", "bats", "busted", "pest", "behave", "cucumber",
    "cucumber-js", "karma", "go", "cargo", "dotnet", "mix", "swift", "bazel", "rake", "deno",
    "bun", "flutter", "dart", "lein", "stack", "cabal", "meson", "cypress", "playwright", "ng",
    "forge", "hardhat", "rails", "mvn", "gradle", "make", "gmake", "sbt", "xcodebuild", "npm",
    "yarn", "pnpm", "npx", "turbo", "lerna", "nx", "python", "coverage", "nyc", "c8",
    "codecov", "codecovcli", "coveralls", "goveralls", "tarpaulin", "grcov", "kcov", "gcovr",
    "lcov", "semgrep", "snyk", "sonar-scanner", "bandit", "bandit-baseline", "gosec", "zizmor",
    "codeql", "gh",
    "uv", "uvx", "poetry", "pipenv", "hatch", "pdm", "poe", "invoke", "inv", "pre-commit",
    "bundle", "xvfb-run", "sudo", "env", "time", "timeout", "cross-env", "docker",
    "docker-compose", "bash", "sh", "zsh", "node", "pip", "pip3", "run-s", "run-p",
    "npm-run-all", "concurrently", "just", "dotnet-sonarscanner", "sonarqube-scanner",
    "pysonar", "pysonar-scanner",
})


def _canon(word: str) -> str:
    """The command name: aliases resolved (``./gradlew`` is ``gradle``), a known tool written as
    a path reduced to its name; any other path kept as written."""
    w = word.replace("\\", "/")
    base = w.rsplit("/", 1)[-1]
    for ext in (".exe", ".cmd", ".bat"):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
    base = _ALIASES.get(base, base)
    if _PY_NAME.match(base):
        base = "python"
    if "/" in w:
        return base if base in _KNOWN else w
    return base


def _skip_opts(w: Sequence[str], i: int, takes_value: Iterable[str] = ()) -> int:
    """The index of the first positional word at or after ``i``."""
    values = set(takes_value)
    while i < len(w) and w[i].startswith("-") and w[i] != "-":
        opt = w[i]
        i += 1
        if opt == "--":
            break
        if opt in values:
            i += 1
    return i


Handler = Callable[[list[str]], tuple[list[str], str] | None]


def _drop(values: Iterable[str] = (), label: str = "") -> Handler:
    vals = frozenset(values)

    def handle(w: list[str]) -> tuple[list[str], str]:
        return w[_skip_opts(w, 1, vals):], label

    return handle


def _sub(sub: str, label: str, values: Iterable[str] = ()) -> Handler:
    """``tool SUB [opts] cmd...`` (``poetry run``, ``bundle exec``)."""
    vals = frozenset(values)

    def handle(w: list[str]) -> tuple[list[str], str] | None:
        if w[1:2] != [sub]:
            return None
        return w[_skip_opts(w, 2, vals):], label

    return handle


def _h_env(w: list[str]) -> tuple[list[str], str]:
    i = 1
    while i < len(w):
        x = w[i]
        if x in ("-u", "--unset", "-C", "--chdir"):
            i += 2
        elif x.startswith("-") or _ASSIGN.match(x):
            i += 1
        else:
            break
    return w[i:], ""


def _h_gh(w: list[str]) -> tuple[list[str], str] | None:
    """``gh codeql ...``: the CodeQL CLI as a GitHub CLI extension."""
    return (w[1:], "gh") if w[1:2] == ["codeql"] else None


def _h_timeout(w: list[str]) -> tuple[list[str], str]:
    i = _skip_opts(w, 1, {"-s", "--signal", "-k", "--kill-after"})
    return w[i + 1:], ""


def _h_uv(w: list[str]) -> tuple[list[str], str] | None:
    opts = {"--with", "--with-requirements", "--extra", "--group", "--only-group", "-p",
            "--python", "--package", "--directory", "--project", "--env-file", "--index",
            "--from", "--no-extra", "--no-group", "--isolated-from"}
    if w[1:2] == ["run"]:
        return w[_skip_opts(w, 2, opts):], "uv run"
    if w[1:3] == ["tool", "run"]:
        return w[_skip_opts(w, 3, opts):], "uvx"
    return None


def _h_hatch(w: list[str]) -> tuple[list[str], str] | None:
    env = "default"
    i = 1
    while i < len(w) and w[i].startswith("-"):
        opt = w[i]
        i += 1
        if opt in ("-e", "--env"):
            env = w[i] if i < len(w) else env
            i += 1
        elif opt in ("-p", "--project", "--data-dir", "--cache-dir", "--config"):
            i += 1
        elif opt.startswith("--env="):
            env = opt.split("=", 1)[1]
    if i >= len(w):
        return None
    if w[i] == "test":
        return ["pytest", *w[i + 1:]], "hatch test"
    if w[i] != "run":
        return None
    rest = w[_skip_opts(w, i + 1):]
    while rest and rest[0].startswith("+"):
        rest = rest[1:]
    if rest and ":" in rest[0] and not rest[0].startswith((".", "/", "$")):
        env, _, script = rest[0].partition(":")
        rest = [script, *rest[1:]] if script else rest[1:]
    return rest, f"hatch run {env}"


def _h_python(w: list[str]) -> tuple[list[str], str] | None:
    i = 1
    while i < len(w) and w[i].startswith("-") and w[i] not in ("-m", "-c", "-"):
        opt = w[i]
        i += 1
        if opt in ("-W", "-X", "-Q"):
            i += 1
    if i < len(w) - 1 and w[i] == "-m":
        return w[i + 1:], "python -m"
    if i > 1:
        return [w[0], *w[i:]], ""
    return None


def _h_coverage(w: list[str]) -> tuple[list[str], str] | None:
    if w[1:2] != ["run"]:
        return None
    values = {"--rcfile", "--source", "--include", "--omit", "--concurrency", "--context",
              "--data-file"}
    i = 2
    while i < len(w) and w[i].startswith("-"):
        if w[i] == "-m":
            return w[i + 1:], "coverage run"
        opt = w[i]
        i += 1
        if opt in values:
            i += 1
    return ["python", *w[i:]], "coverage run"


def _h_npx(w: list[str]) -> tuple[list[str], str]:
    return w[_skip_opts(w, 1, {"-p", "--package", "-c", "--call"}):], "npx"


def _h_exec(tool: str, subs: tuple[str, ...], values: Iterable[str]) -> Handler:
    vals = frozenset(values)

    def handle(w: list[str]) -> tuple[list[str], str] | None:
        i = _skip_opts(w, 1, vals)
        if i < len(w) and w[i] in subs:
            return w[_skip_opts(w, i + 1, vals):], f"{tool} {w[i]}"
        return None

    return handle


_NYC_SUBCOMMANDS = frozenset({"report", "check-coverage", "instrument", "merge", "help"})
_NYC_VALUES = frozenset({"-r", "--reporter", "-n", "--include", "-x", "--exclude", "-e",
                         "--extension", "-i", "--require", "--temp-dir", "--temp-directory",
                         "-o", "--reports-dir", "--report-dir", "--src", "--cwd",
                         "--nycrc-path", "--config", "-t"})


def _h_nyc(w: list[str]) -> tuple[list[str], str] | None:
    i = _skip_opts(w, 1, _NYC_VALUES)
    if i >= len(w) or w[i] in _NYC_SUBCOMMANDS:
        return None
    return w[i:], _canon(w[0])


_DOCKER_RUN_VALUES = frozenset({
    "-e", "--env", "--env-file", "-w", "--workdir", "-u", "--user", "-v", "--volume", "--mount",
    "--name", "--network", "--net", "-p", "--publish", "--entrypoint", "-l", "--label",
    "--platform", "--cpus", "-m", "--memory", "--add-host", "--cap-add", "--cap-drop",
    "--device", "--dns", "--gpus", "-h", "--hostname", "--ipc", "--pid", "--restart",
    "--runtime", "--security-opt", "--shm-size", "--tmpfs", "--ulimit", "--volumes-from",
    "--group-add", "--link", "--index", "--pull", "--log-driver",
})
_COMPOSE_VALUES = frozenset({"-f", "--file", "-p", "--project-name", "--profile",
                             "--env-file", "--project-directory", "--ansi", "--progress"})


def _h_docker(w: list[str]) -> tuple[list[str], str] | None:
    i = 1
    compose = _canon(w[0]) == "docker-compose"
    if not compose and w[1:2] == ["compose"]:
        compose, i = True, 2
    if compose:
        i = _skip_opts(w, i, _COMPOSE_VALUES)
    if i >= len(w) or w[i] not in ("run", "exec"):
        return None
    i = _skip_opts(w, i + 1, _DOCKER_RUN_VALUES)
    rest = w[i + 1:]  # after the service, image or container
    return (rest, "docker") if rest else None


_WRAPPERS: dict[str, Handler] = {
    "sudo": _drop({"-u", "-g", "-h", "-p", "-U", "-C", "-D", "-r", "-t", "-T", "--user",
                   "--group"}),
    "env": _h_env,
    "time": _drop(),
    "nice": _drop({"-n", "--adjustment"}),
    "ionice": _drop({"-c", "-n", "-p"}),
    "timeout": _h_timeout,
    "xvfb-run": _drop({"-s", "--server-args", "-n", "--server-num", "-e", "--error-file", "-f",
                       "--auth-file", "-p", "--xauth-protocol", "-w", "--wait"}),
    "stdbuf": _drop({"-o", "-i", "-e"}),
    "cross-env": _drop(),
    "cross-env-shell": _drop(),
    "bundle": _sub("exec", "bundle exec"),
    "uv": _h_uv,
    "uvx": _drop({"--with", "--from", "-p", "--python", "--with-requirements", "--index"},
                 "uvx"),
    "poetry": _sub("run", "poetry run", {"-C", "--directory", "-P", "--project"}),
    "pipenv": _sub("run", "pipenv run"),
    "pdm": _sub("run", "pdm run", {"-p", "--project"}),
    "rye": _sub("run", "rye run"),
    "hatch": _h_hatch,
    "python": _h_python,
    "coverage": _h_coverage,
    "npx": _h_npx,
    "npm": _h_exec("npm", ("exec", "x"), {"--package", "-w", "--workspace", "--prefix"}),
    "pnpm": _h_exec("pnpm", ("exec", "dlx"), {"--filter", "-F", "-C", "--dir", "--package"}),
    "yarn": _h_exec("yarn", ("exec", "dlx"), {"-p", "--package", "--cwd"}),
    "nyc": _h_nyc,
    "c8": _h_nyc,
    "docker": _h_docker,
    "docker-compose": _h_docker,
    "gh": _h_gh,
}


_VAR_NAME = re.compile(r"[A-Za-z_][\w-]*")
_VAR_SUFFIX = re.compile(r"[-_](?:path|bin|cli|exe|cmd|command|executable)$")
_NOT_NAMED_BY_VARIABLE = frozenset(_WRAPPERS) - {"python", "coverage", "npx", "npm", "pnpm",
                                                 "yarn", "docker", "docker-compose"}


def _variable_tool(word: str) -> str:
    """The tool a variable standing for a command names (``$CODEQL``, ``${PYTEST_BIN}``,
    ``${{ steps.init.outputs.codeql-path }}``), or ``""``."""
    names = _VAR_NAME.findall(word)
    if not names or not re.fullmatch(r"\$(?:\{\{[^}]*\}\}|\{[^}]*\}|[A-Za-z_]\w*)", word):
        return ""
    name = _VAR_SUFFIX.sub("", names[-1].lower())
    return name if name in _KNOWN and name not in _NOT_NAMED_BY_VARIABLE else ""


def normalise(words: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(argv, wrappers)``: the command that actually runs, and the wrappers dropped to get
    there (``("uv run", "python -m")``)."""
    w = list(words)
    wrappers: list[str] = []
    while w and w[-1] in (")", "}", ";;"):
        w.pop()
    for _ in range(48):
        if not w:
            break
        first = w[0]
        if first in _KEYWORDS:
            w.pop(0)
            continue
        if _ASSIGN.match(first):
            w.pop(0)
            continue
        m = _VAR_PREFIX.match(first)
        if m:
            rest = first[m.end():]
            if rest:
                # ``$GITHUB_WORKSPACE/x`` and other absolute paths read as root-relative ``/x``
                cwd_relative = rest.startswith("/") and _CWD_VAR.match(m.group(0))
                w[0] = "." + rest if cwd_relative else rest
            elif len(w) > 1 and w[1] == "-m":
                w[0] = "python"
            elif _variable_tool(m.group(0)):
                w[0] = _variable_tool(m.group(0))
            else:
                w.pop(0)
            continue
        handler = _WRAPPERS.get(_canon(first))
        result = handler(w) if handler is not None else None
        if result is None:
            break
        w, label = result
        if label:
            wrappers.append(label)
    if not w:
        return (), tuple(wrappers)
    return (_canon(w[0]), *w[1:]), tuple(wrappers)


# ==== what a command is ==========================================================================


@dataclass(frozen=True)
class Command:
    """A command that CI runs.

    ``path``/``line`` is where the chain started: the workflow (or other CI file) and the line of
    the step's script holding the command that led here. ``source`` is where this command itself
    is written (a Makefile line, a ``package.json`` script...). ``via`` lists the hops from the
    CI step to here, e.g. ``("`make test`", "Makefile:3 `tox -e py`")``.
    """

    text: str
    argv: tuple[str, ...]
    path: str
    line: int | None
    via: tuple[str, ...] = ()
    source: Location | None = None
    wrappers: tuple[str, ...] = ()
    cwd: str = ""

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)

    @property
    def depth(self) -> int:
        return len(self.via)

    def describe(self) -> str:
        """``"`pytest`"`` or ``"`make test` -> Makefile:3 `pytest`"``."""
        own = f"`{_display(self.text)}`"
        if not self.via:
            return own
        return " -> ".join([*self.via, f"{self.source} {own}" if self.source else own])


def _display(text: str, limit: int = 72) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_HELP = frozenset({"--version", "--help", "-h", "-V", "-help"})


def _positionals(args: Sequence[str], values: Iterable[str] = ()) -> list[str]:
    """The non-option words of ``args`` up to ``--`` (``values``: options taking a value)."""
    vals = set(values)
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            break
        if a.startswith("-") and a != "-":
            if a in vals:
                i += 1
            continue
        out.append(a)
    return out


def _option_values(args: Sequence[str], names: Iterable[str]) -> list[str]:
    """The values given to the options ``names`` (``-x v``, ``-x=v``, ``--opt=v``)."""
    keys = set(names)
    out: list[str] = []
    for i, a in enumerate(args):
        key, eq, val = a.partition("=")
        if key in keys:
            if eq:
                out.append(val)
            elif i + 1 < len(args):
                out.append(args[i + 1])
    return out


_DIRECT_TESTS = frozenset({
    "pytest", "unittest", "tox", "nox", "jest", "vitest", "mocha", "rspec", "ctest", "phpunit",
    "nosetests", "nose2", "gotestsum", "ginkgo", "ava", "bats", "busted", "pest", "behave",
    "cucumber", "cucumber-js",
})
_SUB_TESTS: dict[str, frozenset[str]] = {
    "go": frozenset({"test"}), "cargo": frozenset({"test", "nextest"}),
    "dotnet": frozenset({"test"}), "mix": frozenset({"test"}), "swift": frozenset({"test"}),
    "bazel": frozenset({"test", "coverage"}), "rake": frozenset({"test", "spec"}),
    "deno": frozenset({"test"}), "bun": frozenset({"test"}), "flutter": frozenset({"test"}),
    "dart": frozenset({"test"}), "lein": frozenset({"test"}), "stack": frozenset({"test"}),
    "cabal": frozenset({"test"}), "meson": frozenset({"test"}), "cypress": frozenset({"run"}),
    "playwright": frozenset({"test"}), "ng": frozenset({"test"}), "forge": frozenset({"test"}),
    "hardhat": frozenset({"test"}), "karma": frozenset({"start", "run"}),
    "rails": frozenset({"test", "spec"}), "pants": frozenset({"test"}),
}
_MVN_VALUES = frozenset({"-f", "--file", "-pl", "--projects", "-P", "--activate-profiles",
                         "-s", "--settings", "-gs", "--global-settings", "-t", "-T", "--threads",
                         "-rf", "--resume-from", "-l", "--log-file", "-b", "--builder", "-D",
                         "-Dmaven.repo.local"})
_MVN_TEST_PHASES = frozenset({"test", "verify", "install", "package", "deploy",
                              "integration-test"})
_MVN_SKIP = frozenset({"-DskipTests", "-DskipTests=true", "-Dmaven.test.skip",
                       "-Dmaven.test.skip=true", "-DskipUTs", "-DskipUTs=true"})
_GRADLE_VALUES = frozenset({"-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file",
                            "-c", "--settings-file", "-I", "--init-script", "-g",
                            "--gradle-user-home", "--console", "--warning-mode", "-D", "-P"})
_MAKE_VALUES = frozenset({"-C", "--directory", "-f", "--file", "--makefile", "-I",
                          "--include-dir", "-o", "--old-file", "-W", "--what-if", "-l"})

# ---- JavaScript package managers ----

_JS_VALUES: dict[str, frozenset[str]] = {
    "npm": frozenset({"--prefix", "-w", "--workspace", "--loglevel", "--registry",
                      "--userconfig", "--cache"}),
    "yarn": frozenset({"--cwd", "--mutex", "--network-timeout", "--cache-folder",
                       "--modules-folder", "--registry"}),
    "pnpm": frozenset({"-C", "--dir", "--filter", "-F", "--reporter", "--loglevel",
                       "--workspace-concurrency", "--test-pattern"}),
    "bun": frozenset({"--cwd", "-c", "--config", "--filter"}),
}
_NPM_TEST = frozenset({"test", "t", "tst", "it", "cit", "install-test", "install-ci-test",
                       "clean-install-test"})
_NPM_RUN = frozenset({"run", "run-script", "rum", "urn"})
_NPM_LIFECYCLE = frozenset({"start", "stop", "restart"})
_YARN_BUILTIN = frozenset({
    "add", "audit", "autoclean", "bin", "cache", "check", "config", "constraints", "create",
    "dedupe", "dlx", "exec", "explain", "generate-lock-entry", "global", "help", "import",
    "info", "init", "install", "licenses", "link", "list", "login", "logout", "node", "npm",
    "outdated", "owner", "pack", "patch", "patch-commit", "plugin", "policies", "publish",
    "rebuild", "remove", "search", "set", "stage", "tag", "team", "unlink", "unplug", "up",
    "upgrade", "upgrade-interactive", "version", "versions", "why", "workspace", "workspaces",
})
_PNPM_BUILTIN = frozenset({
    "add", "audit", "bin", "config", "create", "dedupe", "deploy", "dlx", "doctor", "env",
    "exec", "fetch", "i", "import", "init", "install", "install-test", "it", "licenses",
    "link", "list", "ln", "ls", "outdated", "pack", "patch", "patch-commit", "prune",
    "publish", "rebuild", "remove", "rm", "root", "server", "setup", "store", "un",
    "uninstall", "unlink", "up", "update", "why", "recursive", "approve-builds", "ci",
})
_BUN_BUILTIN = frozenset({
    "install", "i", "add", "a", "remove", "rm", "update", "link", "unlink", "pm", "build",
    "init", "create", "x", "upgrade", "outdated", "publish", "patch", "audit", "info", "exec",
    "test", "repl", "why",
})


@dataclass(frozen=True)
class JsRun:
    """What ``npm test``, ``yarn X``, ``pnpm run X`` run: a ``package.json`` script name
    (``implicit``: ``yarn X`` may also be the binary ``X``)."""

    script: str
    directory: str | None = None
    workspaces: bool = False
    implicit: bool = False


def js_run(argv: Sequence[str]) -> JsRun | None:
    tool = argv[0] if argv else ""
    if tool not in _JS_VALUES:
        return None
    args = list(argv[1:])
    values = _JS_VALUES[tool]
    directory: str | None = None
    ws = False
    pos: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            break
        if a.startswith("-") and a != "-":
            key, eq, val = a.partition("=")
            if key in values and not eq:
                val = args[i] if i < len(args) else ""
                i += 1
            if key in ("--prefix", "-C", "--dir", "--cwd"):
                directory = val
            elif key in ("-w", "--workspace", "--filter", "-F", "--workspaces", "-ws", "-r",
                         "--recursive", "-A", "--all"):
                ws = True
            continue
        pos.append(a)
    if not pos:
        return None
    sub = pos[0]
    if tool == "yarn" and sub == "workspace" and len(pos) > 2:
        ws, pos = True, pos[2:]
    elif tool == "yarn" and sub == "workspaces":
        ws, pos = True, [p for p in pos[1:] if p != "foreach"]
    elif tool == "pnpm" and sub == "recursive":
        ws, pos = True, pos[1:]
    if not pos:
        return None
    sub = pos[0]
    if sub in _NPM_RUN or (tool == "bun" and sub == "run"):
        if len(pos) < 2 or (tool == "bun" and "." in pos[1] and "/" in pos[1]):
            return None
        return JsRun(pos[1], directory, ws)
    if tool == "npm":
        if sub in _NPM_TEST:
            return JsRun("test", directory, ws)
        return JsRun(sub, directory, ws) if sub in _NPM_LIFECYCLE else None
    if tool in ("yarn", "pnpm") and sub in ("test", "t", "tst"):
        return JsRun("test", directory, ws)
    builtin = {"yarn": _YARN_BUILTIN, "pnpm": _PNPM_BUILTIN, "bun": _BUN_BUILTIN}[tool]
    if sub in builtin:
        return None
    return JsRun(sub, directory, ws, implicit=True)


def _binary_view(argv: Sequence[str]) -> tuple[str, ...] | None:
    """``yarn jest --ci`` may run the binary ``jest``: its argv, for the classifiers."""
    run = js_run(argv)
    if run is None or not run.implicit:
        return None
    i = list(argv).index(run.script)
    return (_canon(argv[i]), *argv[i + 1:])


def _monorepo_task(argv: Sequence[str]) -> list[str]:
    """Task names run by ``turbo``, ``lerna`` and ``nx`` (they run each package's script)."""
    name, args = argv[0], argv[1:]
    if name == "turbo":
        pos = _positionals(args, {"--filter", "-F", "--concurrency", "--cache-dir"})
        return pos[1:] if pos[:1] == ["run"] else pos[:1]
    if name == "lerna":
        pos = _positionals(args, {"--scope", "--ignore", "--concurrency"})
        return pos[1:2] if pos[:1] in (["run"], ["exec"]) else []
    if name == "nx":
        targets = _option_values(args, {"-t", "--target", "--targets"})
        pos = _positionals(args, {"-t", "--target", "--targets", "-p", "--projects",
                                  "--configuration", "-c", "--base", "--head"})
        out = [t for v in targets for t in v.split(",")]
        if pos[:1] == ["run"] and len(pos) > 1:
            out.append(pos[1].split(":")[1] if ":" in pos[1] else "")
        elif pos and pos[0] not in ("run-many", "affected", "run"):
            out.append(pos[0])
        return out
    return []


def _argv_runs_tests(argv: Sequence[str]) -> bool:
    if not argv:
        return False
    name, args = argv[0], argv[1:]
    if any(a in _HELP for a in args):
        return False
    if name in _DIRECT_TESTS:
        return True
    if name in _SUB_TESTS:
        pos = [p for p in _positionals(args) if not p.startswith("+")]
        if name == "cargo" and "--no-run" in args:
            return False
        return bool(pos) and pos[0] in _SUB_TESTS[name]
    if name == "mvn":
        if any(a in _MVN_SKIP for a in args):
            return False
        return any(p in _MVN_TEST_PHASES or p.endswith(":test")
                   for p in _positionals(args, _MVN_VALUES))
    if name == "gradle":
        excluded = {t.rsplit(":", 1)[-1] for t in _option_values(args, {"-x", "--exclude-task"})}
        tasks = [p.rsplit(":", 1)[-1] for p in _positionals(args, _GRADLE_VALUES)]
        return any(t == "test" or (t in ("check", "build") and "test" not in excluded)
                   for t in tasks)
    if name in ("make", "gmake"):
        return any(p in ("test", "check") for p in _positionals(args, _MAKE_VALUES)
                   if "=" not in p)
    if name == "sbt":
        words = [w for p in _positionals(args) for w in re.split(r"[\s;]+", p) if w]
        return any(w.lstrip("+") in ("test", "testOnly", "testQuick") for w in words)
    if name == "xcodebuild":
        return "test" in args or "test-without-building" in args
    if name == "python":
        pos = _positionals(args)
        return len(pos) > 1 and pos[0].endswith(("setup.py", "manage.py")) and pos[1] == "test"
    if name in ("npm", "yarn", "pnpm", "bun"):
        run = js_run(argv)
        if run is not None and run.script.startswith("test"):
            return True
        view = _binary_view(argv)
        return view is not None and view[0] not in ("npm", "yarn", "pnpm", "bun") \
            and _argv_runs_tests(view)
    if name in ("turbo", "lerna", "nx"):
        return any(t.startswith("test") for t in _monorepo_task(argv))
    return False


def is_test_command(cmd: Command | Sequence[str]) -> bool:
    """Whether the command runs a recognised test runner (``pytest``, ``npm test``, ``go test``,
    ``mvn verify``, ``make test``...)."""
    argv = cmd.argv if isinstance(cmd, Command) else normalise(cmd)[0]
    return _argv_runs_tests(argv)


_COVERAGE_TOOLS = frozenset({"nyc", "c8", "codecov", "codecovcli", "codecov-cli", "coveralls",
                             "goveralls", "tarpaulin", "grcov", "kcov", "gcovr",
                             "dotnet-coverage", "coverlet", "istanbul", "simplecov"})
_COVERAGE_SUBCOMMANDS = frozenset({"run", "report", "xml", "html", "json", "lcov", "combine"})
_UPLOADER_URL = re.compile(r"codecov\.io|coveralls\.io|uploader\.codecov")


def _argv_coverage(argv: Sequence[str], wrappers: Sequence[str] = (), text: str = "") -> bool:
    if not argv:
        return False
    name, args = argv[0], argv[1:]
    if any(w in ("coverage run", "nyc", "c8") for w in wrappers):
        return True
    if any(a in _HELP for a in args) or name in ("pip", "pip3", "echo", "printf"):
        return False
    if "hatch test" in wrappers and ("--cover" in args or "-c" in args):
        return True
    if name in _COVERAGE_TOOLS or (name == "lcov" and args):
        return True
    if name == "coverage":
        pos = _positionals(args)
        return bool(pos) and pos[0] in _COVERAGE_SUBCOMMANDS
    if name == "cargo":
        pos = [p for p in _positionals(args) if not p.startswith("+")]
        return bool(pos) and pos[0] in ("llvm-cov", "tarpaulin")
    if name in ("go", "gotestsum", "ginkgo") and any(a.startswith(("-cover", "--cover"))
                                                     for a in args):
        return True
    if name in ("mvn", "gradle") and any("jacoco" in a.lower() for a in args):
        return True
    if name in ("bazel", "deno") and _positionals(args)[:1] == ["coverage"]:
        return True
    for a in args:
        if a.startswith(("--cov", "--coverage", "--collectCoverage", "--code-coverage",
                         "--enable-code-coverage", "-enableCodeCoverage",
                         "/p:CollectCoverage=true", "-p:CollectCoverage=true")):
            return True
        if "Code Coverage" in a or a in ("--cover", "--collect:XPlat Code Coverage"):
            return True
    if name in ("curl", "wget", "bash", "sh") and _UPLOADER_URL.search(text):
        return True
    view = _binary_view(argv)
    return view is not None and _argv_coverage(view)


def uses_coverage(cmd: Command) -> bool:
    """Whether the command measures or uploads coverage (``--cov``, ``coverage run``, ``jest
    --coverage``, ``go test -coverprofile``, ``cargo llvm-cov``, ``nyc``, JaCoCo, Codecov and
    Coveralls uploaders...)."""
    return _argv_coverage(cmd.argv, cmd.wrappers, cmd.text)


_SEMGREP_OTHER = frozenset({"login", "logout", "install-semgrep-pro", "publish", "show", "lsp",
                            "test", "validate", "help"})


def _argv_scanner(argv: Sequence[str]) -> str | None:
    if not argv:
        return None
    name, args = argv[0], argv[1:]
    if any(a in _HELP for a in args):
        return None
    pos = _positionals(args, {"-c", "--config", "-f", "-o", "--output", "--exclude",
                              "--include", "--severity", "--lang", "-l", "-e", "--pattern",
                              "--metrics", "--timeout", "-j", "--jobs", "--baseline-commit"})
    if name == "semgrep":
        return None if pos[:1] and pos[0] in _SEMGREP_OTHER else "Semgrep"
    if name == "snyk":
        return "Snyk Code" if pos[:2] == ["code", "test"] else None
    if name in ("sonar-scanner", "sonarqube-scanner", "pysonar", "pysonar-scanner"):
        return "SonarQube"
    if name == "dotnet-sonarscanner" or (name == "dotnet" and pos[:1] == ["sonarscanner"]):
        return "SonarQube"
    if name == "mvn" and any(a == "sonar:sonar" or a.endswith(":sonar") for a in args):
        return "SonarQube"
    if name == "gradle" and any(p in ("sonar", "sonarqube") for p in pos):
        return "SonarQube"
    if name in ("bandit", "bandit-baseline"):
        return "Bandit"
    if name == "gosec":
        return "gosec"
    if name == "zizmor":
        return "zizmor"
    if name == "codeql":
        return "CodeQL CLI" if pos[:2] == ["database", "analyze"] else None
    view = _binary_view(argv)
    return _argv_scanner(view) if view is not None else None


def code_scanner(cmd: Command | Sequence[str]) -> str | None:
    """The static analyser a command runs (Semgrep, Snyk Code, SonarQube, Bandit, gosec,
    zizmor, CodeQL CLI), or None. Linters are not code scanners."""
    argv = cmd.argv if isinstance(cmd, Command) else normalise(cmd)[0]
    return _argv_scanner(argv)


# ==== actions ====================================================================================


@dataclass(frozen=True)
class Use:
    """A step's (or a reusable-workflow job's) ``uses:``. ``path``/``line`` is where the chain
    started (the workflow step); ``source`` is where it is written (a composite action)."""

    ref: str
    path: str
    line: int | None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    via: tuple[str, ...] = ()
    source: Location | None = None
    job: bool = False

    @property
    def name(self) -> str:
        return action_name(self.ref)

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)


def action_name(ref: str) -> str:
    """``Owner/Repo/path@v1`` -> ``owner/repo/path`` (GitHub names are case-insensitive)."""
    return ref.strip().split("@", 1)[0].rstrip("/").lower()


def action_matches(ref: str, *names: str) -> bool:
    """Whether ``ref`` is one of ``names`` (``owner/repo`` or ``owner/repo/path``; a name ending
    in ``/*`` matches every action below it)."""
    n = action_name(ref)
    for want in names:
        w = want.lower()
        if w.endswith("/*"):
            if n.startswith(w[:-1]):
                return True
        elif n == w:
            return True
    return False


COVERAGE_ACTIONS = (
    "codecov/codecov-action", "coverallsapp/github-action",
    "codacy/codacy-coverage-reporter-action",
    "paambaati/codeclimate-action", "qltysh/qlty-action/coverage",
    "py-cov-action/python-coverage-comment-action", "mishakav/pytest-coverage-comment",
    "artiomtr/jest-coverage-report-action", "5monkeys/cobertura-action",
    "irongut/codecoveragesummary", "madrapps/jacoco-report", "cicirello/jacoco-badge-generator",
)


def coverage_action(use: Use) -> bool:
    """Whether the action uploads or reports coverage (Codecov, Coveralls and the like)."""
    return action_matches(use.ref, *COVERAGE_ACTIONS)


_SCANNING_ACTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CodeQL", ("github/codeql-action/init", "github/codeql-action/analyze")),
    ("Semgrep", ("semgrep/semgrep-action", "returntocorp/semgrep-action")),
    ("SonarQube", ("sonarsource/sonarcloud-github-action", "sonarsource/sonarqube-scan-action",
                   "sonarsource/sonarqube-scan-action/*", "sonarsource/sonarcloud-github-c-cpp",
                   "sonarsource/sonarqube-github-c-cpp")),
    ("Bandit", ("pycqa/bandit-action", "tj-actions/bandit", "shundor/python-bandit-scan",
                "mdegis/bandit-action", "jpetrucciani/bandit-check")),
    ("gosec", ("securego/gosec",)),
    ("zizmor", ("zizmorcore/zizmor-action",)),
)


def scanning_action(use: Use) -> str | None:
    """The code scanner an action runs, or None (``upload-sarif`` alone, linters and OpenSSF
    Scorecard are not code scanning). Snyk's actions count only for Snyk Code
    (``command: code test``)."""
    for tool, names in _SCANNING_ACTIONS:
        if action_matches(use.ref, *names):
            return tool
    if action_matches(use.ref, "snyk/actions/*", "snyk/actions"):
        command = use.inputs.get("command")
        if isinstance(command, str) and command.split()[:2] == ["code", "test"]:
            return "Snyk Code"
    return None


# ==== reading Python source as text (never imported) =============================================

_PY_STR = re.compile(r"""(?i)[rbuf]{0,2}('''|\"\"\"|'|")""")
_PY_KWARG = re.compile(r"^\w+\s*=(?!=)")


_PY_STR_END = {
    "'": re.compile(r"(?:[^'\\\n]|\\.)*(?:'|(?=\n)|$)", re.S),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*(?:"|(?=\n)|$)', re.S),
    "'''": re.compile(r"(?:[^\\]|\\.)*?(?:'''|$)", re.S),
    '"""': re.compile(r'(?:[^\\]|\\.)*?(?:"""|$)', re.S),
}
#: Bounds on the text search of one Python file: calls looked at, characters read per call
#: and in all.
PY_MAX_CALLS = 2_000
PY_SCAN_LIMIT = 4_000
PY_SCAN_BUDGET = 100_000


def _py_string_end(s: str, j: int, quote: str) -> int:
    """The index after the string literal whose body starts at ``j``."""
    m = _PY_STR_END[quote].match(s, j)
    return m.end() if m else len(s)


_PY_TOKEN = re.compile(r"""[()\[\]{},#]|(?i:[rbuf]{0,2})('\'\'|\"\"\"|'|")""")


def _py_scan(s: str, i: int, limit: int = PY_SCAN_LIMIT) -> tuple[int, list[str]]:
    """From just inside an opening bracket: the index of its closing bracket and the top-level
    comma-separated parts between (at most ``limit`` characters are looked at)."""
    depth = 1
    start = k = i
    parts: list[str] = []
    end = min(len(s), i + limit)
    while k < end:
        m = _PY_TOKEN.search(s, k, end)
        if m is None:
            break
        tok = m.group(0)
        if m.group(1):
            k = _py_string_end(s, m.end(), m.group(1))
            continue
        k = m.end()
        if tok == "#":
            nl = s.find("\n", k, end)
            k = end if nl < 0 else nl
        elif tok in "([{":
            depth += 1
        elif tok in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(s[start:m.start()])
                return m.start(), parts
        elif depth == 1:
            parts.append(s[start:m.start()])
            start = k
    parts.append(s[start:end])
    return end, parts


def _py_literal(expr: str) -> str | None:
    """The value of an expression made only of string literals (f-string fields become
    ``$V``), else None."""
    e = expr.strip()
    if not e:
        return None
    out: list[str] = []
    k = 0
    while k < len(e):
        m = _PY_STR.match(e, k)
        if not m:
            return None
        prefix = e[k:m.start(1)].lower()
        quote = m.group(1)
        end = _py_string_end(e, m.end(), quote)
        body = e[m.end():max(m.end(), end - len(quote))]
        if "r" not in prefix:
            body = body.replace("\\'", "'").replace('\\"', '"').replace("\\\\", "\\")
        if "f" in prefix:
            body = re.sub(r"\{[^{}]*\}", "$V", body)
        out.append(body)
        k = end
        while k < len(e) and e[k] in " \t\r\n\\":
            k += 1
    return "".join(out)


PyArg = Union[str, list[Union[str, None]], None]  # noqa: UP007 - a runtime alias on 3.10


def _py_arg(expr: str) -> PyArg:
    e = expr.strip()
    lit = _py_literal(e)
    if lit is not None:
        return lit
    if e[:1] in "[(" and e[-1:] in "])":
        _, parts = _py_scan(e, 1)
        items: list[str | None] = []
        for p in parts:
            p = p.strip()
            if p:
                items.append(None if p.startswith("*") else _py_literal(p))
        return items
    return None


_PY_CALL = re.compile(
    r"(?<![\w.])(?:subprocess\.|sp\.)?(?:run|call|check_call|check_output|Popen|getoutput"
    r"|getstatusoutput)\s*\(|\b\w+\.(?:run|run_always|sudo|system|popen)\s*\("
    r"|\b(?P<main>pytest|unittest)\.main\s*\(|\bcoverage\.(?P<cov>Coverage|coverage"
    r"|process_startup)\s*\(")

_PyCommand = tuple[tuple[str, ...], str, int]


def python_commands(text: str, first_line: int = 1) -> list[_PyCommand]:
    """The commands a Python file runs, found by text search: the literal arguments of
    ``subprocess``/``os.system``/``session.run``/``c.run`` calls, ``pytest.main()``,
    ``unittest.main()`` and ``coverage.Coverage()``. ``(words, text, line)``."""
    out: list[_PyCommand] = []
    budget = PY_SCAN_BUDGET
    for n, m in enumerate(_PY_CALL.finditer(text)):
        if n >= PY_MAX_CALLS or budget <= 0:
            break
        bol = text.rfind("\n", 0, m.start()) + 1
        if text[bol:m.start()].lstrip().startswith("#"):
            continue  # commented out
        arg = len(text) - len(text[m.end():].lstrip())  # where the first argument starts
        line = first_line + text.count("\n", 0, arg if m.group("main") is None else m.start())
        if m.group("cov"):
            out.append((("coverage", "run"), f"coverage.{m.group('cov')}()", line))
            continue
        close, parts = _py_scan(text, m.end(), min(PY_SCAN_LIMIT, budget))
        budget -= close - m.end() + 1
        positional: list[PyArg] = []
        for p in parts:
            p = p.strip()
            if not p:
                continue
            if _PY_KWARG.match(p):
                break
            if not p.startswith("*"):
                positional.append(_py_arg(p))
        if m.group("main"):
            if m.group("main") == "unittest":
                out.append((("python", "-m", "unittest"), "unittest.main()", line))
            else:
                first = positional[0] if positional else None
                args = [x for x in first if x] if isinstance(first, list) else []
                out.append((("pytest", *args), " ".join(["pytest.main()", *args]), line))
            continue
        if not positional:
            continue
        first = positional[0]
        if isinstance(first, list):
            words = tuple("$V" if x is None else x for x in first)
        elif isinstance(first, str) and len(positional) > 1 \
                and all(not isinstance(p, list) for p in positional):
            words = tuple("$V" if p is None else str(p) for p in positional)
        elif isinstance(first, str):
            for raw in split_commands(first):
                out.append((raw.words, raw.text, line + raw.line))
            continue
        else:
            continue
        if words:
            out.append((words, " ".join(words).replace("$V", "…"), line))
    return out


_PY_DEF = re.compile(r"^([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.M)


@dataclass(frozen=True)
class _PyFunc:
    name: str
    param: str
    decorators: str
    body: str
    body_line: int  # 1-based line of the body's first line


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _py_functions(text: str) -> list[_PyFunc]:
    lines = text.split("\n")
    out: list[_PyFunc] = []
    budget = PY_SCAN_BUDGET
    for n, m in enumerate(_PY_DEF.finditer(text)):
        if n >= PY_MAX_CALLS or budget <= 0:
            break
        indent = len(m.group(1).expandtabs(8))
        li = text.count("\n", 0, m.start())
        top = li
        j = li - 1
        while j >= 0:
            st = lines[j].strip()
            if not st:
                break
            ind = _indent(lines[j])
            if ind == indent and st.startswith("@"):
                top = j
            elif not (ind > indent or st[0] in ")]}"):
                break
            j -= 1
        close, params = _py_scan(text, m.end(), min(PY_SCAN_LIMIT, budget))
        budget -= close - m.end() + 1
        param = params[0].split(":")[0].split("=")[0].strip() if params else ""
        colon = text.find(":", close)
        body_first = text.count("\n", 0, colon if colon >= 0 else close) + 1
        k = body_first
        while k < len(lines):
            st = lines[k].strip()
            if st and not st.startswith("#") and _indent(lines[k]) <= indent:
                break
            k += 1
        out.append(_PyFunc(m.group(2), param, "\n".join(lines[top:li]),
                           "\n".join(lines[body_first:k]), body_first + 1))
    return out


# ==== Makefiles ==================================================================================

_MK_ASSIGN = re.compile(r"^(?:(?:export|override|private)\s+)*([A-Za-z_.][A-Za-z0-9_.-]*)\s*"
                        r"(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$", re.S)
_MK_RULE = re.compile(r"^([^:=#\t][^:=#]*)(::?)(?!=)(.*)$", re.S)
_MK_VAR = re.compile(r"\$[({]([A-Za-z_.][A-Za-z0-9_.-]*)[)}]")
_MK_DIRECTIVES = frozenset({"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "vpath",
                            "unexport", "undefine"})


@dataclass
class _Budget:
    """Characters of work left to an analysis; once spent, ``exhausted`` stays set."""

    left: int
    exhausted: bool = False

    def spend(self, n: int) -> bool:
        """Take ``n`` characters; False (and exhausted) when there were not that many left."""
        self.left -= n
        if self.left < 0:
            self.exhausted = True
        return not self.exhausted


#: Bounds on Makefile variable expansion: how deeply references nest, the size of one
#: expansion (of a tox ``{[section]key}`` reference too), and the characters read and written
#: in all expansions of one Makefile. Past them a reference is left as written (unknown text),
#: never an error.
MAKE_EXPANSION_DEPTH = 20
EXPANSION_CAP = 64 * 1024
MAKE_EXPANSION_BUDGET = MiB


@dataclass
class _Makefile:
    path: str
    rules: dict[str, tuple[list[str], list[tuple[str, int, str]]]] = field(default_factory=dict)
    default: str | None = None
    variables: dict[str, str] = field(default_factory=lambda: {"MAKE": "make"})
    budget: int = MAKE_EXPANSION_BUDGET
    #: The analysis's own budget (:data:`LEX_BUDGET`), charged as well.
    work: _Budget = field(default_factory=lambda: _Budget(LEX_BUDGET))

    def expand(self, text: str) -> str:
        """``text`` with ``$(VAR)``/``${VAR}`` references replaced by their values, recursively
        (as make expands a recursive variable), within :data:`MAKE_EXPANSION_DEPTH`,
        :data:`EXPANSION_CAP` and the Makefile's :data:`MAKE_EXPANSION_BUDGET`; ``$$`` is
        ``$``. A reference past those bounds, undefined or referring to itself is kept as
        written."""
        escaped = text.replace("$$", "\0")
        expanded = self._substitute(escaped, 0, frozenset())
        return (escaped if expanded is None else expanded).replace("\0", "$")

    def _substitute(self, text: str, depth: int, active: frozenset[str]) -> str | None:
        """``text`` with its references expanded, or None past the size cap or the budget."""
        self.budget -= len(text)
        if self.budget < 0 or not self.work.spend(len(text)):
            return None
        parts: list[str] = []
        size = pos = 0
        for m in _MK_VAR.finditer(text):
            name = m.group(1)
            value = self.variables.get(name)
            sub = None
            if value is not None and depth < MAKE_EXPANSION_DEPTH and name not in active:
                sub = self._substitute(value.replace("$$", "\0"), depth + 1, active | {name})
            piece = text[pos:m.start()] + (m.group(0) if sub is None else sub)
            size += len(piece)
            self.budget -= len(piece)
            if size > EXPANSION_CAP or self.budget < 0 or not self.work.spend(len(piece)):
                return None
            parts.append(piece)
            pos = m.end()
        parts.append(text[pos:])
        return "".join(parts)


# ==== tox ========================================================================================

_INI_SECTION = re.compile(r"^\[([^\]]+)\]")
_INI_KEY = re.compile(r"^([^=:\s][^=:]*)[=:](.*)$")
_TOX_FACTOR = re.compile(r"^[!\w.\-{}]+(?:\s*,\s*[!\w.\-{}]+)*:\s")
_TOX_REF = re.compile(r"^\{\[([^\]]+)\]([\w-]+)\}$")
_TOX_REF_ANY = re.compile(r"\{\[([^\]]+)\]([\w-]+)\}")

_IniSections = dict[str, dict[str, list[tuple[int, str]]]]


def _parse_ini(text: str) -> _IniSections:
    sections: _IniSections = {}
    cur: dict[str, list[tuple[int, str]]] | None = None
    key_vals: list[tuple[int, str]] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if raw[0] in " \t":
            if key_vals is not None:
                key_vals.append((n, s))
            continue
        m = _INI_SECTION.match(s)
        if m:
            cur = sections.setdefault(m.group(1).strip(), {})
            key_vals = None
            continue
        m = _INI_KEY.match(s)
        if m and cur is not None:
            key_vals = cur.setdefault(m.group(1).strip(), [])
            key_vals.clear()
            if m.group(2).strip():
                key_vals.append((n, m.group(2).strip()))
        else:
            key_vals = None
    return sections


def _brace_expand(s: str, limit: int = 100) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", s)
    if not m:
        return [s]
    out: list[str] = []
    for opt in m.group(1).split(","):
        out.extend(_brace_expand(s[:m.start()] + opt.strip() + s[m.end():], limit))
        if len(out) >= limit:
            break
    return out[:limit]


def _split_envlist(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        depth = 0
        cur = ""
        for ch in value + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch in ",\n" and depth <= 0:
                if cur.strip():
                    out.extend(_brace_expand(cur.strip()))
                cur = ""
            else:
                cur += ch
    return out


def _tox_subst(text: str) -> str:
    text = re.sub(r"\{posargs:([^{}]*)\}", r"\1", text)
    text = text.replace("{posargs}", "").replace("[]", "")
    text = re.sub(r"\{env:[^:{}]+:([^{}]*)\}", r"\1", text)
    text = re.sub(r"\{(?:envbindir|envdir|env_bin_dir|env_dir)\}[/\\]?", "", text)
    text = re.sub(r"\{(?:envpython|env_python)\}", "python", text)
    text = re.sub(r"\{(?:toxinidir|tox_root)\}[/\\]", "./", text)
    return text


def _tox_ref(sections: _IniSections, section: str, key: str) -> list[tuple[int, str]]:
    """The lines of ``{[section]key}``; an environment section without the key inherits it
    from ``[testenv]``, as tox does."""
    sec = sections.get(section, {})
    if key not in sec and section.startswith("testenv:"):
        sec = sections.get("testenv", {})
    return sec.get(key, [])


def _tox_inline_refs(text: str, sections: _IniSections) -> str:
    """``text`` with the ``{[section]key}`` references inside it replaced by their lines (one
    per line), within :data:`EXPANSION_CAP`; a reference past it is left as written."""
    room = EXPANSION_CAP

    def replace(m: re.Match[str]) -> str:
        nonlocal room
        value = "\n".join(t for _, t in _tox_ref(sections, m.group(1), m.group(2)))
        if len(value) > room:
            return m.group(0)
        room -= len(value)
        return value

    return _TOX_REF_ANY.sub(replace, text)


def _tox_factors_match(condition: str, env: str) -> bool:
    """Whether a tox factor condition (``py311,py312``, ``!lint``, ``py3-django``) holds for the
    environment ``env``."""
    factors = set(env.split("-"))
    for alternative in condition.split(","):
        terms = [t.strip() for t in alternative.strip().split("-") if t.strip()]
        if all((t[1:] not in factors) if t.startswith("!") else (t in factors) for t in terms):
            return True
    return False


@dataclass
class _ToxConfig:
    path: str
    envlist: list[str]
    labels: dict[str, list[str]]
    envs: list[str]  # the environments that have their own section
    resolve: Callable[[str], list[tuple[tuple[str, ...], str, Location]]]

    def commands(self, env: str) -> list[tuple[tuple[str, ...], str, Location]]:
        return self.resolve(env)


# ==== the analyser ===============================================================================

_Chunk = tuple[tuple[str, ...], str, Location]
_Follow = tuple[str, list[_Chunk], str]

_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh"})
_SCRIPT_EXTS = (".sh", ".bash", ".zsh", ".ksh", ".py", ".ps1", ".bat", ".cmd")

#: Actions that run a command given as an input: (action, input, prefix).
_COMMAND_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("nick-fields/retry", "command", ""), ("nick-invision/retry", "command", ""),
    ("wandalen/wretry.action", "command", ""), ("gabrielbb/xvfb-action", "run", ""),
    ("coactions/setup-xvfb", "run", ""), ("reactivecircus/android-emulator-runner", "script", ""),
    ("addnab/docker-run-action", "run", ""),
    ("paambaati/codeclimate-action", "coverageCommand", ""),
    ("gradle/gradle-build-action", "arguments", "gradle "),
)

#: Other CI systems: the file, and the keys whose values are shell scripts.
OTHER_CI: tuple[tuple[str, frozenset[str]], ...] = (
    (".gitlab-ci.yml", frozenset({"script", "before_script", "after_script"})),
    (".circleci/config.yml", frozenset({"run", "command"})),
    ("Jenkinsfile", frozenset()),
    ("azure-pipelines.yml", frozenset({"script", "bash", "pwsh", "powershell"})),
    ("azure-pipelines.yaml", frozenset({"script", "bash", "pwsh", "powershell"})),
    (".travis.yml", frozenset({"script", "before_script", "after_success", "after_script"})),
    ("bitbucket-pipelines.yml", frozenset({"script", "after-script"})),
    (".drone.yml", frozenset({"commands"})),
    ("appveyor.yml", frozenset({"test_script", "build_script", "before_test", "after_test",
                                "on_success", "before_build", "after_build", "cmd", "ps", "sh",
                                "pwsh"})),
    (".appveyor.yml", frozenset({"test_script", "build_script", "before_test", "after_test",
                                 "on_success", "before_build", "after_build", "cmd", "ps", "sh",
                                 "pwsh"})),
)
_BUILDKITE_KEYS = frozenset({"command", "commands"})


def other_ci_configs(snap: RepoSnapshot) -> list[str]:
    """The CI configurations of other systems that exist (``.buildkite/`` counts as its first
    file)."""
    found = [path for path, _ in OTHER_CI if snap.has(path)]
    under = snap.files_under(".buildkite")
    if under:
        found.append(under[0])
    return found


class _LenientLoader(_LineLoader):
    """The safe loader, reading GitLab's ``!reference`` and other custom tags as null."""


_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _load_lenient(text: str) -> list[Any]:
    try:
        return list(yaml.load_all(text, Loader=_LenientLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParseError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise ParseError(f"invalid YAML: {exc}") from None


def _line(value: Any) -> int | None:
    line = getattr(value, "line", None)
    return line if isinstance(line, int) and line > 0 else None


def _join(cwd: str, word: str) -> str | None:
    """A repository path for ``word`` run in ``cwd``; a leading ``/`` is the root. None when it
    leaves the repository or holds an unresolved variable."""
    w = word.replace("\\", "/")
    if not w or "$" in w or "~" in w or "{" in w:
        return None
    p = w.lstrip("/") if w.startswith("/") else posixpath.join(cwd, w) if cwd else w
    p = posixpath.normpath(p) if p else "."
    if p == ".." or p.startswith("../"):
        return None
    return "" if p == "." else p


#: A job's ``strategy.matrix``: the values read per key, and the variants of one command.
MATRIX_VALUES = 32
MATRIX_VARIANTS = 64
_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}")
_Matrix = tuple[tuple[str, tuple[str, ...]], ...]


def _matrix(job: Mapping[str, Any]) -> _Matrix:
    """The values of each key of the job's ``strategy.matrix`` (``include`` entries' too), as
    GitHub renders them; an expression (``${{ fromJSON(...) }}``) gives nothing."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not isinstance(matrix, dict):
        return ()
    values: dict[str, list[str]] = {}

    def add(key: Any, value: Any) -> None:
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, (str, int, float)):
            seen = values.setdefault(str(key), [])
            if str(value) not in seen and len(seen) < MATRIX_VALUES:
                seen.append(str(value))

    for key, value in matrix.items():
        if key not in ("include", "exclude") and isinstance(value, list):
            for v in value:
                add(key, v)
    include = matrix.get("include")
    for entry in include if isinstance(include, list) else []:
        for key, value in entry.items() if isinstance(entry, dict) else ():
            add(key, value)
    return tuple((k, tuple(v)) for k, v in values.items())


def _fill_matrix(text: str, chosen: Mapping[str, str]) -> str:
    """``text`` with ``${{ matrix.KEY }}`` replaced by the chosen values."""
    return _MATRIX_REF.sub(lambda m: chosen.get(m.group(1), m.group(0)), text)


_LITERAL = re.compile(r"(?:^|[\s:\-\[,])\|[-+0-9]*\s*(?:#.*)?$")


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
    def __init__(self, snap: RepoSnapshot) -> None:
        self.snap = snap
        self.commands: list[Command] = []
        self.uses: list[Use] = []
        self.sources: list[str] = []
        self.problems: list[tuple[str, ParseError]] = []
        self.partial: list[str] = []
        self._texts: dict[str, str | None] = {}
        self._makefiles: dict[str, _Makefile] = {}
        self._tox: dict[str, _ToxConfig | None] = {}
        self._functions: dict[str, list[_PyFunc]] = {}
        self.work = _Budget(LEX_BUDGET)
        self.full = False  # MAX_COMMANDS reached
        self._lexed: dict[tuple[str, str, object], list[Any]] = {}
        self._scripts: dict[tuple[str, str, int, bool, bool, _Matrix], list[_Chunk]] = {}
        self._followed: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[_Follow]] = {}

    @property
    def truncated(self) -> bool:
        return self.full or self.work.exhausted

    # ---- lexing, once per distinct text, within the budget -----------------------------------

    def _lex_once(self, key: tuple[str, str, object], lex: Callable[[], list[Any]]
                  ) -> list[Any]:
        """``lex()`` for the text ``key[1]``, once per key; ``[]`` once :data:`LEX_BUDGET` is
        spent."""
        found = self._lexed.get(key)
        if found is None:
            found = lex() if self.work.spend(len(key[1])) else []
            self._lexed[key] = found
        return found

    def split(self, text: str, posix: bool = True) -> list[RawCommand]:
        """:func:`split_commands`, memoised by text and budgeted."""
        return self._lex_once(("shell", text, posix), lambda: split_commands(text, posix))

    def py_commands(self, text: str, first_line: int = 1) -> list[_PyCommand]:
        """:func:`python_commands`, memoised by text and budgeted."""
        return self._lex_once(("python", text, first_line),
                              lambda: python_commands(text, first_line))

    # ---- reading ------------------------------------------------------------------------------

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            text: str | None = None
            if path and self.snap.has(path):
                try:
                    text = self.snap.read_text(path, READ_CAP)
                except ReadError:
                    text = None
            self._texts[path] = text
        return self._texts[path]

    def exists_dir(self, d: str) -> bool:
        return d == "" or self.snap.has_dir(d)

    def _json(self, path: str) -> Any:
        if not self.snap.has(path):
            return None
        parsed = self.snap.json(path)
        return parsed.data if parsed.ok else None

    def _toml(self, path: str) -> dict[str, Any] | None:
        if not self.snap.has(path):
            return None
        parsed = self.snap.toml(path)
        return parsed.data if parsed.ok and isinstance(parsed.data, dict) else None

    # ---- commands -----------------------------------------------------------------------------

    def run_chunks(self, chunks: Iterable[_Chunk], cwd: str, ctx: _Ctx | None,
                   inline: int = 0) -> None:
        stack: list[str] = []
        for words, text, where in chunks:
            if len(self.commands) >= MAX_COMMANDS:
                self.full = True
                return
            argv, wrappers = normalise(words)
            if not argv:
                continue
            if argv[0] in ("cd", "pushd"):
                target = _join(cwd, argv[1]) if len(argv) > 1 else None
                if target is not None and self.exists_dir(target):
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

    def emit(self, argv: tuple[str, ...], wrappers: tuple[str, ...], text: str,
             where: Location, cwd: str, ctx: _Ctx, inline: int = 0) -> None:
        if len(self.commands) >= MAX_COMMANDS:
            self.full = True
            return
        cmd = Command(text, argv, ctx.path, ctx.line, ctx.via, where, wrappers, cwd)
        self.commands.append(cmd)
        if inline < 3:
            for script in _inline_scripts(argv):
                chunks = [(raw.words, raw.text, where) for raw in self.split(script)]
                self.run_chunks(chunks, cwd, ctx, inline + 1)
        if ctx.depth >= MAX_DEPTH:
            return
        label = f"`{_display(text)}`" if not ctx.via else f"{where} `{_display(text)}`"
        for key, chunks, child_cwd in self.followed(cmd):
            if key in ctx.seen:
                continue
            child = _Ctx(ctx.path, ctx.line, (*ctx.via, label), ctx.depth + 1, ctx.seen | {key})
            self.run_chunks(chunks, child_cwd, child)

    def followed(self, cmd: Command) -> list[_Follow]:
        """:meth:`follow`, once per command and directory: a command run by many steps (or
        many times by one) is read once."""
        key = (cmd.argv, cmd.wrappers, cmd.cwd)
        found = self._followed.get(key)
        if found is None:
            found = self._followed[key] = self.follow(cmd)
        return found

    def follow(self, cmd: Command) -> list[_Follow]:
        argv, cwd = cmd.argv, cmd.cwd
        for w in cmd.wrappers:
            if w.startswith("hatch run "):
                found = self._follow_hatch(w[len("hatch run "):], argv, cwd)
                if found:
                    return found
            if w == "pdm run":
                found = self._follow_pdm(argv, cwd)
                if found:
                    return found
        name = argv[0]
        if name in _JS_VALUES:
            return self._follow_js(argv, cwd)
        if name in ("run-s", "run-p", "npm-run-all"):
            return self._follow_run_all(argv, cwd)
        if name in ("make", "gmake"):
            return self._follow_make(argv, cwd)
        if name == "tox":
            return self._follow_tox(argv, cwd)
        if name == "nox":
            return self._follow_nox(argv, cwd)
        if name in ("invoke", "inv"):
            return self._follow_invoke(argv, cwd)
        if name == "pre-commit":
            return self._follow_pre_commit(argv, cwd)
        if name == "poe":
            return self._follow_poe(argv, cwd)
        return self._follow_script(argv, cwd)

    # ---- package.json -------------------------------------------------------------------------

    def _package_scripts(self, pkg: str) -> dict[str, str]:
        data = self._json(pkg)
        scripts = data.get("scripts") if isinstance(data, dict) else None
        if not isinstance(scripts, dict):
            return {}
        return {str(k): v for k, v in scripts.items() if isinstance(v, str)}

    def _json_key_line(self, path: str, key: str, after: str) -> int | None:
        text = self.text(path)
        if text is None:
            return None
        start = max(text.find(f'"{after}"'), 0)
        m = re.compile(r'"' + re.escape(key) + r'"\s*:').search(text, start)
        return text.count("\n", 0, m.start()) + 1 if m else None

    def _package_follow(self, pkg: str, names: Iterable[str], d: str) -> list[_Follow]:
        scripts = self._package_scripts(pkg)
        out: list[_Follow] = []
        for n in names:
            if n in scripts:
                where = Location(pkg, self._json_key_line(pkg, n, "scripts"))
                chunks = [(raw.words, raw.text, where) for raw in self.split(scripts[n])]
                out.append((f"npm:{pkg}:{n}", chunks, d))
        return out

    def _follow_js(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        run = js_run(argv)
        if run is None or run.workspaces:
            return []
        d = _join(cwd, run.directory) if run.directory else cwd
        if d is None:
            return []
        pkg = posixpath.join(d, "package.json") if d else "package.json"
        scripts = self._package_scripts(pkg)
        if run.script not in scripts:
            return []
        names = (f"pre{run.script}", run.script, f"post{run.script}")
        return self._package_follow(pkg, names, d)

    def _follow_run_all(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        pkg = posixpath.join(cwd, "package.json") if cwd else "package.json"
        scripts = self._package_scripts(pkg)
        names: list[str] = []
        for pattern in _positionals(argv[1:], {"--npm-path", "--max-parallel"}):
            head = pattern.split()[0] if pattern.split() else ""
            rx = re.compile(re.escape(head).replace(r"\*\*", ".*").replace(r"\*", "[^:]*"))
            names.extend(n for n in scripts if rx.fullmatch(n) and n not in names)
        return self._package_follow(pkg, names, cwd)

    # ---- make ---------------------------------------------------------------------------------

    def _makefile(self, path: str) -> _Makefile:
        if path not in self._makefiles:
            mk = _Makefile(path, work=self.work)
            self._makefiles[path] = mk
            self._parse_make(path, mk, posixpath.dirname(path), 0)
        return self._makefiles[path]

    def _parse_make(self, path: str, mk: _Makefile, d: str, depth: int) -> None:
        text = self.text(path)
        if text is None:
            return
        lines = text.split("\n")
        current: list[str] | None = None
        in_define = False
        i = 0
        while i < len(lines):
            start = i
            line = lines[i]
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line += "\n" + lines[i]
            i += 1
            if in_define:
                in_define = not line.strip().startswith("endef")
                continue
            if line.startswith("\t"):
                if current:
                    recipe = re.sub(r"^[\s@+-]+", "", line[1:])
                    for t in current:
                        mk.rules[t][1].append((path, start + 1, recipe))
                continue
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            word = s.split(None, 1)[0]
            if word in _MK_DIRECTIVES:
                continue
            if word == "define":
                in_define, current = True, None
                continue
            if word in ("include", "-include", "sinclude"):
                current = None
                for f in s.split()[1:]:
                    inc = _join(d, mk.expand(f))
                    if inc and depth < 3 and inc != path:
                        self._parse_make(inc, mk, d, depth + 1)
                continue
            m = _MK_ASSIGN.match(s)
            if m:
                name, op, value = m.groups()
                value = value.split(" #", 1)[0].strip()
                if op == "+=":
                    value = f"{mk.variables.get(name, '')} {value}".strip()
                if op != "?=" or name not in mk.variables:
                    mk.variables[name] = value
                if name == ".DEFAULT_GOAL":
                    mk.default = value
                current = None
                continue
            m = _MK_RULE.match(s)
            if not m:
                current = None
                continue
            deps_part, _, inline = m.group(3).partition(";")
            deps_part = deps_part.split("#", 1)[0]
            if "=" in deps_part:
                current = None
                continue
            current = []
            for t in mk.expand(m.group(1).strip()).split():
                rule = mk.rules.setdefault(t, ([], []))
                rule[0].extend(d_ for d_ in mk.expand(deps_part).split() if d_ != "|")
                current.append(t)
                if mk.default is None and not t.startswith(".") and "%" not in t:
                    mk.default = t
            if inline.strip():
                for t in current:
                    mk.rules[t][1].append((path, start + 1, inline.strip()))

    def _make_chunks(self, mk: _Makefile, target: str, seen: set[str], out: list[_Chunk]) -> None:
        if target in seen or len(seen) > 50:
            return
        seen.add(target)
        rule = mk.rules.get(target)
        if rule is None:
            return
        for dep in rule[0]:
            self._make_chunks(mk, dep, seen, out)
        for path, line, recipe in rule[1]:
            for raw in self.split(mk.expand(recipe)):
                out.append((raw.words, raw.text, Location(path, line + raw.line)))

    def _follow_make(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        args = list(argv[1:])
        d: str | None = cwd
        makefile: str | None = None
        targets: list[str] = []
        i = 0
        while i < len(args):
            x = args[i]
            i += 1
            val: str | None = None
            if x in ("-C", "--directory", "-f", "--file", "--makefile") and i < len(args):
                val = args[i]
                i += 1
            elif x.startswith(("--directory=", "--file=", "--makefile=")):
                val = x.split("=", 1)[1]
                x = x.split("=", 1)[0]
            elif x.startswith(("-C", "-f")) and len(x) > 2:
                x, val = x[:2], x[2:]
            if val is not None:
                if x in ("-C", "--directory") and d is not None:
                    d = _join(d, val)
                else:
                    makefile = val
                continue
            if x in _MAKE_VALUES:
                i += 1
            elif not x.startswith("-") and "=" not in x:
                targets.append(x)
        if d is None:
            return []
        if makefile is not None:
            path = _join(d, makefile)
        else:
            path = next((p for p in (posixpath.join(d, n) if d else n for n in
                                     ("GNUmakefile", "makefile", "Makefile"))
                         if self.snap.has(p)), None)
        if not path or not self.snap.has(path):
            return []
        mk = self._makefile(path)
        if not targets and mk.default:
            targets = [mk.default]
        out: list[_Follow] = []
        for t in targets:
            chunks: list[_Chunk] = []
            self._make_chunks(mk, t, set(), chunks)
            if chunks:
                out.append((f"make:{path}:{t}", chunks, d))
        return out

    # ---- tox ----------------------------------------------------------------------------------

    def _tox_lines(self, values: list[tuple[int, str]], sections: _IniSections, path: str,
                   offset: int, env: str, depth: int = 0) -> list[_Chunk]:
        out: list[_Chunk] = []
        joined: list[tuple[int, str]] = []
        for line, text in values:
            if joined and joined[-1][1].endswith("\\"):
                joined[-1] = (joined[-1][0], joined[-1][1][:-1] + " " + text)
            else:
                joined.append((line, text))
        for line, text in joined:
            factor = _TOX_FACTOR.match(text)
            if factor:
                if not _tox_factors_match(factor.group(0).rstrip()[:-1], env):
                    continue
                text = text[factor.end():]
            if len(out) >= MAX_COMMANDS:
                break
            ref = _TOX_REF.match(text.strip())
            if ref:
                if depth < 3:
                    sub = _tox_ref(sections, ref.group(1), ref.group(2))
                    out.extend(self._tox_lines(sub, sections, path, offset, env, depth + 1))
                continue
            if "{[" in text:
                text = _tox_inline_refs(text, sections)
            text = _tox_subst(text).lstrip("-! ")
            for raw in self.split(text):
                out.append((raw.words, raw.text, Location(path, line + offset)))
        return out

    def _tox_from_ini(self, path: str, text: str, offset: int = 0) -> _ToxConfig:
        sections = _parse_ini(text)
        top = sections.get("tox") or sections.get("tox:tox") or {}
        envlist = _split_envlist(v for _, v in top.get("envlist", top.get("env_list", [])))
        labels: dict[str, list[str]] = {}
        for _, v in top.get("labels", []):
            name, _, envs = v.partition("=")
            labels[name.strip()] = _split_envlist([envs])
        base = sections.get("testenv", {})

        def commands(env: str) -> list[_Chunk]:
            sec = sections.get(f"testenv:{env}", base)
            out: list[_Chunk] = []
            for key in ("commands_pre", "commands", "commands_post"):
                vals = sec.get(key)
                if vals is None:
                    vals = base.get(key, [])
                out.extend(self._tox_lines(vals, sections, path, offset, env))
            return out

        named = [name[len("testenv:"):].strip() for name in sections
                 if name.startswith("testenv:")]
        return _ToxConfig(path, envlist, labels, named, commands)

    def _tox_from_toml(self, path: str, table: dict[str, Any], text: str,
                       prefix: str) -> _ToxConfig:
        def strs(value: Any) -> list[str]:
            return [str(x) for x in value] if isinstance(value, list) else []

        base = table.get("env_run_base") if isinstance(table.get("env_run_base"), dict) else {}
        assert isinstance(base, dict)

        def referenced(value: Any, depth: int = 0) -> list[Any]:
            """The command lists of a ``commands`` value, ``{replace = "ref", of = [...]}``
            items replaced by what they refer to (within the same table)."""
            out: list[Any] = []
            for item in value if isinstance(value, list) else []:
                if isinstance(item, dict) and item.get("replace") == "ref" and depth < 3:
                    node: Any = table
                    of = item.get("of")
                    for k in of if isinstance(of, list) else [None]:
                        node = node.get(k) if isinstance(node, dict) else None
                    out.extend(referenced(node, depth + 1))
                else:
                    out.append(item)
            return out

        def commands(tbl: dict[str, Any], header: str) -> list[_Chunk]:
            out: list[_Chunk] = []
            hm = re.search(r"^\[\s*" + re.escape(prefix + header) + r"\s*\]", text, re.M)
            for key in ("commands_pre", "commands", "commands_post"):
                value = tbl.get(key, base.get(key))
                if not isinstance(value, list):
                    continue
                km = re.compile(r"^\s*" + key + r"\s*=", re.M).search(text, hm.end() if hm else 0)
                line = text.count("\n", 0, km.start()) + 1 if km else None
                for item in referenced(value):
                    if not isinstance(item, list):
                        continue
                    words: list[str] = []
                    for x in item:
                        if isinstance(x, str):
                            words.extend(w for w in [_tox_subst(x)] if w)
                        elif isinstance(x, dict) and x.get("replace") == "posargs":
                            words.extend(strs(x.get("default")))
                    if words:
                        out.append((tuple(words), " ".join(words), Location(path, line)))
            return out

        envs_tbl = table.get("env") if isinstance(table.get("env"), dict) else {}
        assert isinstance(envs_tbl, dict)
        envs = {str(n): commands(t, f"env.{n}") for n, t in envs_tbl.items()
                if isinstance(t, dict)}
        labels_tbl = table.get("labels") if isinstance(table.get("labels"), dict) else {}
        assert isinstance(labels_tbl, dict)
        labels = {str(k): strs(v) for k, v in labels_tbl.items()}
        default = commands(base, "env_run_base")
        return _ToxConfig(path, strs(table.get("env_list")), labels, list(envs),
                          lambda env: envs.get(env, default))

    def _tox_config(self, d: str, conf: str | None) -> _ToxConfig | None:
        key = f"{d}|{conf}"
        if key in self._tox:
            return self._tox[key]
        found: _ToxConfig | None = None
        candidates = [conf] if conf else ["tox.ini", "tox.toml", "pyproject.toml", "setup.cfg"]
        for name in candidates:
            path = _join(d, name)
            text = self.text(path) if path else None
            if path is None or text is None:
                continue
            if path.endswith(".ini"):
                found = self._tox_from_ini(path, text)
            elif path.endswith("setup.cfg"):
                if re.search(r"^\[tox:tox\]", text, re.M):
                    found = self._tox_from_ini(path, text)
            elif path.endswith("tox.toml"):
                data = self._toml(path)
                if data is not None:
                    found = self._tox_from_toml(path, data, text, "")
            elif path.endswith(".toml"):
                data = self._toml(path)
                tool = data.get("tool") if data else None
                tox = tool.get("tox") if isinstance(tool, dict) else None
                if isinstance(tox, dict):
                    legacy = tox.get("legacy_tox_ini")
                    if isinstance(legacy, str):
                        m = re.search(r"^\s*legacy_tox_ini\s*=", text, re.M)
                        offset = text.count("\n", 0, m.start()) + 1 if m else 0
                        found = self._tox_from_ini(path, legacy, offset)
                    else:
                        found = self._tox_from_toml(path, tox, text, "tool.tox.")
            if found is not None:
                break
        self._tox[key] = found
        return found

    def _follow_tox(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        args = argv[1:]
        conf = _option_values(args, {"-c", "--conf"})
        cfg = self._tox_config(cwd, conf[0] if conf else None)
        if cfg is None:
            return []
        envs = [e.strip() for v in _option_values(args, {"-e", "--env"}) for e in v.split(",")]
        labels = _option_values(args, {"-m"})
        factors = _option_values(args, {"-f"})
        if envs and "ALL" not in envs:
            selected = envs
        elif envs or (not labels and not factors):
            selected = (cfg.envlist or ["py"]) if not envs else \
                (cfg.envlist or cfg.envs or ["py"])
        elif labels:
            selected = [e for lb in labels for e in cfg.labels.get(lb, [])]
        else:
            selected = [e for e in cfg.envlist if any(f in e.split("-") for f in factors)]
        out: list[_Follow] = []
        for env in dict.fromkeys(selected):
            chunks = cfg.commands(env)
            if chunks:
                out.append((f"tox:{cfg.path}:{env}", chunks, posixpath.dirname(cfg.path)))
        return out

    # ---- nox, invoke --------------------------------------------------------------------------

    def _py_funcs(self, path: str) -> list[_PyFunc]:
        if path not in self._functions:
            text = self.text(path)
            self._functions[path] = _py_functions(text) if text is not None else []
        return self._functions[path]

    def _func_chunks(self, path: str, fn: _PyFunc) -> list[_Chunk]:
        return [(words, text, Location(path, line))
                for words, text, line in self.py_commands(fn.body, fn.body_line)]

    def _follow_nox(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        args = list(argv[1:])
        names: list[str] = []
        tags: list[str] = []
        noxfile = "noxfile.py"
        i = 0
        while i < len(args):
            a = args[i]
            i += 1
            target = names if a in ("-s", "--session", "--sessions", "-e") else \
                tags if a in ("-t", "--tags") else None
            if target is not None:
                while i < len(args) and not args[i].startswith("-"):
                    target.append(args[i])
                    i += 1
            elif a in ("-f", "--noxfile") and i < len(args):
                noxfile = args[i]
                i += 1
        path = _join(cwd, noxfile)
        text = self.text(path) if path else None
        if path is None or text is None:
            return []
        sessions = [f for f in self._py_funcs(path) if "session" in f.decorators]
        if not names and not tags:
            m = re.search(r"nox\.options\.sessions\s*=\s*[\[(]([^\])]*)", text)
            names = re.findall(r"""["']([^"']+)["']""", m.group(1)) if m else []
        out: list[_Follow] = []
        for fn in sessions:
            nm = re.search(r"""name\s*=\s*["']([^"']+)""", fn.decorators)
            sname = nm.group(1) if nm else fn.name
            tm = re.search(r"tags\s*=\s*\[([^\]]*)\]", fn.decorators)
            stags = re.findall(r"""["']([^"']+)["']""", tm.group(1)) if tm else []
            wanted = (not names and not tags) or any(
                n == sname or n.startswith((sname + "-", sname + "(")) for n in names) \
                or any(t in stags for t in tags)
            if wanted:
                out.append((f"nox:{path}:{sname}", self._func_chunks(path, fn), cwd))
        return out

    def _follow_invoke(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        args = argv[1:]
        coll = _option_values(args, {"-c", "--collection"})
        path = _join(cwd, (coll[0] if coll else "tasks") + ".py")
        if path is None or self.text(path) is None:
            return []
        wanted = set(_positionals(args, {"-c", "--collection", "-f", "--config", "-r",
                                         "--search-root"}))
        out: list[_Follow] = []
        for fn in self._py_funcs(path):
            if "task" in fn.decorators and (fn.name in wanted or
                                            fn.name.replace("_", "-") in wanted):
                out.append((f"invoke:{path}:{fn.name}", self._func_chunks(path, fn), cwd))
        return out

    # ---- pre-commit ---------------------------------------------------------------------------

    def _follow_pre_commit(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        args = list(argv[1:])
        if "--files" in args:
            args = args[: args.index("--files")]
        pos = _positionals(args, {"-c", "--config", "--hook-stage", "--from-ref", "--to-ref",
                                  "-s", "-o", "--source", "--origin", "--color"})
        if pos[:1] not in ([], ["run"]):
            return []
        hook = pos[1] if len(pos) > 1 else None
        conf = _option_values(args, {"-c", "--config"})
        path = _join(cwd, conf[0]) if conf else ".pre-commit-config.yaml"
        if path is None or not self.snap.has(path):
            return []
        parsed = self.snap.yaml(path)
        repos = parsed.data.get("repos") if parsed.ok and isinstance(parsed.data, dict) else None
        chunks: list[_Chunk] = []
        for repo in repos if isinstance(repos, list) else []:
            if not isinstance(repo, dict) or not isinstance(repo.get("hooks"), list):
                continue
            for h in repo["hooks"]:
                if not isinstance(h, dict) or not isinstance(h.get("id"), str):
                    continue
                hid = h["id"]
                stages = h.get("stages")
                if hook is not None and hid != hook:
                    continue
                if hook is None and isinstance(stages, list) and stages == ["manual"]:
                    continue
                extra = tuple(str(a) for a in h.get("args", []) or [] if isinstance(a, str)) \
                    if isinstance(h.get("args"), list) else ()
                where = Location(path, _line(hid))
                if repo.get("repo") == "local" and isinstance(h.get("entry"), str):
                    raws = self.split(h["entry"])
                    if raws:
                        words = (*raws[0].words, *extra)
                        chunks.append((words, " ".join(words), where))
                elif repo.get("repo") != "meta":
                    chunks.append(((hid, *extra), f"pre-commit hook {hid}", where))
        return [(f"pre-commit:{path}:{hook or '*'}", chunks, "")] if chunks else []

    # ---- pyproject task runners (pdm, hatch, poe) ---------------------------------------------

    def _toml_line(self, path: str, key: str) -> int | None:
        text = self.text(path)
        if text is None:
            return None
        m = re.search(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=", text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else None

    def _entry_chunks(self, value: Any, where: Location, prefix: str,
                      keys: tuple[str, ...]) -> list[_Chunk]:
        """Chunks for a task-runner entry: a command string, a list (a sequence of task
        references, each given ``prefix``), or a table with one of ``keys``."""
        out: list[_Chunk] = []
        if isinstance(value, str):
            out.extend((r.words, r.text, where) for r in self.split(value))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out.extend((r.words, r.text, where) for r in self.split(prefix + item))
                elif isinstance(item, dict):
                    out.extend(self._entry_chunks(item, where, prefix, keys))
        elif isinstance(value, dict):
            for key in keys:
                v = value.get(key)
                if isinstance(v, str):
                    p = prefix if key in ("composite", "sequence", "ref") else ""
                    out.extend((r.words, r.text, where) for r in self.split(p + v))
                elif isinstance(v, list) and key in ("composite", "sequence"):
                    out.extend(self._entry_chunks(v, where, prefix, keys))
                elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                    words = tuple(str(x) for x in v)
                    out.append((words, " ".join(words), where))
        return out

    def _tool(self, d: str, *keys: str) -> tuple[str, Any]:
        path = posixpath.join(d, "pyproject.toml") if d else "pyproject.toml"
        node: Any = self._toml(path)
        for key in ("tool", *keys):
            node = node.get(key) if isinstance(node, dict) else None
        return path, node

    def _follow_pdm(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        path, scripts = self._tool(cwd, "pdm", "scripts")
        if not isinstance(scripts, dict) or argv[0] not in scripts:
            return []
        where = Location(path, self._toml_line(path, argv[0]))
        chunks = self._entry_chunks(scripts[argv[0]], where, "pdm run ",
                                    ("cmd", "shell", "composite"))
        return [(f"pdm:{path}:{argv[0]}", chunks, cwd)]

    def _follow_poe(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        pos = _positionals(argv[1:], {"-C", "--directory", "--root", "-e", "--executor"})
        path, tasks = self._tool(cwd, "poe", "tasks")
        if not pos or not isinstance(tasks, dict) or pos[0] not in tasks:
            return []
        where = Location(path, self._toml_line(path, pos[0]))
        chunks = self._entry_chunks(tasks[pos[0]], where, "poe ",
                                    ("cmd", "shell", "sequence", "ref"))
        return [(f"poe:{path}:{pos[0]}", chunks, cwd)]

    def _follow_hatch(self, env: str, argv: Sequence[str], cwd: str) -> list[_Follow]:
        path, envs = self._tool(cwd, "hatch", "envs")
        if envs is None:
            path = posixpath.join(cwd, "hatch.toml") if cwd else "hatch.toml"
            data = self._toml(path)
            envs = data.get("envs") if data else None
        env_tbl = envs.get(env) if isinstance(envs, dict) else None
        scripts = env_tbl.get("scripts") if isinstance(env_tbl, dict) else None
        if not isinstance(scripts, dict) or argv[0] not in scripts:
            return []
        value = scripts[argv[0]]
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        where = Location(path, self._toml_line(path, argv[0]))
        chunks: list[_Chunk] = []
        for item in items:
            if not isinstance(item, str):
                continue
            item = re.sub(r"\{args(?::([^{}]*))?\}", lambda m: m.group(1) or "", item)
            first = item.split()[0] if item.split() else ""
            if first in scripts:
                item = f"hatch run {env}:{item}"
            chunks.extend((r.words, r.text, where) for r in self.split(item))
        return [(f"hatch:{path}:{env}:{argv[0]}", chunks, cwd)]

    # ---- script files -------------------------------------------------------------------------

    def _follow_script(self, argv: Sequence[str], cwd: str) -> list[_Follow]:
        name, args = argv[0], list(argv[1:])
        kind: str | None = None
        word: str | None = None
        if name in _SHELLS or name in ("source", "."):
            i = _skip_opts(args, 0, {"-o", "-O", "--rcfile", "--init-file"})
            if any(a.startswith("-") and not a.startswith("--") and "c" in a for a in args[:i]):
                return []
            word, kind = (args[i], "sh") if i < len(args) else (None, None)
        elif name == "python":
            i = _skip_opts(args, 0, {"-W", "-X"})
            if i < len(args) and not {"-c", "-m"} & set(args[:i]):
                word, kind = args[i], "py"
        elif name in ("pwsh", "powershell"):
            vals = _option_values(args, {"-File", "-f", "-file"})
            word, kind = (vals[0], "ps") if vals else (None, None)
        elif "/" in name or name.endswith(_SCRIPT_EXTS):
            word = name
        if word is None:
            return []
        path = _join(cwd, word)
        if path is None:
            return []
        text = self.text(path)
        if text is None:
            return []
        if kind is None:
            kind = _script_kind(path, text)
        if kind in ("sh", "ps"):
            chunks = [(r.words, r.text, Location(path, r.line + 1))
                      for r in self.split(text, posix=kind == "sh")]
        elif kind == "py":
            chunks = [(w, t, Location(path, line)) for w, t, line in self.py_commands(text)]
        else:
            return []
        return [(f"script:{path}", chunks, cwd)]

    # ---- GitHub Actions -----------------------------------------------------------------------

    def script_chunks(self, value: str, path: str, lines: Sequence[str],
                      python: bool = False, posix: bool = True,
                      matrix: _Matrix = ()) -> list[_Chunk]:
        """The commands of a ``run:`` value, each with the file line holding it, and one per
        value of the ``matrix`` keys it uses (``${{ matrix.toxenv }}``); memoised, so that a
        value reused by many steps (YAML aliases) is read once."""
        start = _line(value) or 1
        key = (value, path, start, python, posix, matrix)
        cached = self._scripts.get(key)
        if cached is None:
            cached = self._script_chunks(value, start, path, lines, python, posix)
            if matrix:
                cached = self._matrix_variants(cached, dict(matrix))
            self._scripts[key] = cached
        return cached

    def _matrix_variants(self, chunks: list[_Chunk],
                         matrix: Mapping[str, tuple[str, ...]]) -> list[_Chunk]:
        out: list[_Chunk] = []
        for words, text, where in chunks:
            keys = [k for k in dict.fromkeys(_MATRIX_REF.findall(text)) if k in matrix]
            if not keys:
                out.append((words, text, where))
                continue
            for combo in itertools.islice(itertools.product(*(matrix[k] for k in keys)),
                                          MATRIX_VARIANTS):
                if len(out) >= MAX_COMMANDS or not self.work.spend(len(text)):
                    return out
                chosen = dict(zip(keys, combo, strict=True))
                out.append((tuple(_fill_matrix(w, chosen) for w in words),
                            _fill_matrix(text, chosen), where))
        return out

    def _script_chunks(self, value: str, start: int, path: str, lines: Sequence[str],
                       python: bool, posix: bool) -> list[_Chunk]:
        head = lines[start - 1] if 0 < start <= len(lines) else ""
        literal = bool(_LITERAL.search(head)) and not value.rstrip().endswith("|")
        if python:
            found = [(w, t, line - 1) for w, t, line in self.py_commands(value)]
        else:
            found = [(r.words, r.text, r.line) for r in self.split(value, posix)]
        out: list[_Chunk] = []
        cursor = start
        for words, text, rel in found:
            if literal:
                line = start + 1 + rel
            else:
                needle = text.split()[0] if text.split() else ""
                line = start
                for k in range(cursor, min(len(lines), cursor + 400) + 1):
                    if needle and needle in lines[k - 1]:
                        line = cursor = k
                        break
            out.append((words, text, Location(path, line)))
        return out

    def step(self, step: Mapping[str, Any], path: str, lines: Sequence[str], cwd: str,
             ctx: _Ctx | None, default_shell: str = "bash", matrix: _Matrix = ()) -> None:
        line = _line(step)
        uses = step.get("uses")
        inputs = step.get("with") if isinstance(step.get("with"), dict) else {}
        assert isinstance(inputs, dict)
        if isinstance(uses, str) and uses.strip():
            uline = _line(uses) or line
            where = Location(path, uline)
            self.uses.append(Use(uses.strip(), ctx.path if ctx else path,
                                 ctx.line if ctx else uline, inputs, ctx.via if ctx else (),
                                 where))
            self._action(uses.strip(), inputs, where, lines, cwd, ctx)
        run = step.get("run")
        if isinstance(run, str) and not self.full:
            wd = step.get("working-directory")
            if isinstance(wd, str):
                cwd = _join("", wd.strip()) or cwd if "${{" not in wd else cwd
            shell = step.get("shell")
            name = (shell if isinstance(shell, str) else default_shell).strip().lower()
            python = name.startswith("python")
            posix = not name.startswith(("pwsh", "powershell", "cmd"))
            chunks = self.script_chunks(run, path, lines, python, posix, matrix)
            self.run_chunks(chunks, cwd, ctx)

    def _action(self, uses: str, inputs: Mapping[str, Any], where: Location,
                lines: Sequence[str], cwd: str, ctx: _Ctx | None) -> None:
        for action, key, prefix in _COMMAND_INPUTS:
            value = inputs.get(key)
            if action_matches(uses, action) and isinstance(value, str):
                chunks = self.script_chunks(value, where.path, lines)
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
        d = _join("", uses.split("@", 1)[0])
        if d is None:
            return
        path = next((p for p in (posixpath.join(d, "action.yml"), posixpath.join(d, "action.yaml"))
                     if self.snap.has(p)), None)
        depth = ctx.depth if ctx else 0
        key = f"action:{path}"
        if path is None or depth >= MAX_DEPTH or (ctx and key in ctx.seen):
            return
        parsed = self.snap.yaml(path)
        data = parsed.data if parsed.ok else None
        runs = data.get("runs") if isinstance(data, dict) else None
        steps = runs.get("steps") if isinstance(runs, dict) else None
        if not isinstance(runs, dict) or not isinstance(steps, list) \
                or str(runs.get("using")) != "composite":
            return
        text = f"uses: {uses}"
        label = f"`{text}`" if not ctx or not ctx.via else f"{where} `{text}`"
        child = _Ctx(ctx.path if ctx else where.path, ctx.line if ctx else where.line,
                     (*(ctx.via if ctx else ()), label), depth + 1,
                     (ctx.seen if ctx else frozenset()) | {key})
        lines = (self.text(path) or "").splitlines()
        for step in steps:
            if isinstance(step, dict):
                self.step(step, path, lines, "", child)

    def workflow(self, wf: Workflow) -> None:
        data = wf.data
        lines = wf.text.splitlines()
        default_wd = _working_directory(data.get("defaults"), "")
        default_shell = _default_shell(data.get("defaults"), "")
        for job in wf.jobs.values():
            if not isinstance(job, dict):
                continue
            uses = job.get("uses")
            if isinstance(uses, str) and uses.strip():
                inputs = job.get("with") if isinstance(job.get("with"), dict) else {}
                assert isinstance(inputs, dict)
                line = _line(uses) or _line(job)
                self.uses.append(Use(uses.strip(), wf.path, line, inputs, (),
                                     Location(wf.path, line), job=True))
            cwd = _working_directory(job.get("defaults"), default_wd)
            runs_on = job.get("runs-on")
            labels = [runs_on] if isinstance(runs_on, str) else \
                runs_on if isinstance(runs_on, list) else []
            windows = any(isinstance(x, str) and "windows" in x.lower() for x in labels)
            shell = _default_shell(job.get("defaults"), default_shell) or \
                ("pwsh" if windows else "bash")
            steps = job.get("steps")
            matrix = _matrix(job)
            for step in steps if isinstance(steps, list) else []:
                if isinstance(step, dict):
                    self.step(step, wf.path, lines, cwd, None, shell, matrix)

    # ---- other CI systems ---------------------------------------------------------------------

    def other(self, path: str, keys: frozenset[str]) -> None:
        text = self.text(path)
        if text is None:
            reason = "cannot be read as UTF-8 text" if self.snap.has(path) else "is missing"
            self.problems.append((path, ParseError(reason)))
            return
        if path == "Jenkinsfile" or path.endswith("/Jenkinsfile"):
            self.sources.append(path)
            self.partial.append(path)
            self._jenkins(path, text)
            return
        try:
            docs = _load_lenient(text)
        except ParseError as exc:
            self.problems.append((path, exc))
            return
        self.sources.append(path)
        lines = text.splitlines()
        for doc in docs:
            for key, value in _script_values(doc, keys, 0):
                posix = key not in ("ps", "pwsh", "powershell", "cmd")
                self.run_chunks(self.script_chunks(value, path, lines, posix=posix), "", None)

    def _jenkins(self, path: str, text: str) -> None:
        for m in _JENKINS_STEP.finditer(text):
            quote = m.group("q")
            end = text.find(quote, m.end())
            end = len(text) if end < 0 else end
            body = text[m.end():end]
            line = text.count("\n", 0, m.end()) + 1
            posix = m.group("step") == "sh"
            chunks = [(r.words, r.text, Location(path, line + r.line))
                      for r in self.split(body, posix)]
            self.run_chunks(chunks, "", None)


_JENKINS_STEP = re.compile(
    r"""\b(?P<step>sh|bat|pwsh|powershell)\s*\(?\s*(?:script\s*:\s*)?(?P<q>'''|\"\"\"|'|")""")


def _script_values(node: Any, keys: frozenset[str], depth: int) -> Iterator[tuple[str, str]]:
    """``(key, script)`` for every value under one of ``keys``."""
    if depth > 40:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys:
                if isinstance(v, str):
                    yield str(k), v
                elif isinstance(v, list):
                    yield from ((str(k), x) for x in _flatten_strings(v, 0))
                else:
                    yield from _script_values(v, keys, depth + 1)
            else:
                yield from _script_values(v, keys, depth + 1)
    elif isinstance(node, list):
        for v in node:
            yield from _script_values(v, keys, depth + 1)


def _flatten_strings(items: list[Any], depth: int) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, list) and depth < 5:
            yield from _flatten_strings(item, depth + 1)


def _default_shell(defaults: Any, fallback: str) -> str:
    run = defaults.get("run") if isinstance(defaults, dict) else None
    shell = run.get("shell") if isinstance(run, dict) else None
    return shell if isinstance(shell, str) and "${{" not in shell else fallback


def _working_directory(defaults: Any, fallback: str) -> str:
    run = defaults.get("run") if isinstance(defaults, dict) else None
    wd = run.get("working-directory") if isinstance(run, dict) else None
    if isinstance(wd, str) and "${{" not in wd:
        return _join("", wd.strip()) or fallback
    return fallback


def _script_kind(path: str, text: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".py"):
        return "py"
    if lower.endswith((".ps1", ".bat", ".cmd")):
        return "ps"
    if lower.endswith(_SCRIPT_EXTS):
        return "sh"
    first = text.split("\n", 1)[0]
    if first.startswith("#!"):
        if "python" in first:
            return "py"
        if re.search(r"\b(?:ba|z|k|da)?sh\b", first):
            return "sh"
    return None


def _inline_scripts(argv: Sequence[str]) -> list[str]:
    """Scripts given inline: ``bash -c '...'``, ``concurrently 'cmd' 'npm:test'``."""
    name, args = argv[0], list(argv[1:])
    if name in _SHELLS:
        i = 0
        while i < len(args) and args[i].startswith("-"):
            a = args[i]
            i += 1
            if a in ("-o", "-O"):
                i += 1
            elif not a.startswith("--") and "c" in a[1:]:
                return args[i:i + 1]
        return []
    if name == "concurrently":
        pos = _positionals(args, {"-n", "--names", "-c", "--prefix-colors", "-p", "--prefix",
                                  "-s", "--success", "-m", "--max-processes", "--restart-tries",
                                  "--restart-after", "-t", "--timestamp-format", "-l",
                                  "--prefix-length", "--names-separator",
                                  "--default-input-target"})
        out = []
        for p in pos:
            tool, sep, script = p.partition(":")
            out.append(f"{tool} run {script}" if sep and tool in ("npm", "yarn", "pnpm", "bun")
                       else p)
        return out
    return []


def workflow_problem(wf: Workflow) -> ParseError | None:
    """Why a workflow file is not CI, or None: it does not parse, is not a mapping (a YAML list
    or scalar), or lacks an ``on:`` trigger (YAML 1.1 reads the key ``on`` as ``true``) or a
    ``jobs:`` mapping (the line is that of a ``jobs:`` that is no mapping, else 1)."""
    if wf.error is not None:
        return wf.error
    data = wf.data
    if not isinstance(data, dict):
        return ParseError("a workflow must be a mapping", 1)
    missing = []
    if "on" not in data and True not in data:
        missing.append("no `on:` trigger")
    if not isinstance(data.get("jobs"), dict):
        missing.append("no `jobs:` mapping")
    if not missing:
        return None
    line = 1
    if isinstance(data, YamlMap) and "jobs" in data and missing == ["no `jobs:` mapping"]:
        line = data.line_of("jobs") or 1
    return ParseError(" and ".join(missing), line)


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
            an.other(path, _BUILDKITE_KEYS)
    return CiAnalysis(tuple(an.commands), tuple(an.uses), tuple(an.sources),
                      tuple(an.problems), tuple(an.partial), an.truncated)


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
    return (f"CI holds too much to read entirely (the analysis stops at {MAX_COMMANDS:,} "
            f"commands and {LEX_BUDGET // MiB} MiB of scripts)")


def remote_workflows(ci: CiAnalysis) -> list[Use]:
    """Jobs that call a reusable workflow of another repository: what it runs cannot be read
    here."""
    return [u for u in ci.uses if u.job and not u.ref.startswith("./")]


def describe_remote(uses: Sequence[Use], shown: int = 3) -> str:
    """``acme/.github/.github/workflows/ci.yml@v1 (ci.yml:7)``, for a message."""
    refs = [f"{u.ref} ({u.location})" for u in uses[:shown]]
    more = f" and {len(uses) - shown} more" if len(uses) > shown else ""
    return ", ".join(refs) + more
