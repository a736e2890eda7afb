"""Tracks: a standard's other ladders (`tracks:`), each with its own levels over its own
checks, optionally scoped by `when`: reading them, grading them, every output, gates."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.cli import main
from scorecard.compare import compare
from scorecard.model import Scorecard, Status
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.render import comment, markdown, text
from scorecard.standard import StandardError, resolve

TRACKS = """\
tracks:
  - name: security
    levels:
      - {name: Bronze, checks: [no-private-keys, security-policy-present]}
      - {name: Silver, checks: [license-present]}
  - name: production-readiness
    when: {not: {catalog: {spec.type: documentation}}}
    levels:
      - {name: Ready, checks: [tests-present, ci-configured]}
"""
README = "# Service\n\nWords enough to count as a real readme for the service.\n"
DOCS = "kind: Component\nmetadata: {name: h}\nspec: {type: documentation, owner: a}\n"


def card_of(tmp_path: Path, files: dict[str, str], std: str = TRACKS) -> Scorecard:
    reg = default_registry()
    standard = resolve(reg, [("standards.yml", std)])
    from scorecard.sources.local import open_local

    root = build_repo(tmp_path / f"r{len(list(tmp_path.iterdir()))}", files)
    return grade_snapshot(open_local(root), standard, reg)


def test_each_track_is_graded_over_its_own_checks(tmp_path):
    card = card_of(tmp_path, {"README.md": README, "SECURITY.md": "mail us\n"})
    security, ready = card.tracks
    assert (security.name, security.level) == ("security", "Bronze")
    assert security.blocking == ("license-present",) and security.score == 67
    assert (ready.level, ready.applies) == (None, True)
    assert set(ready.blocking) == {"tests-present", "ci-configured"} and ready.score == 0
    assert card.level is None  # the main ladder is unchanged (no LICENSE, no CODEOWNERS...)


def test_a_track_whose_when_does_not_hold_does_not_apply(tmp_path):
    card = card_of(tmp_path, {"README.md": README, "catalog-info.yaml": DOCS})
    ready = card.tracks[1]
    assert not ready.applies and ready.level is None
    assert "spec.type=documentation" in ready.reason
    doc = card.to_json()["tracks"][1]
    assert doc["applies"] is False and doc["reason"] == ready.reason


def test_json_grows_only_with_tracks(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": README})
    out = io.StringIO()
    main(["check", str(root), "--format", "json"], stdout=out)
    assert "tracks" not in json.loads(out.getvalue())
    cfg = tmp_path / "std.yml"
    cfg.write_text(TRACKS, encoding="utf-8")
    out = io.StringIO()
    main(["check", str(root), "--format", "json", "--config", str(cfg)], stdout=out)
    doc = json.loads(out.getvalue())
    assert [t["name"] for t in doc["tracks"]] == ["security", "production-readiness"]
    assert set(doc["tracks"][0]) == {"name", "applies", "level", "score", "blocking", "levels"}
    assert Scorecard.from_json(doc).tracks[0].blocking == tuple(doc["tracks"][0]["blocking"])


def test_json_tracks_entries(tmp_path, snapshot):
    card = card_of(tmp_path, {"README.md": README, "SECURITY.md": "x\n"})
    assert card.to_json()["tracks"] == snapshot


def test_naming_a_check_in_a_track_enables_it():
    std = resolve(
        default_registry(),
        [("s.yml", "checks: {license-present: false}\n"), ("t.yml", TRACKS)],
    )
    assert std.settings["license-present"].enabled
    off = resolve(
        default_registry(), [("s.yml", TRACKS + "checks:\n  license-present: {enabled: false}\n")]
    )
    assert not off.settings["license-present"].enabled


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            "tracks:\n  - name: a\n    levels: [{name: X, checks: [no-such]}]\n",
            "tracks[0].levels[0].checks[0]",
            "unknown check 'no-such'",
        ),
        ("tracks:\n  - name: a\n    levels: []\n", "tracks[0].levels", "must not be empty"),
        (
            "tracks:\n  - name: a\n    levels: [{name: X, checks: []}]\n",
            "tracks[0].levels[0].checks",
            "must not be empty",
        ),
        (
            "tracks:\n  - {name: a, levels: [{name: X, checks: [readme-present]}]}\n"
            "  - {name: A, levels: [{name: X, checks: [readme-present]}]}\n",
            "tracks[1].name",
            "a second track named 'A'",
        ),
        (
            "tracks:\n  - name: a\n    levels:\n      - {name: X, checks: [readme-present]}\n"
            "      - {name: x, checks: [license-present]}\n",
            "tracks[0].levels[1].name",
            "a second level named 'x'",
        ),
        (
            "tracks:\n  - name: a\n    levels:\n      - {name: X, checks: [readme-present]}\n"
            "      - {name: Y, checks: [readme-present]}\n",
            "tracks[0].levels[1].checks[0]",
            "already in level 'X'",
        ),
        (
            "tracks:\n  - name: a\n    when: {langauge: go}\n"
            "    levels: [{name: X, checks: [readme-present]}]\n",
            "tracks[0].when",
            "unknown key 'langauge'",
        ),
        ("tracks:\n  - name: a\n    level: []\n", "tracks[0]", "unknown key 'level'"),
    ],
)
def test_bad_tracks_name_file_line_and_key(body, key, message):
    with pytest.raises(StandardError) as exc:
        resolve(default_registry(), [("standards.yml", body)])
    assert exc.value.key == key and message in exc.value.message
    assert exc.value.file == "standards.yml" and exc.value.line


def test_org_may_forbid_repositories_to_add_tracks():
    with pytest.raises(StandardError, match="does not allow repositories to change tracks"):
        resolve(
            default_registry(),
            [("org", "allow: {tracks: false}\n"), ("repo", TRACKS)],
            restrict_from=1,
        )


def test_text_and_markdown_show_a_line_per_track(tmp_path, snapshot):
    card = card_of(tmp_path, {"README.md": README, "catalog-info.yaml": DOCS})
    lines = [x for x in text.render(card).splitlines() if x.startswith("track ")]
    assert lines == snapshot
    md = markdown.render(card)
    table = md.split("| track |", 1)[1].split("\n\n", 1)[0]
    assert "| track |" + table == snapshot


def test_pr_comment_shows_what_the_change_does_per_track(tmp_path, snapshot):
    base = card_of(tmp_path, {"README.md": README})
    head = card_of(tmp_path, {"README.md": README, "SECURITY.md": "x\n", "LICENSE": "MIT\n"})
    body = comment.render(compare(base, head))
    section = body.split("**Tracks**\n", 1)[1].split("\n\n", 1)[0]
    assert section == snapshot
    assert "- security: 🥈 Silver · 100/100 — 🥈" in section or "Silver" in section


def test_fail_under_a_track(tmp_path, capsys):
    root = build_repo(tmp_path / "r", {"README.md": README, "SECURITY.md": "x\n"})
    cfg = tmp_path / "std.yml"
    cfg.write_text(TRACKS, encoding="utf-8")
    base = ["check", str(root), "--config", str(cfg)]
    assert main([*base, "--fail-under", "security=bronze"], stdout=io.StringIO()) == 0
    assert main([*base, "--fail-under", "Security=Silver"], stdout=io.StringIO()) == 1
    assert "below fail-under Security=Silver (track security: Bronze" in capsys.readouterr().err
    assert main([*base, "--fail-under", "security=platinum"], stdout=io.StringIO()) == 2
    assert "not a level of track security (Bronze, Silver)" in capsys.readouterr().err
    # a track that does not apply never fails the gate
    (root / "catalog-info.yaml").write_text(DOCS)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    assert main([*base, "--fail-under", "production-readiness=ready"], stdout=io.StringIO()) == 0


def test_fail_under_an_unknown_track_is_a_usage_error(tmp_path, capsys):
    root = build_repo(tmp_path / "r", {"README.md": README})
    cfg = tmp_path / "std.yml"
    cfg.write_text(TRACKS, encoding="utf-8")
    argv = ["check", str(root), "--config", str(cfg), "--fail-under", "secrity=Bronze"]
    assert main(argv, stdout=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "no track 'secrity' in the standard (tracks: security, production-readiness)" in err
    assert "Traceback" not in err
    # without tracks in the standard
    argv = ["check", str(root), "--fail-under", "security=Bronze"]
    assert main(argv, stdout=io.StringIO()) == 2
    assert "(it has none)" in capsys.readouterr().err


def test_fail_under_given_twice_gates_both(tmp_path, capsys):
    """A second --fail-under adds a gate; it used to replace the first one silently."""
    root = build_repo(tmp_path / "r", {"README.md": README, "SECURITY.md": "x\n"})
    cfg = tmp_path / "std.yml"
    cfg.write_text(TRACKS, encoding="utf-8")
    base = ["check", str(root), "--config", str(cfg)]
    assert (
        main([*base, "--fail-under", "security=Silver", "--fail-under", "0"], stdout=io.StringIO())
        == 1
    )
    assert "below fail-under security=Silver" in capsys.readouterr().err
    assert (
        main([*base, "--fail-under", "0", "--fail-under", "security=Silver"], stdout=io.StringIO())
        == 1
    )
    assert (
        main([*base, "--fail-under", "0", "--fail-under", "security=Bronze"], stdout=io.StringIO())
        == 0
    )


def test_results_of_tracks_are_plain_checks(tmp_path):
    card = card_of(tmp_path, {"README.md": README})
    result = card.result("security-policy-present")
    assert result is not None and result.status is Status.FAIL


def test_the_readme_example_loads_and_grades(tmp_path):
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("### Tracks: more than one ladder", 1)[1].split("\n##", 1)[0]
    (block,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    card = card_of(tmp_path, {"README.md": README}, std=block)
    assert [t.name for t in card.tracks] == ["security", "production-readiness"]
    claimed = "security: 🥈 Silver · 100/100 — No level → 🥈 Silver, score +67"
    assert claimed in (Path(__file__).parent / "__snapshots__" / "test_tracks.ambr").read_text()
