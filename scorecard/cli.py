"""The ``repo-scorecard`` command (also installed as ``scorecard``).

Exit codes: 0 graded (and at or above ``--fail-under``); 1 below ``--fail-under`` (or a check
errored with ``--fail-on-error``); 2 usage, configuration or input errors, including a target
that cannot be read (not found, bad credentials, SSO not authorised, rate limited).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from scorecard import __version__, secrets
from scorecard.github.errors import GitHubError
from scorecard.incremental import DEFAULT_MAX_AGE_DAYS
from scorecard.model import Scorecard
from scorecard.outfile import OutputError, write_file
from scorecard.registry import Registry, default_registry
from scorecard.secrets import redact
from scorecard.standard import StandardError

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

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
    p.add_argument(
        "target",
        nargs="?",
        default=".",
        metavar="PATH | OWNER/REPO",
        help="the repository's directory (default: the current one), or OWNER/REPO "
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
        help="exit 1 when the repository is below this level (e.g. silver) or score (0-100)",
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

REPORT_EPILOG = """\
examples:
  repo-scorecard report scorecard-results.jsonl --html org-report.html --markdown dashboard.md
  repo-scorecard report shard-*.jsonl --json all.json --csv all.csv --history history.jsonl
  repo-scorecard report results.jsonl --markdown dash.md --issue acme/.github
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


def install_budgets(args: argparse.Namespace) -> None:
    """The run's budgets from the flags and the environment; the memory ceiling is set now.
    Raises UsageError for a bad value."""
    from scorecard import budgets

    try:
        found = budgets.from_settings(
            getattr(args, "check_timeout", None),
            getattr(args, "repo_timeout", None),
            getattr(args, "memory_limit", None),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    budgets.configure(found)
    budgets.limit_memory(found.memory_bytes)


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


def github_client(args: argparse.Namespace, **kw: Any) -> Any:
    """A GitHubClient from the options and the environment. Raises UsageError."""
    from scorecard.github.auth import client_from_settings

    return client_from_settings(
        token=args.token,
        api_url=args.api_url,
        graphql_url=args.graphql_url,
        app_id=args.app_id,
        app_private_key=args.app_private_key,
        app_installation_id=args.app_installation_id,
        environ=os.environ,
        error=UsageError,
        **kw,
    )


# ---- commands -----------------------------------------------------------------------------


def _write(text: str, output: str | None, stdout: TextIO) -> None:
    """The report to ``output`` (whole or not at all: see :mod:`scorecard.outfile`) or to
    standard output, redacted either way. Raises OutputError."""
    if output:
        write_file(output, text)
    else:
        stdout.write(redact(text))


def _say(message: str) -> None:
    """One line on standard error, safe whatever repository or standard text it holds."""
    from scorecard.render.text import one_line

    print(one_line(redact(message)), file=sys.stderr)


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _unicode_ok(stream: TextIO) -> bool:
    enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    return enc in ("utf8", "utf_8")


def cmd_check(args: argparse.Namespace, registry: Registry, stdout: TextIO) -> int:
    from scorecard.sources.local import SourceError, open_local

    remote = _remote_target(args.target)
    client = None
    if remote:
        from scorecard.sources.github import open_github

        client = github_client(args)
        snap: Any = open_github(client, args.target, ref=args.ref)
    else:
        if args.ref:
            raise UsageError("--ref is for OWNER/REPO; for a checkout, `git checkout` the ref")
        try:
            snap = open_local(args.target)
        except SourceError as exc:
            raise UsageError(str(exc)) from None
    try:
        return _check_snapshot(args, registry, stdout, snap, client)
    finally:
        if remote:
            snap.close()


def _remote_target(target: str) -> bool:
    if os.path.exists(target):
        return False  # a local folder: the GitHub layer is not even imported
    from scorecard.sources.github import parse_repo

    return parse_repo(target) is not None


def _check_snapshot(
    args: argparse.Namespace, registry: Registry, stdout: TextIO, snap: Any, client: Any
) -> int:
    from scorecard.pipeline import grade_snapshot, load_standard

    standard = load_standard(registry, snap, config=args.config)
    registry = standard.catalog(registry)  # with the standard's declarative rules
    unknown_ids = [c for c in [*args.only, *args.skip] if c not in registry]
    if unknown_ids:
        raise UsageError(
            f"unknown check id(s): {', '.join(unknown_ids)} (`repo-scorecard checks` lists them)"
        )
    from scorecard import budgets
    from scorecard.gates import GateError, Gates, threshold

    try:
        gates = Gates(
            under=threshold(args.fail_under, [lvl.name for lvl in standard.levels])
            if args.fail_under
            else None,
            error=args.fail_on_error,
        )
    except GateError as exc:
        raise UsageError(str(exc)) from None

    try:
        card = budgets.call_with_deadline(
            budgets.current().repo_seconds,
            f"grading {snap.label}",
            lambda: grade_snapshot(snap, standard, registry, only=args.only, skip=args.skip),
        )
    except budgets.TimedOut as exc:
        raise UsageError(str(exc)) from None
    text = render(
        card,
        args.format,
        color=_use_color(args.color, stdout) and not args.output,
        unicode=_unicode_ok(stdout) or bool(args.output),
        verbose=args.verbose,
    )
    _write(text, args.output, stdout)
    if client is not None and args.verbose:
        st = client.stats
        print(
            f"GitHub API: {st.total} requests ({st.graphql} GraphQL, {st.rest} REST, "
            f"{st.download} archive downloads; {st.retries} retries, {st.waited:.1f} s "
            "waited)",
            file=sys.stderr,
        )
    if args.output and args.format != "text":
        _say(f"{card.level or 'no level'} · {card.score}/100 · report written to {args.output}")
    failed = gates.failures(card)
    if failed:
        _say(f"scorecard: {card.target}: {'; '.join(failed)}")
        return EXIT_BELOW
    return EXIT_OK


def cmd_org(args: argparse.Namespace, registry: Registry, stdout: TextIO) -> int:
    from scorecard.incremental import previous_records
    from scorecard.org import (
        Filters,
        ResultWriter,
        done_repositories,
        parse_shard,
        scan,
    )
    from scorecard.outfile import describe
    from scorecard.pipeline import config_layer

    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.concurrency < 1 or args.batch_size < 1:
        raise UsageError("--concurrency and --batch-size are at least 1")
    client = github_client(args, concurrency=args.concurrency)
    filters = Filters(
        include=args.include,
        exclude=args.exclude,
        topics=args.topic,
        visibility=args.visibility,
        archived=args.include_archived,
        forks=args.include_forks,
        shard=shard,
    )
    # --incremental: the new results replace the file --output names (through a symlink)
    final = os.path.realpath(args.output) if args.incremental else args.output
    if args.incremental and os.path.exists(final) and not os.path.isfile(final):
        raise UsageError(
            f"--incremental: {args.output} is not a regular file (the new results replace it)"
        )
    target = f"{final}.partial" if args.incremental else args.output
    resume = done_repositories(target) if args.resume else None
    if not args.resume and os.path.exists(target) and os.path.getsize(target):
        raise UsageError(
            f"{target} exists: pass --resume to continue that scan, or another --output"
        )

    def log(msg: str) -> None:
        if not args.quiet:
            _say(f"scorecard org: {msg}")

    if not args.incremental_max_age >= 0:
        raise UsageError("--incremental-max-age is a number of days, 0 or more")
    if args.max_requests is not None and args.max_requests < 1:
        raise UsageError("--max-requests is a number of requests, 1 or more")
    previous = (
        previous_records(
            args.output,
            lambda m: _say(f"scorecard org: warning: {m}"),
            max_age_days=args.incremental_max_age,
        )
        if args.incremental
        else None
    )
    writer = ResultWriter(target)
    try:
        stats = scan(
            client,
            args.org,
            registry,
            filters=filters,
            writer=writer,
            resume_from=resume,
            config_layers=[config_layer(args.config)] if args.config else None,
            org_standard_path=args.org_standard,
            batch_size=args.batch_size,
            workers=args.concurrency * 2,
            previous=previous,
            progress_stream=None if args.quiet else sys.stderr,
            log=log,
            max_requests=args.max_requests,
        )
    finally:
        writer.close()
    if args.incremental and not stats.unfinished:  # the new results replace the previous
        try:
            os.replace(target, final)
        except OSError as exc:
            raise OutputError(describe(target, exc)) from None
    log(
        f"{stats.graded} graded, {stats.reused} reused, {stats.failed} failed, "
        f"{stats.skipped_done} already done, "
        f"in {stats.seconds:.1f} s with {stats.requests} API requests "
        f"({stats.requests / max(stats.graded + stats.reused + stats.failed, 1):.2f} per "
        "repository) and "
        f"{stats.downloads} archive downloads; "
        f"results in {args.output}"
    )
    for failure in stats.failures[:20]:
        log(f"failed: {failure}")
    if stats.unfinished:
        log(
            f"stopped before --max-requests {args.max_requests} could be passed: "
            f"{stats.unfinished} repositories left in {target}; run the same command with "
            "--resume to grade them"
        )
    return EXIT_OK


def cmd_report(args: argparse.Namespace, stdout: TextIO) -> int:
    from scorecard.report.command import ReportOptions, run_report

    options = ReportOptions(
        files=tuple(args.files),
        html=args.html,
        markdown=args.markdown,
        json=args.json,
        csv=args.csv,
        history=args.history,
        update_history=not args.no_history_update,
        report_url=args.report_url,
        issue=args.issue,
        title=args.title,
    )
    return run_report(options, stdout, lambda: github_client(args))


def render(
    card: Scorecard, fmt: str, *, color: bool = False, unicode: bool = True, verbose: bool = False
) -> str:
    if fmt == "json":
        return json.dumps(card.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from scorecard.render import markdown

        return markdown.render(card)
    if fmt == "sarif":
        from scorecard.render import sarif

        return json.dumps(sarif.render(card), indent=2, ensure_ascii=False) + "\n"
    from scorecard.render import text

    return text.render(card, color=color, unicode=unicode, verbose=verbose)


def cmd_checks(args: argparse.Namespace, registry: Registry, stdout: TextIO) -> int:
    from scorecard.check import pillar_rank
    from scorecard.pipeline import load_standard

    standard = load_standard(registry, None, config=args.config)
    registry = standard.catalog(registry)
    checks = sorted(registry, key=lambda c: (pillar_rank(c.pillar), c.id))
    rows = [
        {
            "id": c.id,
            "pillar": c.pillar,
            "level": standard.level_of(c.id),
            "enabled": standard.settings[c.id].enabled,
            "weight": standard.settings[c.id].weight,
            "title": c.title,
            "package": c.source,
            "needs_api": c.needs_api,
        }
        for c in checks
    ]
    if args.format == "json":
        stdout.write(
            json.dumps({"checks": rows, "errors": [str(e) for e in registry.errors]}, indent=2)
            + "\n"
        )
        return EXIT_OK
    stdout.write(f"{'ID':<34} {'PILLAR':<10} {'LEVEL':<8} {'PACKAGE':<16} TITLE\n")
    for row in rows:
        level = row["level"] or ("off" if not row["enabled"] else "—")
        stdout.write(
            f"{row['id']:<34} {row['pillar']:<10} {level:<8} {row['package']:<16} {row['title']}\n"
        )
    for err in registry.errors:
        stdout.write(f"error: {err}\n")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, registry: Registry, stdout: TextIO) -> int:
    from scorecard import docs
    from scorecard.pipeline import load_standard

    standard = load_standard(registry, None, config=args.config)
    text = docs.render(standard.catalog(registry), standard)
    if args.check:
        if not args.output:
            raise UsageError("--check needs --output FILE")
        current = (
            Path(args.output).read_text(encoding="utf-8") if Path(args.output).exists() else ""
        )
        if current != text:
            print(
                f"{args.output} is stale: run `repo-scorecard docs --output {args.output}`",
                file=sys.stderr,
            )
            return EXIT_BELOW
        return EXIT_OK
    _write(text, args.output, stdout)
    return EXIT_OK


def _error(message: str) -> None:
    """The one printer of the command's errors: one line, every secret redacted."""
    _say(f"scorecard: {message}")


def cmd_doctor(args: argparse.Namespace, stdout: TextIO) -> int:
    from scorecard import doctor
    from scorecard.sources.github import parse_repo

    if (args.target is None) == (args.org is None):
        raise UsageError("doctor: give OWNER/REPO or --org ORG (one of them)")
    target = None
    if args.target is not None:
        found = parse_repo(args.target)
        if found is None:
            raise UsageError(f"doctor: {args.target!r} is not OWNER/REPO")
        target = "/".join(found)
    return doctor.run(github_client(args), target, args.org, stdout)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(stdout)
        return EXIT_USAGE
    from scorecard.github.auth import register_credentials

    register_credentials(os.environ, getattr(args, "token", None))
    if getattr(args, "verbose", False) or args.command != "check":
        import logging  # a plain `check` does without: it has nothing to log

        logging.basicConfig(
            level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
            format="%(name)s: %(message)s",
            stream=sys.stderr,
        )
    secrets.protect_logging()
    secrets.protect_tracebacks()
    registry = default_registry()
    if getattr(args, "verbose", False):
        for err in registry.errors:
            print(f"warning: {err}", file=sys.stderr)
    from scorecard.sources import gitprocs

    gitprocs.install_reaper()  # the git processes end with the tool
    try:
        install_budgets(args)
        if args.command == "check":
            return cmd_check(args, registry, stdout)
        if args.command == "checks":
            return cmd_checks(args, registry, stdout)
        if args.command == "org":
            return cmd_org(args, registry, stdout)
        if args.command == "report":
            return cmd_report(args, stdout)
        if args.command == "action":
            from scorecard.action import run as run_action

            return run_action()
        if args.command == "doctor":
            return cmd_doctor(args, stdout)
        if args.command == "schema":
            from scorecard.standard import schema_text

            stdout.write(schema_text())
            return EXIT_OK
        if args.command == "docs":
            return cmd_docs(args, registry, stdout)
    except StandardError as exc:
        _error(f"invalid standard: {exc}")
        return EXIT_USAGE
    except (UsageError, GitHubError, OutputError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # `scorecard check | head`
        return EXIT_OK
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:  # a bug, or input nobody foresaw: one line, not a traceback
        if getattr(args, "verbose", False):
            import traceback

            print(secrets.redact(traceback.format_exc()), file=sys.stderr, end="")
        _error(
            f"internal error: {type(exc).__name__}: {exc} (this is a bug: please report "
            "it; --verbose shows where it happened)"
        )
        return EXIT_INTERNAL
    raise AssertionError(f"unhandled command {args.command!r}")  # argparse knows them all


if __name__ == "__main__":
    sys.exit(main())
