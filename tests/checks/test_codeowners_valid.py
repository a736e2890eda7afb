import pytest
from harness import Symlink

from scorecard.model import Location, Status
from scorecard.snapshot import Platform, Unknown

GOOD = """\
# Default owners
* @org/everyone
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
/build/logs/ @doctocat @octo_emu
/apps/github
my\\ file.txt @user
"""


class FakeGitHub(Platform):
    def __init__(self, errors):
        self.errors = errors

    def codeowners_errors(self):
        return self.errors


def check_with(run_check, make_snapshot, files, errors):
    snap = make_snapshot(files)
    snap.platform = FakeGitHub(errors)
    return run_check("codeowners-valid", {}, snap=snap)


def test_valid(run_check):
    r = run_check("codeowners-valid", {".github/CODEOWNERS": GOOD})
    assert r.status is Status.PASS
    assert r.message == ".github/CODEOWNERS is valid (6 rules)"  # nothing about the API
    assert r.locations == (Location(".github/CODEOWNERS"),)


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("!apps/ @a", "`!` negation"),
        ("src/[ab].py @a", "`[ ]` character range"),
        ("\\#notes @a", "`\\#` does not escape `#`"),
        ("* octocat", "owner `octocat` is not @user, @org/team or an e-mail"),
        ("* @org/team docs@", "owner `docs@`"),
        ("***/*.rb @monalisa", "`***`"),
    ],
)
def test_invalid_line(run_check, line, fragment):
    r = run_check("codeowners-valid", {"CODEOWNERS": f"* @ok\n\n{line}\n"})
    assert r.status is Status.FAIL
    assert "line 3: " in r.message and fragment in r.message
    assert r.locations == (Location("CODEOWNERS", 3),)


def test_slash_alone_is_valid(run_check):
    """GitHub's docs: `/` alone is a valid pattern that matches nothing (issue 9, fault 14)."""
    r = run_check("codeowners-valid", {"CODEOWNERS": "* @ok\n/ @a\n/\n"})
    assert r.status is Status.PASS
    assert r.message == "CODEOWNERS is valid (3 rules)"


def test_lists_every_bad_line(run_check):
    text = "".join(f"!x{i} @a\n" for i in range(8)) + "* @ok\n* bad\n"
    r = run_check("codeowners-valid", {"docs/CODEOWNERS": text})
    assert r.status is Status.FAIL
    assert r.locations == tuple(Location("docs/CODEOWNERS", n) for n in [*range(1, 9), 10])
    assert "9 invalid lines" in r.message and "and 4 more" in r.message
    assert r.data["errors"] == 9


def test_checks_the_file_github_uses(run_check):
    r = run_check("codeowners-valid", {".github/CODEOWNERS": "* @a\n", "CODEOWNERS": "!x @a\n"})
    assert r.status is Status.PASS


def test_skip_without_codeowners(run_check):
    r = run_check("codeowners-valid", {"README.md": "x"})
    assert r.status is Status.SKIP


def test_too_large(run_check):
    big = b"* @org/team\n" * (5_000_000 // 12)
    r = run_check("codeowners-valid", {"CODEOWNERS": big})
    assert r.status is Status.FAIL
    assert "GitHub does not load a CODEOWNERS file of 3 MiB or more" in r.message
    assert r.locations == (Location("CODEOWNERS"),)


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"* @a\0", "binary"),
        (b"* @caf\xe9\n", "not valid UTF-8"),
    ],
)
def test_not_text(run_check, content, fragment):
    r = run_check("codeowners-valid", {".github/CODEOWNERS": content})
    assert r.status is Status.FAIL
    assert fragment in r.message
    assert r.locations == (Location(".github/CODEOWNERS"),)


def test_symlink_leaving_the_repository_is_absent(run_check, tmp_path):
    (tmp_path / "evil").write_text("!x @a\n")
    r = run_check("codeowners-valid", {"CODEOWNERS": Symlink(str(tmp_path / "evil")), "x": ""})
    assert r.status is Status.SKIP


def test_github_reports_unknown_owner(run_check, make_snapshot):
    errors = [
        {
            "line": 2,
            "column": 3,
            "kind": "Unknown owner",
            "source": "* @ghost",
            "suggestion": None,
            "path": ".github/CODEOWNERS",
            "message": "Unknown owner on line 2: make sure @ghost exists and has write access to "
            "the repository\n\n  * @ghost\n    ^",
        }
    ]
    r = check_with(run_check, make_snapshot, {".github/CODEOWNERS": "* @a\n* @ghost\n"}, errors)
    assert r.status is Status.FAIL
    assert "line 2: Unknown owner: make sure @ghost exists" in r.message
    assert "reported by GitHub" in r.message and "^" not in r.message
    assert r.locations == (Location(".github/CODEOWNERS", 2),)


def test_github_errors_merge_with_syntax_errors(run_check, make_snapshot):
    errors = [
        {
            "line": 3,
            "column": 1,
            "kind": "Invalid pattern",
            "path": "CODEOWNERS",
            "suggestion": "Did you mean `**/*.rb`?",
            "message": "Invalid pattern on line 3: Did you mean `**/*.rb`?\n\n  x\n  ^",
        },
        {
            "line": 1,
            "column": 3,
            "kind": "Unknown owner",
            "path": "CODEOWNERS",
            "message": "Unknown owner on line 1: make sure @a exists",
        },
    ]
    r = check_with(run_check, make_snapshot, {"CODEOWNERS": "* @a\n* bad\n***/*.rb @m\n"}, errors)
    assert r.status is Status.FAIL
    assert [loc.line for loc in r.locations] == [1, 2, 3]
    assert "Invalid pattern: Did you mean `**/*.rb`?" in r.message


def test_github_reports_no_errors(run_check, make_snapshot):
    r = check_with(run_check, make_snapshot, {"CODEOWNERS": "* @a\n"}, [])
    assert r.status is Status.PASS
    assert "GitHub reports no errors" in r.message


def test_unknown_api_validates_syntax_only(run_check, make_snapshot):
    r = check_with(run_check, make_snapshot, {"CODEOWNERS": "* @a\n"}, Unknown("needs a token"))
    assert r.status is Status.PASS
    assert "GitHub" not in r.message
