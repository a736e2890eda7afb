"""Check answer bodies against the vendored subset of GitHub's OpenAPI description.

``tests/data/github-openapi-subset.json`` holds the operations the fake serves with their response
schemas, already converted to JSON Schema 2020-12 by ``tests/data/make_openapi_subset.py``.
"""

from __future__ import annotations

import functools
import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DATA = Path(__file__).resolve().parents[1] / "data"
SUBSET = DATA / "github-openapi-subset.json"
URN = "urn:github-openapi-subset"

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlparse(value)
    return bool(parsed.scheme) and (bool(parsed.netloc) or parsed.scheme == "mailto")


@functools.lru_cache(maxsize=1)
def load_subset() -> dict[str, Any]:
    return json.loads(SUBSET.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class OpenAPIValidator:
    """``errors(template, method, status, media_type, body)`` -> list of messages."""

    def __init__(self) -> None:
        self.doc = load_subset()
        resource = Resource.from_contents(self.doc, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(URN, resource)
        self._validators: dict[tuple[str, str, str, str], Draft202012Validator | None] = {}
        self._lock = threading.Lock()

    def schema_pointer(
        self, template: str, method: str, status: int, media_type: str
    ) -> tuple[str | None, str]:
        """The JSON pointer of the response schema, and a note on which one was picked."""
        op = self.doc["paths"].get(template, {}).get(method)
        if op is None:
            return None, f"{method.upper()} {template} is not in the OpenAPI subset"
        responses = op["responses"]
        key = str(status)
        if key not in responses:
            if status >= 400:
                # GitHub does not list every error status; all are basic errors
                return "#/components/schemas/basic-error", "undocumented error status"
            if "default" in responses:
                key = "default"
            else:
                return None, f"status {status} is not documented for {method.upper()} {template}"
        content = responses[key].get("content")
        if not content:
            return "", "no body documented"
        mt = media_type.split(";")[0].strip()
        if mt not in content:
            if "application/json" in content and mt.endswith("json"):
                mt = "application/json"
            else:
                mt = next(iter(content))
        return "#/" + _pointer(
            "paths", template, method, "responses", key, "content", mt, "schema"
        ), "documented"

    def validator(
        self, template: str, method: str, status: int, media_type: str
    ) -> tuple[Draft202012Validator | None, str]:
        key = (template, method, str(status), media_type)
        pointer, note = self.schema_pointer(template, method, status, media_type)
        if pointer is None:
            return None, note
        if pointer == "":
            return None, ""
        with self._lock:
            found = self._validators.get(key)
            if found is None:
                found = Draft202012Validator(
                    {"$ref": URN + pointer}, registry=self.registry, format_checker=FORMATS
                )
                self._validators[key] = found
        return found, ""

    def errors(
        self, template: str, method: str, status: int, media_type: str, body: Any
    ) -> list[str]:
        validator, problem = self.validator(template, method, status, media_type)
        if validator is None:
            return [problem] if problem else []
        found = []
        for err in validator.iter_errors(body):
            deepest = best_match(err.context) if err.context else None
            use = deepest or err
            where = "/".join(str(p) for p in use.absolute_path) or "(body)"
            schema_at = "/".join(str(p) for p in use.schema_path)
            found.append(f"{where}: {use.message[:200]} (schema: {schema_at})")
            if len(found) >= 10:
                break
        return found


@functools.lru_cache(maxsize=1)
def shared_validator() -> OpenAPIValidator:
    return OpenAPIValidator()
