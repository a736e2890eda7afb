"""all / any / not, `rule` references, and how rules join the registry and the levels."""

from __future__ import annotations

from scorecard.model import Status
from scorecard.registry import default_registry
from scorecard.standard import resolve

STD = """
rules:
  - id: python-lockfile
    require: { any: [ { files: { glob: uv.lock } }, { files: { glob: poetry.lock } } ] }
  - id: lock-and-readme
    require:
      all:
        - { rule: python-lockfile }
        - { files: { glob: README.md } }
"""


def test_any_all_and_references(apply_rules):
    res = apply_rules(STD, {"poetry.lock": "", "README.md": ""})
    assert res["python-lockfile"].status is Status.PASS
    assert res["lock-and-readme"].status is Status.PASS
    res = apply_rules(STD, {"README.md": ""})
    lock = res["python-lockfile"]
    assert lock.status is Status.FAIL
    assert "uv.lock" in lock.message and "poetry.lock" in lock.message
    assert res["lock-and-readme"].status is Status.FAIL


def test_rule_defaults_and_level_placement():
    std = resolve(
        default_registry(), [("s.yml", "rules: [{id: my-rule, require: {files: {glob: x}}}]")]
    )
    chk = std.rules["my-rule"]
    assert chk.title == "my-rule" and chk.pillar == "custom" and chk.weight == 1
    assert std.level_of("my-rule") == "Gold"  # the default levels' `*`
    assert std.settings["my-rule"].enabled
    std = resolve(
        default_registry(),
        [("s.yml", "rules: [{id: my-rule, level: bronze, require: {files: {glob: x}}}]")],
    )
    assert std.level_of("my-rule") == "Bronze"


def test_a_rule_can_be_disabled_and_weighted_like_any_check():
    text = "rules: [{id: my-rule, require: {files: {glob: x}}}]\nchecks: {my-rule: {weight: 5}}\n"
    std = resolve(default_registry(), [("s.yml", text)])
    assert std.settings["my-rule"].weight == 5
