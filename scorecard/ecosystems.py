"""Which ecosystems a repository uses, from its manifests and lock files: one shared function,
:func:`detect`, for ``when: {ecosystem: ...}``, the JSON output's ``ecosystems`` and the fixes
that depend on them.

A file counts at any depth (monorepos keep a service per folder), except under folders that
hold other people's code or test data (:data:`IGNORED_DIRS`: ``node_modules``, ``vendor``,
``third_party``, ``testdata``, fixtures, virtual environments). Only names are looked at, never
contents, so detection costs one pass over the file list (memoised per snapshot).

============ =====================================================================
ecosystem    files
============ =====================================================================
python       pyproject.toml, setup.py, setup.cfg, requirements*.txt, Pipfile(.lock),
             poetry.lock, uv.lock, pdm.lock, environment.yml (conda)
node         package.json, package-lock.json, npm-shrinkwrap.json, yarn.lock,
             pnpm-lock.yaml, bun.lockb, bun.lock
go           go.mod, go.sum, go.work
java         pom.xml, build.gradle(.kts), settings.gradle(.kts), gradlew (Java and
             Kotlin: ``kotlin`` is accepted as another name)
rust         Cargo.toml, Cargo.lock
ruby         Gemfile, Gemfile.lock, *.gemspec
dotnet       *.csproj, *.fsproj, *.vbproj, *.sln, packages.config, global.json,
             Directory.Packages.props, paket.dependencies
php          composer.json, composer.lock
docker       Dockerfile, Dockerfile.*, *.dockerfile, Containerfile, compose.y(a)ml,
             docker-compose.y(a)ml
terraform    *.tf, *.tf.json, .terraform.lock.hcl
============ =====================================================================
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

import re2

from scorecard.names import search
from scorecard.snapshot import RepoSnapshot

_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
            "requirements.txt",
            "pipfile",
            "pipfile.lock",
            "poetry.lock",
            "uv.lock",
            "pdm.lock",
            "environment.yml",
        ),
        "python",
    ),
    **dict.fromkeys(
        (
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lockb",
            "bun.lock",
        ),
        "node",
    ),
    **dict.fromkeys(("go.mod", "go.sum", "go.work"), "go"),
    **dict.fromkeys(
        (
            "pom.xml",
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
            "gradlew",
        ),
        "java",
    ),
    **dict.fromkeys(("cargo.toml", "cargo.lock"), "rust"),
    **dict.fromkeys(("gemfile", "gemfile.lock"), "ruby"),
    **dict.fromkeys(
        ("packages.config", "global.json", "directory.packages.props", "paket.dependencies"),
        "dotnet",
    ),
    **dict.fromkeys(("composer.json", "composer.lock"), "php"),
    **dict.fromkeys(
        (
            "dockerfile",
            "containerfile",
            "compose.yml",
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.yaml",
        ),
        "docker",
    ),
    ".terraform.lock.hcl": "terraform",
}
_SUFFIXES: dict[str, str] = {
    ".gemspec": "ruby",
    ".csproj": "dotnet",
    ".fsproj": "dotnet",
    ".vbproj": "dotnet",
    ".sln": "dotnet",
    ".dockerfile": "docker",
    ".tf": "terraform",
    ".tf.json": "terraform",
}
#: Every ecosystem :func:`detect` knows, in the order it lists them.
ECOSYSTEMS = (
    "python",
    "node",
    "go",
    "java",
    "rust",
    "ruby",
    "dotnet",
    "php",
    "docker",
    "terraform",
)
#: Other names accepted in a standard (``when: {ecosystem: kotlin}``).
ALIASES = {
    "kotlin": "java",
    "jvm": "java",
    "javascript": "node",
    "typescript": "node",
    "npm": "node",
    "golang": "go",
    ".net": "dotnet",
    "csharp": "dotnet",
    "c#": "dotnet",
}
#: Folders whose files are not the repository's own (vendored code, test data).
IGNORED_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        "vendor",
        "third_party",
        "third-party",
        "testdata",
        "fixtures",
        "__fixtures__",
        ".venv",
        "venv",
        "site-packages",
    }
)


def ecosystem_of(path: str) -> str | None:
    """The ecosystem a single path says the repository uses, or None."""
    name = posixpath.basename(path).lower()
    found = _NAMES.get(name)
    if found is not None:
        return found
    if name.startswith("requirements") and name.endswith(".txt"):
        return "python"
    if name.startswith("dockerfile."):
        return "docker"
    for suffix, eco in _SUFFIXES.items():
        if name.endswith(suffix):
            return eco
    return None


#: For :func:`scorecard.names.search`, from the tables above: it finds every name
#: :func:`ecosystem_of` may accept (a name where a name starts, a suffix where a path ends),
#: maybe more (each is confirmed by :func:`ecosystem_of`), never less.
_CANDIDATES = re2.compile(
    "[\\x01/](?:{})|(?:{})\\x00".format(
        "|".join(map(re2.escape, [*_NAMES, "requirements", "dockerfile"])),
        "|".join(map(re2.escape, _SUFFIXES)),
    ).encode()
)


def manifests(paths: Sequence[str]) -> Iterator[tuple[str, str]]:
    """``(path, ecosystem)`` of each path that shows an ecosystem, outside :data:`IGNORED_DIRS`
    (the paths are searched at once, with :func:`scorecard.names.search`)."""
    for index in search(paths, _CANDIDATES, lower=True):
        path = paths[index]
        eco = ecosystem_of(path)
        if eco is not None and IGNORED_DIRS.isdisjoint(path.lower().split("/")[:-1]):
            yield path, eco


def detect_paths(paths: Sequence[str]) -> tuple[str, ...]:
    """The ecosystems these paths show, in :data:`ECOSYSTEMS` order."""
    found = {eco for _, eco in manifests(paths)}
    return tuple(e for e in ECOSYSTEMS if e in found)


def detect(snap: RepoSnapshot) -> tuple[str, ...]:
    """The ecosystems of the snapshot's tracked files (memoised on the snapshot)."""
    found: tuple[str, ...] = snap.cached("ecosystems", lambda: detect_paths(snap.files))
    return found


def canonical(name: str) -> str | None:
    """A standard's name for an ecosystem as :func:`detect` says it; None if unknown."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in ECOSYSTEMS else None
