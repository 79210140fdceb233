"""Validation of create and edit requests, per pipeline type.

This is the emulator's own reading of the two reference documents (the classic "Data
Pipelines API" page and the current OpenAPI description). Both generations of parameters are
accepted; mixing the two generations of bigquery or snowflake in one request is refused.

Input is always `fields`: every received parameter name mapped to the list of its values
(repeated keys keep every value; a value containing a comma is one value).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import bad_request

SCHEMATIZED_TYPES = ("bigquery", "snowflake", "aws", "azure-blob", "gcs-schema")
RAW_TYPES = ("s3-raw", "gcs-raw", "azure-raw")
PIPELINE_TYPES = SCHEMATIZED_TYPES + RAW_TYPES
PARQUET_TYPES = ("aws", "azure-blob", "gcs-schema")

# Keys that may legitimately be repeated; every other key must come at most once.
LIST_KEYS = frozenset({"type", "events", "bq_share_with_group", "status"})

FREQUENCIES = ("daily", "hourly")
SCHEMA_TYPES = ("monoschema", "multischema")
DATA_SOURCES = ("events", "people")
S3_ENCRYPTIONS = ("none", "aes", "kms")

CLASSIC_BQ_REGIONS = ("US", "EU", "ASIA_NORTHEAST_1")
BQ_REGIONS = (
    "US",
    "US_CENTRAL_1",
    "US_EAST_1",
    "US_WEST_1",
    "US_WEST_2",
    "US_EAST_4",
    "NORTH_AMERICA_NORTHEAST_1",
    "SOUTH_AMERICA_EAST_1",
    "EU",
    "EUROPE_NORTH_1",
    "EUROPE_WEST_2",
    "EUROPE_WEST_3",
    "EUROPE_WEST_4",
    "EUROPE_WEST_6",
    "ASIA_SOUTH_1",
    "ASIA_EAST_1",
    "ASIA_EAST_2",
    "ASIA_NORTHEAST_1",
    "ASIA_NORTHEAST_2",
    "ASIA_NORTHEAST_3",
    "ASIA_SOUTHEAST_1",
    "ASIA_SOUTHEAST_2",
    "AUSTRALIA_SOUTHEAST_1",
)
# The OpenAPI lists me-south-1 for s3-raw but not for aws; each type keeps its own list.
AWS_S3_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "ca-central-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
)
RAW_S3_REGIONS = AWS_S3_REGIONS + ("me-south-1",)
GCS_REGIONS = (
    "northamerica-northeast1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-west1",
    "us-west2",
    "southamerica-east1",
    "europe-north1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-southeast1",
    "australia-southeast1",
)

COMMON_PARAMS = frozenset(
    {
        "type",
        "trial",
        "data_source",
        "sync",
        "from_date",
        "to_date",
        "frequency",
        "events",
        "where",
        "data_format",
    }
)
SCHEMATIZED_PARAMS = frozenset({"schema_type"})

CLASSIC_BIGQUERY_PARAMS = frozenset({"bq_share_with_group"})
CURRENT_BIGQUERY_PARAMS = frozenset({"gcp_project", "bq_dataset_name", "bq_prefix"})
CLASSIC_SNOWFLAKE_PARAMS = frozenset({"snowflake_share_with"})
CURRENT_SNOWFLAKE_REQUIRED = (
    "snowflake_account_name",
    "snowflake_warehouse",
    "snowflake_storage_integration",
    "snowflake_user",
    "snowflake_password",
    "snowflake_role",
    "snowflake_database",
    "snowflake_schema",
)
CURRENT_SNOWFLAKE_PARAMS = frozenset(CURRENT_SNOWFLAKE_REQUIRED + ("snowflake_prefix",))
S3_PARAMS = frozenset({"s3_bucket", "s3_region", "s3_role", "s3_prefix", "s3_encryption", "s3_kms_key_id"})
GLUE_PARAMS = frozenset({"use_glue", "glue_database", "glue_role", "glue_table_prefix"})
AZURE_PARAMS = frozenset({"storage_account", "container_name", "prefix", "client_id", "client_secret", "tenant_id"})
GCS_PARAMS = frozenset({"gcs_bucket", "gcs_region", "gcs_prefix"})

TYPE_PARAMS: dict[str, frozenset[str]] = {
    "bigquery": CLASSIC_BIGQUERY_PARAMS | CURRENT_BIGQUERY_PARAMS | {"bq_region"},
    "snowflake": CLASSIC_SNOWFLAKE_PARAMS | CURRENT_SNOWFLAKE_PARAMS,
    "aws": S3_PARAMS | GLUE_PARAMS,
    "s3-raw": S3_PARAMS,
    "azure-blob": AZURE_PARAMS,
    "azure-raw": AZURE_PARAMS,
    "gcs-schema": GCS_PARAMS,
    "gcs-raw": GCS_PARAMS,
}

# Edit parameters beyond `events` and `where`, per type (the OpenAPI's edit schemas).
AZURE_EDIT_FIELDS = {
    "azure_client_id": "client_id",
    "azure_client_secret": "client_secret",
    "azure_tenant_id": "tenant_id",
}
TYPE_EDIT_PARAMS: dict[str, frozenset[str]] = {
    "bigquery": frozenset({"bq_share_with_group"}),
    "aws": frozenset({"glue_database", "glue_role", "glue_table_prefix"}),
    "azure-blob": frozenset(AZURE_EDIT_FIELDS),
    "azure-raw": frozenset(AZURE_EDIT_FIELDS),
}

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRIAL_DAYS = 30


@dataclass(frozen=True)
class PipelineSpec:
    """One pipeline a create request asks for (a trial may ask for two)."""

    name: str
    type: str
    data_source: str
    trial: bool
    frequency: str
    schema_type: str | None  # None for raw types
    sync: bool
    from_date: date
    to_date: date | None
    events: tuple[str, ...]
    where: str | None
    data_format: str
    # What makes two pipelines write to "the same destination"; None when each create gets
    # its own destination (Mixpanel-hosted BigQuery creates a fresh dataset).
    destination: tuple[str, ...] | None

    @property
    def recurring(self) -> bool:
        return self.to_date is None


@dataclass
class CreateRequest:
    specs: list[PipelineSpec]
    params: dict[str, list[str] | str]  # as received, for the admin API
    mixpanel_hosted_bigquery: bool = False


@dataclass
class EditChanges:
    """What an edit changes; None means "not given"."""

    events: list[str] | None = None
    where: str | None = None
    params: dict[str, str] = field(default_factory=dict)  # create-named string fields to set
    add_bq_shares: list[str] = field(default_factory=list)


# --- field access -------------------------------------------------------------------------


class Fields:
    """Read access to received parameters with the API's conventions (empty means absent)."""

    def __init__(self, values: dict[str, list[str]]):
        self.values = values
        for key, items in values.items():
            if key not in LIST_KEYS and len(items) > 1:
                raise bad_request(f"parameter {key} must be given at most once")

    def has(self, key: str) -> bool:
        return self.get(key) is not None or bool(self.get_list(key))

    def get(self, key: str) -> str | None:
        items = [item for item in self.values.get(key, []) if item != ""]
        return items[0] if items else None

    def get_list(self, key: str) -> list[str]:
        return [item for item in self.values.get(key, []) if item != ""]

    def require(self, key: str, why: str = "") -> str:
        value = self.get(key)
        if value is None:
            raise bad_request(f"missing required parameter: {key}{why}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.get(key)
        if value is None:
            return default
        if value not in allowed:
            raise bad_request(f"invalid value for {key}: {value!r}; expected one of {', '.join(allowed)}")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
        raise bad_request(f"invalid value for {key}: {value!r}; expected true or false")

    def date(self, key: str) -> date | None:
        value = self.get(key)
        if value is None:
            return None
        try:
            if not DATE_PATTERN.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise bad_request(f"invalid value for {key}: {value!r}; expected a date as YYYY-MM-DD") from None


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def params_as_received(values: dict[str, list[str]]) -> dict[str, list[str] | str]:
    return {key: list(items) if key in LIST_KEYS else items[0] for key, items in values.items() if items}


# --- create -------------------------------------------------------------------------------


def validate_create(values: dict[str, list[str]], today: date) -> CreateRequest:
    """Check a create request and describe the pipelines it makes. Raises ApiError(400)."""
    fields = Fields(values)

    types = fields.get_list("type")
    if not types:
        raise bad_request("missing required parameter: type")
    if len(types) > 1:
        raise bad_request(f"parameter type must have exactly one value, got {len(types)}: {', '.join(types)}")
    pipeline_type = types[0]
    if pipeline_type not in PIPELINE_TYPES:
        raise bad_request(f"invalid value for type: {pipeline_type!r}; expected one of {', '.join(PIPELINE_TYPES)}")
    schematized = pipeline_type in SCHEMATIZED_TYPES

    allowed = COMMON_PARAMS | TYPE_PARAMS[pipeline_type] | (SCHEMATIZED_PARAMS if schematized else frozenset())
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise bad_request(f"unknown parameter(s) for type {pipeline_type}: {', '.join(unknown)}")

    trial = fields.boolean("trial")
    data_sources = _data_sources(fields, pipeline_type, schematized, trial)
    schema_type = _schema_type(fields, schematized, data_sources)
    sync = fields.boolean("sync")
    if sync and not schematized:
        raise bad_request(f"invalid value for sync: raw pipelines ({pipeline_type}) do not support sync")
    from_date, to_date = _export_window(fields, today, trial)
    if fields.get("frequency") is not None and to_date is not None:
        raise bad_request("parameter frequency is only allowed when the export window is indefinite (no to_date)")
    frequency = fields.choice("frequency", FREQUENCIES, default="daily")
    where = fields.get("where")
    if where is not None and "events" not in data_sources:
        raise bad_request("parameter where is only valid when data_source is events")
    data_format = fields.choice(
        "data_format", ("json", "parquet") if pipeline_type in PARQUET_TYPES else ("json",), default="json"
    )

    location, hosted = _TYPE_VALIDATORS[pipeline_type](fields)

    specs = []
    for data_source in data_sources:
        source_schema = None if not schematized else ("monoschema" if data_source == "people" else schema_type)
        name = f"{'trial-' if trial else ''}{data_source}-{frequency}-{pipeline_type}"
        if source_schema:
            name += f"-{source_schema}"
        specs.append(
            PipelineSpec(
                name=name,
                type=pipeline_type,
                data_source=data_source,
                trial=trial,
                frequency=frequency or "daily",
                schema_type=source_schema,
                sync=sync,
                from_date=from_date,
                to_date=to_date,
                events=tuple(fields.get_list("events")),
                where=where if data_source == "events" else None,
                data_format=data_format or "json",
                destination=None if location is None else (pipeline_type, *location, data_source),
            )
        )
    return CreateRequest(specs=specs, params=params_as_received(values), mixpanel_hosted_bigquery=hosted)


def _data_sources(fields: Fields, pipeline_type: str, schematized: bool, trial: bool) -> list[str]:
    allowed = DATA_SOURCES if schematized else ("events",)
    data_source = fields.choice("data_source", allowed)
    if data_source is not None:
        return [data_source]
    # A trial exports events and people unless told otherwise; raw types have events only.
    return ["events", "people"] if trial and schematized else ["events"]


def _schema_type(fields: Fields, schematized: bool, data_sources: list[str]) -> str | None:
    if not schematized:
        return None
    schema_type = fields.choice("schema_type", SCHEMA_TYPES, default="monoschema")
    if data_sources == ["people"] and schema_type != "monoschema":
        raise bad_request("invalid value for schema_type: people data is always exported as monoschema")
    return schema_type


def _export_window(fields: Fields, today: date, trial: bool) -> tuple[date, date | None]:
    from_date = fields.date("from_date")
    if from_date is None:
        if not trial:
            raise bad_request("missing required parameter: from_date (required unless trial is true)")
        from_date = today - timedelta(days=1)
    if from_date > today:
        raise bad_request(f"invalid value for from_date: {from_date} is in the future")
    earliest = months_before(today, 6)
    if from_date < earliest:
        raise bad_request(f"invalid value for from_date: {from_date} is more than six months ago (earliest {earliest})")
    to_date = fields.date("to_date")
    if to_date is not None and to_date < from_date:
        raise bad_request(f"invalid value for to_date: {to_date} is before from_date {from_date}")
    return from_date, to_date


# Each returns (location fields identifying the destination or None, mixpanel_hosted_bigquery).


def _mixpanel_hosted(fields: Fields, product: str, classic_params, current_params, how_to: str) -> bool:
    """BigQuery and Snowflake each come in two generations; a create uses exactly one."""
    classic = sorted(key for key in classic_params if fields.has(key))
    current = sorted(key for key in current_params if fields.has(key))
    if classic and current:
        raise bad_request(
            f"parameters {', '.join(classic)} (Mixpanel-hosted {product}) cannot be combined with "
            f"{', '.join(current)} (customer-hosted {product})"
        )
    if not classic and not current:
        raise bad_request(f"missing required parameter: {how_to}")
    return bool(classic)


def _bigquery(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    if _mixpanel_hosted(
        fields,
        "BigQuery",
        CLASSIC_BIGQUERY_PARAMS,
        CURRENT_BIGQUERY_PARAMS,
        "bq_share_with_group (Mixpanel-hosted BigQuery) or gcp_project and bq_dataset_name (customer-hosted BigQuery)",
    ):
        fields.choice("bq_region", CLASSIC_BQ_REGIONS, default="US")
        return None, True
    project = fields.require("gcp_project", " (customer-hosted BigQuery)")
    dataset = fields.require("bq_dataset_name", " (customer-hosted BigQuery)")
    fields.choice("bq_region", BQ_REGIONS, default="US")
    return (project, dataset, fields.get("bq_prefix") or ""), False


def _snowflake(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    if _mixpanel_hosted(
        fields,
        "Snowflake",
        CLASSIC_SNOWFLAKE_PARAMS,
        CURRENT_SNOWFLAKE_PARAMS,
        "snowflake_share_with (Mixpanel-hosted Snowflake) "
        "or snowflake_account_name and the other snowflake_* credentials (customer-hosted Snowflake)",
    ):
        return ("share", fields.require("snowflake_share_with")), False
    missing = [key for key in CURRENT_SNOWFLAKE_REQUIRED if fields.get(key) is None]
    if missing:
        raise bad_request(f"missing required parameter(s) for customer-hosted Snowflake: {', '.join(missing)}")
    return (
        fields.require("snowflake_account_name"),
        fields.require("snowflake_database"),
        fields.require("snowflake_schema"),
        fields.get("snowflake_prefix") or "",
    ), False


def _s3(fields: Fields, regions: tuple[str, ...]) -> tuple[str, ...]:
    bucket = fields.require("s3_bucket")
    fields.require("s3_region")
    fields.choice("s3_region", regions)
    encryption = fields.choice("s3_encryption", S3_ENCRYPTIONS, default="none")
    if fields.get("s3_kms_key_id") is not None and encryption != "kms":
        raise bad_request("parameter s3_kms_key_id is only allowed when s3_encryption is kms")
    return bucket, fields.get("s3_prefix") or ""


def _aws(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    location = _s3(fields, AWS_S3_REGIONS)
    if fields.boolean("use_glue"):
        fields.require("glue_database", " (required when use_glue is true)")
        fields.require("glue_role", " (required when use_glue is true)")
    return location, False


def _s3_raw(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    return _s3(fields, RAW_S3_REGIONS), False


def _azure(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    for key in ("storage_account", "container_name", "client_id", "client_secret", "tenant_id"):
        fields.require(key)
    return (fields.require("storage_account"), fields.require("container_name"), fields.get("prefix") or ""), False


def _gcs(fields: Fields) -> tuple[tuple[str, ...] | None, bool]:
    bucket = fields.require("gcs_bucket")
    fields.require("gcs_region")
    fields.choice("gcs_region", GCS_REGIONS)
    return (bucket, fields.get("gcs_prefix") or ""), False


_TYPE_VALIDATORS = {
    "bigquery": _bigquery,
    "snowflake": _snowflake,
    "aws": _aws,
    "s3-raw": _s3_raw,
    "azure-blob": _azure,
    "azure-raw": _azure,
    "gcs-schema": _gcs,
    "gcs-raw": _gcs,
}


# --- edit ---------------------------------------------------------------------------------


def validate_edit(
    values: dict[str, list[str]], pipeline_type: str, data_source: str, mixpanel_hosted_bigquery: bool
) -> EditChanges:
    """Check an edit of an existing pipeline (`name` already removed). Raises ApiError(400)."""
    fields = Fields(values)
    allowed = {"events", "where"} | TYPE_EDIT_PARAMS.get(pipeline_type, frozenset())
    not_editable = sorted(set(values) - allowed)
    if not_editable:
        raise bad_request(f"parameter(s) not editable for a {pipeline_type} pipeline: {', '.join(not_editable)}")

    changes = EditChanges()
    if "events" in values:
        changes.events = fields.get_list("events")  # replaces the whitelist; empty means all events
    if "where" in values:
        if data_source != "events":
            raise bad_request("parameter where is only valid for events pipelines")
        changes.where = fields.get("where") or ""
    if "bq_share_with_group" in values:
        if not mixpanel_hosted_bigquery:
            raise bad_request("parameter bq_share_with_group only applies to Mixpanel-hosted BigQuery pipelines")
        changes.add_bq_shares = fields.get_list("bq_share_with_group")
    for key in ("glue_database", "glue_role", "glue_table_prefix"):
        if key in values:
            changes.params[key] = fields.get(key) or ""
    for edit_key, create_key in AZURE_EDIT_FIELDS.items():
        if edit_key in values:
            changes.params[create_key] = _require_non_empty(fields, edit_key)
    return changes


def _require_non_empty(fields: Fields, key: str) -> str:
    value = fields.get(key)
    if value is None:
        raise bad_request(f"invalid value for {key}: must not be empty")
    return value
