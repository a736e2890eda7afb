"""`when:` on rules and on any check's settings: ecosystems, topics, visibility, custom
properties, the catalog entry, files; all/any/not; unknown facts let the check run."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.cli import main
from scorecard.model import Status
from scorecard.registry import default_registry
from scorecard.snapshot import RepoMeta
from scorecard.standard import StandardError, resolve

DOC_CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: handbook}
spec: {type: documentation, owner: team-docs, lifecycle: production}
"""
SERVICE_CATALOG = DOC_CATALOG.replace("documentation", "service")
NOT_DOCS = """
checks:
  tests-present: {when: {not: {catalog: {spec.type: documentation}}}}
  coverage-configured: {when: {not: {catalog: {spec.type: documentation}}}}
"""


def test_tests_and_coverage_skip_on_a_documentation_repository(apply_rules):
    res = apply_rules(NOT_DOCS, {"README.md": "# x\n", "catalog-info.yaml": DOC_CATALOG})
    for cid in ("tests-present", "coverage-configured"):
        assert res[cid].status is Status.SKIP
        assert "`when: not(catalog spec.type=documentation)` does not hold" in res[cid].message
        assert "spec.type=documentation" in res[cid].message
    other = apply_rules(NOT_DOCS, {"README.md": "# x\n", "catalog-info.yaml": SERVICE_CATALOG})
    assert other["tests-present"].status is Status.FAIL  # it applies, and there are no tests
    none = apply_rules(NOT_DOCS, {"README.md": "# x\n"})
    assert none["tests-present"].status is Status.FAIL  # no catalog entry: not documentation


PY_SERVICE = """
rules:
  - id: python-lockfile
    when: {all: [{ecosystem: python}, {topic: service}]}
    require: {any: [{files: {glob: uv.lock}}, {files: {glob: poetry.lock}}]}
"""


def api(snap, topics=("service",), visibility="public"):
    return replace(snap, meta=RepoMeta("acme/x", "main", visibility, tuple(topics)), is_remote=True)


def test_a_rule_for_python_services_only(apply_rules, make_snapshot):
    py = {"pyproject.toml": "[project]\nname = 'x'\n"}
    res = apply_rules(PY_SERVICE, {}, snap=api(make_snapshot(py)))
    assert res["python-lockfile"].status is Status.FAIL
    locked = apply_rules(PY_SERVICE, {}, snap=api(make_snapshot({**py, "uv.lock": ""})))
    assert locked["python-lockfile"].status is Status.PASS
    library = apply_rules(PY_SERVICE, {}, snap=api(make_snapshot(py), topics=("library",)))
    assert library["python-lockfile"].status is Status.SKIP
    assert "topics: library" in library["python-lockfile"].message
    node = apply_rules(PY_SERVICE, {}, snap=api(make_snapshot({"package.json": "{}"})))
    assert node["python-lockfile"].status is Status.SKIP
    assert "ecosystems detected: node" in node["python-lockfile"].message


def test_unknown_facts_let_the_check_run(apply_rules):
    """On a checkout the topics are not known: the rule runs (it is never dropped silently)."""
    res = apply_rules(PY_SERVICE, {"pyproject.toml": "[project]\n"})
    assert res["python-lockfile"].status is Status.FAIL
    prop = apply_rules(
        "checks:\n  readme-present: {when: {property: {tier: gold}}}\n", {"README.md": "# x\n"}
    )
    assert prop["readme-present"].status is Status.PASS


@pytest.mark.parametrize(
    ("when", "files", "applies"),
    [
        ("{files: 'docs/**'}", {"docs/a.md": "x"}, True),
        ("{files: 'docs/**'}", {"src/a.py": "x"}, False),
        ("{ecosystem: [go, rust]}", {"svc/go.mod": "module x\n"}, True),
        ("{ecosystem: kotlin}", {"build.gradle.kts": ""}, True),
        ("{ecosystem: node}", {"vendor/lib/package.json": "{}"}, False),
        ("{any: [{ecosystem: go}, {files: Makefile}]}", {"Makefile": "all:\n"}, True),
        ("{not: {ecosystem: docker}}", {"Dockerfile": "FROM x\n"}, False),
        (
            "{catalog: {kind: Component, spec.lifecycle: [production, beta]}}",
            {"catalog-info.yaml": DOC_CATALOG},
            True,
        ),
        ("{catalog: {spec.lifecycle: experimental}}", {"catalog-info.yaml": DOC_CATALOG}, False),
    ],
)
def test_conditions(apply_rules, when, files, applies):
    std = f"checks:\n  readme-present: {{when: {when}}}\n"
    res = apply_rules(std, {"README.md": "# x\n\nWords enough to count as a readme.\n", **files})
    assert (res["readme-present"].status is not Status.SKIP) is applies, res["readme-present"]


def test_visibility_through_the_api(apply_rules, make_snapshot):
    std = "checks:\n  readme-present: {when: {visibility: [private, internal]}}\n"
    snap = make_snapshot({"README.md": "# x\n"})
    assert apply_rules(std, {}, snap=api(snap))["readme-present"].status is Status.SKIP
    private = apply_rules(std, {}, snap=api(snap, visibility="private"))
    assert private["readme-present"].status is not Status.SKIP


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            "checks:\n  readme-present: {when: {language: go}}\n",
            "checks.readme-present.when",
            "unknown key 'language'",
        ),
        (
            "checks:\n  readme-present: {when: {ecosystem: cobol}}\n",
            "checks.readme-present.when.ecosystem",
            "unknown ecosystem 'cobol'",
        ),
        (
            "checks:\n  readme-present: {when: {all: []}}\n",
            "checks.readme-present.when.all",
            "must not be empty",
        ),
        (
            "checks:\n  readme-present: {when: {visibility: secret}}\n",
            "checks.readme-present.when.visibility",
            "'secret' is not a visibility",
        ),
        (
            "checks:\n  readme-present: {when: {files: '!x'}}\n",
            "checks.readme-present.when.files",
            "negated glob",
        ),
        (
            "checks:\n  readme-present: {when: {ecosystem: go, topic: x}}\n",
            "checks.readme-present.when",
            "one condition per mapping, not ecosystem, topic",
        ),
    ],
)
def test_bad_when_names_file_line_and_key(text, key, message):
    with pytest.raises(StandardError) as exc:
        resolve(default_registry(), [("standards.yml", text)])
    assert exc.value.key == key and message in exc.value.message
    assert exc.value.line == 2


def test_an_org_may_forbid_repositories_to_scope_checks():
    org = "allow:\n  when: false\n"
    repo = "checks:\n  tests-present: {when: {ecosystem: python}}\n"
    with pytest.raises(StandardError, match="does not allow repositories to change when"):
        resolve(default_registry(), [("org", org), ("repo", repo)], restrict_from=1)
    ok = resolve(default_registry(), [("org", repo), ("repo", "checks: {}\n")], restrict_from=1)
    assert ok.settings["tests-present"].when is not None


def test_json_lists_the_ecosystems_and_docs_show_the_when(tmp_path: Path):
    root = build_repo(
        tmp_path / "r",
        {"README.md": "# x\n", "pyproject.toml": "", "Dockerfile": "FROM x\n", "main.tf": ""},
    )
    out = io.StringIO()
    main(["check", str(root), "--format", "json"], stdout=out)
    assert json.loads(out.getvalue())["ecosystems"] == ["python", "docker", "terraform"]
    cfg = tmp_path / "std.yml"
    cfg.write_text(PY_SERVICE, encoding="utf-8")
    docs = io.StringIO()
    assert main(["docs", "--config", str(cfg)], stdout=docs) == 0
    assert "Applies when `all(ecosystem python; topic service)`" in docs.getvalue()


def test_a_hostile_catalog_value_is_shown_bounded(apply_rules):
    """The skip message quotes the repository's own catalog value: bounded, on one line."""
    huge = "x" * 50_000
    catalog = DOC_CATALOG.replace("documentation", f'{{a: [{huge}], b: "\\e[31m\\n"}}')
    res = apply_rules(
        "checks:\n  tests-present: {when: {catalog: {spec.type: service}}}\n",
        {"README.md": "# x\n", "catalog-info.yaml": catalog},
    )
    message = res["tests-present"].message
    assert res["tests-present"].status is Status.SKIP
    assert "catalog-info.yaml spec.type is {'a': ['xxx" in message
    assert len(message) < 300
    assert "\n" not in message and "\x1b" not in message
