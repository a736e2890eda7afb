"""What a command is: a test run, a coverage measurement or upload, a code scanner.

Each classifier reads a normalised command (:func:`~scorecard.checks.ci.commands.normalise`);
only what runs counts: ``pip install pytest`` and ``echo pytest`` are ``pip`` and ``echo``.
``npm``, ``yarn``, ``pnpm`` and ``bun`` run a ``package.json`` script (:func:`js_run`), or for
``yarn X`` maybe the binary ``X``, which is classified as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .commands import (
    HELP,
    TEST_RUNNERS,
    Command,
    canon,
    normalise,
    option_values,
    positionals,
)

_DIRECT_TESTS = TEST_RUNNERS | {"unittest"}
_SUB_TESTS: dict[str, frozenset[str]] = {
    "go": frozenset({"test"}),
    "cargo": frozenset({"test", "nextest"}),
    "dotnet": frozenset({"test"}),
    "mix": frozenset({"test"}),
    "swift": frozenset({"test"}),
    "bazel": frozenset({"test", "coverage"}),
    "rake": frozenset({"test", "spec"}),
    "deno": frozenset({"test"}),
    "bun": frozenset({"test"}),
    "flutter": frozenset({"test"}),
    "dart": frozenset({"test"}),
    "lein": frozenset({"test"}),
    "stack": frozenset({"test"}),
    "cabal": frozenset({"test"}),
    "meson": frozenset({"test"}),
    "cypress": frozenset({"run"}),
    "playwright": frozenset({"test"}),
    "ng": frozenset({"test"}),
    "forge": frozenset({"test"}),
    "hardhat": frozenset({"test"}),
    "karma": frozenset({"start", "run"}),
    "rails": frozenset({"test", "spec"}),
    "pants": frozenset({"test"}),
}
_MVN_VALUES = frozenset(
    {
        "-f",
        "--file",
        "-pl",
        "--projects",
        "-P",
        "--activate-profiles",
        "-s",
        "--settings",
        "-gs",
        "--global-settings",
        "-t",
        "-T",
        "--threads",
        "-rf",
        "--resume-from",
        "-l",
        "--log-file",
        "-b",
        "--builder",
        "-D",
        "-Dmaven.repo.local",
    }
)
_MVN_TEST_PHASES = frozenset({"test", "verify", "install", "package", "deploy", "integration-test"})
_MVN_SKIP = frozenset(
    {
        "-DskipTests",
        "-DskipTests=true",
        "-Dmaven.test.skip",
        "-Dmaven.test.skip=true",
        "-DskipUTs",
        "-DskipUTs=true",
    }
)
_GRADLE_VALUES = frozenset(
    {
        "-x",
        "--exclude-task",
        "-p",
        "--project-dir",
        "-b",
        "--build-file",
        "-c",
        "--settings-file",
        "-I",
        "--init-script",
        "-g",
        "--gradle-user-home",
        "--console",
        "--warning-mode",
        "-D",
        "-P",
    }
)
MAKE_VALUES = frozenset(
    {
        "-C",
        "--directory",
        "-f",
        "--file",
        "--makefile",
        "-I",
        "--include-dir",
        "-o",
        "--old-file",
        "-W",
        "--what-if",
        "-l",
    }
)

# ---- JavaScript package managers ----

JS_VALUES: dict[str, frozenset[str]] = {
    "npm": frozenset(
        {"--prefix", "-w", "--workspace", "--loglevel", "--registry", "--userconfig", "--cache"}
    ),
    "yarn": frozenset(
        {
            "--cwd",
            "--mutex",
            "--network-timeout",
            "--cache-folder",
            "--modules-folder",
            "--registry",
        }
    ),
    "pnpm": frozenset(
        {
            "-C",
            "--dir",
            "--filter",
            "-F",
            "--reporter",
            "--loglevel",
            "--workspace-concurrency",
            "--test-pattern",
        }
    ),
    "bun": frozenset({"--cwd", "-c", "--config", "--filter"}),
}
_NPM_TEST = frozenset(
    {"test", "t", "tst", "it", "cit", "install-test", "install-ci-test", "clean-install-test"}
)
_NPM_RUN = frozenset({"run", "run-script", "rum", "urn"})
_NPM_LIFECYCLE = frozenset({"start", "stop", "restart"})
_YARN_BUILTIN = frozenset(
    {
        "add",
        "audit",
        "autoclean",
        "bin",
        "cache",
        "check",
        "config",
        "constraints",
        "create",
        "dedupe",
        "dlx",
        "exec",
        "explain",
        "generate-lock-entry",
        "global",
        "help",
        "import",
        "info",
        "init",
        "install",
        "licenses",
        "link",
        "list",
        "login",
        "logout",
        "node",
        "npm",
        "outdated",
        "owner",
        "pack",
        "patch",
        "patch-commit",
        "plugin",
        "policies",
        "publish",
        "rebuild",
        "remove",
        "search",
        "set",
        "stage",
        "tag",
        "team",
        "unlink",
        "unplug",
        "up",
        "upgrade",
        "upgrade-interactive",
        "version",
        "versions",
        "why",
        "workspace",
        "workspaces",
    }
)
_PNPM_BUILTIN = frozenset(
    {
        "add",
        "audit",
        "bin",
        "config",
        "create",
        "dedupe",
        "deploy",
        "dlx",
        "doctor",
        "env",
        "exec",
        "fetch",
        "i",
        "import",
        "init",
        "install",
        "install-test",
        "it",
        "licenses",
        "link",
        "list",
        "ln",
        "ls",
        "outdated",
        "pack",
        "patch",
        "patch-commit",
        "prune",
        "publish",
        "rebuild",
        "remove",
        "rm",
        "root",
        "server",
        "setup",
        "store",
        "un",
        "uninstall",
        "unlink",
        "up",
        "update",
        "why",
        "recursive",
        "approve-builds",
        "ci",
    }
)
_BUN_BUILTIN = frozenset(
    {
        "install",
        "i",
        "add",
        "a",
        "remove",
        "rm",
        "update",
        "link",
        "unlink",
        "pm",
        "build",
        "init",
        "create",
        "x",
        "upgrade",
        "outdated",
        "publish",
        "patch",
        "audit",
        "info",
        "exec",
        "test",
        "repl",
        "why",
    }
)


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
    if tool not in JS_VALUES:
        return None
    args = list(argv[1:])
    values = JS_VALUES[tool]
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
            elif key in (
                "-w",
                "--workspace",
                "--filter",
                "-F",
                "--workspaces",
                "-ws",
                "-r",
                "--recursive",
                "-A",
                "--all",
            ):
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
    return (canon(argv[i]), *argv[i + 1 :])


def _monorepo_task(argv: Sequence[str]) -> list[str]:
    """Task names run by ``turbo``, ``lerna`` and ``nx`` (they run each package's script)."""
    name, args = argv[0], argv[1:]
    if name == "turbo":
        pos = positionals(args, {"--filter", "-F", "--concurrency", "--cache-dir"})
        return pos[1:] if pos[:1] == ["run"] else pos[:1]
    if name == "lerna":
        pos = positionals(args, {"--scope", "--ignore", "--concurrency"})
        return pos[1:2] if pos[:1] in (["run"], ["exec"]) else []
    if name == "nx":
        targets = option_values(args, {"-t", "--target", "--targets"})
        pos = positionals(
            args,
            {
                "-t",
                "--target",
                "--targets",
                "-p",
                "--projects",
                "--configuration",
                "-c",
                "--base",
                "--head",
            },
        )
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
    if any(a in HELP for a in args):
        return False
    if name in _DIRECT_TESTS:
        return True
    if name in _SUB_TESTS:
        pos = [p for p in positionals(args) if not p.startswith("+")]
        if name == "cargo" and "--no-run" in args:
            return False
        return bool(pos) and pos[0] in _SUB_TESTS[name]
    if name == "mvn":
        if any(a in _MVN_SKIP for a in args):
            return False
        return any(
            p in _MVN_TEST_PHASES or p.endswith(":test") for p in positionals(args, _MVN_VALUES)
        )
    if name == "gradle":
        excluded = {t.rsplit(":", 1)[-1] for t in option_values(args, {"-x", "--exclude-task"})}
        tasks = [p.rsplit(":", 1)[-1] for p in positionals(args, _GRADLE_VALUES)]
        return any(
            t == "test" or (t in ("check", "build") and "test" not in excluded) for t in tasks
        )
    if name in ("make", "gmake"):
        return any(p in ("test", "check") for p in positionals(args, MAKE_VALUES) if "=" not in p)
    if name == "sbt":
        words = [w for p in positionals(args) for w in re.split(r"[\s;]+", p) if w]
        return any(w.lstrip("+") in ("test", "testOnly", "testQuick") for w in words)
    if name == "xcodebuild":
        return "test" in args or "test-without-building" in args
    if name == "python":
        pos = positionals(args)
        return len(pos) > 1 and pos[0].endswith(("setup.py", "manage.py")) and pos[1] == "test"
    if name in ("npm", "yarn", "pnpm", "bun"):
        run = js_run(argv)
        if run is not None and run.script.startswith("test"):
            return True
        view = _binary_view(argv)
        return (
            view is not None
            and view[0] not in ("npm", "yarn", "pnpm", "bun")
            and _argv_runs_tests(view)
        )
    if name in ("turbo", "lerna", "nx"):
        return any(t.startswith("test") for t in _monorepo_task(argv))
    return False


def is_test_command(cmd: Command | Sequence[str]) -> bool:
    """Whether the command runs a recognised test runner (``pytest``, ``npm test``, ``go test``,
    ``mvn verify``, ``make test``...)."""
    argv = cmd.argv if isinstance(cmd, Command) else normalise(cmd)[0]
    return _argv_runs_tests(argv)


_COVERAGE_TOOLS = frozenset(
    {
        "nyc",
        "c8",
        "codecov",
        "codecovcli",
        "codecov-cli",
        "coveralls",
        "goveralls",
        "tarpaulin",
        "grcov",
        "kcov",
        "gcovr",
        "dotnet-coverage",
        "coverlet",
        "istanbul",
        "simplecov",
    }
)
_COVERAGE_SUBCOMMANDS = frozenset({"run", "report", "xml", "html", "json", "lcov", "combine"})
_UPLOADER_URL = re.compile(r"codecov\.io|coveralls\.io|uploader\.codecov")


def _argv_coverage(argv: Sequence[str], wrappers: Sequence[str] = (), text: str = "") -> bool:
    if not argv:
        return False
    name, args = argv[0], argv[1:]
    if any(w in ("coverage run", "nyc", "c8") for w in wrappers):
        return True
    if any(a in HELP for a in args) or name in ("pip", "pip3", "echo", "printf"):
        return False
    if "hatch test" in wrappers and ("--cover" in args or "-c" in args):
        return True
    if name in _COVERAGE_TOOLS or (name == "lcov" and args):
        return True
    if name == "coverage":
        pos = positionals(args)
        return bool(pos) and pos[0] in _COVERAGE_SUBCOMMANDS
    if name == "cargo":
        pos = [p for p in positionals(args) if not p.startswith("+")]
        return bool(pos) and pos[0] in ("llvm-cov", "tarpaulin")
    if name in ("go", "gotestsum", "ginkgo") and any(
        a.startswith(("-cover", "--cover")) for a in args
    ):
        return True
    if name in ("mvn", "gradle") and any("jacoco" in a.lower() for a in args):
        return True
    if name in ("bazel", "deno") and positionals(args)[:1] == ["coverage"]:
        return True
    for a in args:
        if a.startswith(
            (
                "--cov",
                "--coverage",
                "--collectCoverage",
                "--code-coverage",
                "--enable-code-coverage",
                "-enableCodeCoverage",
                "/p:CollectCoverage=true",
                "-p:CollectCoverage=true",
            )
        ):
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


_SEMGREP_OTHER = frozenset(
    {"login", "logout", "install-semgrep-pro", "publish", "show", "lsp", "test", "validate", "help"}
)


def _argv_scanner(argv: Sequence[str]) -> str | None:
    if not argv:
        return None
    name, args = argv[0], argv[1:]
    if any(a in HELP for a in args):
        return None
    pos = positionals(
        args,
        {
            "-c",
            "--config",
            "-f",
            "-o",
            "--output",
            "--exclude",
            "--include",
            "--severity",
            "--lang",
            "-l",
            "-e",
            "--pattern",
            "--metrics",
            "--timeout",
            "-j",
            "--jobs",
            "--baseline-commit",
        },
    )
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
