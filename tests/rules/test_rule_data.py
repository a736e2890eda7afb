"""The `data` primitive: YAML (multi-document too), JSON, TOML, a JMESPath query and a test."""

from __future__ import annotations

from scorecard.model import Status

CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  links:
    - title: Runbook
      url: https://wiki.example.com/svc
spec:
  type: service
  owner: team-a
"""

RUNBOOK = """
rules:
  - id: runbook-linked
    title: Runbook linked from the catalog entry
    pillar: ops
    level: Silver
    weight: 2
    remediation: Add a `Runbook` link to metadata.links in catalog-info.yaml.
    docs: https://wiki.example.com/runbooks
    require:
      data: { file: catalog-info.yaml, path: "metadata.links[?title=='Runbook'].url | [0]", matches: "^https://" }
"""  # noqa: E501 (the issue's example, verbatim)


def test_issue_example_passes_and_fails(apply_rules):
    res = apply_rules(RUNBOOK, {"catalog-info.yaml": CATALOG})["runbook-linked"]
    assert res.status is Status.PASS and res.level == "Silver"
    assert res.docs_url == "https://wiki.example.com/runbooks"
    bad = CATALOG.replace("https://wiki", "http://wiki")
    res = apply_rules(RUNBOOK, {"catalog-info.yaml": bad})["runbook-linked"]
    assert res.status is Status.FAIL
    assert "catalog-info.yaml" in res.message and "^https://" in res.message
    assert res.locations and res.locations[0].path == "catalog-info.yaml"
    assert res.locations[0].line == 7


def test_missing_file_and_missing_value(apply_rules):
    assert apply_rules(RUNBOOK, {})["runbook-linked"].status is Status.FAIL
    res = apply_rules(RUNBOOK, {"catalog-info.yaml": "kind: Component\n"})["runbook-linked"]
    assert res.status is Status.FAIL and "no value" in res.message


def test_multi_document_yaml_any_document(apply_rules):
    std = "rules: [{id: r, require: {data: {file: c.yaml, path: spec.type, equals: service}}}]"
    text = "kind: System\n---\nkind: Component\nspec: {type: service}\n"
    assert apply_rules(std, {"c.yaml": text})["r"].status is Status.PASS


def test_json_toml_and_tests(apply_rules):
    std = """
rules:
  - id: node-engine
    require: { data: { file: package.json, path: engines.node, exists: true } }
  - id: py-version
    require:
      data: { file: pyproject.toml, path: "project.\\"requires-python\\"",
              in: [">=3.10", ">=3.11"] }
  - id: few-deps
    require: { data: { file: package.json, path: "length(keys(dependencies))", max: 2 } }
  - id: many-deps
    require: { data: { file: package.json, path: "length(keys(dependencies))", min: 3 } }
  - id: no-private
    require: { data: { file: package.json, path: private, exists: false } }
"""
    files = {
        "package.json": '{"engines": {"node": ">=20"}, "dependencies": {"a": "1"}}',
        "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
    }
    res = apply_rules(std, files)
    assert res["node-engine"].status is Status.PASS
    assert res["py-version"].status is Status.PASS
    assert res["few-deps"].status is Status.PASS
    assert res["many-deps"].status is Status.FAIL and "at least 3" in res["many-deps"].message
    assert res["no-private"].status is Status.PASS


def test_unparsable_data_file_fails_naming_it(apply_rules):
    std = "rules: [{id: r, require: {data: {file: a.json, path: x, exists: true}}}]"
    res = apply_rules(std, {"a.json": "{nope"})["r"]
    assert res.status is Status.FAIL and "a.json" in res.message


def test_values_shown_are_cut_and_tokens_redacted(apply_rules):
    std = 'rules: [{id: r, require: {data: {file: a.json, path: x, equals: "y"}}}]'
    token = "ghp_" + "A" * 36
    res = apply_rules(std, {"a.json": f'{{"x": "{token}"}}'})["r"]
    assert res.status is Status.FAIL and token not in res.message
    res = apply_rules(std, {"a.json": '{"x": "' + "z" * 5000 + '"}'})["r"]
    assert res.status is Status.FAIL and len(res.message) < 300


def test_equals_and_in_keep_booleans_apart_from_numbers(apply_rules):
    std = (
        "rules:\n  - {id: eq, require: {data: {file: a.json, path: x, equals: 1}}}\n"
        "  - {id: within, require: {data: {file: a.json, path: x, in: [1, 2]}}}\n"
    )
    res = apply_rules(std, {"a.json": '{"x": true}'})
    assert res["eq"].status is Status.FAIL and res["within"].status is Status.FAIL
    res = apply_rules(std, {"a.json": '{"x": 1}'})
    assert res["eq"].status is Status.PASS and res["within"].status is Status.PASS


def test_a_data_file_too_large_to_read_is_unknown(apply_rules):
    std = "rules: [{id: r, require: {data: {file: a.json, path: x, exists: true}}}]"
    big = '{"x": "' + "z" * (5 * 1024 * 1024) + '"}'
    res = apply_rules(std, {"a.json": big})["r"]
    assert res.status is Status.UNKNOWN and "a.json" in res.message
