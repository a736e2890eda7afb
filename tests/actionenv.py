"""Running ``scorecard action`` in-process as the Actions runner runs the container: a project
(an origin repository served by the fake GitHub, a workspace checked out from it), the
environment the runner sets, and readers for what the Action leaves behind (outputs, summary,
workflow commands)."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from harness import GIT_ENV, FileSpec, build_repo, git, write_files

from scorecard.action import run

ROOT = Path(__file__).resolve().parents[1]
REPO = "acme/widgets"

MATURE: dict[str, Any] = {
    "README.md": "# Widgets\n\n" + "Widgets make things for the other teams. " * 30 + "\n\n"
    "## Usage\n\n```\nwidgets --help\n```\n",
    "LICENSE": "MIT License\n\nCopyright (c) 2026 Acme\n\nPermission is hereby granted, free of "
    "charge, to any person obtaining a copy of this software\n",
    ".github/CODEOWNERS": "* @acme/platform\n/docs/ @acme/docs\n",
    "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
    "  name: widgets\nspec:\n  type: service\n  lifecycle: production\n"
    "  owner: acme/platform\n",
    ".github/workflows/ci.yml": "name: CI\non: [push, pull_request]\npermissions:\n"
    "  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@"
    "b4ffde65f46336ab88eb53be808477a3936bae11\n"
    "      - run: pip install -e . && pytest --cov\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    "SECURITY.md": "# Security\n\nMail security@example.com\n",
    "CONTRIBUTING.md": "# Contributing\n\nRun the tests.\n",
    "src/widgets/__init__.py": "VERSION = '1.0'\n",
    "tests/test_widgets.py": "def test_x():\n    assert True\n",
}


def parse_outputs(text: str) -> dict[str, str]:
    """``GITHUB_OUTPUT`` as the runner reads it: ``name=value`` lines and
    ``name<<DELIMITER`` blocks."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value: list[str] = []
            while lines[i] != delim:
                value.append(lines[i])
                i += 1
            i += 1
            assert name not in out, f"output {name} set twice"
            out[name] = "\n".join(value)
        else:
            name, value_text = line.split("=", 1)
            out[name] = value_text
    return out


COMMAND = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")


def commands(log: str) -> list[tuple[str, dict[str, str], str]]:
    """The workflow commands printed: ``(name, properties, message)``, unescaped."""

    def unescape(text: str) -> str:
        return (
            text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
        )

    out = []
    for line in log.splitlines():
        m = COMMAND.match(line)
        if not m:
            continue
        props = {}
        for part in (m.group(2) or "").split(","):
            if part:
                k, _, v = part.partition("=")
                props[k] = unescape(v)
        out.append((m.group(1), props, unescape(m.group(3))))
    return out


def action_inputs() -> dict[str, str]:
    """Every input of action.yml with its default, as the runner passes them (``token``'s
    default is the job's token, filled in by :class:`Runner`)."""
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return {name: str(spec.get("default", "")) for name, spec in meta["inputs"].items()}


@dataclass
class Result:
    code: int
    log: str
    outputs: dict[str, str]
    summary: str
    workspace: Path

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.workspace / self.outputs["report-path"]).read_text("utf-8"))

    @property
    def saved(self) -> dict[str, Any]:
        return json.loads((self.workspace / self.outputs["comment-path"]).read_text("utf-8"))

    def commands(self, name: str | None = None) -> list[tuple[str, dict[str, str], str]]:
        return [c for c in commands(self.log) if name is None or c[0] == name]


@dataclass
class Runner:
    """One job's environment: ``run(event_name, payload, token, workspace, **inputs)``."""

    gh: Any
    tmp: Path
    server_url: str | None = None
    runs: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    def environ(
        self,
        event_name: str,
        event_path: Path,
        token: str,
        workspace: Path,
        sha: str,
        inputs: Mapping[str, str],
    ) -> tuple[dict[str, str], Path, Path]:
        self.runs += 1
        files = self.tmp / f"file_commands_{self.runs}"
        files.mkdir(parents=True)
        output, summary = files / "set_output", files / "step_summary"
        output.touch()
        summary.touch()
        values = {**action_inputs(), "token": token, **inputs}
        env = {f"INPUT_{name.upper()}": value for name, value in values.items()}
        env.update(
            {
                "GITHUB_ACTIONS": "true",
                "CI": "true",
                "GITHUB_EVENT_NAME": event_name,
                "GITHUB_EVENT_PATH": str(event_path),
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_REPOSITORY": REPO,
                "GITHUB_REPOSITORY_OWNER": REPO.split("/")[0],
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_API_URL": self.gh.api_url,
                "GITHUB_GRAPHQL_URL": self.gh.graphql_url,
                "GITHUB_SERVER_URL": self.server_url or self.gh.web_url,
                "GITHUB_RUN_ID": str(4000 + self.runs),
                "GITHUB_RUN_ATTEMPT": "1",
                "GITHUB_SHA": sha,
                "GITHUB_ACTOR": "contributor",
                "RUNNER_OS": "Linux",
                "HOME": "/github/home",
                **self.extra,
            }
        )
        return env, output, summary

    def run(
        self,
        event_name: str,
        payload: dict[str, Any],
        token: str,
        workspace: Path,
        *,
        sha: str | None = None,
        **inputs: str,
    ) -> Result:
        event_dir = self.tmp / f"workflow_{self.runs + 1}"
        event_dir.mkdir(parents=True)
        event_path = event_dir / "event.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        if sha is None:
            sha = head(workspace) if (workspace / ".git").exists() else ""
        env, output, summary = self.environ(
            event_name,
            event_path,
            token,
            workspace,
            sha,
            {k.replace("_", "-"): v for k, v in inputs.items()},
        )
        out = io.StringIO()
        code = run(env, out)
        return Result(
            code,
            out.getvalue(),
            parse_outputs(output.read_text("utf-8")),
            summary.read_text("utf-8"),
            workspace,
        )


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


class Project:
    """The repository on the fake GitHub (``origin``, ``main`` at the base) and pull requests
    made of commits on branches of it; ``checkout`` makes a job's workspace."""

    def __init__(self, gh: Any, tmp: Path, files: FileSpec = MATURE, **repo_kw: Any) -> None:
        self.gh, self.tmp = gh, tmp
        self.origin = build_repo(tmp / "origin", files, commit=True)
        self.base = head(self.origin)
        self.repo = gh.add_repo(REPO, self.origin, **repo_kw)
        self._n = 0

    def commit(
        self,
        branch: str,
        files: FileSpec | None = None,
        remove: tuple[str, ...] = (),
        start: str | None = None,
    ) -> str:
        if files is None:
            files = {}
        exists = (
            subprocess.run(
                ["git", "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                cwd=self.origin,
                capture_output=True,
            ).returncode
            == 0
        )
        git(
            self.origin,
            "checkout",
            "-q",
            branch if exists else "-b",
            *(() if exists else (branch, start or self.base)),
        )
        write_files(self.origin, files)
        for path in remove:
            git(self.origin, "rm", "-q", "-r", path)
        git(self.origin, "add", "-A")
        self._n += 1
        git(self.origin, "commit", "-q", "--allow-empty", "-m", f"change {self._n}")
        sha = head(self.origin)
        git(self.origin, "checkout", "-q", "main")
        return sha

    def checkout(
        self,
        ref: str,
        *,
        shallow: bool = False,
        merge_into: str | None = None,
        name: str | None = None,
    ) -> Path:
        """A workspace at ``ref``: a full clone (the base is there), a shallow one (only
        ``ref``), or, with ``merge_into``, the merge commit ``actions/checkout`` makes for a
        pull request (``refs/pull/N/merge``)."""
        self._n += 1
        ws = self.tmp / (name or f"workspace{self._n}")
        if shallow:
            git(self.tmp, "init", "-q", str(ws))
            git(ws, "fetch", "-q", "--depth", "1", f"file://{self.origin}", ref)
            git(ws, "checkout", "-q", "FETCH_HEAD")
            return ws
        git(self.tmp, "clone", "-q", "--no-local", str(self.origin), str(ws))
        git(ws, "checkout", "-q", merge_into or ref)
        if merge_into:
            git(ws, "merge", "-q", "--no-ff", "-m", "Merge into base", ref)
        return ws


__all__ = [
    "GIT_ENV",
    "MATURE",
    "REPO",
    "Project",
    "Result",
    "Runner",
    "commands",
    "head",
    "parse_outputs",
]
