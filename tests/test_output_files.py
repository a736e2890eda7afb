"""Output files (issue 11): a report is written whole or not at all (a full disk or a
read-only folder leaves the previous report as it was), and a failing write is one line
naming the file, exit 2, never a traceback; the org results file keeps what it had and a
resumed scan completes it. And what reaches a file passes through ``redact``.

A full disk: ``/dev/full`` (ENOSPC on every write), or a subprocess whose file size limit
(``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored) makes every write past 4 KB fail, as a disk that
fills up does. Both work for root, who ignores a folder's permissions."""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from actionenv import MATURE, REPO, Project, Runner
from fakegithub import ADMIN, WORKFLOW
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo
from reportfixtures import error, small_org, write
from reportfixtures import repo as repo_record

from scorecard import secrets
from scorecard.cli import main
from scorecard.org import ResultWriter, done_repositories, read_records
from scorecard.outfile import OutputError, write_file

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghp_org_admin_token_42"
WRITE = "ghs_workflowTOKEN0123456789abcdefXYZ"
GOOD = {
    "README.md": "# Widgets\n\n" + "Widgets make things. " * 40,
    "LICENSE": "MIT License\n",
    "src/app.py": "print('hi')\n",
}
OLD = '{"old": "report"}\n'
LIMIT = 4096


def _limited() -> None:  # in the child, before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def scorecard(
    *argv: str, limit: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m scorecard.cli ARGV`` in a subprocess, on a 'disk' with 4 KB left."""
    return subprocess.run(
        [sys.executable, "-m", "scorecard.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited if limit else None,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **(env or {})},
    )


def one_line_error(stderr: str, name: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot write {name}" in lines[0], stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "repo", GOOD, commit=True)


# ---- scorecard check --output -------------------------------------------------------------


def test_check_output_on_a_full_disk_keeps_the_old_report(repo, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    report = out_dir / "report.json"
    report.write_text(OLD)
    proc = scorecard("check", str(repo), "-f", "json", "-o", str(report), limit=True)
    assert proc.returncode == 2
    one_line_error(proc.stderr, str(report))
    assert "File too large" in proc.stderr
    assert report.read_text() == OLD
    assert leftovers(out_dir) == []
    # with room, the same command writes the whole report
    proc = scorecard("check", str(repo), "-f", "json", "-o", str(report))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(report.read_text())["checks"]


def test_check_output_to_dev_full_is_one_line(repo, capsys):
    code = main(["check", str(repo), "-o", "/dev/full"], stdout=io.StringIO())
    assert code == 2
    one_line_error(capsys.readouterr().err, "/dev/full")
    assert os.path.exists("/dev/full") and not Path("/dev/full").is_file()


def test_check_output_in_a_read_only_folder_keeps_the_old_report(
    repo, tmp_path, capsys, monkeypatch
):
    folder = tmp_path / "ro"
    folder.mkdir()
    report = folder / "report.md"
    report.write_text(OLD)
    if os.geteuid() == 0:  # root writes anywhere: the folder refuses the rename instead

        def refuse(src, dst):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))

        monkeypatch.setattr(os, "replace", refuse)
    else:
        folder.chmod(0o500)
    try:
        code = main(["check", str(repo), "-f", "markdown", "-o", str(report)], stdout=io.StringIO())
    finally:
        folder.chmod(0o700)
    assert code == 2
    one_line_error(capsys.readouterr().err, str(report))
    assert report.read_text() == OLD
    assert leftovers(folder) == []


def test_write_file_through_a_symlink_replaces_the_file_it_names(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_file(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_write_file_to_dev_null_writes_in_place():
    write_file("/dev/null", "nothing")
    assert not Path("/dev/null").is_file()


# ---- scorecard report -------------------------------------------------------------------------


def test_report_outputs_on_a_full_disk_keep_the_old_ones(tmp_path):
    results = write(tmp_path / "results.jsonl", small_org())
    html = tmp_path / "site" / "report.html"
    html.parent.mkdir()
    html.write_text("<p>old</p>")
    proc = scorecard("report", str(results), "--html", str(html), limit=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"cannot write {html}" in proc.stderr.strip().splitlines()[-1]
    assert html.read_text() == "<p>old</p>"
    assert leftovers(html.parent) == []


@pytest.mark.parametrize("option", ["--html", "--markdown", "--json", "--csv"])
def test_report_output_to_dev_full_is_one_line(tmp_path, capsys, option):
    results = write(tmp_path / "results.jsonl", small_org())
    code = main(["report", str(results), option, "/dev/full"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "No space left on device" in err


# ---- the org results file ---------------------------------------------------------------------


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    root = build_repo(tmp_path / "origin", GOOD, commit=True)
    for i in range(12):
        gh.add_repo(f"acme/svc-{i:02d}", root)
    return gh


def test_org_results_on_a_full_disk_keep_what_was_written_and_resume(org, tmp_path):
    out = tmp_path / "results.jsonl"
    proc = scorecard(
        "org",
        "acme",
        "--api-url",
        org.api_url,
        "-o",
        str(out),
        "--quiet",
        "--concurrency",
        "2",
        "--batch-size",
        "4",
        limit=True,
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert proc.returncode == 2
    one_line_error(proc.stderr, str(out))
    assert 0 < out.stat().st_size <= LIMIT
    kept = list(read_records([out]))  # whole records only (a cut last line is skipped)
    assert kept and kept[0]["kind"] == "scan"
    done = {r["repository"] for r in kept if r["kind"] == "repository"}
    assert len(done) < 12
    proc = scorecard(
        "org",
        "acme",
        "--api-url",
        org.api_url,
        "-o",
        str(out),
        "--quiet",
        "--resume",
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert proc.returncode == 0, proc.stderr
    names = [r["repository"] for r in read_records([out]) if r["kind"] == "repository"]
    assert sorted(names) == [f"acme/svc-{i:02d}" for i in range(12)]


def test_org_results_to_dev_full_is_one_line(org, capsys):
    code = main(
        ["org", "acme", "--api-url", org.api_url, "-o", "/dev/full", "--quiet", "--token", TOKEN],
        stdout=io.StringIO(),
    )
    assert code == 2
    one_line_error(capsys.readouterr().err, "/dev/full")


def test_result_writer_fails_in_one_line_and_closes_quietly(tmp_path):
    writer = ResultWriter("/dev/full")
    with pytest.raises(OutputError, match=r"^cannot write /dev/full: No space left on device$"):
        writer.write({"kind": "scan"})
    with pytest.raises(OutputError):  # and again: nothing is silently dropped
        writer.write({"kind": "scan"})
    writer.close()


def test_result_writer_close_failure_is_one_line(tmp_path, monkeypatch):
    writer = ResultWriter(tmp_path / "r.jsonl")
    writer.write({"kind": "scan"})

    def broken(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "close", broken)
    with pytest.raises(OutputError, match=r"cannot write .*r\.jsonl: Input/output error"):
        writer.close()
    monkeypatch.undo()
    assert [r["kind"] for r in read_records([tmp_path / "r.jsonl"])] == ["scan"]


def test_result_writer_cannot_open_is_one_line(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OutputError, match=r"^cannot write .*under-a-file\.jsonl: "):
        ResultWriter(tmp_path / "a-file" / "under-a-file.jsonl")


# ---- the Action ---------------------------------------------------------------------------------


@pytest.fixture
def gh(fake_github):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_token(WRITE, WORKFLOW, repo=REPO)
    return fake_github


@pytest.mark.parametrize("variable", ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"])
def test_action_output_files_on_a_full_disk_are_one_error_line(gh, tmp_path, variable):
    project = Project(gh, tmp_path, MATURE)
    runner = Runner(gh, tmp_path / "runner", extra={variable: "/dev/full"})
    res = runner.run("workflow_dispatch", {}, WRITE, project.checkout(project.base))
    assert res.code == 2
    last = res.log.rstrip("\n").splitlines()[-1]
    assert last.startswith("::error ") and "cannot write /dev/full" in last
    assert "Traceback" not in res.log


def test_action_report_on_a_full_disk_keeps_the_old_one(gh, tmp_path, monkeypatch):
    project = Project(gh, tmp_path, MATURE)
    ws = project.checkout(project.base)
    out_dir = ws / "scorecard-output"
    out_dir.mkdir()
    (out_dir / "report.json").write_text(OLD)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    res = Runner(gh, tmp_path / "runner").run("workflow_dispatch", {}, WRITE, ws)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert res.code == 2
    assert "cannot write" in res.log and "No space left on device" in res.log
    assert (out_dir / "report.json").read_text() == OLD
    assert leftovers(out_dir) == []


# ---- redaction at the writers -------------------------------------------------------------------

CANARY = "ghs_CANARY_canary_0123456789_secret"


@pytest.fixture
def canary():
    secrets.register(CANARY)
    yield CANARY
    secrets._forget_all()


def test_org_results_file_is_redacted(tmp_path, canary):
    out = tmp_path / "r.jsonl"
    writer = ResultWriter(out)
    writer.write(error("acme/broken", f"the server said: Authorization: token {canary}"))
    writer.close()
    text = out.read_text()
    assert canary not in text and "token ***" in text
    assert json.loads(text)["error"].endswith("token ***")


def leaky_org(secret: str) -> list[dict]:
    """A team name and an error message holding the secret (as if a server had echoed it)."""
    return [
        *small_org(),
        repo_record("acme/teamleak", f"t-{secret}"),
        error("acme/leaky", f"Authorization: token {secret}"),
    ]


@pytest.mark.parametrize(
    "option,name",
    [("--html", "r.html"), ("--markdown", "r.md"), ("--json", "r.json"), ("--csv", "r.csv")],
)
def test_report_outputs_are_redacted(tmp_path, canary, capsys, option, name):
    results = write(tmp_path / "results.jsonl", leaky_org(canary))
    assert main(["report", str(results), option, str(tmp_path / name)]) == 0
    text = (tmp_path / name).read_text()
    assert canary not in text and "t-***" in text.replace("\\", "")
    if option == "--json":
        assert json.loads(text)["errors"][-1]["error"] == "Authorization: token ***"
    assert canary not in capsys.readouterr().err


def test_report_to_stdout_is_redacted(tmp_path, canary, capsys):
    results = write(tmp_path / "results.jsonl", leaky_org(canary))
    out = io.StringIO()
    assert main(["report", str(results)], stdout=out) == 0
    assert "t-***" in out.getvalue().replace("\\", "") and canary not in out.getvalue()


def test_action_outputs_summary_and_comment_are_redacted(gh, tmp_path, canary):
    files = {
        **MATURE,
        ".github/standards.yml": f"levels:\n  - name: L-{canary}\n    checks: [readme-present]\n",
    }
    project = Project(gh, tmp_path, files)
    res = Runner(gh, tmp_path / "runner").run(
        "workflow_dispatch", {}, WRITE, project.checkout(project.base)
    )
    assert res.code == 0, res.log
    assert res.outputs["level"] == "L-***"
    ws = res.workspace
    written = [res.log, res.summary, *(p.read_text() for p in (ws / "scorecard-output").iterdir())]
    assert all(canary not in text for text in written)
    assert "L-\\*\\*\\*" in res.summary  # escaped in Markdown


def test_action_pr_comment_posted_and_saved_is_redacted(gh, tmp_path, canary):
    project = Project(gh, tmp_path, MATURE)
    sha = project.commit("feature", {f"keys/{canary}.pem": "-----BEGIN RSA PRIVATE KEY-----\n"})
    gh.add_pull(REPO, 3, sha, project.base)
    side = {"repo": {"full_name": REPO}}
    payload = {
        "number": 3,
        "pull_request": {
            "number": 3,
            "head": {"sha": sha, **side},
            "base": {"sha": project.base, "ref": "main", **side},
        },
    }
    res = Runner(gh, tmp_path / "runner").run("pull_request", payload, WRITE, project.checkout(sha))
    assert res.code == 0, res.log
    assert res.outputs["comment"] == "created"
    body = gh.comments_of(REPO, 3)[0].body
    assert "keys/***.pem" in body and canary not in body
    out = res.workspace / "scorecard-output"
    for text in (res.log, res.summary, *(p.read_text() for p in out.iterdir())):
        assert canary not in text


def test_outputs_printed_without_github_output_are_one_line_and_redacted(canary):
    from scorecard.github import workflow as wf

    out = io.StringIO()
    wf.set_outputs({"level": f"::error::x\n{canary}"}, None, out)
    assert out.getvalue() == "output level=\\x3a:error::x\\n***\n"


def test_results_file_is_ascii_so_a_cut_line_stays_readable(tmp_path):
    out = tmp_path / "r.jsonl"
    writer = ResultWriter(out)
    writer.write(error("acme/café", "ü" * 50))
    writer.close()
    data = out.read_bytes()
    assert data.isascii()
    out.write_bytes(data + data[:40])  # a line cut by a full disk
    assert done_repositories(out) == set()  # errors are retried; no UnicodeDecodeError
    assert [r["repository"] for r in read_records([out])] == ["acme/café"]


def test_history_is_redacted(tmp_path, canary, capsys):
    records = [*leaky_org(canary), repo_record(f"acme/leak-{canary}", None)]
    results = write(tmp_path / "results.jsonl", records)
    history = tmp_path / "history.jsonl"
    assert main(["report", str(results), "--history", str(history)]) == 0
    text = history.read_text()
    assert canary not in text and "acme/leak-***" in text
