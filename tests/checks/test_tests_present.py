from __future__ import annotations

import random

import pytest
from harness import Symlink

from scorecard.checks.tests_present import find_tests, is_test_path
from scorecard.model import Location, Status


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_app.py",
        "src/pkg/test/data.txt",
        "spec/models/user.rb",
        "web/__tests__/a.js",
        "testing/helpers.go",
        "specs/x.md",
        "pkg/server_test.go",
        "test_root.py",
        "lib/a_test.py",
        "ui/Button.test.tsx",
        "ui/Button.spec.mjs",
        "a.test.cjs",
        "src/FooTest.java",
        "src/FooTests.java",
        "app/BarTest.kt",
        "Lib/BazTests.cs",
        "models/user_spec.rb",
        "lib/thing_test.rb",
        "src/QuxTest.php",
        "deep/a/b/c/tests/x/y.bin",
    ],
)
def test_test_files_pass(run_check, path):
    r = run_check("tests-present", {"README.md": "x", path: "x"})
    assert r.status is Status.PASS, r.message
    assert r.locations == (Location(path),)
    assert r.message == f"tests found: {path}"


@pytest.mark.parametrize(
    "path",
    [
        "Tests/x.py",
        "TEST/x.py",
        "testdata/x.json",
        "mytests/x.py",
        "src/contest.py",
        "latest/notes.md",
        "test.py",
        "tests.py",
        "foo.test.py",
        "TestFoo.java",
        "FooTests.kt",
        "FooTest.cs",
        "foo_spec.js",
        "src/spec.ts",
        "src/testing.go",
        "footest.go",
    ],
)
def test_other_files_fail(run_check, path):
    r = run_check("tests-present", {"README.md": "x", path: "x"})
    assert r.status is Status.FAIL
    assert "no test files" in r.message
    assert r.locations == ()


def test_counts_and_names_the_first(run_check):
    files = {
        "src/app.py": "x",
        "src/tests/test_a.py": "x",
        "src/tests/sub/test/b.py": "x",
        "z/spec/c_spec.rb": "x",
        "go/x_test.go": "x",
        "a/b.test.ts": "x",
    }
    r = run_check("tests-present", files)
    assert r.status is Status.PASS
    assert r.message == "tests found: a/b.test.ts and 4 more test files"
    assert r.data["count"] == 5


def test_binary_test_file_counts_and_escaping_symlink_does_not(run_check, tmp_path):
    outside = tmp_path / "outside_test.go"
    outside.write_text("package x\n")
    r = run_check("tests-present", {"tests/blob.bin": b"\x00\xff\x00"})
    assert r.status is Status.PASS
    r = run_check("tests-present", {"README.md": "x", "pkg/link_test.go": Symlink(str(outside))})
    assert r.status is Status.FAIL


def test_plain_folder(run_check):
    assert run_check("tests-present", {"t/x_test.go": "x"}, git_repo=False).status is Status.PASS


def test_find_tests_agrees_with_the_rule():
    rng = random.Random(7)
    parts = [
        "src",
        "tests",
        "test",
        "spec",
        "specs",
        "__tests__",
        "testing",
        "Tests",
        "latest",
        "testdata",
        "lib",
        "x",
    ]
    names = [
        "a.py",
        "test_a.py",
        "a_test.go",
        "a.spec.ts",
        "ATest.java",
        "a.txt",
        "contest.rb",
        "a_spec.rb",
        "test.py",
        "test_.py",
        "test_py",
        "test_a.pyc",
        "_test.py",
        "a.test.mjs",
        "a.test.js.map",
        "t\u00e9st_x.py",
    ]
    for _ in range(200):
        files = sorted(
            {
                "/".join([*rng.choices(parts, k=rng.randint(0, 4)), rng.choice(names)])
                for _ in range(rng.randint(0, 60))
            }
        )
        hits = [f for f in files if is_test_path(f)]
        assert find_tests(files) == (len(hits), hits[0] if hits else None), files
