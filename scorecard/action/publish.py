"""One repository's results published by the Action (modes ``pr`` and ``repo``): the JSON
report in ``output-dir``, the job summary, annotations on the failing lines, the step's
outputs, and the exit code that ``fail-on`` asks for."""

from __future__ import annotations

import json
from pathlib import Path

from scorecard.action.env import ActionEnv
from scorecard.compare import Comparison
from scorecard.github import workflow as wf
from scorecard.model import Scorecard, Status
from scorecard.outfile import redact_data, write_file
from scorecard.render import comment as comment_render
from scorecard.render import markdown

ANNOTATION_MESSAGE_CHARS = 1000  # an annotation's message is cut to this many characters


def annotate(env: ActionEnv, card: Scorecard, cmp: Comparison | None) -> None:
    """Failing checks as annotations on their files: regressions as errors, other failures as
    warnings; past GitHub's 10 per type, one notice summarises the rest."""
    broke = {c.id for c in cmp.broke} if cmp else set()
    counts = {"error": 0, "warning": 0}
    hidden = 0
    for r in card.checks:
        if r.status is not Status.FAIL:
            continue
        kind = "error" if r.id in broke else "warning"
        for loc in r.locations or ():
            if counts[kind] >= wf.ANNOTATIONS_PER_TYPE:
                hidden += 1
                continue
            counts[kind] += 1
            message = (
                r.message
                if len(r.message) <= ANNOTATION_MESSAGE_CHARS
                else r.message[: ANNOTATION_MESSAGE_CHARS - 1] + "…"
            )
            env.command(
                kind,
                f"{message} — {r.remediation}",
                file=loc.path,
                line=loc.line,
                title=f"scorecard: {r.id}",
            )
    if hidden:
        env.command(
            "notice", f"{hidden} more failing locations: see the job summary", title="scorecard"
        )


def summary_markdown(cmp: Comparison, links: comment_render.Links) -> str:
    parts = [comment_render.render(cmp, links, limit=200_000)]
    parts.append("\n<details><summary>Full report</summary>\n\n")
    parts.append(markdown.render(cmp.head, link_base=links.blob))
    parts.append("\n</details>\n")
    return "".join(parts)


def finish(
    env: ActionEnv,
    cmp: Comparison,
    links: comment_render.Links,
    *,
    comment_path: Path | None,
    comment_status: str,
) -> int:
    """Publish ``cmp`` (the head, and the base when there is one); the exit code."""
    head = cmp.head
    out = env.output_dir()
    report = out / "report.json"
    write_file(
        report,
        json.dumps(
            redact_data(
                {
                    "scorecard": head.to_json(),
                    "comparison": cmp.to_json(),
                    "base": cmp.base.to_json() if cmp.base else None,
                }
            ),
            indent=1,
            ensure_ascii=False,
        ),
    )
    env.append_summary(summary_markdown(cmp, links))
    annotate(env, head, cmp)
    tracks = {t.name: [lvl.name for lvl in t.levels] for t in head.tracks}
    failed = env.gates([lvl.name for lvl in head.levels], tracks).failures(head, cmp)
    passed = not failed
    env.set_outputs(
        {
            "score": str(head.score),
            "level": head.level or "",
            "base-level": (cmp.base.level or "") if cmp.base else "",
            "base-score": str(cmp.base.score) if cmp.base else "",
            "passed": "true" if passed else "false",
            "report-path": env.rel(report),
            "comment-path": env.rel(comment_path) if comment_path else "",
            "comment": comment_status,
        }
    )
    env.log(
        f"scorecard: {head.level or 'no level'} · {head.score}/100"
        + (f" (base: {cmp.base.level or 'no level'} · {cmp.base.score}/100)" if cmp.base else "")
    )
    for reason in failed:
        env.command("error", f"the repository fails a gate: {reason}", title="scorecard")
    return 1 if failed else 0
