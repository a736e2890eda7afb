#!/usr/bin/env python3
"""Local benchmark: ``scorecard check`` on a checkout of 100,000 files, against reading every
tracked file once (``git ls-files -z | xargs -0 cat``) and against repolinter 0.12.0's default
ruleset on the same tree.

    .venv/bin/python benchmarks/bench_local.py            # the budget: 100,000 files
    .venv/bin/python benchmarks/bench_local.py --files 5000 --runs 3 --no-repolinter

The repository is generated once (fixed seed, identical every time) and cached under
``benchmarks/.work/`` (git-ignored), as is repolinter (installed from npm with the lock file in
this folder). Timings are wall clock of the whole process, Python start-up included: one
warm-up, then the median of ``--runs``. A per-check breakdown runs the engine in-process once.
The budgets (issue 10, "Budgets"), printed as rows with the figure, the budget and met/NOT met:
the first run over the tree (``SCORECARD_NO_CACHE=1``) at most 1.5x the time to read every
tracked file once, measured in the same run; a repeat run on the unchanged tree under 1 s; and
repolinter at least 3x slower than our first run and 20x slower than our repeat run. This
script reports; it exits non-zero only when something crashed.
"""

from __future__ import annotations

import argparse
import base64
import importlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
NODE_DIR = WORK / "node"

SEED = 20240601
#: Bump when the generator changes: cached trees of another version are rebuilt.
GEN_VERSION = 1
REPOLINTER_VERSION = "0.12.0"
#: The first run (no cache) may take at most this many times reading every tracked file once.
FIRST_RUN_RATIO = 1.5
#: A repeat run on the unchanged tree, seconds.
REPEAT_S = 1.0
#: repolinter's median over ours, at least: on our first run, on our repeat run.
REPOLINTER_FIRST = 3.0
REPOLINTER_REPEAT = 20.0
#: Reads every tracked file once: what any tool that looks at every file must at least pay.
READ_ALL = "git ls-files -z | xargs -0 cat > /dev/null"

# ---- the generated repository -----------------------------------------------------------------

WORDS = (
    "account",
    "alert",
    "analytics",
    "archive",
    "audit",
    "auth",
    "billing",
    "blob",
    "cache",
    "catalog",
    "cart",
    "checkout",
    "client",
    "cluster",
    "config",
    "core",
    "cron",
    "data",
    "dispatch",
    "email",
    "event",
    "export",
    "feed",
    "flags",
    "gateway",
    "geo",
    "graph",
    "health",
    "identity",
    "index",
    "ingest",
    "inventory",
    "invoice",
    "job",
    "ledger",
    "locale",
    "mail",
    "media",
    "metrics",
    "model",
    "notify",
    "order",
    "partner",
    "payment",
    "pipeline",
    "policy",
    "pricing",
    "profile",
    "proxy",
    "queue",
    "quota",
    "rank",
    "report",
    "risk",
    "router",
    "schedule",
    "search",
    "session",
    "shipping",
    "signal",
    "storage",
    "stream",
    "sync",
    "tax",
    "team",
    "tenant",
    "ticket",
    "token",
    "trace",
    "user",
    "vault",
    "webhook",
    "worker",
)
VERBS = (
    "build",
    "get",
    "load",
    "parse",
    "render",
    "resolve",
    "save",
    "send",
    "sync",
    "update",
    "validate",
    "compute",
    "fetch",
    "merge",
    "normalize",
    "apply",
    "collect",
    "emit",
    "handle",
)
TEAMS = (
    "payments",
    "identity",
    "search",
    "platform",
    "frontend",
    "data",
    "sre",
    "mobile",
    "growth",
    "billing",
    "checkout",
    "infra",
)

MIT = """MIT License

Copyright (c) 2024 Acme Corp

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

CI_YML = """\
name: CI

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  python:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11  # v4.1.1
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Install
        run: |
          python -m pip install --upgrade pip
          pip install -e ".[test]"
      - name: Lint
        run: ruff check services libs tools
      - name: Test
        run: pytest --cov=services --cov=libs --cov-report=xml tests services
      - uses: codecov/codecov-action@v4
        with:
          files: coverage.xml

  go:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11  # v4.1.1
      - uses: actions/setup-go@0c52d547c9bc32b1aa3301fd7a9cb496313a4491  # v5.0.0
        with:
          go-version-file: go.mod
      - run: go vet ./...
      - run: go test -race -coverprofile=cover.out ./...

  web:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm test -- --coverage
      - run: npm run build
"""

DEPENDABOT = """\
version: 2
updates:
  - package-ecosystem: pip
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: npm
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: gomod
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
"""

CATALOG_INFO = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: acme-monorepo
  description: The Acme services, libraries and web applications.
  annotations:
    backstage.io/techdocs-ref: dir:.
    github.com/project-slug: acme/monorepo
  tags: [python, go, javascript]
spec:
  type: service
  lifecycle: production
  owner: group:platform
  system: acme
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: acme
spec:
  owner: group:platform
"""


def _readme() -> str:
    body = " ".join(
        f"The {w} service owns the {w} domain and exposes it to the other services through "
        f"versioned APIs."
        for w in WORDS[:12]
    )
    return f"""# Acme monorepo

The services, libraries and web applications of Acme, in one repository.

## Layout

- `services/`: Python services, one folder each, with their tests.
- `internal/`, `pkg/`, `cmd/`: the Go code.
- `web/`, `packages/`: the web applications and shared JavaScript packages.
- `docs/`: the documentation site (MkDocs), also published through Backstage TechDocs.
- `deploy/`, `config/`: deployment manifests and configuration.

## Getting started

Run `make setup` once, then `make test`. Each service also runs alone with `make run
SERVICE=name`.

{body}

## License

MIT, see [LICENSE](LICENSE).
"""


class Tree:
    """Deterministic file contents for one repository: ``files`` maps path to bytes."""

    def __init__(self, n_files: int, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.n = n_files
        self.files: dict[str, bytes] = {}
        self.components: list[tuple[str, str]] = []  # (path, lang)

    # -- names and snippets --

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def name(self, sep: str = "_") -> str:
        r = self.rng
        return f"{r.choice(WORDS)}{sep}{r.choice(WORDS)}" if r.random() < 0.6 else r.choice(WORDS)

    def add(self, path: str, text: str | bytes) -> None:
        self.files[path] = text.encode() if isinstance(text, str) else text

    def py(self, mod: str) -> str:
        r = self.rng
        parts = [
            f'"""{mod.replace("_", " ").capitalize()}: {self.word()} handling for the '
            f'{self.word()} service."""\n\nfrom __future__ import annotations\n\n'
            "import logging\nfrom dataclasses import dataclass\n\n"
            "log = logging.getLogger(__name__)\n\n\n"
            f"@dataclass(frozen=True)\nclass {mod.title().replace('_', '')}:\n"
            f"    id: str\n    {self.word()}: int = {r.randint(0, 99)}\n\n"
        ]
        for _ in range(r.randint(1, 7)):
            v, n, k = r.choice(VERBS), self.word(), r.randint(2, 97)
            parts.append(
                f"\ndef {v}_{n}(value: int, *, retries: int = {r.randint(1, 5)}) -> int:\n"
                f'    """{v.capitalize()} the {n} of a {self.word()}."""\n'
                f"    total = value\n    for i in range(retries):\n"
                f"        total += i * {k}\n"
                f'    log.debug("{n}: %s", total)\n    return total\n\n'
            )
        return "".join(parts)

    def py_test(self, mod: str) -> str:
        r = self.rng
        parts = [f'"""Tests for {mod}."""\n\nimport pytest\n\n']
        for _ in range(r.randint(1, 6)):
            n, a = self.word(), r.randint(0, 50)
            parts.append(
                f"\ndef test_{n}_{r.randint(0, 999)}():\n"
                f"    assert {a} + 1 == {a + 1}\n\n"
                f"\n@pytest.mark.parametrize('x', [1, 2, {r.randint(3, 9)}])\n"
                f"def test_{n}_param(x):\n    assert x > 0\n"
            )
        return "".join(parts)

    def js(self, mod: str) -> str:
        r = self.rng
        parts = [
            f"// {mod}: {self.word()} helpers\n'use strict';\n\n"
            f"const {{ {self.word()}Client }} = require('../lib/{self.word()}');\n\n"
        ]
        names = []
        for _ in range(r.randint(1, 7)):
            fn = f"{r.choice(VERBS)}{self.word().capitalize()}"
            names.append(fn)
            parts.append(
                f"function {fn}(input, options = {{}}) {{\n"
                f"  const limit = options.limit ?? {r.randint(1, 500)};\n"
                f"  if (!input) {{\n    throw new Error('{fn}: no input');\n  }}\n"
                f"  return input.slice(0, limit).map((x) => x * {r.randint(2, 9)});\n"
                "}\n\n"
            )
        parts.append(f"module.exports = {{ {', '.join(dict.fromkeys(names))} }};\n")
        return "".join(parts)

    def js_test(self, mod: str) -> str:
        r = self.rng
        parts = [f"const mod = require('../src/{mod}');\n\ndescribe('{mod}', () => {{\n"]
        for _ in range(r.randint(1, 5)):
            parts.append(
                f"  it('handles {self.word()} {r.randint(0, 99)}', () => {{\n"
                f"    expect(mod).toBeDefined();\n  }});\n"
            )
        parts.append("});\n")
        return "".join(parts)

    def go(self, pkg: str, test: bool = False) -> str:
        r = self.rng
        if test:
            parts = [f'package {pkg}\n\nimport "testing"\n']
            for _ in range(r.randint(1, 5)):
                parts.append(
                    f"\nfunc Test{self.word().capitalize()}{r.randint(0, 999)}"
                    f"(t *testing.T) {{\n\tif got := {r.randint(1, 9)}; got == 0 {{\n"
                    f'\t\tt.Fatalf("unexpected %d", got)\n\t}}\n}}\n'
                )
            return "".join(parts)
        parts = [
            f"// Package {pkg} implements {self.word()} handling.\npackage {pkg}\n\n"
            'import (\n\t"context"\n\t"fmt"\n)\n'
        ]
        for _ in range(r.randint(1, 7)):
            fn = f"{r.choice(VERBS).capitalize()}{self.word().capitalize()}"
            parts.append(
                f"\n// {fn} does what its name says.\nfunc {fn}(ctx context.Context, "
                f"n int) (string, error) {{\n\tif n > {r.randint(10, 999)} {{\n"
                f'\t\treturn "", fmt.Errorf("{fn}: %d too large", n)\n\t}}\n'
                f'\treturn fmt.Sprintf("{self.word()}-%d", n), ctx.Err()\n}}\n'
            )
        return "".join(parts)

    def md(self, title: str) -> str:
        r = self.rng
        parts = [f"# {title.replace('_', ' ').replace('-', ' ').capitalize()}\n\n"]
        for _ in range(r.randint(1, 5)):
            parts.append(f"## {self.word().capitalize()}\n\n")
            words = [r.choice(WORDS) for _ in range(r.randint(20, 120))]
            parts.append("The " + " ".join(words) + ".\n\n")
        return "".join(parts)

    def json_doc(self) -> str:
        r = self.rng
        doc = {
            self.word(): {
                "enabled": r.random() < 0.5,
                "limit": r.randint(1, 1000),
                "tags": [self.word() for _ in range(r.randint(0, 4))],
            }
            for _ in range(r.randint(2, 12))
        }
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"

    def yml(self, name: str) -> str:
        r = self.rng
        return (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n"
            f"  labels:\n    app: {name}\n    team: {r.choice(TEAMS)}\nspec:\n"
            f"  replicas: {r.randint(1, 12)}\n  template:\n    spec:\n      containers:\n"
            f"        - name: {name}\n          image: registry.example.com/{name}:"
            f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}\n"
            f"          resources:\n            limits:\n              cpu: "
            f"{r.choice(['250m', '500m', '1'])}\n              memory: "
            f"{r.choice(['256Mi', '512Mi', '1Gi'])}\n"
        )

    def png(self) -> bytes:
        return b"\x89PNG\r\n\x1a\n" + self.rng.randbytes(self.rng.randint(800, 20000))

    # -- layout --

    def unique(self, directory: str, stem: str, ext: str) -> str:
        path = f"{directory}/{stem}{ext}"
        i = 2
        while path in self.files:
            path = f"{directory}/{stem}_{i}{ext}"
            i += 1
        return path

    def fill(self, directory: str, lang: str, count: int, role: str = "src") -> None:
        """Put ``count`` files of ``lang`` (some config and docs among them) in ``directory``."""
        r = self.rng
        for _ in range(count):
            x = r.random()
            if x < 0.06:
                self.add(self.unique(directory, self.name("-"), ".json"), self.json_doc())
                continue
            if x < 0.10:
                self.add(self.unique(directory, self.name("-"), ".yml"), self.yml(self.name("-")))
                continue
            if x < 0.13 or lang == "md":
                if lang == "md" and r.random() < 0.04:
                    self.add(self.unique(directory, self.name("-"), ".png"), self.png())
                else:
                    stem = self.name("-")
                    self.add(self.unique(directory, stem, ".md"), self.md(stem))
                continue
            stem = self.name()
            if lang == "py":
                if role == "test":
                    self.add(self.unique(directory, f"test_{stem}", ".py"), self.py_test(stem))
                else:
                    self.add(self.unique(directory, stem, ".py"), self.py(stem))
            elif lang == "js":
                if role == "test":
                    self.add(self.unique(directory, stem, ".test.js"), self.js_test(stem))
                else:
                    self.add(self.unique(directory, stem, ".js"), self.js(stem))
            elif lang == "go":
                pkg = directory.rsplit("/", 1)[-1].replace("-", "")
                if r.random() < 0.3:
                    self.add(self.unique(directory, stem, "_test.go"), self.go(pkg, test=True))
                else:
                    self.add(self.unique(directory, stem, ".go"), self.go(pkg))
            elif lang == "json":
                self.add(self.unique(directory, self.name("-"), ".json"), self.json_doc())
            else:  # yml
                stem = self.name("-")
                self.add(self.unique(directory, stem, ".yml"), self.yml(stem))

    def component(self, area: str, lang: str, budget: int) -> int:
        """One component (a service, a package, a doc section): a few folders of files."""
        r = self.rng
        base = f"{area}/{self.name('-')}"
        while any(c == base for c, _ in self.components):
            base = f"{base}-{r.randint(2, 99)}"
        self.components.append((base, lang))
        dirs: list[tuple[str, str]] = []
        subs = [self.word() for _ in range(r.randint(1, 6))]
        if lang == "py":
            pkg = base.rsplit("/", 1)[-1].replace("-", "_")
            dirs = [(f"{base}/src/{pkg}", "src")]
            dirs += [(f"{base}/src/{pkg}/{s}", "src") for s in subs]
            dirs += [(f"{base}/tests", "test")]
            dirs += [(f"{base}/tests/{s}", "test") for s in subs[:2]]
        elif lang == "js":
            dirs = [(f"{base}/src", "src")] + [(f"{base}/src/{s}", "src") for s in subs]
            dirs += [(f"{base}/__tests__", "test")]
        elif lang == "go":
            dirs = [(base, "src")] + [(f"{base}/{s}", "src") for s in subs]
        else:
            dirs = [(base, "src")] + [(f"{base}/{s}", "src") for s in subs[:3]]
        dirs = list(dict.fromkeys(dirs))
        used = 0
        if lang in ("py", "js", "go") and budget >= 4:
            manifest = {
                "py": ("pyproject.toml", f'[project]\nname = "{base}"\n'),
                "js": (
                    "package.json",
                    json.dumps(
                        {"name": f"@acme/{base}", "version": "1.0.0", "scripts": {"test": "jest"}},
                        indent=2,
                    )
                    + "\n",
                ),
                "go": (
                    "doc.go",
                    f"// Package {base} is documented here.\npackage "
                    f"{base.rsplit('/', 1)[-1].replace('-', '')}\n",
                ),
            }[lang]
            self.add(f"{base}/{manifest[0]}", manifest[1])
            self.add(f"{base}/README.md", self.md(base))
            used += 2
        for directory, role in dirs:
            if used >= budget:
                break
            count = min(budget - used, r.randint(8, 50))
            self.fill(directory, lang, count, role)
            used += count
        return used

    def build(self) -> dict[str, bytes]:
        self.root_files()
        areas = [
            ("services", "py", 0.24),
            ("libs", "py", 0.08),
            ("tools", "py", 0.03),
            ("tests", "py", 0.04),
            ("web", "js", 0.12),
            ("packages", "js", 0.10),
            ("internal", "go", 0.12),
            ("pkg", "go", 0.06),
            ("cmd", "go", 0.03),
            ("docs", "md", 0.07),
            ("deploy", "yml", 0.06),
            ("config", "json", 0.05),
        ]
        total = self.n - len(self.files)
        if total < 0:
            raise SystemExit(f"--files must be at least {len(self.files)}")
        for area, lang, share in areas:
            budget = int(total * share)
            while budget > 0:
                before = len(self.files)
                self.component(area, lang, budget)
                budget -= len(self.files) - before
        self.codeowners()
        while len(self.files) > self.n:  # trim deterministic overshoot from the last area
            self.files.popitem()
        n = 0
        while len(self.files) < self.n:
            self.add(f"config/extra/{n:05d}-{self.word()}.json", self.json_doc())
            n += 1
        return self.files

    def root_files(self) -> None:
        key = (
            "-----BEGIN "
            + "RSA PRIVATE KEY-----\n"
            + base64.encodebytes(self.rng.randbytes(600)).decode()
            + "-----END "
            + "RSA PRIVATE KEY-----\n"
        )
        self.add("README.md", _readme())
        self.add("LICENSE", MIT)
        self.add("CONTRIBUTING.md", self.md("contributing"))
        self.add("CHANGELOG.md", "# Changelog\n\n## 2.4.0\n\n- Faster search.\n")
        self.add(".github/SECURITY.md", "# Security policy\n\nMail security@example.com.\n")
        self.add(".github/workflows/ci.yml", CI_YML)
        self.add(".github/dependabot.yml", DEPENDABOT)
        self.add(".github/CODEOWNERS", "")  # filled once the components are known
        self.add("catalog-info.yaml", CATALOG_INFO)
        self.add("mkdocs.yml", "site_name: Acme\ndocs_dir: docs\n")
        self.add(
            "pyproject.toml",
            '[project]\nname = "acme"\nversion = "2.4.0"\n\n[tool.coverage.run]\nbranch = true\n',
        )
        self.add(
            "package.json",
            json.dumps(
                {
                    "name": "acme",
                    "private": True,
                    "workspaces": ["web/*", "packages/*"],
                    "scripts": {"test": "jest", "build": "tsc -b"},
                },
                indent=2,
            )
            + "\n",
        )
        self.add("go.mod", "module github.com/acme/monorepo\n\ngo 1.22\n")
        self.add("Makefile", "test:\n\tpytest\n\tgo test ./...\n\tnpm test\n")
        self.add(".gitignore", "node_modules/\n__pycache__/\n*.pyc\ncoverage.xml\n")
        self.add("tests/fixtures/keys/test_rsa.pem", key)
        self.add("tests/conftest.py", "import pytest\n")

    def codeowners(self) -> None:
        r = self.rng
        lines = [
            "# Code owners: the last matching rule wins.",
            "",
            "*                       @acme/platform",
            "/.github/               @acme/devops",
            "/catalog-info.yaml      @acme/platform",
            "*.md                    @acme/docs",
            "/docs/                  @acme/docs",
            "docs/*                  @acme/docs-reviewers",
            "**/tests/               @acme/qa @acme/platform",
            "*.go                    @acme/go-core",
            "/internal/               @acme/go-core",
            "/pkg/                   @acme/go-core",
            "/cmd/                   @acme/go-core",
            "/web/                   @acme/frontend",
            "/packages/**/*.js       @acme/frontend",
            "/deploy/                @acme/sre oncall@example.com",
            "/config/**/*.json       @acme/sre",
            "/tools/                 @alice-dev @bob_smith",
            "/LICENSE",
            "",
        ]
        picked = r.sample(self.components, min(12, len(self.components)))
        for path, _lang in sorted(picked):
            lines.append(f"{'/' + path + '/':<23} @acme/{r.choice(TEAMS)}")
        self.add(".github/CODEOWNERS", "\n".join(lines) + "\n")


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
        GIT_AUTHOR_DATE="1704067200 +0000",
        GIT_COMMITTER_DATE="1704067200 +0000",
        LC_ALL="C",
    )
    return env


def generate(dest: Path, n_files: int) -> dict[str, Any]:
    """Write the tree to ``dest`` and commit it. The blobs go to ``git fast-import`` (one pack,
    as in a clone, instead of 100,000 loose objects), then ``git reset`` builds the index from
    the files on disk, so the work tree is clean."""
    start = time.perf_counter()
    files = Tree(n_files).build()
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    env = _git_env()
    subprocess.run(["git", "init", "-q", "-b", "main", str(partial)], check=True, env=env)
    # --depth=0: no delta search (3 s saved; nothing here reads the objects back).
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--date-format=raw", "--depth=0"],
        cwd=partial,
        stdin=subprocess.PIPE,
        env=env,
        bufsize=1 << 20,
    )
    assert importer.stdin is not None
    out = importer.stdin
    msg = b"Acme monorepo snapshot\n"
    out.write(
        b"commit refs/heads/main\nauthor Bench <bench@example.com> 1704067200 +0000\n"
        b"committer Bench <bench@example.com> 1704067200 +0000\n"
        b"data %d\n%s" % (len(msg), msg)
    )
    for path, data in files.items():
        out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    out.write(b"\ndone\n")
    out.close()
    # While git packs the last objects, write the work tree (os.open: half the system calls of
    # open(); file creation is what takes time here).
    made: set[str] = set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for path, data in files.items():
        parent = path.rpartition("/")[0]
        if parent and parent not in made:
            os.makedirs(partial / parent, exist_ok=True)
            made.add(parent)
        fd = os.open(partial / path, flags, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "reset", "-q"], cwd=partial, check=True, env=env)
    dirs = {p.rpartition("/")[0] for p in files}
    info = {
        "version": GEN_VERSION,
        "seed": SEED,
        "files": len(files),
        "dirs": len(
            {"/".join(d.split("/")[: i + 1]) for d in dirs if d for i in range(d.count("/") + 1)}
        ),
        "bytes": sum(map(len, files.values())),
        "js_files": sum(p.endswith(".js") for p in files),
        "seconds": round(time.perf_counter() - start, 1),
    }
    (partial / ".git" / "bench-tree.json").write_text(json.dumps(info))
    shutil.rmtree(dest, ignore_errors=True)
    partial.rename(dest)
    return info


def ensure_repo(n_files: int, regenerate: bool) -> tuple[Path, dict[str, Any], bool]:
    dest = WORK / f"repo-{n_files}"
    marker = dest / ".git" / "bench-tree.json"
    if not regenerate and marker.is_file():
        info = json.loads(marker.read_text())
        if info.get("version") == GEN_VERSION and info.get("seed") == SEED:
            # A copied or moved tree keeps the index's old stat data: every file would look
            # changed and the repeat run would re-read them all. Refresh it, as a checkout has.
            subprocess.run(
                ["git", "update-index", "-q", "--refresh"],
                cwd=dest,
                capture_output=True,
                check=False,
                env=_git_env(),
            )
            return dest, info, False
    print(f"generating a repository of {n_files:,} files in {dest} (once; cached) ...", flush=True)
    info = generate(dest, n_files)
    print(f"  done in {info['seconds']} s", flush=True)
    return dest, info, True


# ---- timing ---------------------------------------------------------------------------------


class Timing:
    def __init__(
        self, label: str, times: Sequence[float], proc: subprocess.CompletedProcess[bytes]
    ) -> None:
        self.label, self.times, self.proc = label, list(times), proc

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass(frozen=True)
class Cmd:
    """A command to time, as a whole process with its output captured; ``ok`` validates the
    output of its warm-up run (raises :class:`BenchError` when it failed)."""

    label: str
    argv: Sequence[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    ok: Callable[[subprocess.CompletedProcess[bytes]], None] | None = None


def time_cmds(cmds: Sequence[Cmd], runs: int) -> list[Timing]:
    """Wall clock of each command: one warm-up round, then ``runs`` rounds, each running every
    command once in turn, so that a change in the machine's load weighs on all of them alike
    (the ratios between them are measured side by side)."""
    times: list[list[float]] = [[] for _ in cmds]
    procs: list[subprocess.CompletedProcess[bytes]] = []
    for i in range(1 + runs):
        for cmd, kept in zip(cmds, times, strict=True):
            t0 = time.perf_counter()
            proc = subprocess.run(
                list(cmd.argv), cwd=cmd.cwd, capture_output=True, check=False, env=cmd.env
            )
            elapsed = time.perf_counter() - t0
            if i == 0:
                if cmd.ok is not None:
                    cmd.ok(proc)
                procs.append(proc)
            else:
                kept.append(elapsed)
    return [
        Timing(cmd.label, kept, proc) for cmd, kept, proc in zip(cmds, times, procs, strict=True)
    ]


def scorecard_argv() -> list[str]:
    """The development install's command (the editable install `make` makes)."""
    exe = Path(sys.executable).with_name("scorecard")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("scorecard")
    return [found] if found else [sys.executable, "-m", "scorecard.cli"]


USER_VENV = HERE / ".work" / "venv-user"


def user_install() -> list[str] | None:
    """``scorecard`` as users install it (``pip install .``: a wheel, byte-compiled, no
    editable-install import hook), in its own virtualenv under ``.work``, refreshed from this
    checkout at every run; None when it cannot be made (no package index reachable)."""
    py = USER_VENV / "bin" / "python"
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    try:
        if not py.exists():
            print("making a virtualenv with `pip install .` (once) ...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(USER_VENV)], check=True)
            subprocess.run([*pip, str(HERE.parent)], check=True, capture_output=True)
        else:  # this checkout's code, and any dependency it gained since
            subprocess.run([*pip, str(HERE.parent)], check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        err = getattr(exc, "stderr", b"") or b""
        print(
            f"could not install the package into {USER_VENV}: {exc} "
            f"{err.decode(errors='replace')[-500:]}"
        )
        return None
    time.sleep(2)  # let the install's writes settle before anything is timed
    return [str(USER_VENV / "bin" / "scorecard")]


class BenchError(Exception):
    pass


def check_exit_0(proc: subprocess.CompletedProcess[bytes]) -> None:
    if proc.returncode != 0:
        raise BenchError(
            f"exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}"
        )


def check_scorecard_output(proc: subprocess.CompletedProcess[bytes]) -> None:
    if proc.returncode not in (0, 1):
        raise BenchError(
            f"scorecard exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}"
        )
    try:
        json.loads(proc.stdout)
    except ValueError as exc:
        raise BenchError(
            f"scorecard did not print JSON ({exc}):\n{proc.stdout.decode(errors='replace')[:500]}"
        ) from None


# ---- the per-check breakdown ------------------------------------------------------------------


def breakdown(repo: Path) -> list[tuple[str, float, str]]:
    """Run the engine in-process once; (step, seconds, note) per step and per check."""
    rows: list[tuple[str, float, str]] = []
    t0 = time.perf_counter()
    for mod in (
        "scorecard.registry",
        "scorecard.pipeline",
        "scorecard.sources.local",
        "scorecard.engine",
        "scorecard.cli",
    ):
        importlib.import_module(mod)
    rows.append(("import scorecard (core modules)", time.perf_counter() - t0, ""))
    from scorecard.cli import render
    from scorecard.engine import run_one, select
    from scorecard.pipeline import grade_snapshot, load_standard
    from scorecard.registry import default_registry
    from scorecard.sources.local import open_local

    t0 = time.perf_counter()
    registry = default_registry()
    rows.append(
        (
            "load the registry (imports the checks)",
            time.perf_counter() - t0,
            f"{len(registry.checks)} checks, {len(registry.errors)} load errors",
        )
    )
    t0 = time.perf_counter()
    snap = open_local(repo)
    rows.append(
        ("open_local (git ls-files, index)", time.perf_counter() - t0, f"{len(snap.files):,} files")
    )
    t0 = time.perf_counter()
    standard = load_standard(registry, snap)
    rows.append(("load_standard", time.perf_counter() - t0, ""))
    for chk in select(standard, registry):
        options = dict(standard.settings[chk.id].options)
        t0 = time.perf_counter()
        finding = run_one(chk, snap, options)
        status = getattr(finding.status, "value", str(finding.status))
        note = status if status != "error" else f"error: {finding.message[:60]}"
        rows.append((f"check {chk.id}", time.perf_counter() - t0, note))
    t0 = time.perf_counter()
    card = grade_snapshot(snap, standard, registry)
    rows.append(("(grade_snapshot again, warm caches)", time.perf_counter() - t0, "not in sum"))
    t0 = time.perf_counter()
    render(card, "json")
    rows.append(("render JSON", time.perf_counter() - t0, ""))
    return rows


# ---- repolinter -------------------------------------------------------------------------------


def ensure_repolinter() -> Path | None:
    """repolinter's CLI script, installed (once) under .work/node; None when it cannot be."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("Node.js/npm not found: the repolinter comparison is skipped.")
        return None
    cli = NODE_DIR / "node_modules" / "repolinter" / "bin" / "repolinter.js"
    pkg = NODE_DIR / "node_modules" / "repolinter" / "package.json"
    try:
        if json.loads(pkg.read_text()).get("version") == REPOLINTER_VERSION:
            return cli
    except (OSError, ValueError):
        pass
    print(
        f"installing repolinter {REPOLINTER_VERSION} from npm into {NODE_DIR} (once) ...",
        flush=True,
    )
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    lock = HERE / "package-lock.json"
    if lock.is_file():
        shutil.copy(HERE / "package.json", NODE_DIR / "package.json")
        shutil.copy(lock, NODE_DIR / "package-lock.json")
        argv = ["npm", "ci", "--no-audit", "--no-fund"]
    else:
        argv = ["npm", "install", "--no-audit", "--no-fund", f"repolinter@{REPOLINTER_VERSION}"]
    proc = subprocess.run(argv, cwd=NODE_DIR, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not cli.is_file():
        print(
            f"  npm failed (exit {proc.returncode}): the repolinter comparison is skipped.\n"
            + proc.stderr[-1500:]
        )
        return None
    return cli


def check_repolinter_output(
    expected_js: int,
) -> Callable[[subprocess.CompletedProcess[bytes]], None]:
    def ok(proc: subprocess.CompletedProcess[bytes]) -> None:
        # repolinter exits 1 when a rule fails: expected. It must not have errored, though.
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            raise BenchError(
                f"repolinter did not print JSON (exit {proc.returncode}):\n"
                + (proc.stdout + proc.stderr).decode(errors="replace")[-2000:]
            ) from None
        if report.get("errored") or not report.get("results"):
            raise BenchError(f"repolinter errored: {report.get('errMsg')}")
        # The license-header rule reads every .js file: proof that it went over the tree.
        seen = 0
        for res in report["results"]:
            if res.get("ruleInfo", {}).get("name") == "source-license-headers-exist":
                seen = len(res.get("lintResult", {}).get("targets", []))
        if seen < expected_js:
            raise BenchError(
                f"repolinter looked at {seen} .js files of {expected_js}: "
                "it did not go over the whole tree"
            )

    return ok


# ---- main -------------------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def row(t: Timing) -> str:
    return (
        f"  {t.label:<44} {fmt_s(t.median):>9}  {fmt_s(min(t.times)):>9}  "
        f"{fmt_s(max(t.times)):>9}  {len(t.times):>4}"
    )


def summarize_card(stdout: bytes) -> str:
    card = json.loads(stdout)
    counts: dict[str, int] = {}
    for res in card.get("checks", card.get("results", [])):
        counts[res.get("status", "?")] = counts.get(res.get("status", "?"), 0) + 1
    by = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return f"level {card.get('level') or 'none'}, score {card.get('score')}; {by}"


@dataclass(frozen=True)
class Budget:
    """One row of the budget table: what is measured, the figure, the budget, and whether it
    is met (None: not measured)."""

    name: str
    figure: str
    budget: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[self.met]


def _ratio(
    name: str, num: float | None, den: float | None, budget: str, met: Callable[[float], bool]
) -> Budget:
    if num is None or den is None or den <= 0:
        return Budget(name, "-", budget, None)
    ratio = num / den
    return Budget(name, f"{ratio:.2f}x ({fmt_s(num)} / {fmt_s(den)})", budget, met(ratio))


def budget_rows(
    first: float | None, read_all: float | None, repeat: float | None, repolinter: float | None
) -> list[Budget]:
    """The budgets of issue 10 from the medians (seconds; None when not measured): the first
    run against reading every tracked file once, the repeat run against one second, and
    repolinter against both of ours."""
    return [
        _ratio(
            "first run / reading every tracked file once",
            first,
            read_all,
            f"at most {FIRST_RUN_RATIO}x",
            lambda r: r <= FIRST_RUN_RATIO,
        ),
        Budget(
            "repeat run on the unchanged tree",
            "-" if repeat is None else fmt_s(repeat),
            f"under {fmt_s(REPEAT_S)}",
            None if repeat is None else repeat < REPEAT_S,
        ),
        _ratio(
            "repolinter / our first run",
            repolinter,
            first,
            f"at least {REPOLINTER_FIRST:.0f}x",
            lambda r: r >= REPOLINTER_FIRST,
        ),
        _ratio(
            "repolinter / our repeat run",
            repolinter,
            repeat,
            f"at least {REPOLINTER_REPEAT:.0f}x",
            lambda r: r >= REPOLINTER_REPEAT,
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--files", type=int, default=100_000, help="tracked files (default 100000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of scorecard (default 5)")
    ap.add_argument(
        "--repolinter-runs", type=int, default=3, help="timed runs of repolinter (default 3)"
    )
    ap.add_argument("--no-repolinter", action="store_true", help="skip the comparison")
    ap.add_argument("--regenerate", action="store_true", help="rebuild the cached repository")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.repolinter_runs < 1:
        ap.error("--runs and --repolinter-runs must be at least 1")

    crashed = False
    # Byte-compile the package as `pip install` does, so that an environment with
    # PYTHONDONTWRITEBYTECODE set (as some CI machines have) does not time the compiler.
    import compileall

    for folder in ("scorecard", "checks"):
        compileall.compile_dir(str(HERE.parent / folder), quiet=1)
    repo, info, _ = ensure_repo(args.files, args.regenerate)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(
        f"\nrepository: {repo} ({info['files']:,} tracked files, {info['dirs']:,} folders, "
        f"{info['bytes'] / 2**20:.0f} MiB, commit {head})\n"
    )

    installed = user_install()
    dev = scorecard_argv()
    sc = [*(installed or dev), "check", str(repo), "--format", "json"]
    first_env = {**os.environ, "SCORECARD_NO_CACHE": "1"}
    cmds = [
        Cmd(
            "scorecard check --format json"
            if installed
            else "scorecard check (development install)",
            sc,
            ok=check_scorecard_output,
        ),
        # the first run over a tree: no cache from an earlier run (content-scan verdicts)
        Cmd(
            "  the same, first run (SCORECARD_NO_CACHE=1)",
            sc,
            env=first_env,
            ok=check_scorecard_output,
        ),
        Cmd("read every tracked file once", ["sh", "-c", READ_ALL], cwd=repo, ok=check_exit_0),
        Cmd("git ls-files (listing alone)", ["git", "ls-files", "-z"], cwd=repo, ok=check_exit_0),
        Cmd("python -c pass (interpreter start-up)", [sys.executable, "-c", "pass"]),
        Cmd("scorecard --version (CLI start-up)", [*(installed or dev), "--version"]),
    ]
    if installed:
        cmds.insert(
            2,
            Cmd(
                "  the same, development install (editable)",
                [*dev, *sc[1:]],
                ok=check_scorecard_output,
            ),
        )
    print(
        f"timing {len(cmds)} commands in turn, one warm-up round then {args.runs} rounds ...",
        flush=True,
    )
    load_before = os.getloadavg()
    timings: list[Timing] = []
    try:
        timings = time_cmds(cmds, args.runs)
    except BenchError as exc:
        print(f"FAILED: {exc}")
        crashed = True
    load_after = os.getloadavg()
    by_label = {t.label: t for t in timings}
    repeat_t = by_label.get(cmds[0].label)
    first_t = by_label.get(cmds[1].label)
    read_t = by_label.get("read every tracked file once")

    repolinter_t: Timing | None = None
    if not args.no_repolinter:
        cli = ensure_repolinter()
        if cli is not None:
            ruleset = cli.parent.parent / "rulesets" / "default.json"
            rl = [
                "node",
                str(cli),
                "lint",
                str(repo),
                "--dryRun",
                "--format",
                "json",
                "--rulesetFile",
                str(ruleset),
            ]
            print(
                f"running repolinter {REPOLINTER_VERSION} (default ruleset), "
                f"{1 + args.repolinter_runs} times ...",
                flush=True,
            )
            try:
                [repolinter_t] = time_cmds(
                    [
                        Cmd(
                            f"repolinter {REPOLINTER_VERSION} (default ruleset)",
                            rl,
                            cwd=NODE_DIR,
                            ok=check_repolinter_output(info["js_files"]),
                        )
                    ],
                    args.repolinter_runs,
                )
                timings.append(repolinter_t)
            except BenchError as exc:
                print(f"repolinter FAILED: {exc}")
                crashed = True

    print(f"\n  {'wall clock, whole process':<44} {'median':>9}  {'min':>9}  {'max':>9}  runs")
    for t in timings:
        print(row(t))
    print(
        f"\n  page cache warm for every command: each ran once untimed before its timed runs "
        f"(the first run reads git's pack, `{READ_ALL}` the work tree)"
    )
    print(
        f"  machine load (1-minute average, {os.cpu_count()} cores): {load_before[0]:.1f} "
        f"before the scorecard rounds, {load_after[0]:.1f} after"
    )
    if repeat_t is not None:
        print(f"  result: {summarize_card(repeat_t.proc.stdout)}")
    print(f"\n  {'budget (issue 10)':<44} {'figure':<30} {'budget':<14} verdict")
    medians = [None if t is None else t.median for t in (first_t, read_t, repeat_t, repolinter_t)]
    for budget in budget_rows(*medians):
        print(f"  {budget.name:<44} {budget.figure:<30} {budget.budget:<14} {budget.verdict}")

    print(
        "\nper step and per check, in-process, one run (catalog order; parsed files are "
        "cached by the first check that reads them):"
    )
    try:
        rows = breakdown(repo)
    except Exception:
        traceback.print_exc()
        print("the breakdown crashed")
        return 1
    counted = [r for r in rows if r[2] != "not in sum"]
    width = max(len(r[0]) for r in rows)
    for name, secs, note in rows:
        print(f"  {name:<{width}} {secs * 1000:9.1f} ms  {note}")
    total = sum(r[1] for r in counted)
    print(f"  {'sum':<{width}} {total * 1000:9.1f} ms")
    checks = sorted((r for r in rows if r[0].startswith("check ")), key=lambda r: -r[1])
    print("  slowest checks: " + ", ".join(f"{n[6:]} {s * 1000:.0f} ms" for n, s, _ in checks[:5]))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
