"""An org scan against the fake GitHub: the org standard in `acme/.github` carries rules to
every repository; a repository whose own rules are broken (or not allowed) gets an error
record, and the scan goes on."""

from __future__ import annotations

from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo
from test_org import VARIANTS, graded, org, run_scan  # noqa: F401 - org is a fixture

from scorecard.org import Filters, read_records

ORG_STANDARD = """\
name: acme
allow: {rules: false}
rules:
  - id: catalog-service
    pillar: ops
    require: { data: { file: catalog-info.yaml, path: spec.type, equals: service } }
  - id: no-ssh-keys
    require: { not: { files: { glob: "id_rsa" } } }
"""


def test_org_rules_reach_every_repository(org, tmp_path):  # noqa: F811
    root = build_repo(tmp_path / "dotgithub", {"org-standards.yml": ORG_STANDARD}, commit=True)
    org.add_repo("acme/.github", root)
    own = build_repo(
        tmp_path / "own",
        {
            **VARIANTS["gold"],
            ".github/standards.yml": "rules: [{id: mine, require: {files: {glob: x}}}]\n",
        },
        commit=True,
    )
    org.add_repo("acme/own-rules", own)
    out = tmp_path / "s.jsonl"
    run_scan(org, out, filters=Filters(include=["gold-00*", "keys-00*", "own-rules"]))
    results = graded(out)
    gold = results["acme/gold-001"]["checks"]
    assert gold["catalog-service"][0] == "pass" and gold["no-ssh-keys"][0] == "pass"
    keys = next(v["checks"] for k, v in results.items() if k.startswith("acme/keys-"))
    assert keys["catalog-service"][0] == "fail"
    assert keys["no-ssh-keys"] == ("fail", keys["no-ssh-keys"][1])
    assert "deploy/id_rsa" in keys["no-ssh-keys"][1]
    errors = {r["repository"]: r["error"] for r in read_records([out]) if r["kind"] == "error"}
    assert "does not allow repositories to change rules" in errors["acme/own-rules"]
