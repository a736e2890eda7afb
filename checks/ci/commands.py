"""Command normalisation, and the record of a command that CI runs.

Before a command is classified, leading ``VAR=value`` assignments, ``${PREFIX}`` expansions,
``sudo``, ``env``, ``time`` and wrappers (``uv run``, ``poetry run``, ``python -m``, ``coverage
run -m``, ``npx``, ``bundle exec``, ``docker compose run``...) are dropped (:func:`normalise`),
so that ``uv run python -m pytest`` is ``pytest``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from scorecard.model import Location

_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_VAR_PREFIX = re.compile(
    r"^(?:\$\{\{.*?\}\}|\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-])+"
)
_CWD_VAR = re.compile(r"^(?:\$\(CURDIR\)|\$\{?PWD\}?|\$\(pwd\)|\{toxinidir\})$")
_PY_NAME = re.compile(r"^python[0-9.]*w?$")
_ALIASES = {
    "gradlew": "gradle",
    "mvnw": "mvn",
    "py.test": "pytest",
    "bazelisk": "bazel",
    "pypy": "python",
    "pypy3": "python",
    "py": "python",
    "pnpx": "npx",
    "bunx": "npx",
    "nodejs": "node",
    "cargo-tarpaulin": "tarpaulin",
    "podman": "docker",
    "podman-compose": "docker-compose",
    "sonar-scanner.bat": "sonar-scanner",
}
_KEYWORDS = frozenset(
    {
        "(",
        "{",
        "!",
        "if",
        "then",
        "else",
        "elif",
        "do",
        "while",
        "until",
        "exec",
        "command",
        "builtin",
        "nohup",
        "noglob",
        "catchsegv",
        "dbus-run-session",
        "-",
        "@",
        "call",
    }
)

#: Test runners run by their own name (``classify`` counts them as tests).
TEST_RUNNERS: frozenset[str] = frozenset(
    {
        "pytest",
        "tox",
        "nox",
        "jest",
        "vitest",
        "mocha",
        "rspec",
        "ctest",
        "phpunit",
        "nosetests",
        "nose2",
        "gotestsum",
        "ginkgo",
        "ava",
        "bats",
        "busted",
        "pest",
        "behave",
        "cucumber",
        "cucumber-js",
    }
)

#: Names kept when written as a path (``vendor/bin/phpunit`` is ``phpunit``).
_KNOWN: frozenset[str] = TEST_RUNNERS | frozenset(
    {
        "karma",
        "go",
        "cargo",
        "dotnet",
        "mix",
        "swift",
        "bazel",
        "rake",
        "deno",
        "bun",
        "flutter",
        "dart",
        "lein",
        "stack",
        "cabal",
        "meson",
        "cypress",
        "playwright",
        "ng",
        "forge",
        "hardhat",
        "rails",
        "mvn",
        "gradle",
        "make",
        "gmake",
        "sbt",
        "xcodebuild",
        "npm",
        "yarn",
        "pnpm",
        "npx",
        "turbo",
        "lerna",
        "nx",
        "python",
        "coverage",
        "nyc",
        "c8",
        "codecov",
        "codecovcli",
        "coveralls",
        "goveralls",
        "tarpaulin",
        "grcov",
        "kcov",
        "gcovr",
        "lcov",
        "semgrep",
        "snyk",
        "sonar-scanner",
        "bandit",
        "bandit-baseline",
        "gosec",
        "zizmor",
        "codeql",
        "gh",
        "uv",
        "uvx",
        "poetry",
        "pipenv",
        "hatch",
        "pdm",
        "poe",
        "invoke",
        "inv",
        "pre-commit",
        "bundle",
        "xvfb-run",
        "sudo",
        "env",
        "time",
        "timeout",
        "cross-env",
        "docker",
        "docker-compose",
        "bash",
        "sh",
        "zsh",
        "node",
        "pip",
        "pip3",
        "run-s",
        "run-p",
        "npm-run-all",
        "concurrently",
        "just",
        "dotnet-sonarscanner",
        "sonarqube-scanner",
        "pysonar",
        "pysonar-scanner",
    }
)


def canon(word: str) -> str:
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


def skip_opts(w: Sequence[str], i: int, takes_value: Iterable[str] = ()) -> int:
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
        return w[skip_opts(w, 1, vals) :], label

    return handle


def _sub(sub: str, label: str, values: Iterable[str] = ()) -> Handler:
    """``tool SUB [opts] cmd...`` (``poetry run``, ``bundle exec``)."""
    vals = frozenset(values)

    def handle(w: list[str]) -> tuple[list[str], str] | None:
        if w[1:2] != [sub]:
            return None
        return w[skip_opts(w, 2, vals) :], label

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
    i = skip_opts(w, 1, {"-s", "--signal", "-k", "--kill-after"})
    return w[i + 1 :], ""


def _h_uv(w: list[str]) -> tuple[list[str], str] | None:
    opts = {
        "--with",
        "--with-requirements",
        "--extra",
        "--group",
        "--only-group",
        "-p",
        "--python",
        "--package",
        "--directory",
        "--project",
        "--env-file",
        "--index",
        "--from",
        "--no-extra",
        "--no-group",
        "--isolated-from",
    }
    if w[1:2] == ["run"]:
        return w[skip_opts(w, 2, opts) :], "uv run"
    if w[1:3] == ["tool", "run"]:
        return w[skip_opts(w, 3, opts) :], "uvx"
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
        return ["pytest", *w[i + 1 :]], "hatch test"
    if w[i] != "run":
        return None
    rest = w[skip_opts(w, i + 1) :]
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
        return w[i + 1 :], "python -m"
    if i > 1:
        return [w[0], *w[i:]], ""
    return None


def _h_coverage(w: list[str]) -> tuple[list[str], str] | None:
    if w[1:2] != ["run"]:
        return None
    values = {
        "--rcfile",
        "--source",
        "--include",
        "--omit",
        "--concurrency",
        "--context",
        "--data-file",
    }
    i = 2
    while i < len(w) and w[i].startswith("-"):
        if w[i] == "-m":
            return w[i + 1 :], "coverage run"
        opt = w[i]
        i += 1
        if opt in values:
            i += 1
    return ["python", *w[i:]], "coverage run"


def _h_npx(w: list[str]) -> tuple[list[str], str]:
    return w[skip_opts(w, 1, {"-p", "--package", "-c", "--call"}) :], "npx"


def _h_exec(tool: str, subs: tuple[str, ...], values: Iterable[str]) -> Handler:
    vals = frozenset(values)

    def handle(w: list[str]) -> tuple[list[str], str] | None:
        i = skip_opts(w, 1, vals)
        if i < len(w) and w[i] in subs:
            return w[skip_opts(w, i + 1, vals) :], f"{tool} {w[i]}"
        return None

    return handle


_NYC_SUBCOMMANDS = frozenset({"report", "check-coverage", "instrument", "merge", "help"})
_NYC_VALUES = frozenset(
    {
        "-r",
        "--reporter",
        "-n",
        "--include",
        "-x",
        "--exclude",
        "-e",
        "--extension",
        "-i",
        "--require",
        "--temp-dir",
        "--temp-directory",
        "-o",
        "--reports-dir",
        "--report-dir",
        "--src",
        "--cwd",
        "--nycrc-path",
        "--config",
        "-t",
    }
)


def _h_nyc(w: list[str]) -> tuple[list[str], str] | None:
    i = skip_opts(w, 1, _NYC_VALUES)
    if i >= len(w) or w[i] in _NYC_SUBCOMMANDS:
        return None
    return w[i:], canon(w[0])


_DOCKER_RUN_VALUES = frozenset(
    {
        "-e",
        "--env",
        "--env-file",
        "-w",
        "--workdir",
        "-u",
        "--user",
        "-v",
        "--volume",
        "--mount",
        "--name",
        "--network",
        "--net",
        "-p",
        "--publish",
        "--entrypoint",
        "-l",
        "--label",
        "--platform",
        "--cpus",
        "-m",
        "--memory",
        "--add-host",
        "--cap-add",
        "--cap-drop",
        "--device",
        "--dns",
        "--gpus",
        "-h",
        "--hostname",
        "--ipc",
        "--pid",
        "--restart",
        "--runtime",
        "--security-opt",
        "--shm-size",
        "--tmpfs",
        "--ulimit",
        "--volumes-from",
        "--group-add",
        "--link",
        "--index",
        "--pull",
        "--log-driver",
    }
)
_COMPOSE_VALUES = frozenset(
    {
        "-f",
        "--file",
        "-p",
        "--project-name",
        "--profile",
        "--env-file",
        "--project-directory",
        "--ansi",
        "--progress",
    }
)


def _h_docker(w: list[str]) -> tuple[list[str], str] | None:
    i = 1
    compose = canon(w[0]) == "docker-compose"
    if not compose and w[1:2] == ["compose"]:
        compose, i = True, 2
    if compose:
        i = skip_opts(w, i, _COMPOSE_VALUES)
    if i >= len(w) or w[i] not in ("run", "exec"):
        return None
    i = skip_opts(w, i + 1, _DOCKER_RUN_VALUES)
    rest = w[i + 1 :]  # after the service, image or container
    return (rest, "docker") if rest else None


_WRAPPERS: dict[str, Handler] = {
    "sudo": _drop(
        {"-u", "-g", "-h", "-p", "-U", "-C", "-D", "-r", "-t", "-T", "--user", "--group"}
    ),
    "env": _h_env,
    "time": _drop(),
    "nice": _drop({"-n", "--adjustment"}),
    "ionice": _drop({"-c", "-n", "-p"}),
    "timeout": _h_timeout,
    "xvfb-run": _drop(
        {
            "-s",
            "--server-args",
            "-n",
            "--server-num",
            "-e",
            "--error-file",
            "-f",
            "--auth-file",
            "-p",
            "--xauth-protocol",
            "-w",
            "--wait",
        }
    ),
    "stdbuf": _drop({"-o", "-i", "-e"}),
    "cross-env": _drop(),
    "cross-env-shell": _drop(),
    "bundle": _sub("exec", "bundle exec"),
    "uv": _h_uv,
    "uvx": _drop({"--with", "--from", "-p", "--python", "--with-requirements", "--index"}, "uvx"),
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
_NOT_NAMED_BY_VARIABLE = frozenset(_WRAPPERS) - {
    "python",
    "coverage",
    "npx",
    "npm",
    "pnpm",
    "yarn",
    "docker",
    "docker-compose",
}


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
            rest = first[m.end() :]
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
        handler = _WRAPPERS.get(canon(first))
        result = handler(w) if handler is not None else None
        if result is None:
            break
        w, label = result
        if label:
            wrappers.append(label)
    if not w:
        return (), tuple(wrappers)
    return (canon(w[0]), *w[1:]), tuple(wrappers)


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
        own = f"`{display(self.text)}`"
        if not self.via:
            return own
        return " -> ".join([*self.via, f"{self.source} {own}" if self.source else own])


def display(text: str, limit: int = 72) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


HELP = frozenset({"--version", "--help", "-h", "-V", "-help"})


def positionals(args: Sequence[str], values: Iterable[str] = ()) -> list[str]:
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


def option_values(args: Sequence[str], names: Iterable[str]) -> list[str]:
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


#: Commands as read from a file, before normalisation: ``(words, text, where written)``.
Chunk = tuple[tuple[str, ...], str, Location]
#: What a command leads to: ``(key, chunks, working directory)``; the key (``make:Makefile:test``)
#: stops a chain that comes back to where it was.
Follow = tuple[str, list[Chunk], str]
