import pytest
from harness import Symlink

from scorecard.model import Location, Status

FILES = {
    "README.md": "",
    "src/a.py": "",
    "src/b.js": "",
    "docs/guide.md": "",
    "docs/api/ref.md": "",
    "apps/github/x.rb": "",
    "apps/web/y.rb": "",
}


def cover(run_check, codeowners, files=FILES, **options):
    return run_check(
        "codeowners-coverage", {**files, ".github/CODEOWNERS": codeowners}, options=options
    )


def test_full_coverage(run_check):
    r = cover(run_check, "* @org/all\n")
    assert r.status is Status.PASS
    assert r.data == {"ratio": 1.0, "owned": 8, "total": 8}
    assert r.message.startswith("100% of tracked files have an owner in .github/CODEOWNERS")


@pytest.mark.parametrize(
    "codeowners, unowned",
    [
        # the last matching rule wins; a rule without owners un-owns
        ("* @all\n/apps/ @apps\n/apps/github\n", ["apps/github/x.rb"]),
        # docs/* matches direct children only
        ("/.github/ @a\nREADME.md @a\nsrc/ @a\ndocs/* @d\napps/ @a\n", ["docs/api/ref.md"]),
        # an invalid line is skipped whole, as GitHub skips it
        (
            "*.md @a\n.github/ @a\nsrc/ @a\n/apps/ @a not-an-owner\n",
            ["apps/github/x.rb", "apps/web/y.rb"],
        ),
        # `/` alone matches nothing
        (
            "/ @a\n*.md @a\n",
            [".github/CODEOWNERS", "apps/github/x.rb", "apps/web/y.rb", "src/a.py", "src/b.js"],
        ),
        # case-sensitive
        ("* @a\n*.PY\n", []),
        ("* @a\n*.py\n", ["src/a.py"]),
    ],
)
def test_unowned(run_check, codeowners, unowned):
    r = cover(run_check, codeowners)
    assert r.status is (Status.PASS if not unowned else Status.FAIL)
    assert r.data["owned"] == 8 - len(unowned) and r.data["total"] == 8
    assert r.locations == tuple(Location(p) for p in unowned[:5])
    for path in unowned[:5]:
        assert path in r.message


def test_message_gives_ratio_and_a_few_paths(run_check):
    files = {f"f{i:02}.txt": "" for i in range(10)}
    r = cover(run_check, "/f00.txt @a\n/.github/ @a\n", files=files)
    assert r.status is Status.FAIL
    assert r.data["ratio"] == pytest.approx(2 / 11)
    assert "18.1% of tracked files have an owner" in r.message  # rounded down
    assert "(2 of 11)" in r.message
    assert "unowned: f01.txt, f02.txt, f03.txt, f04.txt, f05.txt and 4 more" in r.message
    assert len(r.locations) == 5


@pytest.mark.parametrize(
    "min_ratio, status", [(0.75, Status.PASS), (0.76, Status.FAIL), (0.0, Status.PASS)]
)
def test_min_ratio(run_check, min_ratio, status):
    r = cover(run_check, "* @a\n/apps/\n", min_ratio=min_ratio)  # 6 of 8
    assert r.status is status
    assert r.data["ratio"] == 0.75
    assert "minimum" in r.message


def test_skip_without_codeowners(run_check):
    assert run_check("codeowners-coverage", FILES).status is Status.SKIP


def test_too_large_owns_nothing(run_check):
    big = b"* @org/team\n" * (5_000_000 // 12)
    r = run_check("codeowners-coverage", {**FILES, "CODEOWNERS": big})
    assert r.status is Status.FAIL
    assert r.data == {"ratio": 0.0, "owned": 0, "total": 8}
    assert "3 MiB" in r.message and r.locations == (Location("CODEOWNERS"),)


@pytest.mark.parametrize(
    "content, fragment", [(b"* @a\0", "binary"), (b"* @a\n\xff", "not valid UTF-8")]
)
def test_not_text_owns_nothing(run_check, content, fragment):
    r = run_check("codeowners-coverage", {**FILES, "docs/CODEOWNERS": content})
    assert r.status is Status.FAIL
    assert r.data["owned"] == 0 and fragment in r.message


def test_ignored_files_do_not_count(run_check):
    r = run_check(
        "codeowners-coverage",
        {"CODEOWNERS": "/a @x\n", "a": "", ".gitignore": "build/\n", "build/out.bin": ""},
    )
    assert r.status is Status.FAIL
    assert r.data == {"ratio": 1 / 3, "owned": 1, "total": 3}
    assert "unowned: .gitignore, CODEOWNERS" in r.message


def test_symlink_leaving_the_repository_is_not_a_file(run_check, tmp_path):
    (tmp_path / "outside").write_text("x")
    r = cover(run_check, "* @a\n", files={"a": "", "link": Symlink(str(tmp_path / "outside"))})
    assert r.data["total"] == 2 and r.status is Status.PASS
