"""Coverage configured

Passes when test coverage is measured:

- a CI step, or what it runs (followed into `package.json` scripts, Makefile targets, tox and
  nox environments and script files, as in `ci-runs-tests`), uses `--cov` (pytest-cov),
  `coverage run` (or `report`, `xml`...), `jest --coverage`, `vitest --coverage`,
  `go test -cover`/`-coverprofile`, `cargo llvm-cov`, `cargo tarpaulin`, `nyc`, `c8`, JaCoCo
  (`jacoco:report`, `jacocoTestReport`), `dotnet test --collect "XPlat Code Coverage"`, or a
  Codecov or Coveralls uploader;
- or a CI step uses a coverage action: `codecov/codecov-action`, `coverallsapp/github-action`
  (and a few other coverage reporters: Codacy, Code Climate, qlty, python-coverage-comment...);
- or a coverage configuration exists: `codecov.yml` or `.codecov.yml` (also `.yaml`; at the
  root, in `.github/` or `dev/`), `.coveragerc`, a `[tool.coverage.*]` table in
  `pyproject.toml`, a `[coverage:*]` section in `setup.cfg` or `tox.ini`, `.nycrc`
  (`.json`, `.yml`, `.yaml`), `.c8rc`/`.c8rc.json`, an `nyc` or `c8` key or
  `jest.collectCoverage: true` in `package.json`, `collectCoverage: true` in a
  `jest.config.*`, `.simplecov`, `tarpaulin.toml`, or the JaCoCo plugin in `pom.xml` or a
  Gradle build file (the root one, the modules it lists, or convention plugins in
  `buildSrc/`, `build-logic/` or `gradle/`).

A coverage tool named only in a script that CI never runs does not count. Fails when none of
these is found; `unknown` instead when a job calls a reusable workflow of another repository,
whose steps cannot be read here, or when the CI is too large to read entirely. A
`pyproject.toml` that does not parse supplies no `[tool.coverage]`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, unknown
from scorecard.snapshot import MiB, ReadError, RepoSnapshot

from .ci import (
    analyse,
    coverage_action,
    describe_remote,
    describe_truncated,
    remote_workflows,
    uses_coverage,
)

SHOWN = 10

CODECOV = tuple(
    posixpath.join(d, n)
    for d in ("", ".github", "dev")
    for n in ("codecov.yml", ".codecov.yml", "codecov.yaml", ".codecov.yaml")
)
CONFIG_FILES = (
    *CODECOV,
    ".coveragerc",
    ".nycrc",
    ".nycrc.json",
    ".nycrc.yml",
    ".nycrc.yaml",
    ".c8rc",
    ".c8rc.json",
    ".simplecov",
    "tarpaulin.toml",
    ".tarpaulin.toml",
)
JEST_CONFIGS = tuple(f"jest.config.{e}" for e in ("js", "ts", "mjs", "cjs", "json"))

_INI_COVERAGE = re.compile(r"^[ \t]*\[coverage:[^\]]*\]", re.M)
_TOML_COVERAGE = re.compile(r"^[ \t]*\[\s*tool\.coverage\b", re.M)
_JEST_COLLECT = re.compile(r"""["']?collectCoverage["']?\s*:\s*true""")
_POM_MODULE = re.compile(r"<module>\s*([^<\s]+)\s*</module>")
_GRADLE_INCLUDE = re.compile(r"""^\s*include\b\s*\(?([^\n)]*)""", re.M)
_JACOCO = re.compile(r"jacoco", re.I)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _text(snap: RepoSnapshot, path: str) -> str | None:
    if not snap.has(path):
        return None
    try:
        return snap.read_text(path, MiB)
    except ReadError:
        return None


def _build_files(snap: RepoSnapshot) -> Iterator[str]:
    """The Maven and Gradle build files that may apply the JaCoCo plugin."""
    yield from ("pom.xml", "build.gradle", "build.gradle.kts")
    pom = _text(snap, "pom.xml") or ""
    for m in _POM_MODULE.finditer(pom):
        yield posixpath.normpath(posixpath.join(m.group(1), "pom.xml"))
    for settings in ("settings.gradle", "settings.gradle.kts"):
        for m in _GRADLE_INCLUDE.finditer(_text(snap, settings) or ""):
            for name in re.findall(r"""["']:?([^"']+)["']""", m.group(1)):
                d = name.replace(":", "/")
                yield from (f"{d}/build.gradle", f"{d}/build.gradle.kts")
    for d in ("buildSrc", "build-logic", "gradle"):
        yield from (p for p in snap.files_under(d) if p.endswith((".gradle", ".gradle.kts")))


def coverage_config(snap: RepoSnapshot) -> tuple[str, Location] | None:
    """The first coverage configuration found: a description and where."""
    for path in CONFIG_FILES:
        if snap.has(path):
            return f"`{path}`", Location(path)
    if snap.has("pyproject.toml"):
        parsed = snap.toml("pyproject.toml")
        tool = parsed.data.get("tool") if parsed.ok and isinstance(parsed.data, dict) else None
        if isinstance(tool, dict) and "coverage" in tool:
            text = _text(snap, "pyproject.toml") or ""
            m = _TOML_COVERAGE.search(text)
            return "`[tool.coverage]` in pyproject.toml", Location(
                "pyproject.toml", _line(text, m.start()) if m else None
            )
    for path in ("setup.cfg", "tox.ini"):
        ini = _text(snap, path)
        found = _INI_COVERAGE.search(ini) if ini else None
        if ini and found:
            return f"`{found.group(0).strip()}` in {path}", Location(
                path, _line(ini, found.start())
            )
    if snap.has("package.json"):
        parsed = snap.json("package.json")
        data = parsed.data if parsed.ok and isinstance(parsed.data, dict) else {}
        jest = data.get("jest")
        for key in ("nyc", "c8"):
            if isinstance(data.get(key), dict):
                return f"`{key}` in package.json", Location("package.json")
        if isinstance(jest, dict) and jest.get("collectCoverage") is True:
            return "`jest.collectCoverage` in package.json", Location("package.json")
    for path in JEST_CONFIGS:
        js = _text(snap, path)
        found = _JEST_COLLECT.search(js) if js else None
        if js and found:
            return f"`collectCoverage: true` in {path}", Location(path, _line(js, found.start()))
    for path in dict.fromkeys(_build_files(snap)):
        build = _text(snap, path)
        found = _JACOCO.search(build) if build else None
        if build and found:
            return f"the JaCoCo plugin in {path}", Location(path, _line(build, found.start()))
    return None


@check(
    id="coverage-configured",
    pillar="tests",
    title="Coverage configured",
    remediation="Measure coverage where CI runs the tests (`pytest --cov`, `jest --coverage`, "
    "`go test -coverprofile=cover.out`...) and upload it, e.g. with "
    "`codecov/codecov-action`.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    ci = analyse(snap)
    hits: list[tuple[str, Location]] = []
    for cmd in ci.commands:
        if uses_coverage(cmd):
            hits.append((f"{cmd.describe()} at {cmd.location}", cmd.location))
    for use in ci.uses:
        if coverage_action(use):
            hits.append((f"`{use.ref}` at {use.location}", use.location))
    if hits:
        locations = list(dict.fromkeys(loc for _, loc in hits))
        more = len(locations) - 1
        extra = f"; and {more} more step{'s' if more != 1 else ''}" if more else ""
        return passed(f"coverage measured in CI: {hits[0][0]}{extra}", locations[:SHOWN])
    config = coverage_config(snap)
    if config is not None:
        return passed(f"coverage configured: {config[0]}", [config[1]])
    truncated = describe_truncated(ci)
    if truncated:
        return unknown(
            "no CI step read here measures coverage and there is no coverage "
            f"configuration, but {truncated}"
        )
    remote = remote_workflows(ci)
    if remote:
        return unknown(
            "no CI step read here measures coverage and there is no coverage "
            "configuration, but jobs call reusable workflows of other repositories, "
            f"which cannot be read: {describe_remote(remote)}"
        )
    return failed(
        "coverage is not measured: no CI step runs a coverage tool (pytest --cov, "
        "coverage run, jest --coverage, go test -coverprofile, Codecov...) and "
        "there is no coverage configuration (.coveragerc, codecov.yml, "
        "[tool.coverage] in pyproject.toml, .nycrc, JaCoCo...)"
    )
