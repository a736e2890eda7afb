"""The one ecosystem detection (scorecard.ecosystems): each ecosystem from its manifests and
lock files, at any depth, but not from vendored code or test data."""

from __future__ import annotations

import pytest

from scorecard.ecosystems import ECOSYSTEMS, canonical, detect, detect_paths

CASES = {
    "python": [
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "requirements-dev.txt",
        "Pipfile",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "environment.yml",
    ],
    "node": ["package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb"],
    "go": ["go.mod", "go.sum", "go.work"],
    "java": ["pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "gradlew"],
    "rust": ["Cargo.toml", "Cargo.lock"],
    "ruby": ["Gemfile", "Gemfile.lock", "acme.gemspec"],
    "dotnet": [
        "Api.csproj",
        "Lib.fsproj",
        "All.sln",
        "packages.config",
        "global.json",
        "Directory.Packages.props",
    ],
    "php": ["composer.json", "composer.lock"],
    "docker": [
        "Dockerfile",
        "Dockerfile.prod",
        "api.dockerfile",
        "Containerfile",
        "compose.yaml",
        "docker-compose.yml",
    ],
    "terraform": ["main.tf", "vars.tf.json", ".terraform.lock.hcl"],
}


@pytest.mark.parametrize(("eco", "name"), [(e, n) for e, ns in CASES.items() for n in ns])
def test_each_manifest(eco, name):
    assert detect_paths([name]) == (eco,)
    assert detect_paths([f"services/api/{name}"]) == (eco,)  # any depth


def test_every_ecosystem_has_cases():
    assert set(CASES) == set(ECOSYSTEMS)


@pytest.mark.parametrize(
    "path",
    [
        "node_modules/x/package.json",
        "vendor/github.com/x/go.mod",
        "third_party/y/Cargo.toml",
        "pkg/testdata/pyproject.toml",
        "tests/fixtures/Gemfile",
        ".venv/lib/setup.py",
    ],
)
def test_vendored_code_and_test_data_do_not_count(path):
    assert detect_paths([path]) == ()


def test_order_and_nothing_else():
    paths = ["main.tf", "README.md", "package.json", "src/app.py", "Dockerfile", "pyproject.toml"]
    assert detect_paths(paths) == ("python", "node", "docker", "terraform")
    assert detect_paths(["src/app.py", "setup.txt", "docs/Gemfile.md"]) == ()


def test_names_a_standard_may_use():
    assert canonical("Python") == "python" and canonical("kotlin") == "java"
    assert canonical("TypeScript") == "node" and canonical("cobol") is None


def test_detect_on_a_snapshot_is_memoised(make_snapshot):
    snap = make_snapshot({"go.mod": "module x\n", "README.md": "x"})
    assert detect(snap) == ("go",) and detect(snap) is detect(snap)
