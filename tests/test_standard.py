from __future__ import annotations

import datetime as dt

import pytest
from fakes import stub

from scorecard.check import Option
from scorecard.model import Status
from scorecard.registry import Registry, default_registry
from scorecard.standard import StandardError, resolve

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def reg() -> Registry:
    r = Registry()
    r.add(stub("alpha", Status.PASS, min_words=Option("int", 100, "words", minimum=0)))
    r.add(stub("beta", Status.PASS))
    r.add(stub("gamma", Status.PASS))
    return r


def layer(text: str, name: str = ".github/standards.yml") -> tuple[str, str]:
    return (name, text)


def err(reg: Registry, text: str, **kw) -> StandardError:
    with pytest.raises(StandardError) as info:
        resolve(reg, [layer(text)], today=TODAY, **kw)
    return info.value


def test_default_standard_has_the_spec_levels():
    std = resolve(default_registry(), today=TODAY)
    names = [lvl.name for lvl in std.levels]
    assert names == ["Bronze", "Silver", "Gold"]
    bronze = set(std.levels[0].checks)
    assert {
        "readme-present",
        "license-present",
        "codeowners-present",
        "ci-configured",
        "tests-present",
        "no-private-keys",
        "no-dangerous-triggers",
    } >= bronze
    gold = set(std.levels[2].checks)
    assert not gold & bronze and not gold & set(std.levels[1].checks)
    assert std.unknown == "ignore"


def test_unknown_key_names_file_and_line(reg):
    e = err(reg, "unknown: ignore\nchecks:\n  alpha:\n    enabeld: true\n")
    assert (e.file, e.line, e.key) == (".github/standards.yml", 3, "checks.alpha")
    assert "enabeld" in e.message


def test_unknown_check_id(reg):
    e = err(reg, "checks:\n  alpha: true\n  nope: false\n")
    assert e.line == 3 and "unknown check 'nope'" in e.message


def test_bad_option_type_and_unknown_option(reg):
    e = err(reg, "checks:\n  alpha:\n    options:\n      min_words: lots\n")
    assert e.line == 4 and "must be int" in e.message
    e = err(reg, "checks:\n  alpha:\n    options:\n      max_words: 3\n")
    assert "has no option 'max_words'" in e.message and "min_words" in e.message
    e = err(reg, "checks:\n  alpha:\n    options:\n      min_words: -1\n")
    assert "at least 0" in e.message


def test_malformed_yaml_and_wrong_shape(reg):
    e = err(reg, "checks:\n  alpha: [\n")
    assert e.line == 3 and "invalid YAML" in e.message
    e = err(reg, "- a\n- b\n")
    assert "mapping" in e.message
    e = err(reg, "unknown: maybe\n")
    assert e.line == 1 and "'maybe' is not one of" in e.message
    assert str(e).startswith(".github/standards.yml:1: unknown:")


def test_options_weights_and_disable(reg):
    std = resolve(
        reg,
        [
            layer(
                "checks:\n  alpha:\n    weight: 3\n    options:\n      "
                "min_words: 20\n  beta: false\n"
            )
        ],
        today=TODAY,
    )
    assert std.settings["alpha"].weight == 3
    assert std.settings["alpha"].options == {"min_words": 20}
    assert not std.settings["beta"].enabled
    assert std.settings["gamma"].enabled and std.settings["gamma"].options == {}


def test_levels_replace_and_star(reg):
    std = resolve(
        reg,
        [
            layer(
                "levels:\n  - name: Basic\n    checks: [beta]\n  - name: Full\n    checks: ['*']\n"
            )
        ],
        today=TODAY,
    )
    assert [(lvl.name, lvl.checks) for lvl in std.levels] == [
        ("Basic", ("beta",)),
        ("Full", ("alpha", "gamma")),
    ]
    e = err(reg, "levels:\n  - name: A\n    checks: [beta]\n  - name: B\n    checks: [beta]\n")
    assert e.line == 5 and "already in level 'A'" in e.message


def test_extends_none_runs_only_what_it_names(reg):
    std = resolve(
        reg, [layer("extends: none\nlevels:\n  - name: Only\n    checks: [gamma]\n")], today=TODAY
    )
    assert std.enabled() == ["gamma"]


def test_exemptions(reg):
    std = resolve(
        reg,
        [
            layer(
                "exemptions:\n"
                "  - check: alpha\n    reason: legacy\n    expires: 2027-01-31\n"
                "  - check: beta\n    reason: old\n    expires: '2026-11-25'\n"
            )
        ],
        today=TODAY,
    )
    assert not std.exemptions["alpha"].expired
    assert std.exemptions["beta"].expired
    e = err(reg, "exemptions:\n  - check: alpha\n    reason: x\n    expires: soon\n")
    assert e.line == 4 and "not a date" in e.message
    e = err(reg, "exemptions:\n  - check: alpha\n    expires: 2027-01-01\n")
    assert "reason" in e.message
    e = err(reg, "exemptions:\n  - check: alpha\n    reason: x\n    expires: 2027-02-30\n")
    assert "not a valid date" in e.message


def test_organisation_allow_restricts_repository_layers(reg):
    org = layer("allow:\n  disable: false\n  exemptions: false\n", "acme/.github:standards.yml")
    repo = layer("checks:\n  alpha: false\n")
    with pytest.raises(StandardError, match="does not allow repositories to change disable"):
        resolve(reg, [org, repo], today=TODAY, restrict_from=1)
    repo = layer("checks:\n  alpha:\n    options:\n      min_words: 5\n")
    std = resolve(reg, [org, repo], today=TODAY, restrict_from=1)
    assert std.settings["alpha"].options["min_words"] == 5
    assert std.sources == ("default", "acme/.github:standards.yml", ".github/standards.yml")


def test_empty_file_is_the_default(reg):
    std = resolve(reg, [layer("")], today=TODAY)
    assert std.enabled() == ["alpha", "beta", "gamma"]
