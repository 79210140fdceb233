"""The `mixpanel` package schema, generated from the input models and the settings.

One source of truth: each resource is an input class, each property a model field (its name in
camelCase, its type, description, secrecy and enum), each provider input a setting. The
generated schema is checked in as `schema.json` (package data, served by GetSchema) and a test
fails when it differs from what this module generates. Regenerate with
`python -m pulumi_mixpanel.plugin.schema > provider/pulumi_mixpanel/plugin/schema.json`.
"""

from __future__ import annotations

import inspect
import json
import sys
import typing
from importlib import resources
from typing import Any, Optional

from pulumi_mixpanel import __version__
from pulumi_mixpanel.core.changes import replaces_on_change
from pulumi_mixpanel.core.models import PIPELINE_CLASSES, PipelineArgs, rule_of
from pulumi_mixpanel.core.models.fields import OneOf
from pulumi_mixpanel.core.settings import SETTINGS, Setting
from pulumi_mixpanel.core.state import OUTPUT_FIELDS

PACKAGE = "mixpanel"
REPOSITORY = "https://github.com/pulumi-mixpanel/pulumi-mixpanel"
# Where a release's plugin archives are published; the CLI downloads
# `pulumi-resource-mixpanel-v<version>-<os>-<arch>.tar.gz` from it.
PLUGIN_DOWNLOAD_URL = f"{REPOSITORY}/releases/download/v{__version__}/"
NODEJS_PACKAGE = "@pulumi-mixpanel/mixpanel"
# The generated Python SDK; not `pulumi_mixpanel`, the dynamic resource's package it installs beside.
PYTHON_PACKAGE = "pulumi_mixpanel_sdk"
GO_IMPORT_PATH = "github.com/pulumi-mixpanel/pulumi-mixpanel/sdk/go/mixpanel"
# The resource's own name for each input class: BigQueryPipelineArgs -> mixpanel:index:BigQueryPipeline.
TOKEN_BY_TYPE: dict[str, str] = {
    cls.TYPE: f"{PACKAGE}:index:{cls.__name__.removesuffix('Args')}" for cls in PIPELINE_CLASSES
}
TYPE_BY_TOKEN: dict[str, str] = {token: pipeline_type for pipeline_type, token in TOKEN_BY_TYPE.items()}

OUTPUT_PROPERTIES: dict[str, dict[str, Any]] = {
    "pipeline_names": {
        "type": "array",
        "items": {"type": "string"},
        "description": "The names Mixpanel gave the pipelines, in the order it returned them; a trial of events and "
        "people makes two. Joined with `,` they are the resource id.",
    },
    "bigquery_dataset_name": {
        "type": "string",
        "description": "For a Mixpanel-hosted BigQuery export, the URL of the dataset Mixpanel created "
        "(create returns it; unknown after an adoption or import).",
    },
    "status": {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "description": 'Task counts by state, e.g. `{"succeeded": 12, "pending": 1}`, refreshed by `pulumi refresh`.',
    },
    "unverified_inputs": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Inputs of an adopted or imported pipeline that Mixpanel cannot confirm (its API returns no "
        "configuration); their values are taken from the program.",
    },
    "home": {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "Where the pipelines live, from the provider settings that made or adopted them: "
        '`{"projectId": "1", "region": "us"}`, or `endpoint` instead of `region`; no `projectId` with a project API '
        "secret. A change of home moves the pipelines (see docs/installation-configuration.md).",
    },
    "health": {
        "type": "string",
        "description": "Whether the pipeline is still exporting, from the last refresh's task list: `exporting`, "
        "`failing` (the latest task that ended failed or timed out), `paused`, `finished` (a bounded export whose "
        "window is over, with nothing left to run) or `starting` (no task has ended yet). A refresh warns when "
        "recent exports failed.",
    },
    "last_exported_date": {
        "type": "string",
        "description": "The latest day (YYYY-MM-DD) a task exported successfully, as of the last refresh.",
    },
    "recent_failures": {
        "type": "integer",
        "description": "Failed or timed-out tasks among those that started in the 7 days up to the pipeline's "
        "latest task.",
    },
    "last_failure_at": {
        "type": "string",
        "description": "When the latest failed or timed-out task ended, as Mixpanel reports it (ISO 8601).",
    },
}
assert tuple(OUTPUT_PROPERTIES) == OUTPUT_FIELDS


GET_PIPELINES = f"{PACKAGE}:index:getPipelines"
GET_PIPELINE_STATUS = f"{PACKAGE}:index:getPipelineStatus"
_STRING, _BOOLEAN, _INTEGER = {"type": "string"}, {"type": "boolean"}, {"type": "integer"}
FUNCTION_TYPES: dict[str, Any] = {
    f"{PACKAGE}:index:PipelineSummary": {
        "type": "object",
        "description": "One pipeline of the project, as its jobs entry and its name tell.",
        "properties": {
            "name": {**_STRING, "description": "The pipeline's name, e.g. `events-daily-gcs-raw`."},
            "type": {**_STRING, "description": "Its type (`gcs-raw`, `bigquery`, ...), from its name."},
            "dataSource": {**_STRING, "description": "`events` or `people`, from its name."},
            "frequency": {**_STRING, "description": "`daily` or `hourly`."},
            "schemaType": {**_STRING, "description": "`monoschema` or `multischema` (schematized types)."},
            "trial": {**_BOOLEAN, "description": "Whether it is the project's trial export."},
            "recurring": {**_BOOLEAN, "description": "True for a recurring export, false for a backfill."},
            "syncEnabled": {**_BOOLEAN, "description": "Whether it syncs changes, when the listing says."},
            "lastDispatched": {**_STRING, "description": "When Mixpanel last dispatched a task of it."},
        },
        "required": ["name", "trial", "recurring"],
    },
    f"{PACKAGE}:index:PipelineTask": {
        "type": "object",
        "description": "One export task of a pipeline, as Mixpanel's status reports it.",
        "properties": {
            "state": {
                **_STRING,
                "description": "pending, running, retried, failed, canceled, timed_out or succeeded.",
            },
            "fromDate": {**_STRING, "description": "The start of the period it exports."},
            "toDate": {**_STRING, "description": "The end of the period it exports."},
            "runAt": {**_STRING, "description": "When it started, or is due to start."},
            "lastFinish": {**_STRING, "description": "When it ended (absent until it has)."},
        },
        "required": ["state"],
    },
}
FUNCTIONS: dict[str, Any] = {
    GET_PIPELINES: {
        "description": "The project's pipelines, from Mixpanel's jobs listing: every pipeline it runs, whether "
        "Pulumi manages it or not. A read: `pulumi preview` calls it too.",
        "outputs": {
            "properties": {
                "pipelines": {"type": "array", "items": {"$ref": f"#/types/{PACKAGE}:index:PipelineSummary"}}
            },
            "required": ["pipelines"],
        },
    },
    GET_PIPELINE_STATUS: {
        "description": "How one pipeline is doing, from Mixpanel's status: task counts by state, its health and "
        "its recent tasks (the 7 days up to its latest task). A read: `pulumi preview` calls it too.",
        "inputs": {
            "properties": {"name": {**_STRING, "description": "The pipeline's name, e.g. `events-daily-gcs-raw`."}},
            "required": ["name"],
        },
        "outputs": {
            "properties": {
                "name": _STRING,
                "counts": {"type": "object", "additionalProperties": _INTEGER, "description": "Tasks by state."},
                "health": {
                    **_STRING,
                    "description": "`exporting`, `failing`, `finished` or `starting`, from its tasks alone.",
                },
                "lastExportedDate": {**_STRING, "description": "The latest day a task exported successfully."},
                "recentFailures": {**_INTEGER, "description": "Failed or timed-out recent tasks."},
                "lastFailureAt": {**_STRING, "description": "When the latest failed or timed-out task ended."},
                "tasks": {
                    "type": "array",
                    "items": {"$ref": f"#/types/{PACKAGE}:index:PipelineTask"},
                    "description": "The recent tasks, newest first.",
                },
            },
            "required": ["name", "counts", "health", "recentFailures", "tasks"],
        },
    },
}


def camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def input_properties(cls: type[PipelineArgs]) -> list[str]:
    """The model fields a resource takes as inputs (`type` is the resource token itself)."""
    return [name for name in cls.model_fields if name != "type"]


def generate_schema() -> dict[str, Any]:
    enums: dict[str, OneOf] = {}
    resources_spec = {TOKEN_BY_TYPE[cls.TYPE]: _resource_spec(cls, enums) for cls in PIPELINE_CLASSES}
    types = {
        f"{PACKAGE}:index:{name}": {
            "type": "string",
            "description": f"One of the values Mixpanel accepts for {name}.",
            "enum": [{"value": value} for value in rule.choices],
        }
        for name, rule in sorted(enums.items())
    }
    provider_inputs = {setting.name: _setting_spec(setting) for setting in SETTINGS}
    return {
        "name": PACKAGE,
        "displayName": "Mixpanel",
        "version": __version__,
        "description": "Mixpanel data-export pipelines (the Data Pipelines API) as Pulumi resources.",
        "keywords": ["pulumi", "mixpanel", "data-pipelines", "category/utility", "kind/native"],
        "homepage": REPOSITORY,
        "license": "Apache-2.0",
        "publisher": "pulumi-mixpanel",
        "repository": REPOSITORY,
        "pluginDownloadURL": PLUGIN_DOWNLOAD_URL,
        "meta": {"moduleFormat": "(.*)"},
        "config": {"variables": provider_inputs},
        "provider": {
            "description": "The Mixpanel provider: the credentials and endpoint of one Mixpanel project. Create one "
            "per project to manage pipelines in several projects from one program; the default provider reads "
            "the `mixpanel:*` stack config. Each input falls back on its `MIXPANEL_*` environment variable.",
            "inputProperties": provider_inputs,
            "properties": {name: spec for name, spec in provider_inputs.items() if not spec.get("secret")},
        },
        "resources": resources_spec,
        "types": {**types, **FUNCTION_TYPES},
        "functions": FUNCTIONS,
        "language": {
            "nodejs": {
                "packageName": NODEJS_PACKAGE,
                "packageDescription": "Mixpanel data-export pipelines as Pulumi resources.",
                "dependencies": {"@pulumi/pulumi": "^3.269.0"},
                "devDependencies": {"@types/node": "^20.0.0", "typescript": "^5.0.0"},
                "respectSchemaVersion": True,
            },
            "python": {
                "packageName": PYTHON_PACKAGE,
                "pyproject": {"enabled": True},
                "requires": {"pulumi": ">=3.142.0,<4.0.0"},
                "respectSchemaVersion": True,
            },
            "go": {
                "importBasePath": GO_IMPORT_PATH,
                "generateResourceContainerTypes": True,
                "respectSchemaVersion": True,
            },
        },
    }


def _resource_spec(cls: type[PipelineArgs], enums: dict[str, OneOf]) -> dict[str, Any]:
    inputs = {camel(name): _property_spec(cls, name, enums) for name in input_properties(cls)}
    required_inputs = [camel(name) for name in input_properties(cls) if cls.model_fields[name].is_required()]
    outputs = {**inputs, **{camel(name): spec for name, spec in OUTPUT_PROPERTIES.items()}}
    # cleandoc: Python 3.13 dedents docstrings when compiling, earlier versions do not.
    description = inspect.cleandoc(cls.__doc__ or "")
    description += f"\n\nCreates a Mixpanel `{cls.TYPE}` pipeline (`/nessie/pipeline/create` with `type={cls.TYPE}`)."
    return {
        "description": description,
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "properties": outputs,
        "required": sorted({*required_inputs, "pipelineNames", "status", "unverifiedInputs"}),
    }


def _property_spec(cls: type[PipelineArgs], name: str, enums: dict[str, OneOf]) -> dict[str, Any]:
    field = cls.model_fields[name]
    kind, rule = _kind(field.annotation, list(field.metadata))
    description = field.description or ""
    if rule is not None and field.is_required():
        # `pulumi import` writes an empty value for each required input the import could not
        # read, and its code generator (v3.274) fails on an enum there: a plain string, with
        # the allowed values in the description; the provider's check enforces them.
        spec: dict[str, Any] = {"type": "string"}
        description += f" One of: {', '.join(rule.choices)}."
    elif rule is not None:
        enums[rule.name] = rule
        spec = {"$ref": f"#/types/{PACKAGE}:index:{rule.name}"}
    elif kind == "array":
        spec = {"type": "array", "items": {"type": "string"}}
    else:
        spec = {"type": kind}
    spec["description"] = description
    if rule_of(cls, name).secret:
        spec["secret"] = True
    if replaces_on_change(cls, name):
        # Shown in every SDK user's editor, and enforced by the engine along with the provider's diff.
        spec["replaceOnChanges"] = True
    return spec


def _kind(annotation: Any, metadata: list[Any]) -> tuple[str, Optional[OneOf]]:
    """("string" | "boolean" | "array", enum rule) of a field's annotation."""
    rule = next((getattr(m, "func", None) for m in metadata if isinstance(getattr(m, "func", None), OneOf)), None)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        kind, inner_rule = _kind(inner, extra)
        return kind, rule or inner_rule
    if origin is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _kind(members[0], metadata)
    if origin is list:
        return "array", None
    if annotation is bool:
        return "boolean", None
    return "string", rule


def _setting_spec(setting: Setting) -> dict[str, Any]:
    variables = " or ".join(f"`{name}`" for name in setting.environment_variables)
    spec: dict[str, Any] = {
        "type": setting.kind,
        "description": f"{setting.description} Falls back on {variables}.",
        "defaultInfo": {"environment": list(setting.environment_variables)},
    }
    if setting.secret:
        spec["secret"] = True
    return spec


def checked_in_schema() -> str:
    """The schema this package serves (generated, then checked in)."""
    return resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(generate_schema()))
