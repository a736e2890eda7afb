"""`scorecard org --incremental`: unchanged repositories reuse their previous results."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.github.client import GitHubClient
from scorecard.incremental import previous_records, with_rest
from scorecard.org import Filters, ResultWriter, read_records, scan
from scorecard.registry import default_registry

TOKEN = "ghp_org_incremental_token"
N = 8
FILES = {
    "README.md": "# Service\n\n" + "words " * 120,
    "LICENSE": "MIT License\n",
    "CODEOWNERS": "* @acme/platform\n",
    "SECURITY.md": "# Security\n",
}


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_team("acme", "platform")
    gh.add_token(TOKEN, ADMIN, login="owner")
    gh.roots = {}
    for i in range(N):
        root = build_repo(tmp_path / f"r{i}", FILES, commit=True)
        gh.roots[i] = root
        gh.add_repo(f"acme/svc-{i}", root)
    return gh


def run(gh, out: Path, previous: Path | None = None, **kw):
    prev = previous_records(previous, kw.pop("warn", print)) if previous else None
    writer = ResultWriter(out)
    try:
        return scan(
            GitHubClient(
                TOKEN,
                api_url=gh.api_url,
                graphql_url=gh.graphql_url,
                backoff=0.01,
                sleep=lambda s: None,
            ),
            "acme",
            kw.pop("registry", default_registry()),
            filters=kw.pop("filters", Filters()),
            writer=writer,
            progress_stream=None,
            previous=prev,
            **kw,
        )
    finally:
        writer.close()


def cards(path: Path) -> dict[str, tuple[bool, str]]:
    return {
        r["repository"]: (bool(r.get("reused")), json.dumps(r["scorecard"], sort_keys=True))
        for r in read_records([path])
        if r["kind"] == "repository"
    }


def test_unchanged_org_downloads_nothing_and_gives_the_same_results(org, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    downloads = org.count(kind="codeload")
    assert downloads == N
    stats = run(org, second, previous=first)
    assert org.count(kind="codeload") == downloads  # no archive downloaded
    assert stats.reused == N and stats.graded == 0
    a, b = cards(first), cards(second)
    assert {k: v[1] for k, v in a.items()} == {k: v[1] for k, v in b.items()}
    assert all(reused for reused, _ in b.values())
    old = {r["repository"]: r for r in read_records([first]) if r["kind"] == "repository"}
    for rec in read_records([second]):
        if rec["kind"] == "repository":  # when it was graded, and with what
            assert rec["graded_at"] == old[rec["repository"]]["graded_at"]
            assert rec["reuse_key"] == old[rec["repository"]]["reuse_key"]


def test_one_head_changed_regrades_exactly_that_one(org, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    root = org.roots[3]
    (root / "CHANGELOG.md").write_text("x\n")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "change"], check=True)
    stats = run(org, second, previous=first)
    assert stats.graded == 1 and stats.reused == N - 1
    assert [k for k, (reused, _) in cards(second).items() if not reused] == ["acme/svc-3"]


def test_a_changed_code_scanning_setting_regrades_that_one(org, tmp_path):
    """A setting only a REST request tells (code scanning's default setup) is in the reuse
    key: turning it on re-grades exactly that repository, with the new answer, and asking
    for it costs no second request when the repository is graded."""
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    setups = org.count("GET", "/repos/acme/svc-0/code-scanning/default-setup")
    assert setups == 1
    org.repo("acme/svc-5").code_scanning_default_setup = "configured"
    stats = run(org, second, previous=first)
    assert stats.graded == 1 and stats.reused == N - 1
    regraded = [k for k, (reused, _) in cards(second).items() if not reused]
    assert regraded == ["acme/svc-5"]
    rec = next(r for r in read_records([second]) if r.get("repository") == "acme/svc-5")
    result = next(c for c in rec["scorecard"]["checks"] if c["id"] == "code-scanning-configured")
    assert result["status"] == "pass"
    assert org.count("GET", "/repos/acme/svc-5/code-scanning/default-setup") == 2  # once a scan


def test_a_repository_whose_workflows_scan_code_is_never_asked_its_default_setup(org, tmp_path):
    """The default setup is read only where no workflow runs a code scanner: a repository
    with CodeQL in a workflow costs no such request, in its first scan or in the next, and
    is reused; turning the default setup on there changes nothing it depends on."""
    root = org.roots[2]
    workflow = root / ".github" / "workflows" / "codeql.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: push\npermissions: {contents: read}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: github/codeql-action/analyze@"
        "4e828ff8d448a8a6e532957b1811f387a63867e8\n"
    )
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "codeql"], check=True)
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    rec = next(r for r in read_records([first]) if r.get("repository") == "acme/svc-2")
    result = next(c for c in rec["scorecard"]["checks"] if c["id"] == "code-scanning-configured")
    assert result["status"] == "pass" and "rest" not in rec["reuse_key"]
    org.repo("acme/svc-2").code_scanning_default_setup = "configured"
    stats = run(org, second, previous=first)
    assert stats.graded == 0 and stats.reused == N
    assert org.count("GET", "/repos/acme/svc-2/code-scanning/default-setup") == 0
    assert org.count("GET", "/repos/acme/svc-3/code-scanning/default-setup") == 2  # no scanner


def test_org_standard_or_tool_changed_regrades_all(org, tmp_path):
    first, second, third = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    run(org, first, config_layers=[])
    stats = run(
        org,
        second,
        previous=first,
        config_layers=[("org.yml", "checks:\n  changelog-present:\n    enabled: false\n")],
    )
    assert stats.graded == N and stats.reused == 0
    import scorecard.incremental as org_module

    old = org_module.__version__
    org_module.__version__ = "99.0.0"
    try:
        stats = run(org, third, previous=first, config_layers=[])
    finally:
        org_module.__version__ = old
    assert stats.graded == N and stats.reused == 0


def test_garbled_previous_file_warns_with_line_and_regrades(org, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    lines = first.read_text().splitlines(keepends=True)
    lines[2] = '{"kind": "repository", "repository": \n'  # cut
    lines[3] = "[1, 2]\n"
    first.write_text("".join(lines))
    warnings: list[str] = []
    stats = run(org, second, previous=first, warn=warnings.append)
    assert stats.reused == N - 2 and stats.graded == 2 and stats.failed == 0
    assert warnings == [
        f"{first}:3: not a JSON record, ignored",
        f"{first}:4: not a JSON object, ignored",
    ]
    # not a results file at all (binary bytes): everything is graded again, no traceback
    first.write_bytes(b"\xff\xfe\x00garbage\n")
    warnings.clear()
    stats = run(org, second, previous=first, warn=warnings.append)
    assert stats.graded == N and len(warnings) == 1 and f"{first}:1:" in warnings[0]
    # many bad lines: ten warnings, then one line counting the rest
    first.write_text("garbage\n" * 25)
    warnings.clear()
    run(org, second, previous=first, warn=warnings.append)
    assert len(warnings) == 11 and warnings[-1] == f"{first}: 15 more lines ignored"


def test_records_without_a_reuse_key_are_graded_again_with_one_warning(org, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    first.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if k != "reuse_key"}) + "\n" for r in lines)
    )
    warnings: list[str] = []
    stats = run(org, second, previous=first, warn=warnings.append)
    assert stats.graded == N and stats.reused == 0
    assert warnings == [
        f"{first}: {N} records have no reuse key (from a scan without "
        "--incremental support): those repositories are graded again"
    ]


def test_works_with_shards(org, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first, filters=Filters(shard=(1, 2)))
    n = len(cards(first))
    stats = run(org, second, previous=first, filters=Filters(shard=(1, 2)))
    assert stats.reused == n and stats.graded == 0


def test_cli_keeps_the_previous_file_when_the_scan_dies_and_resumes(
    org, tmp_path, monkeypatch, capsys
):
    import io

    from scorecard.cli import main

    out = tmp_path / "results.jsonl"
    argv = [
        "org",
        "acme",
        "--api-url",
        org.api_url,
        "--output",
        str(out),
        "--quiet",
        "--token",
        TOKEN,
    ]
    assert main(argv, stdout=io.StringIO()) == 0
    before = out.read_bytes()
    real_write, writes = ResultWriter.write, []

    def dying_write(self, record):
        writes.append(record)
        if len(writes) > 3:
            raise KeyboardInterrupt  # the scan dies part way
        real_write(self, record)

    monkeypatch.setattr(ResultWriter, "write", dying_write)
    assert main([*argv, "--incremental"], stdout=io.StringIO()) != 0
    monkeypatch.setattr(ResultWriter, "write", real_write)
    assert out.read_bytes() == before  # the previous results are intact
    partial = Path(f"{out}.partial")
    assert len(cards(partial)) == 2
    # without --resume an unfinished incremental scan is not overwritten
    assert main([*argv, "--incremental"], stdout=io.StringIO()) == 2
    assert ".partial exists" in capsys.readouterr().err
    downloads = org.count(kind="codeload")
    assert main([*argv, "--incremental", "--resume"], stdout=io.StringIO()) == 0
    assert not partial.exists() and org.count(kind="codeload") == downloads
    after = cards(out)
    names = [r["repository"] for r in read_records([out]) if r["kind"] == "repository"]
    assert len(names) == len(set(names)) == N and all(reused for reused, _ in after.values())
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in cards_of(before).items()}
    report = tmp_path / "report.json"  # the report reads the new fields' records
    assert main(["report", str(out), "--json", str(report)], stdout=io.StringIO()) == 0
    assert len(json.loads(report.read_text())["repositories"]) == N


def cards_of(data: bytes) -> dict[str, tuple[bool, str]]:
    out = {}
    for line in data.decode().splitlines():
        r = json.loads(line)
        if r["kind"] == "repository":
            out[r["repository"]] = (
                bool(r.get("reused")),
                json.dumps(r["scorecard"], sort_keys=True),
            )
    return out


def test_a_new_team_regrades_what_its_codeowners_name(org, tmp_path):
    """The organisation's teams and members decide ``codeowners-valid`` (known owners need
    no request): they are part of the reuse key, so a team created since the previous scan
    does not leave that repository's old result."""
    root = build_repo(tmp_path / "later", {**FILES, "CODEOWNERS": "* @acme/later\n"}, commit=True)
    org.add_repo("acme/later-owned", root)
    first, second, fresh = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    run(org, first)
    org.add_team("acme", "later")
    run(org, second, previous=first)
    run(org, fresh)
    assert {k: v[1] for k, v in cards(second).items()} == {k: v[1] for k, v in cards(fresh).items()}
    assert not cards(second)["acme/later-owned"][0]  # graded again, not reused


def test_a_previous_file_changed_under_the_scan_is_not_misread(org, tmp_path):
    first = tmp_path / "1.jsonl"
    run(org, first)
    prev = previous_records(first, print)
    lines = first.read_text().splitlines(keepends=True)
    records = [json.loads(line) for line in lines]
    at = {r.get("repository"): i for i, r in enumerate(records)}
    key = records[at["acme/svc-1"]]["reuse_key"]
    lines[at["acme/svc-1"]] = lines[at["acme/svc-2"]]  # where svc-1 was, another record
    first.write_text("".join(lines))
    base = {k: v for k, v in key.items() if k != "rest"}
    rest = {"code-scanning-default-setup": "False"}  # what grading read: no default setup

    assert with_rest(base, rest) == key  # the key matches: the record itself is read
    record = prev.reusable("acme/svc-1", base, lambda: rest)
    assert record is None or record["repository"] == "acme/svc-1"


def test_an_unreadable_previous_file_is_named_as_read(org, tmp_path):
    warnings: list[str] = []
    prev = previous_records(tmp_path, warnings.append)  # a folder, not a file
    assert len(prev) == 0 and len(warnings) == 1
    assert warnings[0].startswith(f"cannot read {tmp_path}:")


def test_a_plugin_upgrade_changes_the_tool_digest(monkeypatch):
    """A plugin released again (same check ids and options, new code) re-grades all."""
    from importlib import metadata

    from scorecard.incremental import tool_digest

    registry = default_registry()
    before = tool_digest(registry)
    monkeypatch.setattr(metadata, "version", lambda dist: "99.0.0")
    assert tool_digest(registry) != before


def test_cli_summary_counts_reused_repositories_per_request(org, tmp_path, capsys):
    import io

    from scorecard.cli import main

    out = tmp_path / "results.jsonl"
    argv = ["org", "acme", "--api-url", org.api_url, "--output", str(out), "--token", TOKEN]
    assert main(argv, stdout=io.StringIO()) == 0
    capsys.readouterr()
    assert main([*argv, "--incremental"], stdout=io.StringIO()) == 0
    summary = [line for line in capsys.readouterr().err.splitlines() if "reused" in line][-1]
    assert f"0 graded, {N} reused" in summary and "0 archive downloads" in summary
    requests = int(summary.split(" API requests")[0].rsplit(" ", 1)[1])
    assert f"({requests / N:.2f} per repository)" in summary


def test_results_older_than_the_max_age_are_graded_again(org, tmp_path):
    """Settings a check reads with its own REST call (code scanning's default setup,
    GitHub's CODEOWNERS errors) are not in the key: an old result is graded again."""
    import datetime as dt

    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    records = [json.loads(line) for line in first.read_text().splitlines()]
    for r in records:
        if r.get("repository") == "acme/svc-0":
            r["graded_at"] = old
    first.write_text("".join(json.dumps(r) + "\n" for r in records))
    stats = run(org, second, previous=first)  # the default: seven days
    assert stats.graded == 1 and stats.reused == N - 1
    assert not cards(second)["acme/svc-0"][0]
    writer = ResultWriter(tmp_path / "3.jsonl")
    try:
        stats = scan(
            GitHubClient(TOKEN, api_url=org.api_url, graphql_url=org.graphql_url),
            "acme",
            default_registry(),
            filters=Filters(),
            writer=writer,
            progress_stream=None,
            previous=previous_records(second, print, max_age_days=0),
        )
    finally:
        writer.close()
    assert stats.graded == N and stats.reused == 0


def test_cli_max_age_option(org, tmp_path, capsys):
    import io

    from scorecard.cli import main

    out = tmp_path / "results.jsonl"
    argv = [
        "org",
        "acme",
        "--api-url",
        org.api_url,
        "--output",
        str(out),
        "--quiet",
        "--token",
        TOKEN,
    ]
    assert main(argv, stdout=io.StringIO()) == 0
    assert main([*argv, "--incremental", "--incremental-max-age", "-1"], stdout=io.StringIO()) == 2
    assert "--incremental-max-age" in capsys.readouterr().err
    downloads = org.count(kind="codeload")
    assert main([*argv, "--incremental", "--incremental-max-age", "0"], stdout=io.StringIO()) == 0
    assert org.count(kind="codeload") == downloads + N  # nothing reused


def test_cli_incremental_output_through_a_symlink_or_not_a_file(org, tmp_path, capsys):
    import io

    from scorecard.cli import main

    real = tmp_path / "real.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    argv = ["org", "acme", "--api-url", org.api_url, "--quiet", "--token", TOKEN]
    assert main([*argv, "--output", str(link)], stdout=io.StringIO()) == 0
    assert main([*argv, "--output", str(link), "--incremental"], stdout=io.StringIO()) == 0
    assert link.is_symlink() and all(reused for reused, _ in cards(real).values())
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main([*argv, "--output", str(folder), "--incremental"], stdout=io.StringIO()) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_an_overlong_line_is_skipped_unread(org, tmp_path, monkeypatch):
    """A line over ``MAX_RECORD_BYTES`` (a garbled file: gigabytes without a newline) is
    skipped without being held in memory; the records after it are still reused."""
    import scorecard.incremental as incremental

    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    run(org, first)
    lines = first.read_bytes().splitlines(keepends=True)
    cap = max(len(line) for line in lines) + 10
    monkeypatch.setattr(incremental, "MAX_RECORD_BYTES", cap)
    first.write_bytes(lines[0] + b"x" * (cap * 3) + b"\n" + b"".join(lines[1:]))
    warnings: list[str] = []
    stats = run(org, second, previous=first, warn=warnings.append)
    assert stats.reused == N and stats.graded == 0
    assert warnings == [f"{first}:2: a line longer than {cap:,} bytes, ignored"]
