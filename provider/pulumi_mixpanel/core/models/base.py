"""Pipeline inputs: one pydantic model per destination type, with Mixpanel's rules.

This module knows nothing of Pulumi. A field accepts a plain value or any value that is not
known yet (a Pulumi Output in a program, an Unknown during preview): such values pass
through untouched and every rule that needs them is skipped until they are known.

Two API modes (see README, "API modes"):
- `current`: requests validate against Mixpanel's OpenAPI description: schematized
  pipelines always send `sync=true` and `schema_type`, `s3_role` is required, a trial sends
  its `from_date` explicitly.
- `classic`: the classic "Data Pipelines API" page: `sync` defaults to false, `s3_role` is
  optional, and Mixpanel-hosted BigQuery (`bq_share_with_group`) and Snowflake
  (`snowflake_share_with`) exist only here.
"""


import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Callable, ClassVar, Literal, Optional, TypeVar, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WrapValidator,
)

T = TypeVar("T")

_PLAIN_TYPES = (str, bool, int, float, list, tuple, dict, dt.date, type(None))


def is_deferred(value: Any) -> bool:
    """True for a value that is not known yet (an Output or a preview Unknown)."""
    return not isinstance(value, _PLAIN_TYPES)


def is_known(value: Any) -> bool:
    return value is not None and not is_deferred(value)


def _pass_deferred(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if is_deferred(value) else handler(value)


# A field type that validates plain values and lets unknown ones through.
Deferrable = Annotated[T, WrapValidator(_pass_deferred)]

_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_date(value: str) -> str:
    if not _DATE_PATTERN.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    return value


def _date_to_string(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


DateString = Deferrable[Annotated[str, BeforeValidator(_date_to_string), AfterValidator(_check_date)]]
Text = Deferrable[Annotated[str, AfterValidator(_non_empty)]]
TextList = Deferrable[Annotated[list[Deferrable[Annotated[str, AfterValidator(_non_empty)]]], BeforeValidator(_one_or_many)]]
Flag = Deferrable[bool]

AwsRegion = Literal[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1", "ca-central-1",
    "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1",
]  # fmt: skip
# The OpenAPI lists me-south-1 for raw S3 exports only.
S3RawRegion = Union[AwsRegion, Literal["me-south-1"]]
GcsRegion = Literal[
    "northamerica-northeast1", "us-central1", "us-east1", "us-east4", "us-west1", "us-west2",
    "southamerica-east1", "europe-north1", "europe-west1", "europe-west2", "europe-west3",
    "europe-west4", "europe-west6", "asia-east1", "asia-east2", "asia-northeast1",
    "asia-northeast2", "asia-northeast3", "asia-south1", "asia-southeast1", "australia-southeast1",
]  # fmt: skip
BIGQUERY_REGIONS_CURRENT = (
    "US", "US_CENTRAL_1", "US_EAST_1", "US_WEST_1", "US_WEST_2", "US_EAST_4",
    "NORTH_AMERICA_NORTHEAST_1", "SOUTH_AMERICA_EAST_1", "EU", "EUROPE_NORTH_1", "EUROPE_WEST_2",
    "EUROPE_WEST_3", "EUROPE_WEST_4", "EUROPE_WEST_6", "ASIA_SOUTH_1", "ASIA_EAST_1", "ASIA_EAST_2",
    "ASIA_NORTHEAST_1", "ASIA_NORTHEAST_2", "ASIA_NORTHEAST_3", "ASIA_SOUTHEAST_1",
    "ASIA_SOUTHEAST_2", "AUSTRALIA_SOUTHEAST_1",
)  # fmt: skip
BIGQUERY_REGIONS_CLASSIC = ("US", "EU", "ASIA_NORTHEAST_1")

# Fields of every class that configure the provider, not Mixpanel: never sent to the API.
PROVIDER_FIELDS = ("paused", "adopt_existing", "api_mode")
API_MODES = ("current", "classic")
SIX_MONTHS = 6


@dataclass(frozen=True)
class Problem:
    """One validation failure: the property it concerns and a readable reason."""

    property: str
    reason: str

    def __str__(self) -> str:
        return f"{self.property}: {self.reason}"


class PipelineInputError(ValueError):
    """The inputs break one or more rules; `problems` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("invalid pipeline inputs: " + "; ".join(str(p) for p in problems))


def trial_start(today: dt.date) -> str:
    """A trial without from_date starts the day before the create call."""
    return (today - dt.timedelta(days=1)).isoformat()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier, clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


class PipelineArgs(BaseModel):
    """Fields common to every pipeline type. Use one of the per-destination subclasses."""

    # Inputs are never echoed in pydantic's own messages: some are secrets.
    # defer_build: a provider process validates one or two types; building all eight schemas
    # at import would double the plugin's start-up.
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, hide_input_in_errors=True, defer_build=True)

    TYPE: ClassVar[str] = ""
    SCHEMATIZED: ClassVar[bool] = True
    # Input field -> edit parameter, for the fields Mixpanel's edit endpoint can change.
    EDITABLE: ClassVar[dict[str, str]] = {"events": "events", "where": "where"}
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Fields that say where the data lands; Mixpanel refuses two pipelines to one destination.
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ()

    trial: Optional[Flag] = Field(default=None, description="Create Mixpanel's one-time 30-day trial export.")
    from_date: Optional[DateString] = Field(default=None, description="Start of the export window, YYYY-MM-DD.")
    to_date: Optional[DateString] = Field(default=None, description="End of the window; absent = never ends.")
    frequency: Optional[Deferrable[Literal["daily", "hourly"]]] = None
    events: Optional[TextList] = Field(default=None, description="Event whitelist; absent = all events.")
    where: Optional[Text] = Field(default=None, description="Selector expression over events.")
    paused: Optional[Flag] = Field(default=None, description="Pause (true) or resume (false) the pipeline.")
    adopt_existing: Optional[Flag] = Field(
        default=None, description="On create, take over an existing pipeline of the same name instead of creating one."
    )
    api_mode: Optional[Deferrable[Literal["current", "classic"]]] = Field(
        default=None, description="Which API description the requests follow; see README."
    )

    # --- rules -------------------------------------------------------------------------

    def resolved_api_mode(self) -> str:
        if self.api_mode in API_MODES:
            return self.api_mode
        return "classic" if self._uses_mixpanel_hosted_destination() else "current"

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return False

    def data_sources(self) -> list[str]:
        """The data sources this create exports, one pipeline each."""
        data_source = getattr(self, "data_source", None) or ("events" if not self.SCHEMATIZED else None)
        if data_source:
            return [data_source]
        return ["events", "people"] if self.trial else ["events"]

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        """Every cross-field rule that the values break (field types are pydantic's job)."""
        found: list[Problem] = []
        if not self.trial and self.from_date is None:
            found.append(Problem("from_date", "is required unless trial is true"))
        starts = self.from_date
        if starts is None and self.trial is True:
            starts = trial_start(today)
        if is_known(starts) and is_known(self.to_date) and self.to_date < starts:
            found.append(Problem("to_date", f"{self.to_date} is before the export starts ({starts})"))
        if check_from_date_window and is_known(self.from_date):
            earliest = months_before(today, SIX_MONTHS)
            # The limit holds for trials too: a trial only changes the default (yesterday).
            if self.from_date < earliest.isoformat():
                found.append(
                    Problem("from_date", f"{self.from_date} is more than six months ago (earliest is {earliest})")
                )
            if self.from_date > today.isoformat():
                found.append(Problem("from_date", f"{self.from_date} is in the future (today is {today})"))
        if self.to_date is not None and self.frequency is not None:
            found.append(
                Problem("frequency", "applies only to an export without to_date (one that never ends); remove it")
            )
        if self.where is not None and "events" not in self.data_sources():
            found.append(Problem("where", "filters events, so it needs data_source 'events'"))
        return found

    # --- values as stored and sent -------------------------------------------------------

    def with_defaults(self) -> "PipelineArgs":
        """A copy with Mixpanel's defaults written in, so state shows the effective values."""
        defaults: dict[str, Any] = {"trial": False, "paused": False, "adopt_existing": False}
        defaults["api_mode"] = self.resolved_api_mode()
        if self.to_date is None:
            defaults["frequency"] = "daily"
        defaults.update(self._type_defaults(defaults["api_mode"]))
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return self.model_copy(update=filled)

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {}

    def request_fields(self, *, today: dt.date) -> list[tuple[str, Any]]:
        """The create request's fields, in a stable order; lists become repeated keys later."""
        values = self.with_defaults()
        fields: list[tuple[str, Any]] = [("type", self.TYPE)]
        for name in type(self).model_fields:
            if name in PROVIDER_FIELDS or name == "type":
                continue
            value = getattr(values, name)
            if value is not None:
                fields.append((name, value))
        if values.resolved_api_mode() == "current" and values.trial and values.from_date is None:
            # The OpenAPI requires from_date; send the one Mixpanel would pick.
            fields.append(("from_date", trial_start(today)))
        return fields

    def expected_pipeline_names(self) -> list[str]:
        """The names Mixpanel gives this create's pipelines: [trial-]source-frequency-type[-schema]."""
        values = self.with_defaults()
        frequency = values.frequency or "daily"
        names = []
        for source in values.data_sources():
            name = f"{'trial-' if values.trial else ''}{source}-{frequency}-{self.TYPE}"
            if self.SCHEMATIZED:
                name += "-" + ("monoschema" if source == "people" else getattr(values, "schema_type", "monoschema"))
            names.append(name)
        return names

    def secret_values(self) -> list[str]:
        return [v for v in (getattr(self, f) for f in self.SECRET_FIELDS) if isinstance(v, str) and v]


class _SchematizedArgs(PipelineArgs):
    schema_type: Optional[Deferrable[Literal["monoschema", "multischema"]]] = None
    data_source: Optional[Deferrable[Literal["events", "people"]]] = None
    sync: Optional[Flag] = Field(default=None, description="Keep exported data in sync with late changes.")

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        if self.data_source == "people" and self.schema_type == "multischema":
            found.append(Problem("schema_type", "people data is always exported as monoschema"))
        if self.sync is False and self.resolved_api_mode() == "current":
            found.append(
                Problem("sync", "the current API requires sync=true; set api_mode='classic' to send sync=false")
            )
        return found

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {"schema_type": "monoschema", "sync": api_mode == "current"}


class _FileFormatMixin:
    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {**super()._type_defaults(api_mode), "data_format": "json"}  # type: ignore[misc]


class _RawArgs(PipelineArgs):
    SCHEMATIZED: ClassVar[bool] = False

    data_source: Optional[Deferrable[Literal["events"]]] = Field(default=None, description="Raw exports are events only.")
    data_format: Optional[Deferrable[Literal["json"]]] = Field(default=None, description="Raw exports are JSON only.")

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {"data_source": "events", "data_format": "json"}


class _S3Mixin(BaseModel):
    s3_bucket: Text
    s3_role: Optional[Text] = Field(default=None, description="IAM role Mixpanel assumes to write (required in current mode).")
    s3_prefix: Optional[Text] = None
    s3_encryption: Optional[Deferrable[Literal["none", "aes", "kms"]]] = None
    s3_kms_key_id: Optional[Text] = None

    def _s3_problems(self, api_mode: str) -> list[Problem]:
        found = []
        if self.s3_role is None and api_mode == "current":
            found.append(Problem("s3_role", "is required by the current API (it is optional only with api_mode='classic')"))
        if self.s3_kms_key_id is not None and self.s3_encryption not in ("kms",) and not is_deferred(self.s3_encryption):
            found.append(Problem("s3_kms_key_id", "is used only with s3_encryption 'kms'"))
        return found


class _AzureMixin(BaseModel):
    storage_account: Text
    container_name: Text
    prefix: Optional[Text] = None
    client_id: Text
    client_secret: Text = Field(repr=False, description="Service principal secret; kept secret in state.")
    tenant_id: Text


class _GcsMixin(BaseModel):
    gcs_bucket: Text
    gcs_region: Deferrable[GcsRegion]
    gcs_prefix: Optional[Text] = None


_AZURE_EDITABLE = {"client_id": "azure_client_id", "client_secret": "azure_client_secret", "tenant_id": "azure_tenant_id"}


class BigQueryPipelineArgs(_SchematizedArgs):
    """Export to Google BigQuery.

    Customer-hosted (current API): `gcp_project` + `bq_dataset_name` (+ `bq_region`, `bq_prefix`).
    Mixpanel-hosted (classic API): `bq_share_with_group`; Mixpanel creates the dataset and
    returns its URL as `bigquery_dataset_name`.
    """

    TYPE: ClassVar[str] = "bigquery"
    EDITABLE: ClassVar[dict[str, str]] = {**PipelineArgs.EDITABLE, "bq_share_with_group": "bq_share_with_group"}
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("gcp_project", "bq_dataset_name", "bq_prefix")

    type: Literal["bigquery"] = "bigquery"
    gcp_project: Optional[Text] = None
    bq_dataset_name: Optional[Text] = None
    bq_prefix: Optional[Text] = None
    bq_region: Optional[Deferrable[str]] = None
    bq_share_with_group: Optional[TextList] = Field(
        default=None, description="Group emails that get read access to a Mixpanel-hosted dataset (additions only)."
    )

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return self.bq_share_with_group is not None

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        hosted = self._uses_mixpanel_hosted_destination()
        customer = self.gcp_project is not None or self.bq_dataset_name is not None
        if hosted and customer:
            found.append(
                Problem("bq_share_with_group", "choose one: a Mixpanel-hosted dataset (bq_share_with_group) "
                        "or your own (gcp_project + bq_dataset_name), not both")  # fmt: skip
            )
        elif not hosted and not customer:
            found.append(
                Problem("gcp_project", "set gcp_project and bq_dataset_name (your dataset) "
                        "or bq_share_with_group (a Mixpanel-hosted dataset)")  # fmt: skip
            )
        elif customer:
            for name in ("gcp_project", "bq_dataset_name"):
                if getattr(self, name) is None:
                    found.append(Problem(name, "is required for a customer-hosted dataset"))
        if hosted and self.bq_prefix is not None:
            found.append(Problem("bq_prefix", "applies only to a customer-hosted dataset"))
        if hosted and self.api_mode == "current":
            found.append(Problem("api_mode", "Mixpanel-hosted BigQuery exists only in the classic API; use 'classic'"))
        allowed = BIGQUERY_REGIONS_CLASSIC if hosted else BIGQUERY_REGIONS_CURRENT
        if is_known(self.bq_region) and self.bq_region not in allowed:
            found.append(Problem("bq_region", f"{self.bq_region!r} is not one of {', '.join(allowed)}"))
        return found

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {**super()._type_defaults(api_mode), "bq_region": "US"}


_SNOWFLAKE_CUSTOMER_REQUIRED = (
    "snowflake_account_name", "snowflake_warehouse", "snowflake_storage_integration", "snowflake_user",
    "snowflake_password", "snowflake_role", "snowflake_database", "snowflake_schema",
)  # fmt: skip


class SnowflakePipelineArgs(_SchematizedArgs):
    """Export to Snowflake.

    Customer-hosted (current API): the `snowflake_*` connection fields.
    Mixpanel-hosted (classic API): `snowflake_share_with`, the account to share with (us-west only).
    """

    TYPE: ClassVar[str] = "snowflake"
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ("snowflake_password",)
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = (
        "snowflake_account_name", "snowflake_database", "snowflake_schema", "snowflake_prefix", "snowflake_share_with",
    )  # fmt: skip

    type: Literal["snowflake"] = "snowflake"
    snowflake_share_with: Optional[Text] = None
    snowflake_account_name: Optional[Text] = None
    snowflake_warehouse: Optional[Text] = None
    snowflake_storage_integration: Optional[Text] = None
    snowflake_user: Optional[Text] = None
    snowflake_password: Optional[Text] = Field(default=None, repr=False, description="Kept secret in state.")
    snowflake_role: Optional[Text] = None
    snowflake_database: Optional[Text] = None
    snowflake_schema: Optional[Text] = None
    snowflake_prefix: Optional[Text] = None

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return self.snowflake_share_with is not None

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        hosted = self._uses_mixpanel_hosted_destination()
        given = [name for name in (*_SNOWFLAKE_CUSTOMER_REQUIRED, "snowflake_prefix") if getattr(self, name) is not None]
        if hosted and given:
            found.append(
                Problem("snowflake_share_with", "choose one: a Mixpanel-hosted share (snowflake_share_with) "
                        f"or your own account ({', '.join(given)}), not both")  # fmt: skip
            )
        elif not hosted:
            missing = [name for name in _SNOWFLAKE_CUSTOMER_REQUIRED if getattr(self, name) is None]
            if len(missing) == len(_SNOWFLAKE_CUSTOMER_REQUIRED):
                found.append(
                    Problem("snowflake_account_name", "set the snowflake_* connection fields (your account) "
                            "or snowflake_share_with (a Mixpanel-hosted share)")  # fmt: skip
                )
            else:
                found.extend(Problem(name, "is required for a customer-hosted Snowflake export") for name in missing)
        if hosted and self.api_mode == "current":
            found.append(Problem("api_mode", "Mixpanel-hosted Snowflake exists only in the classic API; use 'classic'"))
        return found


class AwsPipelineArgs(_FileFormatMixin, _S3Mixin, _SchematizedArgs):
    """Export to Amazon S3, with an optional AWS Glue schema."""

    TYPE: ClassVar[str] = "aws"
    EDITABLE: ClassVar[dict[str, str]] = {
        **PipelineArgs.EDITABLE, "glue_database": "glue_database", "glue_role": "glue_role",
        "glue_table_prefix": "glue_table_prefix",
    }  # fmt: skip
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("s3_bucket", "s3_prefix")

    type: Literal["aws"] = "aws"
    s3_region: Deferrable[AwsRegion]
    data_format: Optional[Deferrable[Literal["json", "parquet"]]] = None
    use_glue: Optional[Flag] = None
    glue_database: Optional[Text] = None
    glue_role: Optional[Text] = None
    glue_table_prefix: Optional[Text] = None

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        found += self._s3_problems(self.resolved_api_mode())
        for name in ("glue_database", "glue_role"):
            if self.use_glue is True and getattr(self, name) is None:
                found.append(Problem(name, "is required when use_glue is true"))
        if self.use_glue is not True and not is_deferred(self.use_glue):
            for name in ("glue_database", "glue_role", "glue_table_prefix"):
                if getattr(self, name) is not None:
                    found.append(Problem(name, "is used only with use_glue=true"))
        return found

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {**super()._type_defaults(api_mode), "s3_encryption": "none", "use_glue": False}


class AzureBlobPipelineArgs(_FileFormatMixin, _AzureMixin, _SchematizedArgs):
    """Export to Azure Blob Storage (schematized), authenticated by a service principal."""

    TYPE: ClassVar[str] = "azure-blob"
    EDITABLE: ClassVar[dict[str, str]] = {**PipelineArgs.EDITABLE, **_AZURE_EDITABLE}
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ("client_secret",)
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("storage_account", "container_name", "prefix")

    type: Literal["azure-blob"] = "azure-blob"
    data_format: Optional[Deferrable[Literal["json", "parquet"]]] = None


class GcsSchemaPipelineArgs(_FileFormatMixin, _GcsMixin, _SchematizedArgs):
    """Export to Google Cloud Storage (schematized)."""

    TYPE: ClassVar[str] = "gcs-schema"
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("gcs_bucket", "gcs_prefix")

    type: Literal["gcs-schema"] = "gcs-schema"
    data_format: Optional[Deferrable[Literal["json", "parquet"]]] = None


class S3RawPipelineArgs(_S3Mixin, _RawArgs):
    """Raw (unaltered JSON) event export to Amazon S3."""

    TYPE: ClassVar[str] = "s3-raw"
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("s3_bucket", "s3_prefix")

    type: Literal["s3-raw"] = "s3-raw"
    s3_region: Deferrable[S3RawRegion]

    def problems(self, *, today: dt.date, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        return found + self._s3_problems(self.resolved_api_mode())

    def _type_defaults(self, api_mode: str) -> dict[str, Any]:
        return {**super()._type_defaults(api_mode), "s3_encryption": "none"}


class GcsRawPipelineArgs(_GcsMixin, _RawArgs):
    """Raw (unaltered JSON) event export to Google Cloud Storage."""

    TYPE: ClassVar[str] = "gcs-raw"
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("gcs_bucket", "gcs_prefix")

    type: Literal["gcs-raw"] = "gcs-raw"


class AzureRawPipelineArgs(_AzureMixin, _RawArgs):
    """Raw (unaltered JSON) event export to Azure Blob Storage."""

    TYPE: ClassVar[str] = "azure-raw"
    EDITABLE: ClassVar[dict[str, str]] = {**PipelineArgs.EDITABLE, **_AZURE_EDITABLE}
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ("client_secret",)
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("storage_account", "container_name", "prefix")

    type: Literal["azure-raw"] = "azure-raw"


PIPELINE_CLASSES: tuple[type[PipelineArgs], ...] = (
    BigQueryPipelineArgs, SnowflakePipelineArgs, AwsPipelineArgs, AzureBlobPipelineArgs,
    GcsSchemaPipelineArgs, S3RawPipelineArgs, GcsRawPipelineArgs, AzureRawPipelineArgs,
)  # fmt: skip
CLASS_BY_TYPE: dict[str, type[PipelineArgs]] = {cls.TYPE: cls for cls in PIPELINE_CLASSES}
ALL_SECRET_FIELDS = frozenset(f for cls in PIPELINE_CLASSES for f in cls.SECRET_FIELDS)



def parse_pipeline(values: dict[str, Any]) -> tuple[Optional[PipelineArgs], list[Problem]]:
    """Validate field types; returns the model, or None with one Problem per bad field."""
    pipeline_type = values.get("type")
    if pipeline_type not in CLASS_BY_TYPE and not is_deferred(pipeline_type):
        return None, [Problem("type", f"{pipeline_type!r} is not one of {', '.join(CLASS_BY_TYPE)}")]
    try:
        # The class is chosen by `type` (the discriminator), so only its schema is ever built.
        return CLASS_BY_TYPE[pipeline_type].model_validate(values), []
    except ValidationError as error:
        return None, [_problem_from_pydantic(e, pipeline_type) for e in error.errors(include_url=False)]


def _problem_from_pydantic(error: dict[str, Any], pipeline_type: str) -> Problem:
    location = [str(part) for part in error["loc"] if str(part) != pipeline_type]
    # Drop pydantic's names for union members and wrappers ("function-wrap[...]", "str", ...).
    fields = [p for p in location if not p.startswith(("function-", "literal[", "json-or-python")) and p not in ("str", "bool", "list[str]")]
    prop = fields[0] if fields else "type"
    if len(fields) > 1 and fields[1].isdigit():
        prop = f"{fields[0]}[{fields[1]}]"
    kind = error["type"]
    if kind == "extra_forbidden":
        reason = f"is not a parameter of {pipeline_type} pipelines"
    elif kind == "missing":
        reason = f"is required for {pipeline_type} pipelines"
    else:
        reason = str(error["msg"]).removeprefix("Value error, ")
        if "input" in error and not isinstance(error["input"], (dict, list)) and prop not in ALL_SECRET_FIELDS:
            reason += f" (got {error['input']!r})"
    return Problem(prop, reason)


def validate_pipeline(
    values: dict[str, Any], *, today: dt.date, check_from_date_window: bool = True
) -> tuple[Optional[PipelineArgs], list[Problem]]:
    """Field types and every cross-field rule, all problems at once."""
    model, found = parse_pipeline(values)
    if model is None:
        cls = CLASS_BY_TYPE.get(values.get("type"))  # type: ignore[arg-type]
        if cls is None:
            return None, found
        # Still apply the cross-field rules to the fields that are valid, so that one
        # preview shows every problem; rules about the broken fields add nothing new.
        broken = {problem.property.split("[")[0] for problem in found}
        partial = cls.model_construct(**{k: v for k, v in values.items() if k in cls.model_fields and k not in broken})
        rules = partial.problems(today=today, check_from_date_window=check_from_date_window)
        return None, found + [p for p in rules if p.property not in broken]
    found = model.problems(today=today, check_from_date_window=check_from_date_window)
    return (model if not found else None), found
