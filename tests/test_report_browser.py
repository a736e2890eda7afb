"""The HTML report in a real headless Chromium, driven by Selenium, as a reader uses it: the
table sorts when a column header is clicked, the text box and the level filter filter it, the
team lists open, the SVG charts are drawn, hostile names stay text, and the console stays free
of errors (a Content-Security-Policy violation would be one). A screenshot of the whole page
goes to test-artifacts/report.png.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and the ``selenium`` package; the
test skips without them, except in CI (``CI=true``), where it fails instead."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from reportfixtures import CATALOG, error, repo, scan, write

from scorecard.cli import main

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TEAMS = (
    "platform",
    "payments",
    "frontend",
    "data",
    "mobile",
    None,
    "<img src=x onerror=window.pwned=1>",
)
IDS = [c[0] for c in CATALOG]


def _browser() -> tuple[str, str]:
    """Chromium and chromedriver, or skip (fail in CI) saying what is missing."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    chrome = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    driver = shutil.which("chromedriver")
    if chrome is None:
        missing.append("a Chromium binary (apt-get install chromium)")
    if driver is None:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        reason = "the browser test needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: not skipped)")
        pytest.skip(reason)
    assert chrome is not None and driver is not None
    return chrome, driver


def org_with_history(tmp_path: Path) -> tuple[Path, Path]:
    """36 repositories of six teams (and a hostile one), one that could not be graded, and
    three earlier scans in the history."""
    rng = random.Random(7)
    names = [
        f"acme/{w}-{i}"
        for i, w in enumerate(
            [
                "api",
                "web",
                "ledger",
                "gateway",
                "auth",
                "search",
                "billing",
                "infra",
                "docs",
                "mobile-app",
                "etl",
                "dashboard",
            ]
            * 3
        )
    ]
    records = [scan(repositories=len(names) + 1)]
    for i, name in enumerate(names):
        fails = rng.sample(IDS, rng.choice([0, 0, 1, 1, 2, 3, 4]))
        records.append(
            repo(name, TEAMS[i % len(TEAMS)], fails, message="missing <b>file</b> @acme/everyone")
        )
    records.append(repo("acme/<script>window.pwned=2</script>", "platform", IDS[:2]))
    records.append(error("acme/archive-bot", "GitHub answered 502 <b>Bad Gateway</b> three times"))
    results = write(tmp_path / "results.jsonl", records)
    levels = [None, "Bronze", "Silver", "Gold"]
    history = []
    for week, day in enumerate(("2025-04-21", "2025-04-28", "2025-05-05")):
        repos = {}
        for name in names[: 24 + 4 * week]:
            score = rng.randint(30 + 10 * week, 100)
            repos[name] = [levels[min(3, score // 25)] if score >= 50 else None, score]
        history.append({"scanned_at": f"{day}T06:00:00Z", "org": "acme", "repos": repos})
    hist = tmp_path / "history.jsonl"
    hist.write_text("".join(json.dumps(h) + "\n" for h in history))
    return results, hist


@pytest.fixture
def page(tmp_path):
    chrome, driver_path = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    results, hist = org_with_history(tmp_path)
    out = tmp_path / "report.html"
    assert (
        main(
            [
                "report",
                str(results),
                "--html",
                str(out),
                "--history",
                str(hist),
                "--no-history-update",
                "--report-url",
                "https://acme.github.io/r.html",
            ]
        )
        == 0
    )
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        driver.set_page_load_timeout(15)
        driver.get(out.as_uri())
        yield driver
    finally:
        driver.quit()


def column(driver, index: int) -> list[str]:
    return [
        td.text
        for td in driver.find_elements("css selector", f"#repos tbody tr td:nth-child({index})")
    ]


def test_report_in_a_browser(page):
    driver = page
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    rows = driver.find_elements("css selector", "#repos tbody tr")
    assert len(rows) == 37
    names = column(driver, 1)
    assert names == sorted(names, key=str.lower)  # by name at first
    assert "acme/<script>window.pwned=2</script>" in names  # shown as text

    # Sorting: score, highest first, then lowest first.
    driver.find_element("css selector", 'th[data-key="score"] button').click()
    scores = [int(x) for x in column(driver, 4)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    th = driver.find_element("css selector", 'th[data-key="score"]')
    assert th.get_attribute("aria-sort") == "descending"
    th.find_element("css selector", "button").click()
    assert [int(x) for x in column(driver, 4)] == sorted(scores)
    assert th.get_attribute("aria-sort") == "ascending"
    driver.find_element("css selector", 'th[data-key="team"] button').click()
    teams = column(driver, 2)
    assert teams == sorted(teams, key=str.lower)

    # The text filter: a team, then a check id.
    box = driver.find_element("id", "filter")
    box.send_keys("payments")
    teams = column(driver, 2)
    assert teams and set(teams) == {"payments"}
    assert driver.find_element("id", "count").text == f"{len(teams)} of 37 repositories"
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("actions-pinned")
    failing = column(driver, 6)
    assert failing and all("actions-pinned" in f for f in failing)
    assert len(failing) < 37
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    assert len(column(driver, 1)) == 37

    # The level filter.
    levels = Select(driver.find_element("id", "level-filter"))
    gold_tile = driver.find_element("css selector", ".tile.lv-3 .big").text
    levels.select_by_visible_text("Gold")
    shown = column(driver, 3)
    assert shown and {s.split()[0] for s in shown} == {"Gold"}
    assert len(shown) == int(gold_tile)
    levels.select_by_visible_text("No level")
    assert {s.split()[0] for s in column(driver, 3)} == {"No"}
    levels.select_by_visible_text("all levels")
    assert len(column(driver, 1)) == 37

    # A team's repositories, drawn when opened.
    details = driver.find_element("css selector", "details.teamrepos")
    details.find_element("tag name", "summary").click()
    # drawn by the `toggle` event, which the browser fires after the click returns
    WebDriverWait(driver, 10).until(lambda _: len(details.find_elements("tag name", "li")) >= 5)

    # The charts: present, drawn, not empty.
    for chart in ("chart-levels", "chart-pillars", "chart-trend-levels", "chart-trend-score"):
        box = driver.execute_script(
            "const s = document.getElementById(arguments[0]); const b = s.getBBox();"
            "return [b.width, b.height, s.querySelectorAll('rect, polyline, circle').length];",
            chart,
        )
        assert box[0] > 100 and box[1] > 50 and box[2] >= 4, (chart, box)
    assert len(driver.find_elements("css selector", "#chart-trend-levels polyline")) == 4

    # Hostile names stayed text; nothing ran; the console has no error.
    assert driver.execute_script("return window.pwned === undefined")
    logs = driver.get_log("browser")
    assert [e for e in logs if e["level"] in ("SEVERE", "ERROR")] == [], logs

    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 100, 8000))
    driver.save_screenshot(str(ARTIFACTS / "report.png"))
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
