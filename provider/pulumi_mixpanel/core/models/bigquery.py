"""Google BigQuery: a dataset of your own (current API) or one Mixpanel hosts (classic API)."""

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.choices import BIGQUERY_REGIONS, CLASSIC_BIGQUERY_REGIONS
from pulumi_mixpanel.core.errors import Problem
from pulumi_mixpanel.core.models.fields import BigQueryRegion, NonEmptyTextList, Text, is_known
from pulumi_mixpanel.core.models.kinds import WarehouseArgs
from pulumi_mixpanel.core.models.rules import FieldRule


class BigQueryPipelineArgs(WarehouseArgs):
    """Export to Google BigQuery.

    Customer-hosted (current API): `gcp_project` + `bq_dataset_name` (+ `bq_region`, `bq_prefix`).
    Mixpanel-hosted (classic API): `bq_share_with_group`; Mixpanel creates the dataset in its own
    Google Cloud project and returns its URL as `bigquery_dataset_name`.
    """

    TYPE: ClassVar[str] = "bigquery"

    type: Annotated[Literal["bigquery"], FieldRule(recoverable=True)] = "bigquery"
    gcp_project: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None, description="Your GCP project id, where the BigQuery dataset is (customer-hosted dataset)."
    )
    bq_dataset_name: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None,
        description="The dataset you created in that project, to which Mixpanel exports (customer-hosted).",
    )
    bq_prefix: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None,
        description="A prefix for the names of the tables exported by this pipeline; letters, digits and underscores "
        "(customer-hosted).",
    )
    bq_region: Optional[BigQueryRegion] = Field(
        default=None,
        description="The BigQuery region: default `US`. Customer-hosted: the OpenAPI's list (`US`, `US_EAST_1`, "
        "`EU`, `EUROPE_WEST_2`, ...); Mixpanel-hosted: `US`, `EU` or `ASIA_NORTHEAST_1`.",
    )
    bq_share_with_group: Annotated[
        Optional[NonEmptyTextList], FieldRule(edit="bq_share_with_group", edit_adds_only=True, unordered=True)
    ] = Field(
        default=None,
        description="Classic API: group account emails that get read access to a dataset Mixpanel creates and hosts. "
        "Edits can only add groups: removing one replaces the pipeline.",
    )

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return self.bq_share_with_group is not None

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        hosted = self._uses_mixpanel_hosted_destination()
        customer = self.gcp_project is not None or self.bq_dataset_name is not None
        if hosted and customer:
            found.append(
                Problem(
                    "bq_share_with_group",
                    "choose one: a Mixpanel-hosted dataset (bq_share_with_group) "
                    "or your own (gcp_project + bq_dataset_name), not both",
                )
            )
        elif not hosted and not customer:
            found.append(
                Problem(
                    "gcp_project",
                    "set gcp_project and bq_dataset_name (your dataset) "
                    "or bq_share_with_group (a Mixpanel-hosted dataset)",
                )
            )
        elif customer:
            for name in ("gcp_project", "bq_dataset_name"):
                if getattr(self, name) is None:
                    found.append(Problem(name, "is required for a customer-hosted dataset"))
        if hosted and self.bq_prefix is not None:
            found.append(Problem("bq_prefix", "applies only to a customer-hosted dataset"))
        if hosted and self.api_mode == "current":
            found.append(Problem("api_mode", "Mixpanel-hosted BigQuery exists only in the classic API; use 'classic'"))
        allowed = CLASSIC_BIGQUERY_REGIONS if hosted else BIGQUERY_REGIONS
        if is_known(self.bq_region) and self.bq_region not in allowed:
            generation = "a Mixpanel-hosted" if hosted else "a customer-hosted"
            found.append(
                Problem("bq_region", f"{self.bq_region!r} is not one of {', '.join(allowed)} ({generation} dataset)")
            )
        return found

    def _type_defaults(self) -> dict[str, Any]:
        return {**super()._type_defaults(), "bq_region": "US"}
