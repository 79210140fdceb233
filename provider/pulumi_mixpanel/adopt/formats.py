"""What mixpanel-adopt writes: a bulk-import file, or a program fragment in Python, YAML or
TypeScript. Deterministic (sorted), and never a credential: secrets are config references."""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from pulumi_mixpanel.adopt.discovery import Discovery, Found
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, class_for
from pulumi_mixpanel.plugin.schema import NODEJS_PACKAGE, TOKEN_BY_TYPE, camel

FORMATS = ("pulumi-import", "python", "yaml", "typescript")
PROVIDER_NAME = "mixpanel"
# Where to find each value the API cannot return.
WHERE_TO_FIND = {
    "from_date": "the first day of the export window (YYYY-MM-DD)",
    "to_date": "the last day of this bounded export (YYYY-MM-DD; Mixpanel lists it as a backfill)",
    "gcs_bucket": "the GCS bucket it exports to (Google Cloud console, Storage)",
    "gcs_region": "that bucket's region, e.g. us-central1",
    "s3_bucket": "the S3 bucket it exports to (AWS console, S3)",
    "s3_region": "that bucket's region, e.g. us-east-1",
    "s3_role": "the ARN of the IAM role Mixpanel assumes to write (AWS console, IAM, Roles)",
    "storage_account": "the Azure Blob Storage account it exports to (Azure portal, Storage accounts)",
    "container_name": "the container in that account",
    "client_id": "the service principal's application (client) id (Azure portal, App registrations)",
    "client_secret": "the service principal's client secret (Azure portal, App registrations, Certificates & secrets)",
    "tenant_id": "the directory (tenant) id of the service principal",
    "gcp_project": "the GCP project of your BigQuery dataset (or, for a dataset Mixpanel hosts, "
    "bq_share_with_group and api_mode='classic' instead)",
    "bq_dataset_name": "the BigQuery dataset it exports to",
    "snowflake_account_name": "your Snowflake account identifier, e.g. myorg-myaccount (or, for a share from "
    "Mixpanel's account, snowflake_share_with and api_mode='classic' instead)",
    "snowflake_warehouse": "the warehouse it loads with",
    "snowflake_storage_integration": "the storage integration",
    "snowflake_user": "the Snowflake user Mixpanel signs in as",
    "snowflake_password": "that user's password",
    "snowflake_role": "the role it uses",
    "snowflake_database": "the database it exports into",
    "snowflake_schema": "the schema it exports into",
}


def where_to_find(found: Found, field: str) -> str:
    hint = WHERE_TO_FIND.get(field, "see the input's description")
    if field == "from_date" and found.earliest_day:
        hint += f"; the oldest day Mixpanel reports it exported is {found.earliest_day}"
    return hint


def identifier(found: Found) -> str:
    """The resource's name as a snake_case identifier (`events-hourly-gcs-raw` -> `events_hourly_gcs_raw`)."""
    return re.sub(r"[^a-z0-9]+", "_", found.resource_name.lower())


def secret_key(found: Found, field: str) -> str:
    return camel(identifier(found) + "_" + field)


def class_name(found: Found) -> str:
    cls = class_for(found.pipeline_type)
    assert cls is not None
    return cls.__name__


def render(discovery: Discovery, output_format: str, *, provider_urn: Optional[str] = None, project: str = "") -> str:
    if output_format == "pulumi-import":
        return pulumi_import(discovery, provider_urn)
    return {"python": python, "yaml": yaml_program, "typescript": typescript}[output_format](discovery, project)


def pulumi_import(discovery: Discovery, provider_urn: Optional[str]) -> str:
    resources = []
    for found in discovery.found:
        entry: dict[str, Any] = {
            "type": TOKEN_BY_TYPE[found.pipeline_type],
            "name": found.resource_name,
            "id": found.resource_id,
        }
        if provider_urn:
            entry["provider"] = PROVIDER_NAME
        resources.append(entry)
    document: dict[str, Any] = {"nameTable": {PROVIDER_NAME: provider_urn}} if provider_urn else {}
    document["resources"] = resources
    return json.dumps(document, indent=2) + "\n"


def _summary(discovery: Discovery, project: str) -> str:
    pipelines = sum(len(found.names) for found in discovery.found)
    where = f" of project {project}" if project else ""
    return f"{len(discovery.found)} resources{where} ({pipelines} pipelines), found by mixpanel-adopt"


def python(discovery: Discovery, project: str) -> str:
    classes = sorted({class_name(found) for found in discovery.found} | {"MixpanelPipeline"})
    lines = [
        f'"""Mixpanel pipelines to adopt: {_summary(discovery, project)}.',
        "",
        "Replace each todo(...) with its value (the comment says where to find it) and set each secret",
        "with `pulumi config set --secret <key> <value>`. adopt_existing=True makes the first `pulumi up`",
        "take each pipeline over instead of creating it. `paused` is left unset: Mixpanel does not say",
        'whether a pipeline is paused, and adoption leaves it as it is unless you set it."""',
        "",
        "import pulumi",
        "",
    ]
    if discovery.found:
        lines += [
            f"from pulumi_mixpanel import {', '.join(classes)}",
            "",
            "config = pulumi.Config()",
            "",
            "",
            "def todo(what: str) -> str:",
            '    """A value Mixpanel\'s API cannot return: replace the call with the value."""',
            '    raise pulumi.RunError(f"mixpanel-adopt left a TODO: {what}")',
            "",
        ]
    for found in discovery.found:
        variable = identifier(found)
        lines += [
            "",
            f"# {', '.join(found.names)}",
            f"{variable} = MixpanelPipeline(",
            f"    {found.resource_name!r},",
            f"    {class_name(found)}(",
        ]
        for key, value in found.inputs.items():
            lines.append(f"        {key}={value!r},")
        for field in found.todo:
            if field in ALL_SECRET_FIELDS:
                lines.append(
                    f'        {field}=config.require_secret("{secret_key(found, field)}"),  '
                    f"# TODO: pulumi config set --secret {secret_key(found, field)}: {where_to_find(found, field)}"
                )
            else:
                lines.append(
                    f'        {field}=todo("{field} of {found.resource_name}"),  # TODO: {where_to_find(found, field)}'
                )
        lines += ["        adopt_existing=True,", "    ),", ")"]
    return "\n".join(lines) + "\n"


def yaml_program(discovery: Discovery, project: str) -> str:
    lines = [
        f"# Mixpanel pipelines to adopt: {_summary(discovery, project)}.",
        "# Each input Mixpanel cannot return is a config value to set (TODO below, with where to find it):",
        "#   pulumi config set <key> <value>   (--secret for the secret ones)",
        "# paused is left unset: Mixpanel does not say whether a pipeline is paused, and adoption leaves it as it is.",
    ]
    config_lines: list[str] = []
    resource_lines: list[str] = []
    for found in discovery.found:
        resource_lines += [
            f"  # {', '.join(found.names)}",
            f"  {found.resource_name}:",
            f"    type: {TOKEN_BY_TYPE[found.pipeline_type]}",
            "    properties:",
        ]
        for key, value in found.inputs.items():
            resource_lines.append(f"      {camel(key)}: {json.dumps(value)}")
        for field in found.todo:
            key = secret_key(found, field)
            config_lines += [f"  # TODO: {where_to_find(found, field)}", f"  {key}:", "    type: string"]
            if field in ALL_SECRET_FIELDS:
                config_lines.append("    secret: true")
            resource_lines.append(f"      {camel(field)}: ${{{key}}}")
        resource_lines.append("      adoptExisting: true")
    if config_lines:
        lines += ["config:", *config_lines]
    lines += ["resources:" + ("" if resource_lines else " {}"), *resource_lines]
    return "\n".join(lines) + "\n"


def typescript(discovery: Discovery, project: str) -> str:
    lines = [
        f"// Mixpanel pipelines to adopt: {_summary(discovery, project)}.",
        "// Replace each todo(...) with its value (the comment says where to find it) and set each secret",
        "// with `pulumi config set --secret <key> <value>`. adoptExisting makes the first `pulumi up` take",
        "// each pipeline over instead of creating it. `paused` is left unset: Mixpanel does not say whether a",
        "// pipeline is paused, and adoption leaves it as it is unless you set it.",
        'import * as pulumi from "@pulumi/pulumi";',
    ]
    if discovery.found:
        lines += [
            f'import * as mixpanel from "{NODEJS_PACKAGE}";',
            "",
            "const config = new pulumi.Config();",
            "",
            "/** A value Mixpanel's API cannot return: replace the call with the value. */",
            "function todo(what: string): never {",
            "    throw new pulumi.RunError(`mixpanel-adopt left a TODO: ${what}`);",
            "}",
        ]
    for found in discovery.found:
        variable = camel(identifier(found))
        resource = TOKEN_BY_TYPE[found.pipeline_type].rsplit(":", 1)[1]
        lines += [
            "",
            f"// {', '.join(found.names)}",
            f'export const {variable} = new mixpanel.{resource}("{found.resource_name}", {{',
        ]
        for key, value in found.inputs.items():
            lines.append(f"    {camel(key)}: {json.dumps(value)},")
        for field in found.todo:
            if field in ALL_SECRET_FIELDS:
                lines.append(
                    f'    {camel(field)}: config.requireSecret("{secret_key(found, field)}"),  '
                    f"// TODO: pulumi config set --secret {secret_key(found, field)}: {where_to_find(found, field)}"
                )
            else:
                lines.append(
                    f'    {camel(field)}: todo("{camel(field)} of {found.resource_name}"),  '
                    f"// TODO: {where_to_find(found, field)}"
                )
        lines += ["    adoptExisting: true,", "});"]
    return "\n".join(lines) + "\n"
