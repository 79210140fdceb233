"""Two Mixpanel projects in one Python program: one explicit provider each."""

import pulumi
import pulumi_mixpanel_sdk as mixpanel

config = pulumi.Config()

us = mixpanel.Provider(
    "us",
    endpoint=config.require("usEndpoint"),
    service_account_username="emulator",
    service_account_secret=config.require_secret("serviceAccountSecret"),
    project_id="1",
)
eu = mixpanel.Provider("eu", endpoint=config.require("euEndpoint"), api_secret=config.require_secret("euApiSecret"))

raw = mixpanel.GcsRawPipeline(
    "us-raw",
    gcs_bucket="acme-us-raw",
    gcs_region="us-central1",
    from_date=config.require("fromDate"),
    events=["Signup", "Purchase"],
    opts=pulumi.ResourceOptions(provider=us),
)
warehouse = mixpanel.AzureBlobPipeline(
    "eu-warehouse",
    storage_account="acmeeu",
    container_name="mixpanel",
    client_id="11111111-2222-3333-4444-555555555555",
    client_secret=config.require_secret("clientSecret"),
    tenant_id="66666666-7777-8888-9999-000000000000",
    from_date=config.require("fromDate"),
    data_format="parquet",
    opts=pulumi.ResourceOptions(provider=eu),
)

pulumi.export("usPipelines", raw.pipeline_names)
pulumi.export("euPipelines", warehouse.pipeline_names)

if config.get_bool("readProject"):
    # Reads of each project through its own provider (a preview makes them too).
    listed = mixpanel.get_pipelines_output(opts=pulumi.InvokeOutputOptions(provider=eu, depends_on=[warehouse]))
    pulumi.export("euListed", listed.pipelines.apply(lambda found: sorted(p.name for p in found)))
    status = mixpanel.get_pipeline_status_output(
        name=raw.pipeline_names[0], opts=pulumi.InvokeOutputOptions(provider=us)
    )
    pulumi.export("usRawHealth", status.health)
