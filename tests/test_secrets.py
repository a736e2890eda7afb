"""The process-wide secret registry: registered secrets never survive redact()."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import secrets


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    secrets._forget_all()
    yield
    secrets._forget_all()


def test_redacts_a_registered_token_anywhere() -> None:
    secrets.register("ghp_canary0123456789")
    assert (
        secrets.redact("401: Bearer ghp_canary0123456789 was refused")
        == "401: Bearer *** was refused"
    )


def test_nothing_registered_leaves_text_alone() -> None:
    assert secrets.redact("ghp_canary0123456789") == "ghp_canary0123456789"


def test_short_values_are_not_registered() -> None:
    secrets.register("abc")
    assert secrets.redact("abc abc") == "abc abc"


def test_each_line_of_a_key_is_redacted() -> None:
    key = (
        "-----BEGIN KEY-----\nMIIEowIBAAKCAQEAsecretline1\n"
        "MIIEowIBAAKCAQEAsecretline2\n-----END KEY-----"
    )
    secrets.register(key)
    out = secrets.redact("bad key: MIIEowIBAAKCAQEAsecretline2 (line 3)")
    assert "secretline2" not in out


def test_a_longer_secret_containing_another_is_removed_whole() -> None:
    secrets.register("token1234")
    secrets.register("token1234-suffix-xyz")
    assert secrets.redact("x token1234-suffix-xyz y") == "x *** y"


def test_pem_armour_lines_stay_but_the_key_body_goes() -> None:
    secrets.register(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretbody\n"
        "-----END RSA PRIVATE KEY-----\n"
    )
    out = secrets.redact("found -----BEGIN RSA PRIVATE KEY----- then MIIEowIBAAKCAQEAsecretbody")
    assert out == "found -----BEGIN RSA PRIVATE KEY----- then ***"


def test_a_key_with_escaped_newlines_is_redacted_whole() -> None:
    secrets.register("-----BEGIN KEY-----\\nMIIEowIBAAKCAQEAsecret\\n-----END KEY-----")
    assert "MIIE" not in secrets.redact(
        "bad: -----BEGIN KEY-----\\nMIIEowIBAAKCAQEAsecret\\n-----END KEY-----"
    )


def test_json_escaped_and_url_encoded_forms_are_redacted() -> None:
    secret = 'ab/cd+ef"gh\\ij'
    secrets.register(secret)
    for form in (
        json.dumps(secret),
        json.dumps(secret).replace("/", "\\/"),
        quote(secret, safe=""),
    ):
        assert "ab" not in secrets.redact(f"echo {form} end"), form


@pytest.mark.parametrize(
    "token",
    [
        "ghp_" + "A1" * 18,
        "ghs_" + "0f" * 18,
        "github_pat_" + "x_Y9" * 20,
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyMywiaWF0IjoxfQ.c2lnbmF0dXJlc2lnbmF0dXJl",
    ],
)
def test_credential_shapes_are_redacted_unregistered(token: str) -> None:
    assert secrets.redact(f"x {token} y") == "x *** y"


@pytest.mark.parametrize(
    "echo",
    [
        "You sent Authorization: token s3cr3t-v4lue.x (bad)",
        '{"headers": {"authorization": "Bearer s3cr3t-v4lue.x"}}',
        "authorization=basic s3cr3t-v4lue.x",
    ],
)
def test_an_echoed_authorization_header_loses_its_value(echo: str) -> None:
    out = secrets.redact(echo)
    assert "s3cr3t" not in out and "***" in out
    assert secrets.redact(out) == out


def test_log_records_are_redacted_by_the_handlers(capsys: pytest.CaptureFixture[str]) -> None:
    secrets.register("ghp_canary0123456789")
    handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        secrets.protect_logging()
        secrets.protect_logging()  # once is enough: no second filter
        assert sum(isinstance(f, secrets.RedactFilter) for f in handler.filters) == 1
        log = logging.getLogger("scorecard.github.client")  # a child: its own records
        log.warning("sent %s", "token ghp_canary0123456789")
        try:
            raise ValueError("ghp_canary0123456789")
        except ValueError:
            log.exception("failed")
    finally:
        root.removeHandler(handler)
    err = capsys.readouterr().err
    assert "sent token ***" in err and "ValueError: ***" in err
    assert "ghp_canary" not in err


def test_an_uncaught_exception_is_printed_redacted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    secrets.register("ghp_canary0123456789")
    secrets.protect_tracebacks()
    try:
        raise RuntimeError("boom ghp_canary0123456789")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert "RuntimeError: boom ***" in err and "ghp_canary" not in err


SECRET_CHARS = st.characters(min_codepoint=33, max_codepoint=0x2FF)


@given(
    secret=st.text(SECRET_CHARS, min_size=secrets.MIN_LENGTH, max_size=40),
    pieces=st.lists(st.text(max_size=30), min_size=1, max_size=5),
    escape=st.sampled_from(["plain", "json", "json-slash", "url"]),
)
def test_property_a_registered_secret_never_survives(
    secret: str, pieces: list[str], escape: str
) -> None:
    """The secret embedded anywhere, repeated, in random text, and the message perhaps carried
    JSON-escaped or URL-encoded: no form of it is left."""
    secrets._forget_all()
    secrets.register(secret)
    message = secret.join(pieces) + secret
    carried = {
        "plain": message,
        "json": json.dumps(message),
        "json-slash": json.dumps(message).replace("/", "\\/"),
        "url": quote(message, safe=""),
    }[escape]
    out = secrets.redact(carried)
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        quote(secret, safe=""),
    }
    assert not any(form in out for form in forms)


def test_a_token_in_a_url_query_is_redacted() -> None:
    line = (
        '"GET /acme/app/legacy.tar.gz/refs/heads/main?token=ABCDEF123456&x=1 HTTP/1.1" 200'
        " and https://h/p?access_token=zzzzzzzz9"
    )
    out = secrets.redact(line)
    assert "ABCDEF" not in out and "zzzz" not in out and "?token=***&x=1 HTTP" in out
