"""The org report: ``scorecard report RESULTS.jsonl... [--html F] [--markdown F] [--json F]
[--csv F] [--history F] [--issue OWNER/REPO]``.

Merges the JSON Lines results of ``scorecard org`` (any number of files: one per shard, or a
resumed scan; the newest record of each repository wins, by ``scanned_at``) and renders:

- **HTML** (``html.py``, ``templates/``): one self-contained page, no external request: the
  level distribution and pillar breakdown, trends (charts over the history, levels gained and
  lost, score changes, per team and per repository), the most common failures with how to fix
  them, a section per owning team, a sortable, filterable table of every repository, and the
  repositories that could not be graded with their error.
- **Markdown** (``dashboard.py``) for the dashboard issue, at most 65,536 characters.
- **JSON** and **CSV** (``data.py``) for other tools.
- **The dashboard issue** (``issue.py``): created once, then edited in place.

Modules: ``records`` (reading and merging), ``history``, ``summary`` (every number, computed
once), ``charts`` (SVG geometry), the renderers above, ``command`` (the one entry point,
:func:`~scorecard.report.command.run_report` with its ``ReportOptions``, for the command line
and the Action alike).

History between runs
--------------------
``--history FILE`` is JSON Lines, one compact record per scan (see ``history.py``). The report
reads it for trends and appends this scan (``--no-history-update``: read only). A scheduled
workflow has to carry the file from one run to the next; two ways:

- **a branch** (recommended): keep ``history.jsonl`` on a dedicated branch such as
  ``scorecard-history`` of the repository that runs the workflow: check it out before the
  report, commit and push it after (the job needs ``contents: write``). It lasts for ever and
  its log shows every scan.
- **an artifact**: download the previous run's artifact before the report (e.g.
  ``actions/download-artifact`` with ``run-id`` of the last successful run, or ``gh run
  download``) and upload the file again after. Artifacts expire (90 days by default), and a
  failed download silently starts the trends afresh.

A scan already in the history (same ``scanned_at``) is never appended twice, so re-running a
report on the same results is harmless.
"""
