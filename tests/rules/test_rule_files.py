"""The `files` primitive: gitignore-style globs, ignore_case, min/max."""

from __future__ import annotations

from scorecard.model import Status

STD = """
rules:
  - id: no-dotenv
    title: No .env files
    require: { not: { files: { glob: "**/.env" } } }
  - id: has-readme-ci
    require: { files: { glob: "readme.md", ignore_case: true } }
  - id: two-to-three-yml
    pillar: ops
    weight: 2
    remediation: Keep a few YAML files.
    require: { files: { glob: "conf/*.yml", min: 2, max: 3 } }
"""


def test_files_pass(apply_rules):
    res = apply_rules(STD, {"README.md": "x", "conf/a.yml": "", "conf/b.yml": ""})
    assert res["no-dotenv"].status is Status.PASS
    assert res["has-readme-ci"].status is Status.PASS
    two = res["two-to-three-yml"]
    assert two.status is Status.PASS and two.pillar == "ops" and two.weight == 2
    assert two.remediation == "Keep a few YAML files."


def test_files_fail_with_locations(apply_rules):
    res = apply_rules(STD, {"a/b/.env": "K=1", "conf/a.yml": "", "Readme.txt": "x"})
    bad = res["no-dotenv"]
    assert bad.status is Status.FAIL
    assert [loc.path for loc in bad.locations] == ["a/b/.env"]
    assert "not" in bad.message and "**/.env" in bad.message
    assert res["has-readme-ci"].status is Status.FAIL
    few = res["two-to-three-yml"]
    assert few.status is Status.FAIL and "at least 2" in few.message


def test_files_case_sensitive_by_default(apply_rules):
    std = 'rules: [{id: r, require: {files: {glob: "README.md"}}}]'
    assert apply_rules(std, {"readme.md": "x"})["r"].status is Status.FAIL


def test_files_max(apply_rules):
    std = 'rules: [{id: r, require: {files: {glob: "*.lock", max: 1}}}]'
    res = apply_rules(std, {"a.lock": "", "b.lock": ""})["r"]
    assert res.status is Status.FAIL and "at most 1" in res.message
    assert {loc.path for loc in res.locations} == {"a.lock", "b.lock"}


def test_same_glob_with_and_without_ignore_case(apply_rules):
    std = (
        "rules:\n  - {id: exact, require: {files: {glob: README.md}}}\n"
        "  - {id: loose, require: {files: {glob: README.md, ignore_case: true}}}\n"
        "  - {id: exact-again, require: {files: {glob: README.md}}}\n"
    )
    res = apply_rules(std, {"readme.md": "x"})
    assert res["exact"].status is Status.FAIL and res["exact-again"].status is Status.FAIL
    assert res["loose"].status is Status.PASS
