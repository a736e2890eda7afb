"""``scorecard report FILES...``: merge, render, record history, publish the dashboard issue.

One entry point, :func:`run_report`, for the command line (which builds its
:class:`ReportOptions` from the flags) and for the Action's ``org`` and ``report`` modes (which
build them from the inputs).

Progress goes to standard error; a results or history file that cannot be used stops the run
with one message naming it (exit 2), as does ``--issue`` without a token, or an output that
cannot be written (the previous file is then left as it was: outputs are written whole or not
at all, see :mod:`scorecard.outfile`). With no output option at all, the dashboard's Markdown
goes to standard output. Every output, and standard output, is redacted.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from scorecard.badges import (
    DEFAULT_MAX_AGE_DAYS,
    badge_for,
    badge_path,
    stale_by_age,
    write_badge,
)
from scorecard.github.client import GitHubClient
from scorecard.github.errors import GitHubError
from scorecard.org import now_iso
from scorecard.outfile import OutputError, TextSink, write_file
from scorecard.render.text import one_line
from scorecard.report import dashboard, data, html
from scorecard.report.campaigns import progress
from scorecard.report.history import History, append_history, history_record, read_history
from scorecard.report.issue import upsert_dashboard
from scorecard.report.records import OrgResults, ReportInputError, load_results, parse_time
from scorecard.report.summary import Summary, summarise
from scorecard.report.tracking import track
from scorecard.secrets import redact

EXIT_OK, EXIT_USAGE = 0, 2
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class ReportOptions:
    """What one report run reads and writes. Every output is a file path, or None for not
    written; with none of them (nor ``issue`` nor ``history``), the dashboard's Markdown goes
    to standard output."""

    files: tuple[str, ...]  # the JSON Lines results of ``scorecard org``
    html: str | None = None
    markdown: str | None = None  # the dashboard issue's body
    json: str | None = None
    csv: str | None = None
    history: str | None = None  # read for trends, and this scan appended
    update_history: bool = True  # False: ``history`` is only read
    report_url: str | None = None  # where the HTML report is published
    issue: str | None = None  # OWNER/REPO of the dashboard issue, created or updated
    title: str | None = None  # the dashboard issue's title (and the HTML page's)
    badges: str | None = None  # a folder: OWNER/REPO.json (shields.io endpoint) and .svg
    badge_max_age: float = DEFAULT_MAX_AGE_DAYS  # days before a result shows as stale
    campaign_issues: bool = False  # open/update/close the campaigns' tracking issues


def _log(message: str) -> None:
    """One line on standard error: file names and errors from the results are shown escaped
    (:func:`~scorecard.render.text.one_line`) and redacted."""
    print(one_line(redact(f"scorecard report: {message}")), file=sys.stderr, flush=True)


def default_title(s: Summary) -> str:
    return f"Scorecard dashboard: {s.org}" if s.org else "Scorecard dashboard"


def run_report(
    opts: ReportOptions,
    stdout: TextIO,
    github_client: Callable[[], GitHubClient],
    *,
    now: str | None = None,
) -> int:
    """Render the report ``opts`` asks for; the exit code (0, or 2 with one message on
    standard error). ``github_client`` is called only when there is an issue to write, and
    may raise (a missing token) before anything is written."""
    if opts.issue and not _REPO.match(opts.issue):
        _log(f"--issue {opts.issue!r}: write OWNER/REPO, e.g. acme/.github")
        return EXIT_USAGE
    try:
        results = load_results(opts.files)
        _log(
            f"{results.records:,} records in {len(results.files)} file(s): "
            f"{len(results.graded):,} repositories graded, {len(results.errors):,} could not "
            f"be graded"
        )
        history = History()
        if opts.history:
            when = parse_time(results.scanned_at) if results.scanned_at else None
            if when is not None:
                history = read_history(opts.history, results.org, when)
                _log(
                    f"history {opts.history}: {len(history.points)} earlier scan(s)"
                    + (f", compared with {history.previous.scanned_at}" if history.previous else "")
                )
    except ReportInputError as exc:
        _log(str(exc))
        return EXIT_USAGE
    # A missing token fails here (the factory raises), before anything is written.
    client = github_client() if opts.issue or opts.campaign_issues else None
    issue = (opts.issue, client) if opts.issue and client is not None else None

    summary = summarise(results, history, generated_at=now or now_iso())
    title = opts.title or default_title(summary)
    body = dashboard.render(summary, report_url=opts.report_url)
    outputs: list[tuple[str | None, str, Callable[[TextSink], object]]] = [
        (opts.markdown, "Markdown", lambda fh: fh.write(body)),
        (
            opts.html,
            "HTML",
            lambda fh: fh.write(html.render(summary, title=opts.title, report_url=opts.report_url)),
        ),
        (opts.json, "JSON", lambda fh: data.write_json(summary, results, fh)),
        (opts.csv, "CSV", lambda fh: data.write_csv(summary, fh)),
    ]
    for path, what, write in outputs:
        if not path:
            continue
        try:
            write_file(path, write)
        except OutputError as exc:
            _log(f"{exc} (the {what} report)")
            return EXIT_USAGE
        _log(f"{what} report: {path}")
    if opts.badges:
        try:
            count = write_badges(results, opts.badges, parse_time(summary.generated_at), opts)
        except OutputError as exc:
            _log(f"{exc} (a badge)")
            return EXIT_USAGE
        _log(f"badges: {count:,} in {opts.badges}")
    if not any(
        (
            opts.markdown,
            opts.html,
            opts.json,
            opts.csv,
            opts.issue,
            opts.history,
            opts.badges,
            opts.campaign_issues,
        )
    ):
        stdout.write(redact(body))

    if opts.history and opts.update_history and results.scanned_at:
        if history.recorded:
            _log(f"history {opts.history}: this scan ({results.scanned_at}) is already in it")
        else:
            try:
                append_history(
                    opts.history,
                    history_record(
                        results.scanned_at,
                        summary.org,
                        ((r.entry.name, r.entry.level, r.entry.score or 0) for r in summary.repos),
                        progress(results),
                    ),
                )
            except OSError as exc:
                _log(f"cannot append to the history {opts.history}: {exc.strerror or exc}")
                return EXIT_USAGE
            _log(f"history {opts.history}: this scan appended")

    if issue is not None:
        repo, client = issue
        try:
            outcome, number = upsert_dashboard(
                client, repo, title, body, dashboard.DASHBOARD_MARKER
            )
        except GitHubError as exc:
            _log(f"the dashboard issue in {repo} could not be written: {exc}")
            return EXIT_USAGE
        _log(f"dashboard issue {repo}#{number}: {outcome}")
    if opts.campaign_issues and client is not None:
        try:
            stats = track(client, results, _log, results.scanned_at)
        except GitHubError as exc:
            _log(f"campaign issues: {exc}")
            return EXIT_USAGE
        _log(
            f"campaign issues: {stats.created:,} opened, {stats.updated:,} updated, "
            f"{stats.reopened:,} reopened, {stats.closed:,} closed, {stats.unchanged:,} "
            f"unchanged, {len(stats.failed):,} repositories could not be written"
        )
    return EXIT_OK


def write_badges(results: OrgResults, folder: str, now: dt.datetime, opts: ReportOptions) -> int:
    """A badge (:mod:`scorecard.badges`) per repository of ``results`` under ``folder``; how
    many were written. A repository whose newest scan could not grade it shows its previous
    result, stale; one with a name GitHub would not allow gets none (logged)."""
    count = 0
    for entry in sorted(results.repos.values(), key=lambda r: r.name.lower()):
        base = badge_path(folder, entry.name)
        if base is None:
            _log(f"no badge for {entry.name!r}: not a repository name")
            continue
        shown = entry if entry.graded else entry.previous
        if shown is None:
            badge = badge_for(None, None, results.levels)
        else:
            reason = (
                f"the scan of {entry.scanned_at} could not grade it"
                if shown is not entry
                else stale_by_age(shown.when, now, opts.badge_max_age)
            )
            badge = badge_for(shown.level, shown.score, results.levels, stale_reason=reason)
        write_badge(base, badge)
        count += 1
    return count
