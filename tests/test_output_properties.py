"""Properties of every rendering of untrusted text, for generated names and messages
(hypothesis): (a) the text output has no line the Actions runner would run as a command and
no raw control character; (b) the Markdown report and the pull-request comment have no live
HTML tag and no live ``@mention``; (c) the HTML report has no ``<`` from the data."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportfixtures import error, repo, scan, write

from scorecard.compare import compare
from scorecard.model import CheckResult, LevelStatus, Location, PillarSummary, Scorecard, Status
from scorecard.render import comment, markdown, text
from scorecard.report import html
from scorecard.report.history import History
from scorecard.report.records import load_results
from scorecard.report.summary import summarise

HOSTILE = [
    "::",
    "##[",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\xa0",
    " ",
    "@",
    "@acme/team",
    "<",
    ">",
    "<b>",
    "</details>",
    "<!--",
    "`",
    "``",
    "\\",
    "|",
    "[",
    "](",
    "*",
    "_",
    "&",
    "&lt;",
    "error file=a",
    "::error::x",
    "http://",
    "www.",
    "%0A",
    ":",
    "#",
]
untrusted = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=4), max_size=10).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def results(draw: st.DrawFn) -> CheckResult:
    status = draw(st.sampled_from(list(Status)))
    return CheckResult(
        id=draw(untrusted),
        pillar=draw(untrusted),
        title=draw(untrusted),
        status=status,
        message=draw(untrusted),
        locations=tuple(
            Location(draw(untrusted), draw(st.none() | st.integers(1, 99)))
            for _ in range(draw(st.integers(0, 2)))
        ),
        remediation=draw(untrusted),
        docs_url=draw(untrusted | untrusted.map(lambda t: "https://example.test/" + t)),
        level=draw(st.none() | untrusted),
    )


@st.composite
def scorecards(draw: st.DrawFn) -> Scorecard:
    checks = tuple(draw(st.lists(results(), min_size=1, max_size=4)))
    names = draw(st.lists(untrusted, min_size=1, max_size=3))
    return Scorecard(
        target=draw(untrusted),
        commit=draw(st.none() | st.just("ab" * 20)),
        score=draw(st.integers(0, 100)),
        level=draw(st.none() | st.sampled_from(names)),
        checks=checks,
        pillars=tuple(PillarSummary(draw(untrusted), 0, 1, 1) for _ in range(2)),
        levels=tuple(
            LevelStatus(n, draw(st.booleans()), tuple(c.id for c in checks)) for n in names
        ),
        standard=draw(untrusted),
        warnings=tuple(draw(st.lists(untrusted, max_size=2))),
    )


# ---- (a) the text output --------------------------------------------------------------------

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@SETTINGS
@given(scorecards(), st.booleans())
def test_text_output_makes_no_command_and_holds_no_control_character(card, verbose):
    out = text.render(card, verbose=verbose)
    assert UNSAFE.search(out) is None
    lines = out.split("\n")
    assert out.splitlines() == lines[:-1]  # no other line break (\x85, U+2028...)
    for line in lines:
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


# ---- (b) Markdown: the report and the comment ---------------------------------------------------

OUR_TAGS = re.compile(
    r"</?(details|summary|sub)>|<!-- repo-scorecard: [a-z-]+ -->"
    r"|<!-- digest: [0-9a-f]+ -->"
)


def outside_code(line: str) -> str:
    """``line`` with its code spans (CommonMark: a run of n backticks up to the next run of
    exactly n, unless the opening one is backslash-escaped) replaced by a space."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            out.append(line[i : i + 2])
            i += 2
            continue
        if line[i] != "`":
            out.append(line[i])
            i += 1
            continue
        j = i
        while j < len(line) and line[j] == "`":
            j += 1
        closing = None
        for m in re.finditer(r"`+", line[j:]):
            if len(m.group(0)) == j - i:
                closing = j + m.end()
                break
        out.append(" " if closing else line[i:j])
        i = closing or j
    return "".join(out)


LINK_DESTINATION = re.compile(r"\]\(https://[^\s()<>]*\)")


def assert_inert(md: str) -> None:
    for line in md.split("\n"):
        plain = LINK_DESTINATION.sub("] ", OUR_TAGS.sub(" ", outside_code(line)))
        assert re.search(r"(?<!\\)<[A-Za-z!?/]", plain) is None, line
        assert re.search(r"(?<![\w`])@[A-Za-z0-9]", plain) is None, line


@SETTINGS
@given(scorecards())
def test_markdown_report_is_inert(card):
    assert_inert(markdown.render(card))


@SETTINGS
@given(scorecards(), st.none() | scorecards())
def test_comment_is_inert(head, base):
    assert_inert(comment.render(compare(base, head)))


# ---- (c) the HTML report ----------------------------------------------------------------------

MARK = "<zq"  # in every text from the data: never in the page unescaped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(untrusted, untrusted, untrusted), min_size=1, max_size=4), untrusted)
def test_html_report_has_no_tag_from_the_data(rows, error_text):
    records = [scan(repositories=len(rows) + 1)]
    for i, (name, team, message) in enumerate(rows):
        records.append(
            repo(
                f"acme/r{i}{MARK}{name}",
                f"{MARK}{team}",
                ("readme-present",),
                message=f"{MARK}{message}",
                owner=f"@acme/{MARK}{team}",
            )
        )
    records.append(error(f"acme/e{MARK}", f"{MARK}{error_text}"))
    with tempfile.TemporaryDirectory() as tmp:
        results = load_results([write(Path(tmp) / "r.jsonl", records)])
        page = html.render(summarise(results, History(), generated_at="2025-05-12T07:00:00Z"))
    assert MARK not in page
