"""Issue 9, defence in depth: each bomb of the issue planted in one repository of an org of ten.

Whatever the bomb, the scan ends in bounded time and the nine other repositories are graded as
if it were not there. A bomb that the fixes defuse at its root leaves its repository graded,
with the affected check saying what it met; a bomb that cannot be graded (an archive that is not
one, a check that never ends, a standard that does not parse) makes its repository one error
record and nothing more.
"""

from __future__ import annotations

import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo
from test_archive_safety import cve_2025_4517, file, gzip_of, huge_member, kind, tar_of
from test_budgets import loops_on_bomb, registry_with, short  # noqa: F401 - fixture
from test_yaml_limits import laughs

from scorecard.check import Check
from scorecard.github.client import GitHubClient
from scorecard.org import Filters, ResultWriter, read_records, scan

TOKEN = "ghp_org_bombs_token_42"
FINE = {"README.md": "# fine\n", "tests/test_x.py": "def test_x():\n    pass\n"}


def nested_makefile(levels: int = 40) -> str:
    lines = ["A0 = x"] + [f"A{i} = $(A{i - 1}) $(A{i - 1})" for i in range(1, levels)]
    return "\n".join(lines) + f"\n\ntest:\n\techo $(A{levels - 1})\n\tpytest\n"


@dataclass
class Bomb:
    files: dict[str, str]
    #: the bomb's repository ends as an error record with this message (else it is graded)
    error: str | None = None
    #: when graded: (check id, text its message holds, or "" for any message but `error`)
    check: tuple[str, str] | None = None
    extra: list[Check] = field(default_factory=list)
    #: what the fake serves as the repository's archive instead of its real one
    archive: bytes | None = None
    #: environment for the scan (lowered caps, so that a small bomb is enough)
    env: dict[str, str] = field(default_factory=dict)


def many_entries(count: int) -> bytes:
    return tar_of(kind("", tarfile.DIRTYPE), *(file(f"f{i}.txt") for i in range(count)))


WORKFLOW_TAIL = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"

BOMBS: dict[str, Callable[[], Bomb]] = {
    "a check that never ends": lambda: Bomb(
        {**FINE, "BOMB": "x\n"},
        error="grading the repository ran past its 2 s deadline",
        extra=[loops_on_bomb],
    ),
    "CODEOWNERS that backtracks": lambda: Bomb(
        {
            **FINE,
            ".github/CODEOWNERS": "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b @acme/x\n",
            "a" * 32 + "c": "x\n",
        },
        check=("codeowners-coverage", ""),
    ),
    "a workflow whose triggers are a billion laughs": lambda: Bomb(
        {**FINE, ".github/workflows/ci.yml": laughs("on") + WORKFLOW_TAIL},
        check=("no-dangerous-triggers", ""),
    ),
    "a .gitlab-ci.yml that is a billion laughs": lambda: Bomb(
        {**FINE, ".gitlab-ci.yml": "test:\n" + laughs("script", indent="  ")},
        check=("ci-runs-tests", ""),
    ),
    "a catalog-info.yaml that is a billion laughs": lambda: Bomb(
        {
            **FINE,
            "catalog-info.yaml": "kind: Component\nmetadata:\n  name: w\n"
            + laughs("tags", indent="  "),
        },
        check=("catalog-info-valid", "too many aliases"),
    ),
    "a Makefile of nested variables": lambda: Bomb(
        {
            **FINE,
            "Makefile": nested_makefile(),
            ".github/workflows/ci.yml": "on: push\n" + WORKFLOW_TAIL.replace("pytest", "make test"),
        },
        check=("ci-runs-tests", ""),
    ),
    "a package.json nested 100,000 deep": lambda: Bomb(
        {**FINE, "package.json": "[" * 100_000 + "]" * 100_000}, check=("tests-present", "")
    ),
    "a standard that is a billion laughs": lambda: Bomb(
        {**FINE, ".github/standards.yml": laughs("levels")}, error="too many aliases"
    ),
    "an archive that writes outside its folder (CVE-2025-4517)": lambda: Bomb(
        FINE, archive=cve_2025_4517(4, 40), error="is a symlink and a directory"
    ),
    "a gzip bomb": lambda: Bomb(
        FINE,
        archive=gzip_of(bytes(64 << 20)),
        error="more than 1,048,576 bytes",
        env={"SCORECARD_ARCHIVE_MAX_BYTES": str(1 << 20)},
    ),
    "an archive of too many entries": lambda: Bomb(
        FINE,
        archive=many_entries(300),
        error="more than 200 entries",
        env={"SCORECARD_ARCHIVE_MAX_ENTRIES": "200"},
    ),
    "an archive member declaring 100 GB": lambda: Bomb(
        FINE, archive=gzip_of(huge_member()), error="declares 107,374,182,400 bytes"
    ),
    "a download that is not an archive": lambda: Bomb(
        FINE, archive=b"<html>rate limited</html>", error="archive of acme/repo-4"
    ),
}


def scan_org(gh: Any, tmp_path: Any, bomb: Bomb) -> tuple[list[dict[str, Any]], float, Any]:
    if bomb.archive is not None:
        gh.archive_bodies = {"acme/repo-4": bomb.archive}
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    fine = build_repo(tmp_path / "fine", FINE, commit=True)
    bombed = build_repo(tmp_path / "bombed", bomb.files, commit=True)
    for i in range(10):
        gh.add_repo(f"acme/repo-{i}", bombed if i == 4 else fine)
    out = tmp_path / "results.jsonl"
    writer = ResultWriter(out)
    client = GitHubClient(
        TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url, backoff=0.01, sleep=lambda s: None
    )
    start = time.monotonic()
    try:
        stats = scan(
            client,
            "acme",
            registry_with(*bomb.extra),
            filters=Filters(),
            writer=writer,
            progress_stream=None,
            workers=4,
        )
    finally:
        writer.close()
    return list(read_records([out])), time.monotonic() - start, stats


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_org_with_a_bomb_grades_the_nine_others(
    fake_github,  # noqa: F811
    tmp_path,
    short,  # noqa: F811
    monkeypatch,
    name,
):
    bomb = BOMBS[name]()
    for key, value in bomb.env.items():
        monkeypatch.setenv(key, value)
    short(check=60, repo=2)
    records, took, stats = scan_org(fake_github, tmp_path, bomb)
    assert took < 30  # bounded: before the fixes several of these ran for minutes
    by_repo = {r["repository"]: r for r in records if r["kind"] in ("repository", "error")}
    assert sorted(by_repo) == [f"acme/repo-{i}" for i in range(10)]
    others = [by_repo[f"acme/repo-{i}"] for i in range(10) if i != 4]
    assert all(r["kind"] == "repository" for r in others)
    assert len({r["scorecard"]["score"] for r in others}) == 1  # the bomb changed nothing there
    hit = by_repo["acme/repo-4"]
    if bomb.error is not None:
        assert hit["kind"] == "error"
        assert bomb.error in hit["error"]
        assert (stats.graded, stats.failed) == (9, 1)
        return
    assert hit["kind"] == "repository", hit
    assert (stats.graded, stats.failed) == (10, 0)
    assert bomb.check is not None
    check_id, text = bomb.check
    result = next(c for c in hit["scorecard"]["checks"] if c["id"] == check_id)
    assert result["status"] != "error", result
    assert text in result["message"]
