"""Regenerate ``github-openapi-subset.json`` from GitHub's official OpenAPI description.

    python tests/data/make_openapi_subset.py [PATH/TO/openapi-api.github.com.json]

The default source is ``../shared/github/openapi-api.github.com.json`` next to the project
(MIT licence, (c) GitHub; see tests/data/README.md). Only the operations the fake GitHub serves
(and the octokit fixtures used by the contract tests) are kept, with their response schemas and
every component schema they reference.

The schemas are converted from OpenAPI 3.0 to JSON Schema 2020-12 so that ``jsonschema``
validates them as GitHub means them:

- ``nullable: true`` adds ``"null"`` to ``type`` (and ``None`` to ``enum``); on a schema without
  ``type`` (``allOf``/``oneOf``/``anyOf``) it becomes ``anyOf: [{"type": "null"}, ...]``;
- siblings of ``$ref`` are dropped (OpenAPI 3.0 ignores them);
- a ``discriminator`` with a ``mapping`` also selects the mapped schema through ``if``/``then``
  (for objects only: a discriminator never applies to arrays);
- response ``$ref`` (``#/components/responses/...``) and parameter ``$ref`` are inlined;
- examples, descriptions of schemas and ``x-*`` extensions are dropped to keep the file small.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2] / "shared" / "github" / "openapi-api.github.com.json"
OUTPUT = HERE / "github-openapi-subset.json"

# (path template, method): everything the fake answers, plus the octokit fixtures' operations.
OPERATIONS: list[tuple[str, str]] = [
    ("/user", "get"),
    ("/rate_limit", "get"),
    ("/users/{username}", "get"),
    ("/users/{username}/repos", "get"),
    ("/orgs/{org}", "get"),
    ("/orgs/{org}/repos", "get"),
    ("/orgs/{org}/teams", "get"),
    ("/orgs/{org}/members", "get"),
    ("/app/installations/{installation_id}/access_tokens", "post"),
    ("/repos/{owner}/{repo}", "get"),
    ("/repos/{owner}/{repo}/tarball/{ref}", "get"),
    ("/repos/{owner}/{repo}/codeowners/errors", "get"),
    ("/repos/{owner}/{repo}/commits/{ref}", "get"),
    ("/repos/{owner}/{repo}/code-scanning/default-setup", "get"),
    ("/repos/{owner}/{repo}/labels", "post"),  # the octokit "errors" fixture (422)
    ("/repos/{owner}/{repo}/issues", "get"),
    ("/repos/{owner}/{repo}/issues", "post"),
    ("/repos/{owner}/{repo}/issues/{issue_number}", "patch"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "get"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post"),
    ("/repos/{owner}/{repo}/issues/comments/{comment_id}", "patch"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}", "get"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}", "patch"),
    ("/repos/{owner}/{repo}/pulls", "get"),
    ("/repos/{owner}/{repo}/pulls", "post"),
    ("/repos/{owner}/{repo}/git/ref/{ref}", "get"),
    ("/repos/{owner}/{repo}/git/refs", "post"),
    ("/repos/{owner}/{repo}/git/refs/{ref}", "patch"),
    ("/repos/{owner}/{repo}/git/refs/{ref}", "delete"),
]

DROP_KEYS = {
    "example",
    "examples",
    "description",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "xml",
}


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def convert(schema: Any) -> Any:
    """OpenAPI 3.0 schema object -> JSON Schema 2020-12."""
    if isinstance(schema, list):
        return [convert(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROP_KEYS or key.startswith("x-") or key in ("nullable", "discriminator"):
            continue
        if key == "properties":
            out[key] = {name: convert(sub) for name, sub in value.items()}
        else:
            out[key] = convert(value)
    disc = schema.get("discriminator")
    if disc and disc.get("mapping"):
        prop = disc["propertyName"]
        out["allOf"] = [
            *out.get("allOf", []),
            *(
                {
                    "if": {
                        "type": "object",
                        "properties": {prop: {"const": name}},
                        "required": [prop],
                    },
                    "then": {"$ref": target},
                }
                for name, target in disc["mapping"].items()
            ),
        ]
    if schema.get("nullable"):
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif any(k in out for k in ("allOf", "oneOf", "anyOf")):
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def build(source: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for template, method in OPERATIONS:
        op = source["paths"][template][method]
        params = []
        for param in [*source["paths"][template].get("parameters", []), *op.get("parameters", [])]:
            if "$ref" in param:
                param = _resolve(source, param["$ref"])
            params.append(
                {
                    k: convert(v) if k == "schema" else v
                    for k, v in param.items()
                    if k in ("name", "in", "required", "schema")
                }
            )
        responses: dict[str, Any] = {}
        for status, resp in op["responses"].items():
            if "$ref" in resp:
                resp = _resolve(source, resp["$ref"])
            entry: dict[str, Any] = {"description": resp.get("description", "")}
            if "headers" in resp:
                entry["headers"] = sorted(resp["headers"])
            if "content" in resp:
                entry["content"] = {
                    mt: {"schema": convert(body.get("schema", {}))}
                    for mt, body in resp["content"].items()
                }
            responses[status] = entry
        paths.setdefault(template, {})[method] = {
            "operationId": op["operationId"],
            "parameters": params,
            "responses": responses,
        }
    # Every component schema reachable from the kept operations, converted.
    schemas: dict[str, Any] = {}
    pending: set[str] = set()
    _refs(paths, pending)
    while pending:
        ref = pending.pop()
        name = ref.rsplit("/", 1)[-1]
        if not ref.startswith("#/components/schemas/"):
            raise ValueError(f"unexpected $ref {ref}")
        if name in schemas:
            continue
        schemas[name] = convert(source["components"]["schemas"][name])
        _refs(schemas[name], pending)
    return {
        "openapi": source["openapi"],
        "info": {
            "title": "Subset of " + source["info"]["title"],
            "version": source["info"]["version"],
            "license": source["info"].get("license"),
            "x-note": "Generated by tests/data/make_openapi_subset.py: schemas converted "
            "from OpenAPI 3.0 to JSON Schema 2020-12 (nullable -> null type).",
        },
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def main(argv: list[str]) -> int:
    source_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    source = json.loads(source_path.read_text(encoding="utf-8"))
    subset = build(source)
    OUTPUT.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(
        f"wrote {OUTPUT} ({len(subset['paths'])} paths, "
        f"{len(subset['components']['schemas'])} schemas)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
