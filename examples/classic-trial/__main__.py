"""The classic Data Pipelines API page's trial exports, into Mixpanel-hosted warehouses.

- BigQuery: Mixpanel creates a dataset in its own GCP project and gives a Google group read
  access (`bq_share_with_group`); the dataset URL is exported as `bigquery_dataset`.
- Snowflake: Mixpanel shares the data with your Snowflake account (`snowflake_share_with`,
  us-west only).
Both are trials (30 days, events and people), which only the classic API offers, so the
provider sends them in its classic mode. Mixpanel grants ONE trial per project: declare both
only to try the provider against the emulator; on a real project keep one (config `trials`).

It needs nothing but Mixpanel. Mixpanel credentials are read by the provider from the
`mixpanel:*` stack config (see README).
"""

from datetime import date, timedelta

import pulumi

from pulumi_mixpanel import BigQueryPipelineArgs, MixpanelPipeline, SnowflakePipelineArgs

config = pulumi.Config()
# The values of the classic page's example requests.
share_with_group = config.get("bqShareWithGroup") or "bq-access-alias@somecompany.com"
share_with_account = config.get("snowflakeShareWith") or "mysnowflakeaccountname"
trials = [t.strip() for t in (config.get("trials") or "bigquery,snowflake").split(",") if t.strip()]
unknown = sorted(set(trials) - {"bigquery", "snowflake"})
if unknown:
    raise ValueError(f"config trials: {', '.join(unknown)} is not one of bigquery, snowflake")
# A trial starts the day before it is created whatever from_date says; sending that day keeps
# this example's pipelines like the others.
from_date = config.get("fromDate") or (date.today() - timedelta(days=1)).isoformat()


def trial_options() -> pulumi.ResourceOptions:
    # Mixpanel refuses to cancel a trial (it stops by itself after 30 days), so `pulumi destroy`
    # only drops it from the stack. from_date is kept as it was when created.
    return pulumi.ResourceOptions(retain_on_delete=True, ignore_changes=["from_date"])


if "bigquery" in trials:
    bigquery_trial = MixpanelPipeline(
        "bigquery-trial",
        BigQueryPipelineArgs(trial=True, from_date=from_date, bq_share_with_group=share_with_group),
        opts=trial_options(),
    )
    pulumi.export("bigquery_pipeline_names", bigquery_trial.pipeline_names)
    pulumi.export("bigquery_dataset", bigquery_trial.bigquery_dataset_name)

if "snowflake" in trials:
    snowflake_trial = MixpanelPipeline(
        "snowflake-trial",
        SnowflakePipelineArgs(trial=True, from_date=from_date, snowflake_share_with=share_with_account),
        opts=trial_options(),
    )
    pulumi.export("snowflake_pipeline_names", snowflake_trial.pipeline_names)
