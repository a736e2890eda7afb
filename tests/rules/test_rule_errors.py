"""Bad rules: exit 2 with one line naming file, line and key; `when` is refused for now; the
org's `allow: {rules: false}` keeps a repository's own file from adding rules."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.cli import main
from scorecard.registry import default_registry
from scorecard.standard import StandardError, resolve

CASES = {
    "unknown primitive": (
        "rules:\n  - id: r\n    require:\n      filez: {glob: x}\n",
        ":3: rules[0].require: ",
    ),
    "invalid regex": (
        "rules:\n  - id: r\n    require:\n      content:\n        glob: '*'\n"
        "        absent: '(unclosed'\n",
        ":6: rules[0].require.content.absent: ",
    ),
    "regex RE2 refuses": (
        "rules:\n  - id: r\n    require:\n      content:\n        glob: '*'\n"
        "        absent: '(a)\\1'\n",
        ":6: rules[0].require.content.absent: ",
    ),
    "invalid jmespath": (
        "rules:\n  - id: r\n    require:\n      data:\n        file: a.json\n"
        "        path: 'a[?'\n        exists: true\n",
        ":6: rules[0].require.data.path: ",
    ),
    "clashing id": (
        "rules:\n  - id: readme-present\n    require: {files: {glob: x}}\n",
        ":2: rules[0].id: ",
    ),
    "duplicate id": (
        "rules:\n  - id: r\n    require: {files: {glob: x}}\n"
        "  - id: r\n    require: {files: {glob: y}}\n",
        ":4: rules[1].id: ",
    ),
    "empty any": ("rules:\n  - id: r\n    require:\n      any: []\n", ":4: rules[0].require.any: "),
    "cycle": (
        "rules:\n  - id: a\n    require: {rule: b}\n  - id: b\n    require: {not: {rule: a}}\n",
        ":5: rules[1].require.not.rule: ",
    ),
    "unknown reference": (
        "rules:\n  - id: a\n    require: {rule: zz}\n",
        ":3: rules[0].require.rule: ",
    ),
    "two primitives": (
        "rules:\n  - id: r\n    require: {files: {glob: x}, not: {files: {glob: y}}}\n",
        ":3: rules[0].require: ",
    ),
    "bad id": ("rules:\n  - id: Bad_Id\n    require: {files: {glob: x}}\n", ":2: rules[0].id: "),
    "unknown level": (
        "rules:\n  - id: r\n    level: Platinum\n    require: {files: {glob: x}}\n",
        ":3: rules[0].level: ",
    ),
    "when on an unknown key": (
        "rules:\n  - id: r\n    when: {language: python}\n    require: {files: {glob: x}}\n",
        ":3: rules[0].when: ",
    ),
    "when with an unknown ecosystem": (
        "rules:\n  - id: r\n    when: {ecosystem: cobol}\n    require: {files: {glob: x}}\n",
        ":3: rules[0].when.ecosystem: ",
    ),
    "when with an empty any": (
        "rules:\n  - id: r\n    when: {any: []}\n    require: {files: {glob: x}}\n",
        ":3: rules[0].when.any: ",
    ),
    "content needs a test": (
        "rules:\n  - id: r\n    require:\n      content: {glob: x}\n",
        ":4: rules[0].require.content: ",
    ),
    "nested too deeply": (
        "rules:\n  - id: r\n    require: "
        + "{not: " * 400
        + "{files: {glob: x}}"
        + "}" * 400
        + "\n",
        ":3: rules[0].require.not",
    ),
    "reference chain too long": (
        "rules:\n"
        + "".join(f"  - {{id: r{i}, require: {{rule: r{i + 1}}}}}\n" for i in range(1500))
        + "  - {id: r1500, require: {files: {glob: x}}}\n",
        ":18: rules[16].require.rule: ",
    ),
    "reference chain too long, written leaf first": (
        "rules:\n"
        + "".join(f"  - {{id: r{i}, require: {{rule: r{i - 1}}}}}\n" for i in range(1, 40)).replace(
            "{rule: r0}", "{files: {glob: x}}"
        ),
        ":19: rules[17].require.rule: ",
    ),
    "bad glob": (
        "rules:\n  - id: r\n    require:\n      files: {glob: '!x'}\n",
        ":4: rules[0].require.files.glob: ",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_rule_exits_2_with_one_line(tmp_path: Path, capsys, name: str):
    text, where = CASES[name]
    cfg = tmp_path / "std.yml"
    cfg.write_text(text)
    root = build_repo(tmp_path / "r", {"README.md": "x"})
    code = main(["check", str(root), "--config", str(cfg)], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{cfg}{where}" in err, err
    if name == "when on an unknown key":
        assert "unknown key 'language'" in err


def test_org_may_forbid_repository_rules():
    org = (
        "org.yml",
        "allow: {rules: false}\nrules: [{id: org-rule, require: {files: {glob: x}}}]\n",
    )
    repo = ("repo.yml", "rules: [{id: own, require: {files: {glob: y}}}]\n")
    std = resolve(default_registry(), [org], restrict_from=1)
    assert "org-rule" in std.rules
    with pytest.raises(StandardError) as info:
        resolve(default_registry(), [org, repo], restrict_from=1)
    assert str(info.value).startswith("repo.yml:1: rules: ")
    free_org = ("org.yml", "rules: [{id: org-rule, require: {files: {glob: x}}}]\n")
    std = resolve(default_registry(), [free_org, repo], restrict_from=1)
    assert set(std.rules) == {"org-rule", "own"}


def test_repository_rule_cannot_replace_an_org_rule():
    org = ("org.yml", "rules: [{id: org-rule, require: {files: {glob: x}}}]\n")
    repo = ("repo.yml", "rules: [{id: org-rule, require: {files: {glob: y}}}]\n")
    with pytest.raises(StandardError, match=r"repo.yml:1: rules\[0\].id: "):
        resolve(default_registry(), [org, repo], restrict_from=1)


def test_bad_visibility_names_the_values(tmp_path: Path):
    text = "rules:\n  - id: r\n    require: {platform: {visibility: secret}}\n"
    with pytest.raises(StandardError) as info:
        resolve(default_registry(), [("s.yml", text)])
    assert str(info.value).startswith("s.yml:3: rules[0].require.platform.visibility: ")
    assert "public" in str(info.value) and "mapping with enabled" not in str(info.value)
