"""Issue 11, end to end: an organisation's whole standard in its `.github` repository (rules,
`when`s, tracks, a campaign) reaches every repository of an org scan against the fake GitHub,
with nothing installed, and the org report shows the tracks per team."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.cli import main

TOKEN = "ghp_standards_as_code"
ORG_STANDARD = """\
name: acme
rules:
  - id: service-has-runbook
    pillar: ops
    when: {topic: service}
    require: {content: {file: README.md, contains: "(?i)^## runbook"}}
  - id: python-lockfile
    when: {ecosystem: python}
    require: {any: [{files: {glob: uv.lock}}, {files: {glob: poetry.lock}}]}
checks:
  tests-present: {when: {not: {catalog: {spec.type: documentation}}}}
tracks:
  - name: production-readiness
    when: {not: {catalog: {spec.type: documentation}}}
    levels:
      - {name: Ready, checks: [tests-present, service-has-runbook]}
  - name: security
    levels:
      - {name: Bronze, checks: [no-private-keys, security-policy-present]}
campaigns:
  - name: lockfiles
    checks: [python-lockfile]
    deadline: 2099-01-01
"""
README = "# svc\n\nWords enough to count as a readme for this service.\n"
DOCS = "kind: Component\nmetadata: {name: h}\nspec: {type: documentation, owner: a}\n"


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    gh.add_team("acme", "platform")
    gh.add_repo(
        "acme/.github",
        build_repo(
            tmp_path / "dot", {"README.md": README, "org-standards.yml": ORG_STANDARD}, commit=True
        ),
    )
    repos = {
        "acme/api": (
            {
                "README.md": README + "\n## Runbook\n",
                "pyproject.toml": "",
                "uv.lock": "",
                "tests/test_a.py": "",
                "CODEOWNERS": "* @acme/platform\n",
            },
            ["service"],
        ),
        "acme/worker": (
            {"README.md": README, "pyproject.toml": "", "CODEOWNERS": "* @acme/platform\n"},
            ["service"],
        ),
        "acme/handbook": ({"README.md": README, "catalog-info.yaml": DOCS}, []),
        "acme/web": ({"README.md": README, "package.json": "{}"}, []),
    }
    for name, (files, topics) in repos.items():
        root = build_repo(tmp_path / name.replace("/", "-"), files, commit=True)
        gh.add_repo(name, root, topics=topics)
    return gh


def test_the_org_standard_reaches_every_repository(org, tmp_path: Path, snapshot):
    out = tmp_path / "results.jsonl"
    code = main(
        ["org", "acme", "--api-url", org.api_url, "--token", TOKEN, "--output", str(out)],
        stdout=io.StringIO(),
    )
    assert code == 0
    cards = {
        r["repository"]: r["scorecard"]
        for r in map(json.loads, out.read_text().splitlines())
        if r["kind"] == "repository"
    }

    def status(repo: str, cid: str) -> str:
        return next(c["status"] for c in cards[repo]["checks"] if c["id"] == cid)

    # rules, with their `when`, graded like built-in checks
    assert status("acme/api", "service-has-runbook") == "pass"
    assert status("acme/worker", "service-has-runbook") == "fail"
    assert status("acme/web", "service-has-runbook") == "skip"  # no `service` topic
    assert status("acme/api", "python-lockfile") == "pass"
    assert status("acme/worker", "python-lockfile") == "fail"
    assert status("acme/web", "python-lockfile") == "skip"  # not Python
    # a built-in check scoped by `when`
    assert status("acme/handbook", "tests-present") == "skip"
    assert status("acme/web", "tests-present") == "fail"
    # tracks, one of them scoped
    tracks = {t["name"]: t for t in cards["acme/handbook"]["tracks"]}
    assert tracks["production-readiness"]["applies"] is False
    assert {t["name"]: t["level"] for t in cards["acme/api"]["tracks"]} == {
        "production-readiness": "Ready",
        "security": None,
    }
    assert cards["acme/api"]["ecosystems"] == ["python"]
    # the campaign
    states = {r: {c["name"]: c["state"] for c in card["campaigns"]} for r, card in cards.items()}
    assert states["acme/api"]["lockfiles"] == "met"
    assert states["acme/worker"]["lockfiles"] == "not met"
    assert states["acme/web"]["lockfiles"] == "not applicable"

    # the org report: each track's levels per team
    md, html = tmp_path / "dash.md", tmp_path / "report.html"
    assert main(["report", str(out), "--markdown", str(md), "--html", str(html)]) == 0
    dash = md.read_text()
    section = dash.split("**Track `production-readiness`** (does not apply to 1 repository)")[1]
    assert section.split("\n\n")[1].splitlines()[2:4] == [
        "| **all** | 4 | 1 | 3 |",
        "| `platform` | 2 | 1 | 1 |",
    ]
    blocks = dash.split("\n\n")
    first = next(i for i, b in enumerate(blocks) if b.startswith("**Track "))
    end = next(
        (i for i, b in enumerate(blocks[first:], first) if not b.startswith(("**Track ", "|"))),
        len(blocks),
    )
    assert "\n\n".join(blocks[first:end]) == snapshot  # every track's table
    page = html.read_text()
    assert 'id="tracks"' in page and 'id="campaigns"' in page
