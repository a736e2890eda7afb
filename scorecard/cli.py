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
from typing import Any, TextIO

from scorecard import secrets
from scorecard.cliparser import UsageError, build_parser
from scorecard.github.errors import GitHubError
from scorecard.model import Scorecard
from scorecard.outfile import OutputError, write_file
from scorecard.registry import Registry, default_registry
from scorecard.secrets import redact
from scorecard.standard import StandardError

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


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
            under=tuple(
                threshold(
                    value,
                    [lvl.name for lvl in standard.levels],
                    tracks={t.name: [lvl.name for lvl in t.levels] for t in standard.tracks},
                )
                for value in args.fail_under
            ),
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
            fix_prs=args.fix_prs,
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


def cmd_fix(args: argparse.Namespace, registry: Registry, stdout: TextIO) -> int:
    from scorecard.fix.command import run_fix

    remote = _remote_target(args.target)
    if remote != args.pr:
        raise UsageError(
            "fix OWNER/REPO needs --pr (the fixes become a pull request)"
            if remote
            else f"--pr is for OWNER/REPO; {args.target!r} is a checkout: run without --pr"
        )

    def open_snapshot() -> tuple[Any, Any, bool]:
        if remote:
            from scorecard.sources.github import open_github

            client = github_client(args)
            if args.org is None:
                args.org = args.target.split("/", 1)[0]
            return open_github(client, args.target), client, True
        from scorecard.sources.local import SourceError, open_local

        try:
            snap = open_local(args.target)
        except SourceError as exc:
            raise UsageError(str(exc)) from None
        client = None
        if args.token or os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN"):
            client = github_client(args)
        return snap, client, False

    return run_fix(args, registry, stdout, open_snapshot)


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
        badges=args.badges,
        badge_max_age=args.badge_max_age,
        campaign_issues=args.campaign_issues,
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
        if args.command == "fix":
            return cmd_fix(args, registry, stdout)
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
