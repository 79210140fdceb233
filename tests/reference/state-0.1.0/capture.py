"""Capture a state written by pulumi-mixpanel 0.1.0 (HEAD 3939b1d) for the upgrade test."""
import json, os, sys, datetime as dt
from pathlib import Path
sys.path.insert(0, "/work/main/tests")
from pulumi_mixpanel.emulator import EmulatorServer
from support.pulumi_cli import PulumiProject, REPO

FIXED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
work = Path("/tmp/capture/run"); 
import shutil; shutil.rmtree(work, ignore_errors=True); work.mkdir(parents=True)
with EmulatorServer(port=0, clock=lambda: FIXED) as emulator:
    project = PulumiProject(work, REPO / "tests" / "e2e_program", stack="upgrade")
    project.use_emulator(emulator.base_url)
    project.config("e2e:azureClientSecret", "UPGRADE-AZ-SECRET-1", secret=True)
    project.config("e2e:snowflakePassword", "UPGRADE-SF-SECRET-2", secret=True)
    pipelines = {
        "aws": {"class": "AwsPipelineArgs", "args": {"s3_bucket": "acme-export", "s3_region": "us-east-1",
                 "s3_role": "arn:aws:iam::1:role/w", "from_date": "2026-11-21", "events": ["Signup"], "frequency": "hourly",
                 "use_glue": True, "glue_database": "db", "glue_role": "arn:aws:iam::1:role/g"}},
        "azure": {"class": "AzureBlobPipelineArgs", "args": {"storage_account": "acme", "container_name": "mp",
                  "client_id": "cid", "tenant_id": "tid", "from_date": "2026-11-21", "to_date": "2026-11-27",
                  "data_format": "parquet", "schema_type": "multischema"},
                  "secret_args": {"client_secret": "azureClientSecret"}},
        "snowflake": {"class": "SnowflakePipelineArgs", "args": {"data_source": "people", "snowflake_account_name": "acme",
                "snowflake_warehouse": "wh", "snowflake_storage_integration": "si", "snowflake_user": "mixpanel",
                "snowflake_role": "loader", "snowflake_database": "analytics", "snowflake_schema": "mixpanel",
                "from_date": "2026-11-21", "paused": True}, "secret_args": {"snowflake_password": "snowflakePassword"}},
        "trial": {"class": "BigQueryPipelineArgs", "args": {"trial": True, "bq_share_with_group": "bq-access-alias@somecompany.com"}, "retain": True},
    }
    project.set_pipelines(pipelines)
    print(project.up())
    print(project.run("preview", "--expect-no-changes"))
    state = json.loads(project.export())
    Path("/tmp/capture/state-0.1.0.json").write_text(json.dumps(state, indent=2) + "\n")
    Path("/tmp/capture/pipelines.json").write_text(json.dumps(pipelines, indent=2) + "\n")
    Path("/tmp/capture/emulator.json").write_text(json.dumps([p for p in __import__("support.emulator_admin", fromlist=["x"]).EmulatorAdmin(emulator.base_url).pipelines()], indent=2))
    print(emulator.base_url)
