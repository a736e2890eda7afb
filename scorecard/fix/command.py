"""``repo-scorecard fix``: on a checkout, the fixes written (or shown with ``--dry-run``); on
``OWNER/REPO --pr``, the same fixes proposed as one pull request (:mod:`scorecard.github.fixpr`).

Exit codes: 0 when the run went through (fixes written, shown or proposed; checks whose fix was
skipped are listed with why), 2 for a usage, standard or write problem (nothing is written
then).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from scorecard.fix import FixContext
from scorecard.fix.apply import (
    FIXED,
    NO_FIX,
    NOTHING,
    WOULD_FIX,
    CheckFix,
    FixError,
    diff,
    plan,
    write,
)
from scorecard.github.fixpr import FileChange, FixPRError, Proposal, propose
from scorecard.registry import Registry
from scorecard.render.markdown import code, inline
from scorecard.render.text import one_line
from scorecard.secrets import redact

EXIT_OK, EXIT_USAGE = 0, 2


def report_lines(fixes: list[CheckFix]) -> list[str]:
    width = max((len(f.action) for f in fixes), default=0)
    out = []
    for f in fixes:
        if f.action == NO_FIX:
            continue
        what = ", ".join(e.path for e in f.edits)
        detail = what + (f" ({'; '.join(e.why for e in f.edits)})" if f.edits else "")
        if f.reason and f.action != NOTHING:
            detail = (detail + "; " if detail else "") + f.reason
        out.append(
            one_line(f"{f.action.ljust(width)}  {f.check}" + (f": {detail}" if detail else ""))
        )
    return out


def pr_body(fixes: list[CheckFix], docs: Callable[[str], str]) -> str:
    lines = [
        "These changes fix checks of the repository's scorecard that fail; each is one file "
        "added or edited as the check's documentation describes. Review them like any change.",
        "",
    ]
    for f in fixes:
        if f.action not in (WOULD_FIX, FIXED):
            continue
        lines.append(f"- [{code(f.check)}]({docs(f.check)}):")
        for e in f.edits:
            verb = "adds" if e.old is None else "edits"
            lines.append(f"  - {verb} {code(e.path)}: {inline(e.why, trusted=True)}")
    skipped = [f for f in fixes if f.action == "skipped"]
    if skipped:
        lines += ["", "Not fixed automatically:"]
        lines += [f"- {code(f.check)}: {inline(f.reason)}" for f in skipped]
    lines += ["", "_Opened by `repo-scorecard fix --pr`; updated in place while checks fail._"]
    return "\n".join(lines) + "\n"


def run_fix(
    args: Any,
    registry: Registry,
    stdout: TextIO,
    open_snapshot: Callable[[], tuple[Any, Any, bool]],
) -> int:
    """The command. ``open_snapshot()`` gives ``(snapshot, client or None, remote)``."""
    from scorecard.pipeline import load_standard

    snap, client, remote = open_snapshot()
    try:
        standard = load_standard(registry, snap, config=args.config)
        catalog = standard.catalog(registry)
        unknown = [c for c in [*args.only, *args.skip] if c not in catalog]
        if unknown:
            print(f"scorecard: unknown check id(s): {', '.join(unknown)}", file=sys.stderr)
            return EXIT_USAGE
        ctx = FixContext(templates=standard.fix_templates, client=client, org=args.org)
        fixes, errors = plan(snap, standard, catalog, ctx, only=args.only, skip=args.skip)
        for err in errors:
            print(one_line(f"scorecard: warning: {err}"), file=sys.stderr)
        if remote:
            return _propose(args, stdout, snap, client, fixes, catalog)
        if args.dry_run:
            stdout.write(redact(diff(fixes)))
        else:
            try:
                write(Path(args.target), fixes, force=args.force)
            except FixError as exc:
                print(one_line(f"scorecard: {exc}"), file=sys.stderr)
                return EXIT_USAGE
        for line in report_lines(fixes):
            print(redact(line), file=sys.stderr if args.dry_run else stdout)
        return EXIT_OK
    finally:
        close = getattr(snap, "close", None)
        if close is not None:
            close()


def _propose(
    args: Any, stdout: TextIO, snap: Any, client: Any, fixes: list[CheckFix], catalog: Any
) -> int:
    changes = tuple(
        FileChange(e.path, e.new.encode("utf-8"))
        for f in fixes
        if f.action == WOULD_FIX
        for e in f.edits
    )

    def docs(cid: str) -> str:
        chk = catalog.checks.get(cid)
        from scorecard.engine import docs_url

        return (chk.docs if chk is not None and chk.docs else None) or docs_url(cid)

    proposal = Proposal(
        title="Scorecard fixes",
        body=pr_body(fixes, docs),
        message="Fix failing scorecard checks",
        changes=changes,
    )
    try:
        outcome = propose(client, args.target, proposal, dry_run=args.dry_run)
    except FixPRError as exc:
        print(one_line(f"scorecard: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    for line in report_lines(fixes):
        print(redact(line), file=stdout)
    where = f" #{outcome.number}" if outcome.number else ""
    print(
        one_line(
            f"pull request{where}: {outcome.action}" + (f" ({outcome.url})" if outcome.url else "")
        ),
        file=stdout,
    )
    return EXIT_OK
