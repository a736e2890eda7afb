from __future__ import annotations

import importlib.metadata

import pytest
from harness import Symlink

from scorecard.checks.no_private_keys import keystores
from scorecard.model import Location, Status

# Built by concatenation so that this file itself holds no marker.
BEGIN = "-----BEGIN " + "{}PRIVATE KEY-----"
SECRET = "MIIEsecretmaterial"


def pem(kind: str = "RSA ") -> str:
    return f"{BEGIN.format(kind)}\n{SECRET}\n-----END {kind}PRIVATE KEY-----\n"


@pytest.mark.parametrize("kind", ["RSA ", "", "EC ", "OPENSSH ", "ENCRYPTED ", "DSA ", "PGP "])
def test_pem_key_fails(run_check, kind):
    r = run_check("no-private-keys", {"README.md": "x", "deploy/id.key": "\n\n" + pem(kind)})
    assert r.status is Status.FAIL
    assert r.locations == (Location("deploy/id.key", 3),)
    assert SECRET not in r.message
    assert r.data == {"ignored": 0}


@pytest.mark.parametrize(
    "content",
    [
        f'KEY = "{BEGIN.format("RSA ")}\\nMIIE..."\n',
        ("binary\0" + pem()).encode(),
        b"\xff\xfe invalid utf-8 " + pem().encode(),
    ],
)
def test_key_anywhere_in_any_file(run_check, content):
    r = run_check("no-private-keys", {"src/app.py": content})
    assert r.status is Status.FAIL
    assert r.locations[0].path == "src/app.py"


@pytest.mark.parametrize("name", ["cert.p12", "deploy/Cert.PFX", "a/b/store.pfx"])
def test_keystores_by_name(run_check, name):
    r = run_check("no-private-keys", {name: b"\x30\x82binary"})
    assert r.status is Status.FAIL
    assert r.locations == (Location(name),)


@pytest.mark.parametrize(
    "files",
    [
        {"a.pem": "-----BEGIN PUBLIC KEY-----\nMIIB\n"},
        {"a.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n"},
        {"a.txt": "-----BEGIN private key-----"},
        {"cert.p12.txt": "x", "p12": "x"},
        {"big.txt": "x" * (1024 * 1024) + pem()},
        {"link.pem": Symlink("/etc/ssl/private/none.pem")},
        {},
    ],
)
def test_clean(run_check, files):
    r = run_check("no-private-keys", files)
    assert r.status is Status.PASS
    assert r.data == {"ignored": 0}


def test_exactly_one_mib_is_scanned(run_check):
    key = pem()
    r = run_check("no-private-keys", {"edge.txt": "x" * (1024 * 1024 - len(key)) + key})
    assert r.status is Status.FAIL


@pytest.mark.parametrize(
    "path",
    [
        "tests/key.pem",
        "test/k",
        "a/b/testdata/k.pem",
        "fixtures/x/y.p12",
        "spec/k",
        "pkg/specs/k",
    ],
)
def test_test_folders_ignored_by_default(run_check, path):
    r = run_check("no-private-keys", {path: pem()})
    assert r.status is Status.PASS
    assert r.data == {"ignored": 1}
    assert "1 ignored" in r.message


@pytest.mark.parametrize("path", ["testsuite/k.pem", "Tests/k.pem", "mytest/k.pem"])
def test_similar_folders_are_not_ignored(run_check, path):
    assert run_check("no-private-keys", {path: pem()}).status is Status.FAIL


def test_ignore_option(run_check):
    files = {"tests/k.pem": pem(), "dev/local.pem": pem(), "dev/x.p12": b"x"}
    r = run_check("no-private-keys", files, options={"ignore": []})
    assert r.status is Status.FAIL
    assert [loc.path for loc in r.locations] == ["dev/local.pem", "dev/x.p12", "tests/k.pem"]
    assert r.locations[0].line == 1 and r.locations[1].line is None
    r = run_check("no-private-keys", files, options={"ignore": ["dev/", "!dev/x.p12"]})
    assert r.status is Status.FAIL
    assert r.locations == (Location("dev/x.p12"), Location("tests/k.pem", 1))
    assert r.data == {"ignored": 1}
    assert r.message.startswith("2 files hold a private key")


def test_invalid_ignore_pattern_is_an_error(run_check):
    r = run_check("no-private-keys", {"a": "x"}, options={"ignore": ["!"]})
    assert r.status is Status.ERROR
    assert "ignore" in r.message


def test_plain_folder_without_git(run_check):
    r = run_check("no-private-keys", {"k.pem": pem(), "tests/k.pem": pem()}, git_repo=False)
    assert r.status is Status.FAIL
    assert r.locations == (Location("k.pem", 1),)
    assert r.data == {"ignored": 1}


def test_many_keys_are_all_located(run_check):
    r = run_check("no-private-keys", {f"k{i:02}.pem": pem() for i in range(12)})
    assert len(r.locations) == 12
    assert "and 2 more" in r.message


@pytest.mark.parametrize(
    "files,expected",
    [
        (["a.p12", "b/C.PFX", "p12", "x.p12.bak", "y.pfx/z"], {"a.p12", "b/C.PFX"}),
        (["odd\nname.p12", "k.pfx", "n.txt"], {"odd\nname.p12", "k.pfx"}),
        ([], set()),
    ],
)
def test_keystores_helper(files, expected):
    assert keystores(files) == expected


@pytest.mark.skipif(
    int(importlib.metadata.version("pathspec").split(".")[0]) < 1,
    reason="pathspec 0.12's own GitIgnoreSpec decides some paths below an excluded directory "
    "otherwise; the check answers as pathspec 1.x does under either version",
)
@pytest.mark.parametrize(
    "patterns",
    [
        ["test/", "tests/", "testdata/", "fixtures/", "spec/", "specs/"],
        ["*.pem", "!keep/*.pem", "keep/", "/root.key", "docs/**/secret*", "a/*/b", "# comment", ""],
        ["**/fixtures", "!fixtures/real/", "x?y.key", "[ab]*.pem", "dir/", "!dir/keep.pem"],
    ],
)
def test_ignore_matching_equals_pathspec(patterns):
    """The check matches ignore patterns with the regular expressions pathspec's GitIgnoreSpec
    makes of them (compiled by RE2), deciding as pathspec does: same answers."""
    import random

    import pathspec

    from scorecard.checks.no_private_keys import ignore_rules, ignored_by

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    rules = ignore_rules(patterns)
    assert not isinstance(rules, str)
    rnd = random.Random(7)
    parts = [
        "a",
        "b",
        "keep",
        "dir",
        "docs",
        "fixtures",
        "real",
        "tests",
        "test",
        "x",
        "spec",
        "root.key",
        "xay.key",
        "a.pem",
        "b.pem",
        "secret.txt",
        "c.pem",
        "keep.pem",
    ]
    paths = {"/".join(rnd.choice(parts) for _ in range(rnd.randint(1, 5))) for _ in range(3000)}
    for path in sorted(paths):
        assert ignored_by(rules, path) == spec.match_file(path), path


def test_uses_only_pathspec_public_api():
    """pathspec 0.12 (allowed by pyproject) has no ``pathspec.patterns.gitignore``: the check
    must not import pathspec's internal modules (issue 10). Run where they cannot be imported."""
    import subprocess
    import sys

    code = """if True:
        import sys
        import pathspec
        for name in list(sys.modules):
            if name.startswith("pathspec.patterns.") or name.startswith("pathspec._"):
                sys.modules[name] = None
        from scorecard.checks.no_private_keys import ignore_rules, ignored_by
        rules = ignore_rules(["tests/", "*.pem", "!keep.pem"])
        assert not isinstance(rules, str), rules
        print(ignored_by(rules, "a/tests/k.pem"), ignored_by(rules, "keep.pem"))
        print(ignore_rules(["ok", "foo\\\\"]))
    """
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SCORECARD_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "True False"
    assert "foo" in second and "nvalid" in second


def test_backtracking_ignore_pattern_finishes_at_once(run_check):
    """An `ignore` pattern that made Python's regular expressions backtrack for minutes is
    matched by RE2, in time linear in the path (same class as issue 9, fault 2)."""
    import signal

    def hang(*_):
        raise TimeoutError("still matching after 10 s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(10)
    try:
        r = run_check(
            "no-private-keys", {"a" * 32 + "c.pem": pem()}, options={"ignore": ["*a" * 20 + "*b"]}
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert r.status is Status.FAIL and r.data == {"ignored": 0}


def test_ignore_pattern_too_large_to_match_is_an_error(run_check):
    r = run_check("no-private-keys", {"a": "x"}, options={"ignore": ["*a" * 100_000]})
    assert r.status is Status.ERROR
    assert "option `ignore` has an invalid pattern" in r.message and "too complex" in r.message
