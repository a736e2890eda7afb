"""Snapshot tests of every rendered format, on a scorecard holding hostile repository text."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

import scorecard
from scorecard.model import (
    CheckResult,
    Exemption,
    LevelStatus,
    Location,
    PillarSummary,
    Scorecard,
    Status,
)
from scorecard.render import markdown, sarif, text

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data/sarif-schema-2.1.0.json").read_text())
DOCS = "https://example.test/docs/checks.md"


def result(id, status, message, pillar="docs", locations=(), level="Bronze", **kw):
    return CheckResult(
        id=id,
        pillar=pillar,
        title=id.replace("-", " ").capitalize(),
        status=status,
        message=message,
        locations=tuple(locations),
        remediation=f"How to fix {id}.",
        docs_url=f"{DOCS}#{id}",
        level=level,
        **kw,
    )


@pytest.fixture
def card() -> Scorecard:
    checks = (
        result(
            "readme-present",
            Status.PASS,
            "README found: README.md",
            locations=[Location("README.md")],
        ),
        result(
            "codeowners-valid",
            Status.FAIL,
            "CODEOWNERS line 3: owner `@acme/plaform` does not exist; <img src=x> @evil "
            "[click](javascript:alert(1)) a|b",
            pillar="ownership",
            level="Silver",
            locations=[Location(".github/CODEOWNERS", 3), Location("we|ird`name<b>.md", 1)],
        ),
        result(
            "branch-protected",
            Status.UNKNOWN,
            "branch rules need a token with administration: read",
            pillar="security",
            level="Gold",
        ),
        result("actions-pinned", Status.SKIP, "no workflows", pillar="security", level="Gold"),
        result(
            "changelog-present",
            Status.EXEMPT,
            "exempt until 2027-01-31: legacy — none",
            level="Gold",
            exemption=Exemption("changelog-present", "legacy", "2027-01-31"),
        ),
        result(
            "tests-present",
            Status.ERROR,
            "the check crashed: RuntimeError: \x1b[31mboom",
            pillar="tests",
            level="Bronze",
        ),
    )
    return Scorecard(
        target="acme/widgets",
        commit="0123456789abcdef0123456789abcdef01234567",
        score=67,
        level=None,
        checks=checks,
        pillars=(
            PillarSummary("ownership", 0, 1, 1),
            PillarSummary("docs", 2, 2, 2),
            PillarSummary("security", 0, 0, 2),
            PillarSummary("tests", 0, 0, 1),
        ),
        levels=(
            LevelStatus("Bronze", False, ("tests-present",)),
            LevelStatus("Silver", False, ("codeowners-valid",)),
            LevelStatus("Gold", False, ()),
        ),
        standard="default + .github/standards.yml",
    )


def test_markdown_snapshot(card, snapshot):
    out = markdown.render(card, link_base="https://github.com/acme/widgets/blob/0123456/")
    assert out == snapshot
    assert "<img" not in out and "&lt;img" in out
    assert "[click](" not in out and "\\[click\\](javascript" in out
    assert " @evil" not in out and "`@evil`" in out


def test_text_snapshot(card, snapshot):
    out = text.render(card, color=False)
    assert out == snapshot
    assert "\x1b" not in out and "\\x1b[31mboom" in out


def test_text_color_only_when_asked(card):
    assert "\x1b[" in text.render(card, color=True)


def test_sarif_is_valid_and_snapshot(card, snapshot):
    out = sarif.render(card)
    jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(out)
    driver = out["runs"][0]["tool"]["driver"]
    assert driver["version"] == driver["semanticVersion"] == scorecard.__version__
    # the snapshot does not change with each release
    assert (
        json.loads(json.dumps(out).replace(f'"{scorecard.__version__}"', '"VERSION"')) == snapshot
    )
    results = out["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["codeowners-valid"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_json_contract(card):
    data = card.to_json()
    assert data["schema_version"] == 1
    for key in ("target", "commit", "score", "level", "checks"):
        assert key in data
    for item in data["checks"]:
        assert {"id", "pillar", "status", "message", "locations"} <= set(item)
    cv = next(c for c in data["checks"] if c["id"] == "codeowners-valid")
    assert cv["locations"][0] == {"path": ".github/CODEOWNERS", "line": 3}


def test_json_names_the_requiring_level_apart_from_the_held_one(card):
    data = card.to_json()
    for item in data["checks"]:
        # `required_level` is the level that requires the check; `level`, its first name, is
        # kept with the same value while schema_version is 1
        assert "required_level" in item and item["level"] == item["required_level"]
    again = Scorecard.from_json(data)
    assert [c.level for c in again.checks] == [c.level for c in card.checks]
    # a results file written before the rename still reads
    for item in data["checks"]:
        del item["required_level"]
    assert [c.level for c in Scorecard.from_json(data).checks] == [c.level for c in card.checks]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("@org/team", "`@org/team`"),
        ("mail me: a@b.com", "mail me: a@b.com"),
        ("<script>", "&lt;script&gt;"),
        ("![x](http://t)", "!\\[x\\](http:\u200b//t)"),
        ("see www.evil.test", "see w\u200bww.evil.test"),
    ],
)
def test_escape(raw, expected):
    assert markdown.escape(raw) == expected


def test_code_span_survives_backticks():
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("`x`") == "`` `x` ``"
    assert markdown.code("a|b", table=True) == "`a\\|b`"


@pytest.mark.parametrize(
    "path,uri",
    [
        ("src/app.py", "src/app.py"),
        ("docs/a b#c?.md", "docs/a%20b%23c%3F.md"),
        ("x\n::error file=a::pwned", "x%0A%3A%3Aerror%20file%3Da%3A%3Apwned"),
        ("already%0Aencoded", "already%250Aencoded"),
        ("c:/windows.txt", "c%3A/windows.txt"),
        ("//host/share", "%2F%2Fhost/share"),
        ("café/ü.md", "caf%C3%A9/%C3%BC.md"),
    ],
)
def test_sarif_uris_are_percent_encoded(path, uri):
    card = Scorecard(
        target="t",
        commit=None,
        score=0,
        level=None,
        checks=(
            result(
                "no-private-keys",
                Status.FAIL,
                "key",
                pillar="security",
                locations=[Location(path, 2)],
            ),
        ),
        pillars=(),
        levels=(),
        standard="default",
    )
    out = sarif.render(card)
    jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(out)
    loc = out["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == uri
    assert unquote(uri) == path


def test_a_mention_right_after_a_mention_is_not_live():
    """Found by the property test: in ``x@acme/team@acme/team`` the first mention went into a
    code span, and the second, now after a backtick, would have pinged the team."""
    from scorecard.render.markdown import escape

    out = escape("\U0004187a@acme/team@acme/team, @u@v and a@b.co")
    assert out == "\U0004187a`@acme/team@acme/team`, `@u@v` and a@b.co"
