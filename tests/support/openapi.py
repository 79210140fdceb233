"""Check requests against Mixpanel's OpenAPI description in ../shared/reference/.

GET and simple POST operations go through openapi-core. Create and edit bodies are
form-encoded `oneOf`s that openapi-core cannot decode (it drops fields), and the spec's edit
`oneOf` lists identical alternatives that no request can match exactly once; so their
bodies are validated against the alternative chosen by the pipeline type, which is what the
discriminator (create) and the alternative titles (edit) mean.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest
from openapi_schema_validator import OAS30Validator

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "reference"
SHARED_SPEC = SHARED / "data-pipelines.openapi.yaml"
SHARED_CLASSIC_PAGE = SHARED / "data-pipelines-api-classic.txt"
SNAPSHOTS = REPO / "tests" / "reference"
# The shared copies are authoritative; a bare clone has only the snapshots in tests/reference/.
SPEC_PATH = SHARED_SPEC if SHARED_SPEC.exists() else SNAPSHOTS / SHARED_SPEC.name
CLASSIC_PAGE = (
    SHARED_CLASSIC_PAGE if SHARED_CLASSIC_PAGE.exists() else SNAPSHOTS / SHARED_CLASSIC_PAGE.name
).read_text()
SERVER = "https://data.mixpanel.com/api/2.0/nessie/pipeline/"
TITLE_BY_TYPE = {
    "gcs-raw": "Raw GCS Pipeline", "s3-raw": "Raw Amazon S3 Pipeline", "azure-raw": "Raw Azure Pipeline",
    "bigquery": "Schematized BigQuery Pipeline", "snowflake": "Schematized Snowflake Pipeline",
    "aws": "Schematized AWS Pipeline", "azure-blob": "Schematized Azure Pipeline",
    "gcs-schema": "Schematized GCS Pipeline",
}  # fmt: skip


class OpenApiContract:
    def __init__(self, path: Path = SPEC_PATH) -> None:
        if not path.exists():
            raise FileNotFoundError(f"the OpenAPI reference is expected at {path}")
        self.document = yaml.safe_load(path.read_text())
        self.openapi = OpenAPI.from_file_path(str(path))

    def problems(
        self, method: str, op: str, fields: list[tuple[str, str]], pipeline_type: Optional[str] = None
    ) -> list[str]:
        """Why this request does not match the spec (empty when it does)."""
        if op in ("create", "edit"):
            schema = self._body_schema(op, pipeline_type or _first(fields, "type"))
            return self._schema_problems(schema, fields)
        request = requests.Request(
            method,
            SERVER + op,
            headers={"Authorization": "Basic dXNlcjpzZWNyZXQ="},
            **({"params": fields} if method == "GET" else {"data": fields}),
        )
        try:
            self.openapi.validate_request(RequestsOpenAPIRequest(request))
        except Exception as error:  # openapi-core raises one class per kind of mismatch
            return [f"{type(error).__name__}: {error}"]
        return []

    def create_schema(self, pipeline_type: str) -> dict[str, Any]:
        """The create body schema of one pipeline type, references resolved, allOf merged."""
        return _merged(self._body_schema("create", pipeline_type))

    def edit_schema(self, pipeline_type: str) -> dict[str, Any]:
        return _merged(self._body_schema("edit", pipeline_type))

    def _body_schema(self, op: str, pipeline_type: str) -> dict[str, Any]:
        body = self.document["paths"][f"/nessie/pipeline/{op}"]["post"]["requestBody"]
        schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
        if op == "create":
            ref = schema["discriminator"]["mapping"][pipeline_type]
            return self._resolve({"$ref": ref})
        choice = next(alt for alt in schema["oneOf"] if alt["title"] == TITLE_BY_TYPE[pipeline_type])
        return self._resolve({"$ref": choice["$ref"]})

    def _resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                target = self.document
                for part in node["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
                return self._resolve(target)
            return {k: self._resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self._resolve(v) for v in node]
        return node

    def _schema_problems(self, schema: dict[str, Any], fields: list[tuple[str, str]]) -> list[str]:
        properties = _properties(schema)
        grouped: dict[str, list[str]] = defaultdict(list)
        for key, value in fields:
            grouped[key].append(value)
        found = [f"{key} is not a property of the schema" for key in grouped if key not in properties]
        body: dict[str, Any] = {}
        for key, values in grouped.items():
            prop = properties.get(key, {})
            if prop.get("type") == "array":
                body[key] = [_coerce(v, prop.get("items", {})) for v in values]
                continue
            # A repeated key is a list of values of the property's own type (events=a&events=b).
            for value in values[1:]:
                found += [
                    f"{key}: {e.message}"
                    for e in OAS30Validator(prop, format_checker=OAS30Validator.FORMAT_CHECKER).iter_errors(
                        _coerce(value, prop)
                    )
                ]
            body[key] = _coerce(values[0], prop)
        validator = OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER)
        found += [f"{'/'.join(map(str, e.path)) or 'body'}: {e.message}" for e in validator.iter_errors(body)]
        return found


def _merged(schema: dict[str, Any]) -> dict[str, Any]:
    required: list[str] = list(schema.get("required", []))
    for part in schema.get("allOf", []):
        required += _merged(part).get("required", [])
    return {"properties": _properties(schema), "required": sorted(set(required))}


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    merged = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        merged.update(_properties(part))
    return merged


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    if kind in ("number", "integer"):
        try:
            return int(value) if kind == "integer" else float(value)
        except ValueError:
            return value
    return value


def _first(fields: list[tuple[str, str]], key: str) -> str:
    return next(v for k, v in fields if k == key)
