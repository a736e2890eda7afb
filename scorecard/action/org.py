"""Mode ``org``: scan an organisation (or one shard of it: input ``shard: I/N``) through the
API into a JSON Lines results file in ``output-dir``, resuming a file a previous attempt left.
Unsharded, the run then publishes the org report (:mod:`.report`); sharded, a later ``mode:
report`` job merges the shards and publishes."""

from __future__ import annotations

from scorecard.action.env import ActionEnv, ActionError
from scorecard.action.report import NO_ORG_TOKEN, publish_report
from scorecard.org import Filters, ResultWriter, done_repositories, parse_shard, scan
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
    out_dir = env.output_dir()
    name = f"results-{shard[0]}-of-{shard[1]}.jsonl" if shard else "results.jsonl"
    results = out_dir / name
    client = env.require_client(NO_ORG_TOKEN)
    resume = done_repositories(results) if results.exists() else None
    writer = ResultWriter(results)
    try:
        stats = scan(
            client,
            org,
            registry,
            filters=Filters(shard=shard),
            writer=writer,
            resume_from=resume,
            progress_stream=env.out,
            log=lambda m: env.log(f"scorecard org: {m}"),
        )
    finally:
        writer.close()
    env.log(
        f"scorecard org: {stats.graded} graded, {stats.failed} failed in "
        f"{stats.seconds:.0f} s ({stats.requests} API requests, {stats.downloads} archive "
        "downloads)"
    )
    for failure in stats.failures[:FAILURES_SHOWN]:
        env.command("warning", failure, title="scorecard org")
    outputs = {
        "results-path": env.rel(results),
        "graded": str(stats.graded),
        "failed": str(stats.failed),
    }
    if shard:  # the merge job publishes
        env.set_outputs(outputs)
        return 0
    return publish_report(env, [str(results)], outputs)
