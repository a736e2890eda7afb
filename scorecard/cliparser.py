"""The command line's parser: every command, its options and its help (``--help`` teaches
from here); :mod:`scorecard.cli` runs what it parses."""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from scorecard import __version__
from scorecard.incremental import DEFAULT_MAX_AGE_DAYS

EXIT_USAGE = 2


DESCRIPTION = """\
Grade repositories on a maturity scorecard: pluggable checks (ownership, docs, security,
tests) graded against a standard into a level (Bronze, Silver, Gold) and a 0-100 score.
"""

CHECK_EPILOG = """\
examples:
  repo-scorecard check                          grade the current directory
  repo-scorecard check ../api --format json     the JSON contract on standard output
  repo-scorecard check --fail-under silver      exit 1 unless the repository holds Silver
  repo-scorecard check --fail-under 80          exit 1 when the score is below 80
  repo-scorecard check --fail-under security=gold   the same for the standard's track `security`
  repo-scorecard check --fail-under silver --fail-under security=gold   both must hold
  repo-scorecard check -f sarif -o out.sarif    for GitHub code scanning

The standard comes from --config FILE, else the repository's .github/standards.yml,
else the built-in default (`repo-scorecard checks` lists the catalog and its levels).
To grade a repository on GitHub without cloning it: repo-scorecard check OWNER/REPO
(token from GITHUB_TOKEN or GH_TOKEN; see the GitHub options below).
exit codes: 0 graded, 1 below --fail-under, 2 usage, configuration error, or the
target cannot be read.
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _non_negative_days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of days") from None
    if not days >= 0 or days == float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of days, 0 or more")
    return days


def _add_target(p: argparse.ArgumentParser, help_text: str) -> None:
    """The optional ``PATH | OWNER/REPO`` argument of ``check`` and ``fix``."""
    p.add_argument("target", nargs="?", default=".", metavar="PATH | OWNER/REPO", help=help_text)


def _prog() -> str:
    """The command's name as the user typed it: ``repo-scorecard``, or its short alias
    ``scorecard`` (also for ``python -m scorecard``)."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "repo-scorecard" if name.startswith("repo-scorecard") else "scorecard"


def build_parser() -> argparse.ArgumentParser:
    prog = _prog()
    parser = _Parser(
        prog=prog,
        description=DESCRIPTION,
        epilog=f"start with `{prog} check .`; `{prog} COMMAND --help` explains "
        "each command.\nexit codes: 0 graded, 1 below --fail-under, 2 usage, "
        "configuration or input errors.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "check",
        help="grade one repository",
        description="Grade one repository (a checkout or folder) and print its scorecard.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_target(
        p,
        "the repository's directory (default: the current one), or OWNER/REPO "
        "to grade a repository on GitHub through its API without cloning it",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "markdown", "sarif"),
        default="text",
        help="output format (default: text)",
    )
    p.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output"
    )
    p.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        help="the standard to grade by (instead of .github/standards.yml)",
    )
    p.add_argument(
        "--fail-under",
        metavar="LEVEL_OR_SCORE",
        action="append",
        default=[],
        help="exit 1 when the repository is below this level (e.g. silver) or score (0-100); "
        "TRACK=LEVEL gates one of the standard's tracks (e.g. security=silver); "
        "repeat it to gate several (each must hold)",
    )
    p.add_argument("--only", type=_csv, default=[], metavar="ID,...", help="run only these checks")
    p.add_argument(
        "--skip", type=_csv, default=[], metavar="ID,...", help="do not run these checks"
    )
    p.add_argument(
        "--fail-on-error",
        action="store_true",
        help="exit 1 when a check could not run (status error)",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in the text format (default: auto, on a terminal without NO_COLOR)",
    )
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="show every location, timings, plugin details and (for OWNER/REPO) "
        "the number of API requests on standard error",
    )
    add_budget_options(p)
    add_github_options(p)

    p = sub.add_parser(
        "checks",
        help="list the check catalog",
        description="List the installed checks: id, pillar, the level that "
        "requires it in the standard, and the package that "
        "provides it.",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        help="show levels from this standard instead of the default",
    )

    p = sub.add_parser(
        "org",
        help="grade every repository of an organisation through the API",
        description="Grade every repository of an organisation (or user) through the GitHub "
        "API. Each result is appended to a JSON Lines file as soon as it is graded; "
        "`repo-scorecard report` renders the files of one or more scans.",
        epilog=ORG_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("org", metavar="ORG", help="the organisation (or user) to scan")
    p.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default="scorecard-results.jsonl",
        help="the JSON Lines results file (default: scorecard-results.jsonl)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip repositories already graded in --output (failed ones are retried)",
    )
    p.add_argument(
        "--incremental",
        action="store_true",
        help="reuse the results in --output of repositories whose head commit, "
        "standard, tool version and platform facts did not change (no "
        "download); the new results go to FILE.partial, which replaces "
        "--output when the scan ends (a stopped scan keeps the old file: "
        "continue it with --incremental --resume)",
    )
    p.add_argument(
        "--fix-prs",
        action="store_true",
        help="propose each graded repository's fixes as a pull request (as `fix OWNER/REPO "
        "--pr`); the organisation's standard must opt in with `fix: {pull_requests: true}`; at "
        "most fix.max_new new ones per scan (default 10)",
    )
    p.add_argument(
        "--incremental-max-age",
        type=float,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help="with --incremental, grade again a result older than this, so that settings "
        "read by a check's own request (code scanning's default setup, CODEOWNERS errors) "
        f"are read again (default: {DEFAULT_MAX_AGE_DAYS:g}; 0: reuse nothing)",
    )
    p.add_argument(
        "--shard",
        metavar="I/N",
        help="grade only slice I of N (a stable hash of the name): spread a large "
        "organisation over a matrix of jobs, then merge with "
        "`repo-scorecard report`",
    )
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="only repositories whose name matches (repeatable)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip repositories whose name matches (repeatable)",
    )
    p.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="TOPIC",
        help="only repositories with this topic (repeatable: any of them)",
    )
    p.add_argument("--visibility", choices=("public", "private", "internal"))
    p.add_argument("--include-archived", action="store_true", help="grade archived ones too")
    p.add_argument("--include-forks", action="store_true", help="grade forks too")
    p.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        help="grade by this standard instead of the organisation's",
    )
    p.add_argument(
        "--org-standard",
        metavar="PATH",
        default="org-standards.yml",
        help="the standard's path in the organisation's .github repository "
        "(default: org-standards.yml)",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=20,
        metavar="N",
        help="requests in flight at most (default: 20)",
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=25,
        metavar="N",
        help="repositories per GraphQL query (default: 25)",
    )
    p.add_argument(
        "--max-requests",
        type=int,
        metavar="N",
        help="stop before the scan's API requests (REST and GraphQL) could pass N, keeping "
        "what is graded; `--resume` (with --incremental: `--incremental --resume`) grades "
        "the rest later",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument("--verbose", "-v", action="store_true")
    add_budget_options(p)
    add_github_options(p, ref=False)

    p = sub.add_parser(
        "report",
        help="render the org report from scan results",
        description="Merge JSON Lines results of `repo-scorecard org` (any number of files, e.g. "
        "one per shard; the newest result of a repository wins) and render the "
        "organisation's report.",
        epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="RESULTS.jsonl")
    p.add_argument("--html", metavar="FILE", help="a self-contained HTML report")
    p.add_argument("--markdown", metavar="FILE", help="Markdown for the dashboard issue")
    p.add_argument("--json", metavar="FILE", help="every repository's results as JSON")
    p.add_argument("--csv", metavar="FILE", help="one row per repository")
    p.add_argument(
        "--history",
        metavar="FILE",
        help="the history file (JSON Lines, one compact record per scan): trends "
        "are drawn from it and this scan is appended to it",
    )
    p.add_argument(
        "--no-history-update",
        action="store_true",
        help="read --history for trends but do not append this scan",
    )
    p.add_argument(
        "--report-url",
        metavar="URL",
        help="where the HTML report will be published (linked from the Markdown)",
    )
    p.add_argument(
        "--issue",
        metavar="OWNER/REPO",
        help="create or update the dashboard issue in this repository (needs a "
        "token with issues: write)",
    )
    p.add_argument("--title", metavar="TEXT", help="the dashboard issue's title")
    p.add_argument(
        "--campaign-issues",
        action="store_true",
        help="open, update and close a tracking issue per repository for each campaign whose "
        "standard asks for them (`issues:`); needs a token with issues: write",
    )
    p.add_argument(
        "--badges",
        metavar="DIR",
        help="write each repository's badge to DIR/OWNER/REPO.json (a shields.io endpoint) "
        "and DIR/OWNER/REPO.svg",
    )
    p.add_argument(
        "--badge-max-age",
        metavar="DAYS",
        type=_non_negative_days,
        default=7.0,
        help="a result checked longer ago than DAYS shows as stale on its badge (default: 7)",
    )
    add_github_options(p, ref=False)

    p = sub.add_parser(
        "fix",
        help="apply the mechanical fixes of failing checks",
        description="Fix what can be fixed mechanically among the failing checks: add a "
        "SECURITY.md, CHANGELOG.md, CONTRIBUTING.md, CODEOWNERS (from the catalog's owner), a "
        "catalog-info.yaml skeleton or a .github/dependabot.yml; restrict workflows' "
        "permissions; pin actions to commits (with a token). Edits keep each file's "
        "comments, order and style. On OWNER/REPO with --pr, the same fixes become one pull "
        "request on the branch scorecard/fixes, updated in place.",
        epilog=FIX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_target(p, "the checkout to fix (default: the current directory), or OWNER/REPO with --pr")
    p.add_argument("--dry-run", action="store_true", help="print a unified diff; write nothing")
    p.add_argument(
        "--pr", action="store_true", help="OWNER/REPO: propose the fixes as a pull request"
    )
    p.add_argument("--force", action="store_true", help="replace a file a fix would create")
    p.add_argument("--only", type=_csv, default=[], metavar="ID,...", help="fix only these checks")
    p.add_argument("--skip", type=_csv, default=[], metavar="ID,...", help="do not fix these")
    p.add_argument("--config", metavar="FILE", help="the standard (default: as `check` finds it)")
    p.add_argument(
        "--org",
        metavar="ORG",
        help="the organisation whose teams CODEOWNERS names (default: OWNER of OWNER/REPO)",
    )
    add_github_options(p, ref=False)

    sub.add_parser(
        "action",
        help="run as the GitHub Action (reads the Actions environment)",
        description="Run as the GitHub Action: reads INPUT_* variables (dashes kept: "
        "INPUT_FAIL-ON), GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, "
        "GITHUB_WORKSPACE, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. See "
        "action.yml and the README for the inputs and outputs.",
    )

    p = sub.add_parser(
        "doctor",
        help="what a token can see, and which checks it leaves unknown",
        description="Check a token before a run depends on it: what it is (kind; a classic "
        "token's scopes), what it can see, which checks will be `unknown` with it "
        "and the minimum fine-grained permissions that would change that. Asks "
        "GitHub what a run asks (no archive is downloaded). Exit 0 when a run "
        "would see everything, 1 when a check would be unknown or the target is "
        "out of sight, 2 for usage or credential errors.",
        epilog="examples:\n  repo-scorecard doctor acme/widgets\n"
        "  repo-scorecard doctor --org acme",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", nargs="?", metavar="OWNER/REPO", help="a repository")
    p.add_argument("--org", metavar="ORG", help="an organisation, for org scans")
    add_github_options(p, ref=False)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of standard files",
        description="Print the JSON Schema that .github/standards.yml is validated against.",
    )

    p = sub.add_parser(
        "docs",
        help="generate docs/checks.md from the checks",
        description="Generate the check catalog's documentation from the checks themselves.",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument(
        "--check", action="store_true", help="exit 1 when FILE differs from what would be generated"
    )
    p.add_argument(
        "--config", metavar="FILE", help="also document the declarative rules of this standard file"
    )
    return parser


ORG_EPILOG = """\
examples:
  repo-scorecard org acme                                every repository of acme
  repo-scorecard org acme --resume                       continue a scan that was stopped
  repo-scorecard org acme --incremental                  nightly: re-grade what changed only
  repo-scorecard org acme --shard 3/8 -o shard-3.jsonl   one slice of eight
  repo-scorecard org acme --topic service --exclude 'sandbox-*'

Archived repositories and forks are skipped unless asked for. The token needs read access to
every repository (a GitHub App installation token, or a personal token); see the README,
"Org-wide scans".
"""

FIX_EPILOG = """\
examples:
  repo-scorecard fix --dry-run                  what would change, as a diff
  repo-scorecard fix                            write the fixes in the current checkout
  repo-scorecard fix --only actions-pinned      one check (tags resolved with GITHUB_TOKEN)
  repo-scorecard fix acme/api --pr --dry-run    what the fix pull request would do
  repo-scorecard fix acme/api --pr              open or update it (branch scorecard/fixes)

Per check it says: fixed, would fix, skipped (and why) or nothing to do. A new file never
replaces one (--force does); an edit keeps the file's comments and layout; a second run changes
nothing. New files are marked with `git add --intent-to-add` (nothing is staged).
exit codes: 0 done, 2 usage, standard or write error (nothing written).
"""

REPORT_EPILOG = """\
examples:
  repo-scorecard report scorecard-results.jsonl --html org-report.html --markdown dashboard.md
  repo-scorecard report shard-*.jsonl --json all.json --csv all.csv --history history.jsonl
  repo-scorecard report results.jsonl --markdown dash.md --issue acme/.github
  repo-scorecard report results.jsonl --html site/index.html --badges site/badges
"""


def add_budget_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "budgets",
        "Limits per check, per repository and for memory (0: none); see scorecard.budgets.",
    )
    g.add_argument(
        "--check-timeout",
        type=float,
        metavar="SECONDS",
        help="a check that runs longer is an error (default: SCORECARD_CHECK_TIMEOUT or 60)",
    )
    g.add_argument(
        "--repo-timeout",
        type=float,
        metavar="SECONDS",
        help="grading one repository that takes longer is an error (default: "
        "SCORECARD_REPO_TIMEOUT or 300)",
    )
    g.add_argument(
        "--memory-limit",
        type=float,
        metavar="MIB",
        help="the process's memory ceiling in MiB (default: SCORECARD_MEMORY_LIMIT or 4096)",
    )


def add_github_options(p: argparse.ArgumentParser, ref: bool = True) -> None:
    g = p.add_argument_group(
        "GitHub (for OWNER/REPO)",
        "The token comes from --token, else GITHUB_TOKEN, else GH_TOKEN; or authenticate as a "
        "GitHub App installation with --app-id, --app-private-key and --app-installation-id "
        "(or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (the key itself or a file path), "
        "GITHUB_APP_INSTALLATION_ID). Some checks need more than read access: see the "
        "README, 'Tokens and permissions'.",
    )
    if ref:
        g.add_argument(
            "--ref",
            metavar="REF",
            help="branch, tag or commit to grade (default: the default branch)",
        )
    g.add_argument(
        "--token",
        metavar="TOKEN",
        help="a GitHub token (prefer the GITHUB_TOKEN "
        "environment variable: command lines are visible to other users)",
    )
    g.add_argument(
        "--api-url",
        metavar="URL",
        help="REST API base URL (default: GITHUB_API_URL "
        "or https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)",
    )
    g.add_argument(
        "--graphql-url",
        metavar="URL",
        help="GraphQL URL (default: GITHUB_GRAPHQL_URL, else derived from the API URL)",
    )
    g.add_argument("--app-id", metavar="ID")
    g.add_argument("--app-private-key", metavar="FILE_OR_PEM")
    g.add_argument("--app-installation-id", metavar="ID")
