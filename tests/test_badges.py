"""Badges (scorecard.badges): what a badge says, its two formats, and the org report's badges."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from reportfixtures import error, repo, scan, write

from scorecard.badges import (
    COLOURS,
    MAX_TEXT,
    Badge,
    badge_for,
    badge_path,
    endpoint_json,
    level_colour,
    stale_by_age,
    svg,
    text_width,
)
from scorecard.cli import main

LEVELS = ("Bronze", "Silver", "Gold")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("level", "colour"),
    [("Gold", "brightgreen"), ("Silver", "green"), ("Bronze", "yellowgreen"), (None, "red")],
)
def test_colour_by_rank_of_the_level(level, colour):
    assert level_colour(level, LEVELS) == colour


def test_a_fourth_level_from_the_top_is_yellow_and_an_unknown_one_too():
    levels = ("Wood", "Bronze", "Silver", "Gold")
    assert level_colour("Wood", levels) == "yellow"
    assert level_colour("Platinum", levels) == "yellow"


def test_messages():
    assert badge_for("Gold", 92, LEVELS) == Badge("scorecard", "Gold · 92", "brightgreen")
    assert badge_for(None, 42, LEVELS).message == "below Bronze · 42"
    assert badge_for(None, None, LEVELS).message == "not graded"
    stale = badge_for("Gold", 92, LEVELS, stale_reason="old")
    assert (stale.message, stale.colour, stale.stale) == ("Gold · 92 (stale)", "lightgrey", True)


def test_stale_by_age():
    now = dt.datetime(2025, 5, 20, tzinfo=dt.timezone.utc)
    assert stale_by_age(now - dt.timedelta(days=7), now, 7) is None
    reason = stale_by_age(now - dt.timedelta(days=8), now, 7)
    assert reason == "checked 8 day(s) ago (more than 7)"
    assert stale_by_age(now - dt.timedelta(seconds=1), now, 0) is not None


def test_endpoint_json_follows_the_shields_schema():
    doc = json.loads(endpoint_json(badge_for("Silver", 71, LEVELS)))
    assert doc == {
        "schemaVersion": 1,
        "label": "scorecard",
        "message": "Silver · 71",
        "color": "green",
        "cacheSeconds": 3600,
    }
    assert set(COLOURS) >= {"brightgreen", "green", "yellowgreen", "yellow", "red", "lightgrey"}


HOSTILE = '<script>"&\x1b[31m\n::error::x' + "W" * 100


def test_hostile_text_is_escaped_one_line_and_cut():
    badge = Badge(HOSTILE, HOSTILE, "red")
    doc = json.loads(endpoint_json(badge))
    for text in (doc["label"], doc["message"]):
        assert len(text) == MAX_TEXT and "\n" not in text and "\x1b" not in text
    root = ET.fromstring(svg(badge))  # well-formed: everything was escaped
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts and all(t and t.startswith("<script>") for t in texts)
    assert "<script>" not in svg(badge)
    assert root.get("aria-label", "").startswith('<script>"&')


def test_svg_width_follows_the_text():
    short, long = svg(badge_for("Gold", 9, LEVELS)), svg(badge_for("Silver", 100, LEVELS))
    width = lambda text: int(ET.fromstring(text).get("width", "0"))  # noqa: E731
    assert width(long) > width(short)
    assert width(short) == text_width("scorecard") + text_width("Gold · 9") + 20
    assert text_width("iii") < text_width("aaa") < text_width("MMM")


def test_svg_snapshot(snapshot):
    assert svg(badge_for("Gold", 92, LEVELS)) == snapshot
    assert svg(badge_for("Silver", 71, LEVELS, stale_reason="old")) == snapshot


def test_endpoint_snapshot(snapshot):
    assert endpoint_json(badge_for(None, 42, LEVELS)) == snapshot


@pytest.mark.parametrize("name", ["acme/../x", "../acme", "acme/a/b", "acme", "acme/.", "/etc/x"])
def test_a_name_github_would_not_allow_gets_no_path(tmp_path, name):
    assert badge_path(tmp_path, name) is None


def test_badge_path_stays_in_the_folder(tmp_path):
    assert badge_path(tmp_path, "acme/api.v2") == tmp_path / "acme" / "api.v2"


# ---- the org report ---------------------------------------------------------------------------


def ago(days: float) -> str:
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_badge(folder: Path, name: str) -> dict:
    return json.loads((folder / f"{name}.json").read_text("utf-8"))


def test_report_writes_a_badge_per_repository(tmp_path, capsys):
    results = write(
        tmp_path / "r.jsonl",
        [
            scan(started_at=ago(0.1)),
            repo("acme/api", "platform", scanned_at=ago(0.1)),
            repo("acme/web", "web", ("security-policy-present",), scanned_at=ago(0.1)),
            repo("acme/old", "web", scanned_at=ago(11)),
            repo("acme/moved", "web", scanned_at=ago(1)),
            error("acme/moved", "timeout", scanned_at=ago(0.1)),
            error("acme/broken", "timeout", scanned_at=ago(0.1)),
            repo("acme/<x>", "web", scanned_at=ago(0.1)),
        ],
    )
    out = tmp_path / "site" / "badges"
    code = main(["report", str(results), "--badges", str(out), "--html", str(tmp_path / "r.html")])
    assert code == 0
    err = capsys.readouterr().err
    assert f"badges: 5 in {out}" in err and "no badge for 'acme/<x>'" in err
    assert read_badge(out, "acme/api")["color"] == "brightgreen"
    assert read_badge(out, "acme/web")["message"].startswith("Bronze · ")
    # checked 11 days ago: stale with the default 7 days
    assert read_badge(out, "acme/old")["message"].endswith("(stale)")
    # the newest scan could not grade it: the previous result, stale
    moved = read_badge(out, "acme/moved")
    assert moved["message"].endswith("(stale)") and moved["color"] == "lightgrey"
    assert read_badge(out, "acme/broken")["message"] == "not graded"
    assert (out / "acme" / "api.svg").read_text("utf-8").startswith("<svg")
    assert sorted(p.name for p in out.rglob("*")) == sorted(
        ["acme"]
        + [
            f"{n}.{ext}"
            for n in ("api", "web", "old", "moved", "broken")
            for ext in ("json", "svg")
        ]
    )


def test_badge_max_age_is_an_option(tmp_path, capsys):
    results = write(
        tmp_path / "r.jsonl",
        [scan(), repo("acme/api", "platform", scanned_at=ago(11))],
    )
    out = tmp_path / "b"
    assert main(["report", str(results), "--badges", str(out), "--badge-max-age", "30"]) == 0
    assert not read_badge(out, "acme/api")["message"].endswith("(stale)")
    with pytest.raises(SystemExit) as exc:
        main(["report", str(results), "--badges", str(out), "--badge-max-age", "-1"])
    assert exc.value.code == 2
    assert "give a number of days" in capsys.readouterr().err
