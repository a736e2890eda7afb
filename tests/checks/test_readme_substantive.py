import pytest
from harness import Symlink

from scorecard.model import Location, Status

PROSE = " ".join(f"word{i}" for i in range(120))  # 120 words
SHORT = " ".join(["lorem"] * 40)


@pytest.fixture
def analyse(run_check):
    """The word count and first heading line of ``text`` as the README ``name``."""

    def run(text, name="README.md"):
        r = run_check("readme-substantive", {name: text}, git_repo=False)
        return r.data["words"], r.data["heading_line"]

    return run


def test_pass(run_check):
    r = run_check("readme-substantive", {"README.md": f"# Project\n\n{PROSE}\n"})
    assert r.status is Status.PASS
    assert r.message == "README.md: 121 words and a heading"  # "Project" is a word
    assert r.locations == (Location("README.md"),)
    assert r.data["words"] == 121 and r.data["heading"] is True


def test_too_short(run_check):
    r = run_check("readme-substantive", {"README.md": f"# Project\n\n{SHORT}\n"})
    assert r.status is Status.FAIL
    assert r.message == "README.md: 41 words, fewer than 100 (a heading found)"  # "#": no word


def test_no_heading(run_check):
    r = run_check("readme-substantive", {"README.md": PROSE})
    assert r.status is Status.FAIL
    assert r.message == "README.md: 120 words but no heading"


def test_short_and_no_heading(run_check):
    r = run_check("readme-substantive", {"README.md": "one"})
    assert r.status is Status.FAIL
    assert r.message == "README.md: 1 word, fewer than 100, and no heading"


@pytest.mark.parametrize(
    "min_words,status", [(0, Status.PASS), (41, Status.PASS), (43, Status.FAIL)]
)
def test_min_words_option(run_check, min_words, status):
    r = run_check(
        "readme-substantive", {"README.md": f"# T\n{SHORT}"}, options={"min_words": min_words}
    )
    assert r.status is status


def test_min_words_zero_still_needs_a_heading(run_check):
    r = run_check("readme-substantive", {"README.md": ""}, options={"min_words": 0})
    assert r.status is Status.FAIL and "no heading" in r.message


def test_uses_the_readme_github_shows(run_check):
    r = run_check("readme-substantive", {"README.md": f"# T\n{PROSE}", ".github/README.md": "x"})
    assert r.status is Status.FAIL and r.message.startswith(".github/README.md:")
    r = run_check("readme-substantive", {"README.rst": "x", "README.md": f"# T\n{PROSE}"})
    assert r.status is Status.PASS and r.message.startswith("README.md:")


@pytest.mark.parametrize(
    "files", [{}, {"src/README.md": PROSE}, {"README.md": Symlink("../../outside.md")}]
)
def test_skip_without_readme(run_check, files):
    r = run_check("readme-substantive", files)
    assert r.status is Status.SKIP


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"# T\n\x00\x01\x02", "is a binary file"),
        (b"# Caf\xe9\n", "is not valid UTF-8"),
        (b"# T\n" + b"word " * (1 << 20), "larger than"),
    ],
    ids=["binary", "not-utf8", "large"],
)  # a 5 MiB id would overflow PYTEST_CURRENT_TEST
def test_unreadable(run_check, content, reason):
    r = run_check("readme-substantive", {"README.md": content})
    assert r.status is Status.FAIL
    assert reason in r.message and "cannot be read as text" in r.message
    assert r.locations == (Location("README.md"),)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a b c", 3),
        ("- * | --- | ** -> 1.", 1),  # tokens without a letter or digit are no words
        ("héllo wörld 日本語", 3),
        ("x\n```\ncode in a fence\n```\ny", 2),
        ("x\n```python\ncode\n```\ny", 2),
        ("x\n~~~~\n```\nstill code\n~~~\nstill\n~~~~~\ny", 2),  # closed by ~ at least as long
        ("x\n````\n```\nstill code\n````\ny", 2),
        ("x\n```\nunclosed fence runs to the end", 1),
        ("x\n1. step\n\n   ```sh\n   pip install x\n   ```\ny", 4),  # a fence in a list item
        ("x\n> ```\n> quoted code\n> ```\ny", 2),
        ("``` inline `code` ```\nword", 3),  # backticks in the info string: not a fence
    ],
)
def test_word_count(analyse, text, expected):
    assert analyse(text)[0] == expected


@pytest.mark.parametrize(
    "name,expected",
    [
        ("README.rst", (4, 1)),
        ("README.adoc", (4, 1)),
        ("README", (4, 1)),  # a README of unknown format: an underline when it underlines
        ("README.md", (1, None)),  # Markdown: a fence that runs to the end
    ],
)
def test_tilde_underline_or_fence(analyse, name, expected):
    assert analyse("Title\n~~~~~\n\nsome prose here\n", name) == expected


@pytest.mark.parametrize(
    "text,line",
    [
        ("# Title", 1),
        ("text\n###### Six", 2),
        ("#", 1),
        ("   ## indented three", 1),
        ("Title\n=====", 1),
        ("Title\n---", 1),
        ("  Title\n=====", 1),
        ("=====\n  Title\n-----", 2),  # Markdown setext whatever is above
        ('<p align="center">\n<H2 align="center">Logo</H2>', 2),
        ("<h1>T</h1>", 1),
        ("Title\n*****", 1),  # reStructuredText underline
        ("=====\nTitle\n=====", 2),
        ("*******\n  Title\n*******", 2),  # overlined, inset title
        ("= Document Title", 1),  # AsciiDoc
        ("text\n=== Section", 2),
        ("---\ntitle: x\n---\n\nBody\n=", 5),  # front matter is no heading
    ],
)
def test_headings(analyse, text, line):
    assert analyse(text)[1] == line


@pytest.mark.parametrize(
    "text",
    [
        "#Title",
        "####### seven",
        "    # indented four",
        "Long title here\n~~~",  # underline shorter than the title
        "- item\n---",
        "> quote\n---",
        "\n---",
        "<hr>\n<header>x</header>",
        "```\n# a shell comment\nTitle\n=====\n```",
        "---\ntitle: front matter\n---\nbody",
        "  Title\n*******",  # an inset title needs the overline
        "*******\n  Title\n^^^^^^^",  # overline and underline differ
    ],
)
def test_not_headings(analyse, text):
    assert analyse(text)[1] is None


def test_rst_readme(run_check):
    text = f"Project\n=======\n\n.. code-block:: python\n\n   x = 1\n\n{PROSE}\n"
    r = run_check("readme-substantive", {"README.rst": text})
    assert r.status is Status.PASS


def test_asciidoc_readme(run_check):
    r = run_check("readme-substantive", {"docs/README.adoc": f"= Project\n\n{PROSE}\n"})
    assert r.status is Status.PASS and r.message.startswith("docs/README.adoc:")


def test_fenced_words_do_not_count(run_check):
    text = f"# T\n\n{SHORT}\n\n```\n{PROSE}\n```\n"
    r = run_check("readme-substantive", {"README.md": text})
    assert r.status is Status.FAIL and "41 words" in r.message
