"""The shared CODEOWNERS module: parsing as GitHub reads it, and matching paths to rules."""

import random

import pytest

from scorecard.checks import _codeowners as co
from scorecard.checks._codeowners import MAX_SIZE, Matcher, Problem, Rule, parse, parse_line


def owner_of(text: str, path: str) -> tuple[str, ...] | None:
    """The owners GitHub assigns ``path`` (None when no rule matches)."""
    rules, _ = parse(text)
    rule = Matcher(rules).rule_for(path)
    return None if rule is None else rule.owners


# ---- lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["", "   ", "# a comment", "   # indented comment", "\r"])
def test_blank_and_comment_lines(line):
    assert parse_line(1, line) is None


@pytest.mark.parametrize(
    "line, pattern, owners",
    [
        ("* @org/team", "*", ("@org/team",)),
        ("*.js    @js-owner #This is an inline comment.", "*.js", ("@js-owner",)),
        ("/apps/github", "/apps/github", ()),
        ("/apps/github # no owners: un-owns", "/apps/github", ()),
        ("docs/*  docs@example.com", "docs/*", ("docs@example.com",)),
        ("\t/build/logs/\t@doctocat  @octocat\r", "/build/logs/", ("@doctocat", "@octocat")),
        ("my\\ file.txt @user", "my\\ file.txt", ("@user",)),
        ("* @octocat_acme", "*", ("@octocat_acme",)),  # Enterprise Managed User handle
        ("\\!literal @a", "\\!literal", ("@a",)),
    ],
)
def test_rules(line, pattern, owners):
    rule = parse_line(7, line)
    assert isinstance(rule, Rule)
    assert (rule.line, rule.pattern, rule.owners) == (7, pattern, owners)


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("!foo @a", "`!` negation"),
        ("[id].tsx @a", "`[ ]` character range"),
        ("src/[abc]/ @a", "`[ ]` character range"),
        ("\\#foo @a", "`\\#` does not escape `#`"),
        ("***/*.rb @monalisa", "`***`"),
        ("foo\\", "not a valid gitignore-style pattern"),
        ("* user", "owner `user` is not @user, @org/team or an e-mail"),
        ("*.txt docs@", "owner `docs@`"),
        ("* @org/team @", "owner `@`"),
        ("* @a/b/c", "owner `@a/b/c`"),
        ("* @-x", "owner `@-x`"),
    ],
)
def test_invalid_lines(line, fragment):
    problem = parse_line(3, line)
    assert isinstance(problem, Problem)
    assert problem.line == 3
    assert fragment in problem.message


def test_slash_alone_is_a_rule_that_owns_nothing():
    rule = parse_line(2, "/ @a")
    assert isinstance(rule, Rule) and rule.owners == ("@a",)
    assert owner_of("* @all\n/ @a\n", "x") == ("@all",)
    assert owner_of("* @all\n/ @a\n", "d/x") == ("@all",)


def test_every_bad_part_is_reported():
    problem = parse_line(1, "!x bad @ok worse")
    assert isinstance(problem, Problem)
    assert "`!`" in problem.message and "`bad`" in problem.message
    assert "`worse`" in problem.message and "`@ok`" not in problem.message


@pytest.mark.parametrize(
    "owner, ok",
    [
        ("@octocat", True),
        ("@octo-cat", True),
        ("@user_emu", True),
        ("@org/team-name", True),
        ("@org/team_name", True),
        ("a.b+c@example.co.uk", True),
        ("@", False),
        ("octocat", False),
        ("@org/", False),
        ("x@localhost", False),
        ("@a b", False),
        ("@org/team/x", False),
    ],
)
def test_valid_owner(owner, ok):
    assert co.valid_owner(owner) is ok


def test_parse_keeps_line_numbers_and_skips_bad_lines():
    rules, problems = parse("# c\n\n* @a\n!x @b\r\n*.js @c\n")
    assert [(r.line, r.pattern) for r in rules] == [(3, "*"), (5, "*.js")]
    assert [p.line for p in problems] == [4]


# ---- matching ------------------------------------------------------------------------------


# GitHub's documented examples, and the rules of the spec.
@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("*", "a", True),
        ("*", "a/b/c.txt", True),
        ("**", "a/b", True),
        ("/**", "a/b", True),
        ("*.js", "x.js", True),
        ("*.js", "a/b/x.js", True),
        ("*.js", "x.jsx", False),
        ("*.js", "a.js/inner.txt", True),  # a directory named like the pattern
        ("*.JS", "x.js", False),  # case-sensitive
        ("/build/logs/", "build/logs/x", True),
        ("/build/logs/", "build/logs/a/b", True),
        ("/build/logs/", "a/build/logs/x", False),
        ("/build/logs/", "build/logs", False),
        ("docs/*", "docs/getting-started.md", True),
        ("docs/*", "docs/build-app/troubleshooting.md", False),
        ("docs/*", "a/docs/x.md", False),
        ("/*", "root.txt", True),
        ("/*", "a/b.txt", False),
        ("apps/", "apps/x", True),
        ("apps/", "a/b/apps/x/y", True),
        ("apps/", "apps", False),
        ("apps/", "myapps/x", False),
        ("/docs/", "docs/a/b.md", True),
        ("/docs/", "src/docs/a.md", False),
        ("**/logs", "logs", True),
        ("**/logs", "build/logs/x", True),
        ("**/logs", "deeply/nested/logs/x", True),
        ("**/logs", "catalogs/x", False),
        ("logs", "a/logs", True),
        ("logs", "a/logs/b", True),
        ("/apps/github", "apps/github/x.rb", True),
        ("/apps/github", "apps/github", True),
        ("/apps/github", "apps/githubber", False),
        ("docs/api", "docs/api/x", True),
        ("docs/api", "x/docs/api/y", False),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**/b", "a/x/c", False),
        ("a/**", "a/x/y", True),
        ("a/**", "a", False),
        ("**/x/*.py", "x/a.py", True),
        ("**/x/*.py", "m/x/a.py", True),
        ("**/x/*.py", "x/y/a.py", False),
        ("*/", "a/b", True),
        ("*/", "root.txt", False),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/a/b.py", False),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("my\\ file.txt", "d/my file.txt", True),
        ("\\!x", "!x", True),
        ("/", "a", False),
        ("/", "a/b", False),
        ("/", "/", False),
    ],
)
def test_patterns(pattern, path, matches):
    rules, problems = parse(f"{pattern} @o")
    assert not problems
    assert rules[0].matches(path) is matches
    assert (Matcher(rules).rule_for(path) is not None) is matches


def test_last_matching_rule_wins():
    text = "* @all\n*.js @js\n/apps/ @apps\n/apps/github\n"
    assert owner_of(text, "README.md") == ("@all",)
    assert owner_of(text, "src/x.js") == ("@js",)
    assert owner_of(text, "apps/x.js") == ("@apps",)
    assert owner_of(text, "apps/github/x.js") == ()  # no owners: unowned


def test_invalid_line_is_skipped_whole():
    text = "* @all\n*.js @js not-an-owner\n"
    assert owner_of(text, "x.js") == ("@all",)


def test_no_rule():
    assert owner_of("/docs/ @d\n", "src/x") is None


def test_catch_all_rule():
    rules, _ = parse("* @a\n/** @b\n** \n/x @c\n")
    found = co.Codeowners("CODEOWNERS", 10, rules).catch_all()
    assert found is not None and (found.pattern, found.owners) == ("/**", ("@b",))


def _random_pattern(rng: random.Random) -> str:
    names = ["a", "b", "src", "x.js", "lib", "t.py", "a_t.py", "z.tar.gz"]
    globs = ["*", "**", "*.js", "?", "a*", "*.py", "x.*", "*_t.py", "*.tar.gz", "*.gz"]
    parts = [rng.choice(names + globs) for _ in range(rng.randint(1, 3))]
    pattern = "/".join(parts)
    if rng.random() < 0.4:
        pattern = "/" + pattern
    if rng.random() < 0.3:
        pattern += "/"
    return pattern


def test_matcher_agrees_with_each_rule_regex():
    """The matcher gives the same answer as trying every rule in turn."""
    rng = random.Random(42)
    names = ["a", "b", "src", "x.js", "lib", "t.py", "README", "a_t.py", "z.tar.gz", ".gz"]
    paths = sorted(
        {"/".join(rng.choice(names) for _ in range(rng.randint(1, 5))) for _ in range(800)}
    )
    for _ in range(50):
        text = "\n".join(f"{_random_pattern(rng)} @o{i}" for i in range(rng.randint(1, 25)))
        rules, _ = parse(text)
        expected = []
        for path in paths:
            best = 0
            for i, rule in enumerate(rules, 1):
                if rule.matches(path):
                    best = i
            expected.append(best)
        assert Matcher(rules).indexes(paths) == expected, text


# ---- the file in a repository --------------------------------------------------------------


@pytest.mark.parametrize(
    "files, expected",
    [
        ({".github/CODEOWNERS": "", "CODEOWNERS": "", "docs/CODEOWNERS": ""}, ".github/CODEOWNERS"),
        ({"CODEOWNERS": "", "docs/CODEOWNERS": ""}, "CODEOWNERS"),
        ({"docs/CODEOWNERS": ""}, "docs/CODEOWNERS"),
        ({"codeowners": "", ".github/CODEOWNERS.md": "", "src/CODEOWNERS": ""}, None),
    ],
)
def test_locate(make_snapshot, files, expected):
    assert co.locate(make_snapshot({"x": "", **files})) == expected


def test_load_is_memoised(make_snapshot):
    snap = make_snapshot({"CODEOWNERS": "* @a\n"})
    first = co.load(snap)
    assert first is not None and first is co.load(snap)
    assert [r.owners for r in first.rules] == [("@a",)]


def test_too_large_file_owns_nothing_and_is_not_read(make_snapshot):
    big = ("* @org/team\n" * (MAX_SIZE // 12 + 1)).encode()
    assert len(big) >= MAX_SIZE
    snap = make_snapshot({"CODEOWNERS": big})
    loaded = co.load(snap)
    assert loaded is not None and loaded.too_large and not loaded.rules
    assert "3 MiB" in (loaded.not_loaded or "")
    assert ("bytes", "CODEOWNERS") not in snap._cache  # never read


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"* @a\0\n", "binary"),
        (b"* @a \xff\n", "UTF-8"),
    ],
)
def test_unreadable_file_owns_nothing(make_snapshot, content, reason):
    loaded = co.load(make_snapshot({"CODEOWNERS": content}))
    assert loaded is not None and not loaded.loaded and reason in (loaded.not_loaded or "")


def test_needs_no_pathspec_internals():
    """pathspec 0.12 (allowed by pyproject) has no ``pathspec.patterns.gitignore`` (issue 10):
    parsing and matching work where pathspec's internal modules cannot be imported."""
    import subprocess
    import sys

    code = """if True:
        import sys
        import pathspec
        for name in list(sys.modules):
            if name.startswith("pathspec.patterns.") or name.startswith("pathspec._"):
                sys.modules[name] = None
        from scorecard.checks._codeowners import Matcher, parse
        rules, problems = parse("* @a\\n/docs/ @d\\n!x @x\\n")
        print(len(rules), len(problems), Matcher(rules).rule_for("docs/x").owners)
    """
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SCORECARD_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "1", "('@d',)"]


def test_a_name_that_is_not_utf8_is_matched():
    """A file name with a byte that is not UTF-8 (a lone surrogate after os.fsdecode) is
    matched, `?` and `*` taking the byte for one character."""
    rules, _ = parse("* @all\n*.js @js\n/d/?.py @py\n")
    assert Matcher(rules).indexes(["a/\udcff.js", "d/\udcff.py", "\udcff"]) == [2, 3, 1]
