"""Mode ``report``: merge the results files of ``mode: org`` runs (one per shard) and publish
the org report; :func:`publish_report` also serves an unsharded ``mode: org``.

Publishing means: the HTML report, the JSON and CSV, and the dashboard Markdown written to
``output-dir`` (for ``actions/upload-artifact`` or GitHub Pages), the dashboard issue created
or updated in place in ``dashboard-repo``, the history file updated when ``history`` names one,
and the dashboard written to the job summary. The rendering is ``scorecard report``'s own
(:func:`scorecard.report.command.run_report`).
"""

from __future__ import annotations

import glob
import io

from scorecard.action.env import ActionEnv, ActionError
from scorecard.github.client import GitHubClient
from scorecard.report.command import ReportOptions, run_report

DASHBOARD_OFF = ("off", "none", "false")  # values of ``dashboard-repo`` for no issue
NO_ORG_TOKEN = (
    "mode: org needs a token that can read every repository (a GitHub App "
    "installation token or a personal token)"
)


def run_report_mode(env: ActionEnv) -> int:
    pattern = env.inputs.results or f"{env.inputs.output_dir}/**/*.jsonl"
    files = sorted(set(glob.glob(str(env.in_workspace(pattern)), recursive=True)))
    if not files:
        raise ActionError(f"mode: report found no results files matching {pattern!r}")
    return publish_report(env, files, {})


def publish_report(env: ActionEnv, files: list[str], outputs: dict[str, str]) -> int:
    """Render and publish the report of ``files``; ``outputs`` are set with the report's
    paths added. Raises ActionError when the report cannot be rendered."""
    out_dir = env.output_dir()
    # org-report.*: report.json is the pr and repo modes' file, a repository's scorecard
    paths = {kind: out_dir / f"org-report.{kind}" for kind in ("html", "json", "csv")}
    paths["markdown"] = out_dir / "dashboard.md"
    inputs = env.inputs
    dashboard_repo = inputs.dashboard_repo or env.repository
    if dashboard_repo.lower() in DASHBOARD_OFF:
        dashboard_repo = ""
    options = ReportOptions(
        files=tuple(files),
        html=str(paths["html"]),
        markdown=str(paths["markdown"]),
        json=str(paths["json"]),
        csv=str(paths["csv"]),
        history=str(env.in_workspace(inputs.history)) if inputs.history else None,
        report_url=inputs.report_url or None,
        issue=dashboard_repo or None,
        title=inputs.dashboard_title or None,
        badges=str(out_dir / "badges") if inputs.badges else None,
        badge_max_age=env.badge_max_age(),
        campaign_issues=inputs.campaign_issues,
    )

    def client() -> GitHubClient:
        return env.require_client(NO_ORG_TOKEN)

    if run_report(options, io.StringIO(), client) != 0:
        raise ActionError("the report could not be rendered (see the messages above)")
    env.append_summary(paths["markdown"].read_text(encoding="utf-8"))
    outputs.update({f"report-{k}": env.rel(p) for k, p in paths.items()})
    if inputs.badges:
        outputs["badges-dir"] = env.rel(out_dir / "badges")
    env.set_outputs(outputs)
    return 0
