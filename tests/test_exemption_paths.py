"""Exemptions scoped to paths (issue 11, point 4): exempt when every location is covered,
otherwise the uncovered locations still fail; flagged when expiring within 14 days."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from harness import build_repo
from reportfixtures import repo, scan, write

from scorecard.cli import main
from scorecard.compare import compare
from scorecard.engine import _exempt_paths
from scorecard.model import Exemption, Location, Status
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.render import comment
from scorecard.report import dashboard
from scorecard.report.history import History
from scorecard.report.records import load_results
from scorecard.report.summary import summarise
from scorecard.rules.base import compile_glob
from scorecard.sources.local import open_local
from scorecard.standard import StandardError, resolve

BEGIN = "-----BEGIN " + "RSA PRIVATE KEY-----"  # built so that this file holds no marker
PEM = f"{BEGIN}\nMIIEsecret\n-----END RSA PRIVATE KEY-----\n"
TODAY = dt.date(2027, 1, 10)


def exemption(*paths: str, expired: bool = False) -> Exemption:
    return Exemption(
        "no-private-keys",
        "test keys",
        "2027-02-01",
        expired,
        paths,
        matcher=tuple(compile_glob(p) for p in paths) or None,
    )


LOCS = (Location("tests/fixtures/a.pem", 1), Location("tests/fixtures/b/c.key", 2))


def test_every_location_covered_is_exempt():
    status, message, locs = _exempt_paths(exemption("tests/fixtures/"), Status.FAIL, "keys", LOCS)
    assert status is Status.EXEMPT and locs == LOCS
    assert message == "exempt until 2027-02-01 for tests/fixtures/: test keys — keys"


def test_some_covered_the_rest_still_fails():
    locs = (*LOCS, Location("deploy/prod.key", 3))
    status, message, left = _exempt_paths(exemption("tests/**"), Status.FAIL, "keys", locs)
    assert status is Status.FAIL and left == (Location("deploy/prod.key", 3),)
    assert message == "keys (2 locations exempt until 2027-02-01 for tests/**: test keys)"


def test_none_covered_and_no_location_stay_failures():
    status, message, left = _exempt_paths(exemption("docs/"), Status.FAIL, "keys", LOCS)
    assert (status, message, left) == (Status.FAIL, "keys", LOCS)
    status, _, left = _exempt_paths(exemption("**"), Status.FAIL, "no file", ())
    assert status is Status.FAIL and left == ()


def std(paths: str, expires: str = "2027-02-01") -> str:
    return (
        "exemptions:\n  - check: no-private-keys\n    reason: test keys\n"
        f"    expires: {expires}\n    paths: {paths}\n"
    )


def grade(tmp_path: Path, files: dict[str, str], text: str, today: dt.date = TODAY):
    reg = default_registry()
    standard = resolve(reg, [("standards.yml", text)], today=today)
    root = build_repo(tmp_path / f"r{len(list(tmp_path.iterdir()))}", files)
    return grade_snapshot(open_local(root), standard, reg)


def test_end_to_end_and_expiry(tmp_path):
    files = {"README.md": "# x\n", "samples/a.pem": PEM, "deploy/prod.pem": PEM}
    card = grade(tmp_path, files, std("['samples/']"))
    r = card.result("no-private-keys")
    assert r is not None and r.status is Status.FAIL
    assert [loc.path for loc in r.locations] == ["deploy/prod.pem"]
    assert "1 location exempt until 2027-02-01 for samples/" in r.message
    only_tests = grade(tmp_path, {"README.md": "# x\n", "samples/a.pem": PEM}, std("['samples/']"))
    r = only_tests.result("no-private-keys")
    assert r is not None and r.status is Status.EXEMPT
    assert r.exemption is not None and r.exemption.to_json()["paths"] == ["samples/"]
    expired = grade(
        tmp_path,
        {"README.md": "# x\n", "samples/a.pem": PEM},
        std("['samples/']"),
        today=dt.date(2027, 3, 1),
    )
    r = expired.result("no-private-keys")
    assert r is not None and r.status is Status.FAIL and "exemption expired on" in r.message


@pytest.mark.parametrize(
    ("paths", "key", "message"),
    [
        ("[]", "exemptions[0].paths", "must not be empty"),
        ("['!tests/']", "exemptions[0].paths[0]", "negated glob"),
        ("tests/", "exemptions[0].paths", "is not of type 'array'"),
    ],
)
def test_bad_paths_name_file_line_and_key(paths, key, message):
    with pytest.raises(StandardError) as exc:
        resolve(default_registry(), [("standards.yml", std(paths))], today=TODAY)
    assert exc.value.key == key and message in exc.value.message and exc.value.line == 5


def test_pr_comment_flags_an_exemption_expiring_within_14_days(tmp_path, snapshot):
    files = {"README.md": "# x\n", "samples/a.pem": PEM}
    soon = grade(tmp_path, files, std("['samples/']", "2027-01-20"))
    body = comment.render(compare(soon, soon))
    lines = [x for x in body.splitlines() if x.startswith("⏳")]
    assert lines == snapshot
    later = grade(tmp_path, files, std("['samples/']", "2027-06-01"))
    assert "⏳" not in comment.render(compare(later, later))


def test_org_report_lists_exemptions_expiring_soon(tmp_path, snapshot):
    def with_exemption(rec: dict, expires: str) -> dict:
        card = rec["scorecard"]
        checks = [dict(c) for c in card["checks"]]
        checks[0]["status"] = "exempt"
        checks[0]["exemption"] = {"reason": "<b>moving</b>", "expires": expires, "expired": False}
        rec["scorecard"] = {**card, "checks": checks}
        return rec

    records = [
        scan(started_at="2025-05-12T06:00:00Z"),
        with_exemption(repo("acme/api", "platform"), "2025-05-20"),
        with_exemption(repo("acme/web", None), "2025-05-13"),
        with_exemption(repo("acme/old", "platform"), "2025-08-01"),  # not soon
    ]
    results = load_results([write(tmp_path / "r.jsonl", records)])
    s = summarise(results, History(), generated_at="2025-05-12T07:00:00Z")
    assert [(e.name, expires) for e, _, expires, _ in s.expiring] == [
        ("acme/web", "2025-05-13"),
        ("acme/api", "2025-05-20"),
    ]
    body = dashboard.render(s)
    section = body.split("**Exemptions expiring within 14 days** (2)", 1)[1].split("\n\n")[1]
    assert section == snapshot
    assert "<b>" not in section
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "r.jsonl"), "--html", str(out)]) == 0
    page = out.read_text()
    assert 'id="expiring"' in page and "&lt;b&gt;moving&lt;/b&gt;" in page


def test_json_of_a_partly_exempt_failure(tmp_path):
    root = build_repo(
        tmp_path / "r", {"README.md": "# x\n", "samples/a.pem": PEM, "deploy/prod.pem": PEM}
    )
    cfg = tmp_path / "std.yml"
    cfg.write_text(std("['samples/**']", "2099-01-01"), encoding="utf-8")
    out = io.StringIO()
    main(["check", str(root), "--format", "json", "--config", str(cfg)], stdout=out)
    result = next(c for c in json.loads(out.getvalue())["checks"] if c["id"] == "no-private-keys")
    assert result["status"] == "fail" and result["exemption"]["paths"] == ["samples/**"]
    assert [loc["path"] for loc in result["locations"]] == ["deploy/prod.pem"]
