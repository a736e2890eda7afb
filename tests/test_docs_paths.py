"""No document cites a file of this repository that does not exist, and every path
``pyproject.toml`` packages is there."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pathspec
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# docs/checks.md is left out: the paths it cites (docs/, .github/CODEOWNERS) are those of the
# repository being graded
DOCS = ["README.md", "SECURITY.md", "CONTRIBUTING.md", "CHANGELOG.md", "benchmarks/README.md"]
# paths of a repository a document describes, not of this one
ELSEWHERE = {("benchmarks/README.md", "tests/fixtures/")}
# the project's own top-level entries: a backticked path starting with one of them is ours
OURS = (
    "scorecard/",
    "checks/",
    "tests/",
    "benchmarks/",
    "requirements/",
    "docs/",
    ".ci/",
    "tools/",
    "examples/",
    "Makefile",
    "Dockerfile",
    "action.yml",
    "pyproject.toml",
    ".pre-commit-config.yaml",
    ".pre-commit-hooks.yaml",
)
SKIP_DIRS = {".git", ".venv", ".venv-lowest", "node_modules", ".work", "build", "__pycache__"}
_TICKED = re.compile(r"`([^`\s]+)`")
_LAYOUT_NAME = re.compile(r"`([A-Za-z0-9_]+(?:\.py|/))`")


def _cited(doc: str) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), 1):
        for token in _TICKED.findall(line):
            if token.startswith(OURS) and not any(c in token for c in "*{<$"):
                out.append((number, token.split("::")[0].split(":")[0]))
    return out


def _ignored() -> pathspec.GitIgnoreSpec:
    """What git ignores here: made by the tools (benchmarks/.work, .venv), not shipped."""
    return pathspec.GitIgnoreSpec.from_lines((ROOT / ".gitignore").read_text().splitlines())


@pytest.mark.parametrize("doc", DOCS)
def test_every_cited_path_of_ours_exists(doc):
    ignored = _ignored()
    missing = [
        f"{doc}:{n}: {path}"
        for n, path in _cited(doc)
        if not (ROOT / path).exists()
        and (doc, path) not in ELSEWHERE
        and not ignored.match_file(path)
    ]
    assert not missing, "\n".join(missing)


def _names() -> set[str]:
    tops = ("scorecard", "checks", "tests", "benchmarks", "tools", "examples")
    names = {f"{top}/" for top in tops}
    for top in tops:
        for path in (ROOT / top).rglob("*"):
            if SKIP_DIRS.isdisjoint(path.relative_to(ROOT).parts):
                names.add(path.name + ("/" if path.is_dir() else ""))
    return names


def test_the_readme_layout_names_only_modules_that_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text[text.index("Layout:") :]
    layout = layout[: layout.index("\n\n")]
    names = _names()
    missing = sorted(set(_LAYOUT_NAME.findall(layout)) - names)
    assert not missing, f"the README's layout paragraph names what is not in the tree: {missing}"


def test_pyproject_packages_only_what_exists():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = project["tool"]["setuptools"]
    dirs = tool.get("package-dir", {})

    def folder(package: str) -> Path:
        """Where setuptools finds ``package``: its longest prefix in package-dir, then the
        rest as folders."""
        parts = package.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in dirs:
                return ROOT / dirs[prefix] / Path(*parts[cut:])
        return ROOT / Path(*parts)

    data = tool.get("package-data", {})
    for package in tool["packages"]:  # a Python package, or a folder of data files only
        assert (folder(package) / "__init__.py").is_file() or (
            folder(package).is_dir() and package in data
        ), f"{package}: no __init__.py, and no package-data"
    # and every package of the tree is installed (a missing one imports in the source tree
    # and fails only once installed)
    listed = {folder(package) for package in tool["packages"]}
    for top in ("scorecard", "checks"):
        for init in (ROOT / top).rglob("__init__.py"):
            assert init.parent in listed, f"{init.parent.relative_to(ROOT)} is not packaged"
    for package, patterns in tool.get("package-data", {}).items():
        for pattern in patterns:
            assert list(folder(package).glob(pattern)), (
                f"package-data {package}: {pattern} matches nothing"
            )
