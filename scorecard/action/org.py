"""Mode ``org``: scan an organisation (or one shard of it: input ``shard: I/N``) through the
API into a JSON Lines results file in ``output-dir``, resuming a file a previous attempt left.
Unsharded, the run then publishes the org report (:mod:`.report`); sharded, a later ``mode:
report`` job merges the shards and publishes."""

from __future__ import annotations

import os

from scorecard.action.env import ActionEnv, ActionError
from scorecard.action.report import NO_ORG_TOKEN, publish_report
from scorecard.incremental import DEFAULT_MAX_AGE_DAYS, previous_records
from scorecard.org import Filters, ResultWriter, done_repositories, parse_shard, scan
from scorecard.outfile import describe
from scorecard.registry import Registry

FAILURES_SHOWN = 10  # repositories that could not be graded shown as warnings, at most


def run_org(env: ActionEnv, registry: Registry) -> int:
    org = env.inputs.org or env.repository.split("/")[0]
    if not org:
        raise ActionError("mode: org needs the `org` input")
    try:
        shard = parse_shard(env.inputs.shard) if env.inputs.shard else None
    except ValueError as exc:
        raise ActionError(str(exc)) from None
    inputs = env.inputs
    max_age = env.number("incremental-max-age", inputs.incremental_max_age, DEFAULT_MAX_AGE_DAYS, 0)
    limit = env.number("max-requests", inputs.max_requests, 0, 1) if inputs.max_requests else None
    out_dir = env.output_dir()
    name = f"results-{shard[0]}-of-{shard[1]}.jsonl" if shard else "results.jsonl"
    results = out_dir / name
    # incremental: the previous scan's file (restored by the workflow, e.g. from a cache) is
    # read, the new results go to .partial and replace it when the scan is complete
    target = results.with_name(name + ".partial") if inputs.incremental else results
    client = env.require_client(NO_ORG_TOKEN)
    resume = done_repositories(target) if target.exists() else None
    previous = (
        previous_records(
            results, lambda m: env.log(f"scorecard org: warning: {m}"), max_age_days=max_age
        )
        if inputs.incremental
        else None
    )
    writer = ResultWriter(target)
    try:
        stats = scan(
            client,
            org,
            registry,
            filters=Filters(shard=shard),
            writer=writer,
            resume_from=resume,
            previous=previous,
            progress_stream=env.out,
            log=lambda m: env.log(f"scorecard org: {m}"),
            max_requests=int(limit) if limit else None,
            fix_prs=inputs.fix_prs,
        )
    finally:
        writer.close()
    if inputs.incremental and not stats.unfinished:
        try:
            os.replace(target, results)
        except OSError as exc:
            raise ActionError(describe(target, exc)) from None
    env.log(
        f"scorecard org: {stats.graded} graded, {stats.reused} reused, {stats.failed} failed in "
        f"{stats.seconds:.0f} s ({stats.requests} API requests, {stats.downloads} archive "
        "downloads)"
    )
    for failure in stats.failures[:FAILURES_SHOWN]:
        env.command("warning", failure, title="scorecard org")
    files = [str(results)] if results.exists() else []
    if stats.unfinished:
        env.command(
            "warning",
            f"stopped before max-requests {int(limit or 0)} could be passed: "
            f"{stats.unfinished} repositories left in {env.rel(target)}; a run that finds it "
            "there grades them",
            title="scorecard org",
        )
        if target != results:  # the new records so far; the report takes the newest of each
            files.append(str(target))
    outputs = {
        "results-path": env.rel(results if results.exists() else target),
        "graded": str(stats.graded),
        "reused": str(stats.reused),
        "failed": str(stats.failed),
        "unfinished": str(stats.unfinished),
    }
    if shard:  # the merge job publishes
        env.set_outputs(outputs)
        return 0
    return publish_report(env, files, outputs)
