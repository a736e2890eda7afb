"""``scorecard report FILES...``: merge, render, record history, publish the dashboard issue.

Progress goes to standard error; a results or history file that cannot be used stops the run
with one message naming it (exit 2), as does ``--issue`` without a token, or an output that
cannot be written (the previous file is then left as it was: outputs are written whole or not
at all, see :mod:`scorecard.outfile`). With no output option at all, the dashboard's Markdown
goes to standard output. Every output, and standard output, is redacted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO

from scorecard.github.errors import GitHubError
from scorecard.org import now_iso
from scorecard.outfile import OutputError, TextSink, write_file
from scorecard.render.text import one_line
from scorecard.report import dashboard, data, html
from scorecard.report.history import History, append_history, history_record, read_history
from scorecard.report.issue import upsert_dashboard
from scorecard.report.records import ReportInputError, load_results, parse_time
from scorecard.report.summary import Summary, summarise
from scorecard.secrets import redact

EXIT_OK, EXIT_USAGE = 0, 2
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def _log(message: str) -> None:
    """One line on standard error: file names and errors from the results are shown escaped
    (:func:`~scorecard.render.text.one_line`) and redacted."""
    print(one_line(redact(f"scorecard report: {message}")), file=sys.stderr, flush=True)


def default_title(s: Summary) -> str:
    return f"Scorecard dashboard: {s.org}" if s.org else "Scorecard dashboard"


def run_report(args: argparse.Namespace, stdout: TextIO,
               github_client: Callable[[argparse.Namespace], Any], *,
               now: str | None = None) -> int:
    if args.issue and not _REPO.match(args.issue):
        _log(f"--issue {args.issue!r}: write OWNER/REPO, e.g. acme/.github")
        return EXIT_USAGE
    try:
        results = load_results(args.files)
        _log(f"{results.records:,} records in {len(results.files)} file(s): "
             f"{len(results.graded):,} repositories graded, {len(results.errors):,} could not "
             f"be graded")
        history = History()
        if args.history:
            when = parse_time(results.scanned_at) if results.scanned_at else None
            if when is not None:
                history = read_history(args.history, results.org, when)
                _log(f"history {args.history}: {len(history.points)} earlier scan(s)"
                     + (f", compared with {history.previous.scanned_at}"
                        if history.previous else ""))
    except ReportInputError as exc:
        _log(str(exc))
        return EXIT_USAGE
    # A missing token fails here (UsageError, exit 2), before anything is written.
    client = github_client(args) if args.issue else None

    summary = summarise(results, history, generated_at=now or now_iso())
    title = args.title or default_title(summary)
    body = dashboard.render(summary, report_url=args.report_url)
    outputs: list[tuple[str | None, str, Callable[[TextSink], object]]] = [
        (args.markdown, "Markdown", lambda fh: fh.write(body)),
        (args.html, "HTML", lambda fh: fh.write(
            html.render(summary, title=args.title, report_url=args.report_url))),
        (args.json, "JSON", lambda fh: data.write_json(summary, results, fh)),
        (args.csv, "CSV", lambda fh: data.write_csv(summary, fh)),
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
    if not any((args.markdown, args.html, args.json, args.csv, args.issue, args.history)):
        stdout.write(redact(body))

    if args.history and not args.no_history_update and results.scanned_at:
        if history.recorded:
            _log(f"history {args.history}: this scan ({results.scanned_at}) is already in it")
        else:
            try:
                append_history(args.history, history_record(
                    results.scanned_at, summary.org,
                    ((r.entry.name, r.entry.level, r.entry.score or 0) for r in summary.repos)))
            except OSError as exc:
                _log(f"cannot append to the history {args.history}: {exc.strerror or exc}")
                return EXIT_USAGE
            _log(f"history {args.history}: this scan appended")

    if client is not None:
        try:
            outcome, number = upsert_dashboard(client, args.issue, title, body,
                                               dashboard.DASHBOARD_MARKER)
        except GitHubError as exc:
            _log(f"the dashboard issue in {args.issue} could not be written: {exc}")
            return EXIT_USAGE
        _log(f"dashboard issue {args.issue}#{number}: {outcome}")
    return EXIT_OK
