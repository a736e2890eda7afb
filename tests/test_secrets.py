"""The process-wide secret registry: registered secrets never survive redact()."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scorecard import secrets


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    secrets._forget_all()
    yield
    secrets._forget_all()


def test_redacts_a_registered_token_anywhere() -> None:
    secrets.register("ghp_canary0123456789")
    assert secrets.redact("401: Bearer ghp_canary0123456789 was refused") == \
        "401: Bearer *** was refused"


def test_nothing_registered_leaves_text_alone() -> None:
    assert not secrets.registered()
    assert secrets.redact("ghp_canary0123456789") == "ghp_canary0123456789"


def test_short_values_are_not_registered() -> None:
    secrets.register("abc")
    assert secrets.redact("abc abc") == "abc abc"


def test_each_line_of_a_key_is_redacted() -> None:
    key = ("-----BEGIN KEY-----\nMIIEowIBAAKCAQEAsecretline1\n"
           "MIIEowIBAAKCAQEAsecretline2\n-----END KEY-----")
    secrets.register(key)
    out = secrets.redact("bad key: MIIEowIBAAKCAQEAsecretline2 (line 3)")
    assert "secretline2" not in out


def test_a_longer_secret_containing_another_is_removed_whole() -> None:
    secrets.register("token1234")
    secrets.register("token1234-suffix-xyz")
    assert secrets.redact("x token1234-suffix-xyz y") == "x *** y"
