"""Snowflake: an account of your own (current API) or a share from Mixpanel's (classic API)."""

import datetime as dt
from typing import Annotated, ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.errors import Problem
from pulumi_mixpanel.core.models.fields import Text
from pulumi_mixpanel.core.models.kinds import WarehouseArgs
from pulumi_mixpanel.core.models.rules import FieldRule

# Where the data lands, in your account or in the one Mixpanel shares with.
DESTINATION = FieldRule(destination=True)

CUSTOMER_HOSTED_REQUIRED = (
    "snowflake_account_name", "snowflake_warehouse", "snowflake_storage_integration", "snowflake_user",
    "snowflake_password", "snowflake_role", "snowflake_database", "snowflake_schema",
)  # fmt: skip


class SnowflakePipelineArgs(WarehouseArgs):
    """Export to Snowflake.

    Customer-hosted (current API): the `snowflake_*` connection fields (password authentication).
    Mixpanel-hosted (classic API): `snowflake_share_with`, the account to share with (us-west only).
    """

    TYPE: ClassVar[str] = "snowflake"

    type: Annotated[Literal["snowflake"], FieldRule(recoverable=True)] = "snowflake"
    snowflake_share_with: Annotated[Optional[Text], DESTINATION] = Field(
        default=None,
        description="Classic API: the name of the Snowflake account Mixpanel shares the data with (Mixpanel-hosted, "
        "us-west region only).",
    )
    snowflake_account_name: Annotated[Optional[Text], DESTINATION] = Field(
        default=None, description="Your Snowflake account identifier, e.g. `myorg-myaccount`."
    )
    snowflake_warehouse: Optional[Text] = Field(default=None, description="The Snowflake warehouse used to load data.")
    snowflake_storage_integration: Optional[Text] = Field(
        default=None, description="The name of the Snowflake storage integration for GCS staging."
    )
    snowflake_user: Optional[Text] = Field(default=None, description="The Snowflake user Mixpanel authenticates as.")
    snowflake_password: Annotated[Optional[Text], FieldRule(secret=True)] = Field(
        default=None, description="The password of that user. Secret: kept encrypted in state."
    )
    snowflake_role: Optional[Text] = Field(default=None, description="The Snowflake role to use.")
    snowflake_database: Annotated[Optional[Text], DESTINATION] = Field(
        default=None, description="The Snowflake database to export into."
    )
    snowflake_schema: Annotated[Optional[Text], DESTINATION] = Field(
        default=None, description="The Snowflake schema to export into."
    )
    snowflake_prefix: Annotated[Optional[Text], DESTINATION] = Field(
        default=None, description="A prefix for the views and tables created."
    )

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return self.snowflake_share_with is not None

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        hosted = self._uses_mixpanel_hosted_destination()
        given = [name for name in (*CUSTOMER_HOSTED_REQUIRED, "snowflake_prefix") if getattr(self, name) is not None]
        if hosted and given:
            found.append(
                Problem(
                    "snowflake_share_with",
                    "choose one: a Mixpanel-hosted share (snowflake_share_with) "
                    f"or your own account ({', '.join(given)}), not both",
                )
            )
        elif not hosted:
            missing = [name for name in CUSTOMER_HOSTED_REQUIRED if getattr(self, name) is None]
            if len(missing) == len(CUSTOMER_HOSTED_REQUIRED):
                found.append(
                    Problem(
                        "snowflake_account_name",
                        "set the snowflake_* connection fields (your account) "
                        "or snowflake_share_with (a Mixpanel-hosted share)",
                    )
                )
            else:
                found.extend(Problem(name, "is required for a customer-hosted Snowflake export") for name in missing)
        if hosted and self.api_mode == "current":
            found.append(Problem("api_mode", "Mixpanel-hosted Snowflake exists only in the classic API; use 'classic'"))
        return found
