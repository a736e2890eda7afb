from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from harness import build_repo

from scorecard.cli import main

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data/sarif-schema-2.1.0.json").read_text())

GOOD = {
    "README.md": "# Widgets\n\n" + "word " * 120,
    "LICENSE": "MIT License\n",
    "src/app.py": "print('hi')\n",
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "repo", GOOD, commit=True)


def test_json_contract_on_stdout(repo):
    code, out = run("check", str(repo), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["target"] == str(repo)
    assert len(data["commit"]) == 40
    assert isinstance(data["score"], int)
    ids = [c["id"] for c in data["checks"]]
    assert "readme-present" in ids
    for c in data["checks"]:
        assert {"id", "pillar", "status", "message", "locations"} <= set(c)


def test_text_is_default_and_starts_with_level(repo):
    code, out = run("check", str(repo))
    assert code == 0
    assert "/100" in out.splitlines()[0]
    assert "\x1b[" not in out  # not a terminal: no colour


def test_fail_under(repo):
    code, _ = run("check", str(repo), "--fail-under", "gold")
    assert code == 1
    code, _ = run("check", str(repo), "--fail-under", "0")
    assert code == 0
    code, _ = run("check", str(repo), "--fail-under", "101")
    assert code == 2
    code, _ = run("check", str(repo), "--fail-under", "platinum")
    assert code == 2


def test_only_and_skip(repo):
    code, out = run("check", str(repo), "-f", "json", "--only", "readme-present,license-present")
    assert code == 0
    assert [c["id"] for c in json.loads(out)["checks"]] == ["license-present", "readme-present"]
    code, out = run("check", str(repo), "-f", "json", "--skip", "readme-present")
    assert "readme-present" not in [c["id"] for c in json.loads(out)["checks"]]
    code, _ = run("check", str(repo), "--only", "no-such-check")
    assert code == 2


def test_output_file_and_sarif(repo, tmp_path):
    target = tmp_path / "out" / "scorecard.sarif"
    code, out = run("check", str(repo), "--format", "sarif", "--output", str(target))
    assert code == 0 and out == ""
    jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(json.loads(target.read_text()))


def test_markdown(repo):
    code, out = run("check", str(repo), "-f", "markdown")
    assert code == 0 and out.startswith("<!-- repo-scorecard: report -->")


def test_bad_config_exits_2_with_file_and_line(repo, tmp_path, capsys):
    cfg = tmp_path / "std.yml"
    cfg.write_text("checks:\n  readme-present:\n    weight: heavy\n")
    code, _ = run("check", str(repo), "--config", str(cfg))
    assert code == 2
    err = capsys.readouterr().err
    assert f"{cfg}:3: checks.readme-present.weight" in err
    assert "Traceback" not in err


def test_repository_standard_file_is_used(tmp_path, capsys):
    repo = build_repo(
        tmp_path / "r", {**GOOD, ".github/standards.yml": "checks:\n  readme-present: false\n"}
    )
    code, out = run("check", str(repo), "-f", "json")
    assert "readme-present" not in [c["id"] for c in json.loads(out)["checks"]]
    assert json.loads(out)["standard"] == "default + .github/standards.yml"
    bad = build_repo(tmp_path / "bad", {".github/standards.yml": "levels: [\n"})
    code, _ = run("check", str(bad))
    assert code == 2
    assert ".github/standards.yml:2: invalid YAML" in capsys.readouterr().err


def test_missing_directory(tmp_path, capsys):
    code, _ = run("check", str(tmp_path / "nope"))
    assert code == 2 and "not a directory" in capsys.readouterr().err


def test_checks_lists_catalog():
    code, out = run("checks")
    assert code == 0
    assert "readme-present" in out and "repo-scorecard" in out
    code, out = run("checks", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["checks"]}
    assert rows["readme-present"]["level"] == "Bronze"
    assert rows["readme-present"]["package"] == "repo-scorecard"


def test_schema_command():
    code, out = run("schema")
    assert code == 0 and json.loads(out)["title"] == "repo-scorecard standard"


def test_help_and_usage_errors(capsys):
    with pytest.raises(SystemExit) as e:
        main(["check", "--help"])
    assert e.value.code == 0
    assert "--fail-under" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["check", "--format", "pdf"])
    assert e.value.code == 2
    assert run()[0] == 2


def test_console_script_runs(repo):
    proc = subprocess.run(
        [sys.executable, "-m", "scorecard.cli", "check", str(repo), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["target"] == str(repo)


def test_an_internal_error_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    """A bug (here: the pipeline raising what nobody foresaw) ends in one line and exit 3."""
    import scorecard.pipeline

    def broken(*args, **kwargs):
        raise AttributeError("'str' object has no attribute 'get'")

    monkeypatch.setattr(scorecard.pipeline, "grade_snapshot", broken)
    (tmp_path / "README.md").write_text("# x\n")
    assert main(["check", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("scorecard: internal error: AttributeError: 'str' object has no ")
    assert main(["check", str(tmp_path), "--verbose"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_the_summary_line_counts_in_words(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    out = io.StringIO()
    main(["check", str(root), "--only", "readme-present", "--color", "never"], stdout=out)
    assert "\n1 check: 1 pass. Standard: default." in out.getvalue()
    out = io.StringIO()
    main(
        ["check", str(root), "--only", "readme-present,license-present", "--color", "never"],
        stdout=out,
    )
    assert "\n2 checks: 1 pass, 1 fail. Standard: default." in out.getvalue()
