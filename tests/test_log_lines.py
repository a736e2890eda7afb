"""Workflow-command injection (issue 9): text from a repository or a standard never makes a
line that the Actions runner runs as a command, in ``scorecard check``'s text output (from a
checkout or through the API) or in the Action's log.

The runner reads every line of a step's standard output and error: a line that starts with
``::`` after leading whitespace is a command (``::error file=a::...``), and so is a line that
holds ``##[command]`` anywhere (the runner's legacy syntax)."""

from __future__ import annotations

import json
import re

import pytest
from actionenv import MATURE, Project, Runner
from fakegithub import ADMIN, WORKFLOW, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo, run_cli

from scorecard.cli import main
from scorecard.render.text import one_line

KEY = "-----BEGIN RSA PRIVATE KEY-----\nabc\n"
HOSTILE_NAME = "x\n::error file=a::pwned"
TOKEN = "ghp_admin_token_0123456789"
WRITE = "ghs_workflowTOKEN0123456789abcdefXYZ"
REPO = "acme/widgets"


def command_lines(text: str) -> list[str]:
    """The lines of ``text`` that the Actions runner would take as workflow commands."""
    return [
        line
        for line in re.split(r"\r\n|\r|\n", text)
        if line.lstrip().startswith("::") or "##[" in line
    ]


@pytest.mark.parametrize(
    "raw,shown",
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("nel\x85line", "nel\\x85line"),
        ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
        ("bidi\u202eevil\u2066", "bidi\\u202eevil\\u2066"),
        ("::error::boom", "\\x3a:error::boom"),
        ("  ::warning::x", "  \\x3a:warning::x"),
        ("see \u00a0::error::x", "see \u00a0\\x3a:error::x"),
        ("mid##[error]x", "mid\\x23#[error]x"),
        ("plain: a::b, 100%", "plain: a::b, 100%"),
        ("café ✓ — ok", "café ✓ — ok"),
    ],
)
def test_one_line_escapes(raw, shown):
    assert one_line(raw) == shown


def test_file_name_with_a_newline_in_a_checkout_makes_no_command(tmp_path, capsys):
    root = build_repo(tmp_path / "repo", {"README.md": "# x\n", HOSTILE_NAME: KEY}, commit=True)
    code, out = run_cli("check", str(root))
    assert code == 0, capsys.readouterr().err
    assert command_lines(out) == []
    assert "x\\n::error file=a::pwned" in out  # shown, escaped


@pytest.fixture
def gh(fake_github):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_token(TOKEN, ADMIN, login="admin-user")
    return fake_github


def test_file_name_with_a_newline_in_an_archive_makes_no_command(gh: FakeGitHub, tmp_path, capsys):
    root = build_repo(
        tmp_path / "origin",
        {"README.md": "# x\n", HOSTILE_NAME: KEY, "docs/##[error]mid.pem": KEY},
        commit=True,
    )
    gh.add_repo(REPO, root)
    code, out = run_cli("check", REPO, "--api-url", gh.api_url, env={"GITHUB_TOKEN": TOKEN})
    assert code == 0, capsys.readouterr().err
    assert "pwned" in out and "mid.pem" in out
    assert command_lines(out) == []


@pytest.mark.parametrize("level", ["Bronze\n::error::boom", "::error::boom", "##[error]boom"])
def test_level_name_from_the_standard_is_escaped_in_the_actions_log(gh, tmp_path, level):
    standard = f"levels:\n  - name: {json.dumps(level)}\n    checks: [readme-present]\n"
    project = Project(gh, tmp_path, {**MATURE, ".github/standards.yml": standard})
    gh.add_token(WRITE, WORKFLOW, repo=REPO)
    runner = Runner(gh, tmp_path / "runner")
    res = runner.run("workflow_dispatch", {}, WRITE, project.checkout(project.base))
    assert res.code == 0, res.log
    final = res.log.rstrip("\n").splitlines()[-1]
    assert final.startswith("scorecard: ") and "boom" in final
    intended = [
        line
        for line in command_lines(res.log)
        if re.match(r"::(warning|notice|add-mask) ", line) or line.startswith("::add-mask::")
    ]
    assert command_lines(res.log) == intended, res.log


def test_text_output_of_a_hostile_level_and_standard(tmp_path, capsys):
    standard = (
        'name: "std\\n::error::std"\nlevels:\n  - name: "::error::lvl"\n'
        "    checks: [readme-present]\n"
    )
    root = build_repo(
        tmp_path / "repo",
        {"README.md": "# x\n" + "words " * 100, ".github/standards.yml": standard},
        commit=True,
    )
    code, out = run_cli("check", str(root))
    assert code == 0, capsys.readouterr().err
    assert "lvl" in out
    assert command_lines(out) == []


def test_org_failures_on_standard_error_make_no_command(gh, tmp_path, capsys, monkeypatch):
    import scorecard.sources.github as source

    def broken(*args, **kw):
        raise RuntimeError("boom\n::error file=x::pwned ##[error]again")

    monkeypatch.setattr(source, "snapshot_from_facts", broken)
    gh.add_repo(REPO, build_repo(tmp_path / "origin", {"README.md": "# x\n"}, commit=True))
    code, _ = run_cli(
        "org",
        "acme",
        "--api-url",
        gh.api_url,
        "-o",
        str(tmp_path / "r.jsonl"),
        env={"GITHUB_TOKEN": TOKEN},
    )
    err = capsys.readouterr().err
    assert code == 0 and "pwned" in err
    assert command_lines(err) == []


def test_report_messages_on_standard_error_make_no_command(tmp_path, capsys):
    bad = tmp_path / "x\n::error::pwned.jsonl"
    bad.write_text("not json\n")
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "pwned" in err and command_lines(err) == []
