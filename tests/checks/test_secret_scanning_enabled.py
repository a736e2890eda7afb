from __future__ import annotations

import pytest

from scorecard.model import Status
from scorecard.snapshot import Platform, Unknown


class Fake(Platform):
    def __init__(self, answer: str | Unknown) -> None:
        self.answer = answer

    def secret_scanning(self) -> str | Unknown:
        return self.answer


def test_local_mode_is_unknown(run_check):
    r = run_check("secret-scanning-enabled", {"README.md": "x"})
    assert r.status is Status.UNKNOWN
    assert "GitHub API" in r.message


@pytest.mark.parametrize(
    "answer,status,fragment",
    [
        ("enabled", Status.PASS, "enabled"),
        ("disabled", Status.FAIL, "secret scanning is disabled"),
        ("", Status.FAIL, "not enabled"),
        (Unknown("needs a token with admin rights"), Status.UNKNOWN, "admin rights"),
    ],
)
def test_platform_answers(make_snapshot, run_check, answer, status, fragment):
    snap = make_snapshot({})
    snap.platform = Fake(answer)
    r = run_check("secret-scanning-enabled", {}, snap=snap)
    assert r.status is status
    assert fragment in r.message
