"""The examples under examples/ run as Pulumi programs, with the cloud providers mocked.

Each example's `__main__.py` runs under `pulumi.runtime.set_mocks` with its project name and
stack config. The mocks (tests/support/example_mocks.py) answer like the real providers,
with autonamed physical names and ARNs that appear nowhere in the programs. The tests check
three things. Each pipeline input is wired from the cloud resource's output: it equals what
the mock returned, and the engine recorded a dependency of that input on the resource.
Secrets stay secret. Every pipeline passes the provider's own `check`.

The cloud SDKs come with the `examples` extra: `pip install -e '.[examples]'`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from typing import Any

import pytest
import yaml

from tests.support.example_mocks import (
    AWS_ACCOUNT,
    AZURE_SUBSCRIPTION,
    EXAMPLES_DIR,
    GCP_PROJECT,
    MIXPANEL_DYNAMIC_TYPE,
    ExampleRun,
    Registered,
    is_secret_envelope,
    plaintext_paths,
    run_example,
    unwrap_secrets,
)

# Importing a cloud SDK module imports its deprecated resource classes too; not ours to fix.
pytestmark = pytest.mark.filterwarnings(r"ignore::DeprecationWarning:pulumi_(aws|gcp|azure_native|snowflake)\.")

# Example folder -> (the cloud SDK module it imports, its distribution), None: Mixpanel only.
CLOUD_PACKAGES: dict[str, tuple[str, str] | None] = {
    "aws-s3-glue": ("pulumi_aws", "pulumi-aws"),
    "gcp-bigquery": ("pulumi_gcp", "pulumi-gcp"),
    "azure-blob": ("pulumi_azure_native", "pulumi-azure-native"),
    "snowflake-customer-hosted": ("pulumi_snowflake", "pulumi-snowflake"),
    "classic-trial": None,
}
EXAMPLES = sorted(CLOUD_PACKAGES)

# Mixpanel settings as a stack would hold them. The programs must not read any of them (the
# provider does, in its own process); the secret values must never reach a resource.
MIXPANEL_CONFIG = {
    "mixpanel:serviceAccountUsername": "ci-exporter.1a2b3c.mp-service-account",
    "mixpanel:serviceAccountSecret": "mp-sa-secret-7f3e91c0",
    "mixpanel:projectId": "3141592",
    "mixpanel:region": "eu",
}
MIXPANEL_SECRET_KEYS = ("mixpanel:serviceAccountSecret",)

MIXPANEL_PRINCIPAL = "arn:aws:iam::999988887777:role/mixpanel-exporter"
MIXPANEL_EXTERNAL_ID = "mp-ext-3141592"
MIXPANEL_GCP_SERVICE_ACCOUNT = "exporter@mixpanel-exports.iam.gserviceaccount.com"
AZURE_CLIENT_ID = "6f1c2d3e-0000-4000-8000-00000000c1d1"
AZURE_CLIENT_SECRET = "az-sp-secret~Q8m_4tR.2vLz"
AZURE_TENANT_ID = "7e2d3c4b-0000-4000-8000-0000000071d1"
AZURE_OBJECT_ID = "8a3b4c5d-0000-4000-8000-00000000ob1d"
SNOWFLAKE_PASSWORD = "sf-mixpanel-pw-Zq81!x"
SNOWFLAKE_STAGING = "gcs://mixpanel-staging-3141592/"

EXAMPLE_CONFIG: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "aws-s3-glue": (
        {
            "aws:region": "us-east-1",
            "aws-s3-glue:mixpanelPrincipalArn": MIXPANEL_PRINCIPAL,
            "aws-s3-glue:mixpanelExternalId": MIXPANEL_EXTERNAL_ID,
        },
        (),
    ),
    "gcp-bigquery": (
        {"gcp:project": GCP_PROJECT, "gcp-bigquery:mixpanelServiceAccount": MIXPANEL_GCP_SERVICE_ACCOUNT},
        (),
    ),
    "azure-blob": (
        {
            "azure-native:location": "westeurope",
            "azure-blob:servicePrincipalClientId": AZURE_CLIENT_ID,
            "azure-blob:servicePrincipalClientSecret": AZURE_CLIENT_SECRET,
            "azure-blob:servicePrincipalTenantId": AZURE_TENANT_ID,
            "azure-blob:servicePrincipalObjectId": AZURE_OBJECT_ID,
        },
        ("azure-blob:servicePrincipalClientSecret",),
    ),
    "snowflake-customer-hosted": (
        {
            "snowflake:organizationName": "ACMEORG",
            "snowflake:accountName": "ANALYTICS",
            "snowflake:user": "TERRAFORMER",
            "snowflake:password": "admin-pw-not-for-mixpanel",
            "snowflake:role": "ACCOUNTADMIN",
            "snowflake-customer-hosted:mixpanelUserPassword": SNOWFLAKE_PASSWORD,
            "snowflake-customer-hosted:stagingLocation": SNOWFLAKE_STAGING,
        },
        ("snowflake:password", "snowflake-customer-hosted:mixpanelUserPassword"),
    ),
    "classic-trial": ({}, ()),
}
# Secrets the program is given, by example: each must reach resources only as a secret.
PROGRAM_SECRETS = {"azure-blob": (AZURE_CLIENT_SECRET,), "snowflake-customer-hosted": (SNOWFLAKE_PASSWORD,)}
SECRET_PIPELINE_FIELDS = ("client_secret", "snowflake_password")


def require_cloud_package(example: str) -> None:
    """Fail, never skip: CI must run every example."""
    package = CLOUD_PACKAGES[example]
    if package is not None and importlib.util.find_spec(package[0]) is None:
        pytest.fail(
            f"examples/{example} needs {package[1]} (module {package[0]}), which is not installed. "
            "Install the examples extra: pip install -e '.[examples]'",
            pytrace=False,
        )


_RUNS: dict[tuple[str, tuple[tuple[str, str], ...]], ExampleRun] = {}


def run(example: str, **extra_config: str) -> ExampleRun:
    """The example run with its test config (plus `extra_config`, short keys), once per session."""
    require_cloud_package(example)
    config, secret_keys = EXAMPLE_CONFIG[example]
    full = {**MIXPANEL_CONFIG, **config, **{f"{example}:{k}": v for k, v in extra_config.items()}}
    key = (example, tuple(sorted(extra_config.items())))
    if key not in _RUNS:
        _RUNS[key] = run_example(
            example,
            full,
            secret_keys=(*MIXPANEL_SECRET_KEYS, *secret_keys),
            secret_output_fields=SECRET_PIPELINE_FIELDS,
        )
    return _RUNS[key]


def check_failures(pipeline: Registered) -> list[tuple[str, str]]:
    """The provider's check of the registered inputs, as the engine would send them."""
    inputs = {k: v for k, v in unwrap_secrets(pipeline.inputs).items() if k != "__provider"}
    return [(p.property, p.reason) for p in _lifecycle().check({}, inputs).problems]


def _lifecycle():
    from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
    from pulumi_mixpanel.core.settings import ProviderSettings

    return PipelineLifecycle(ProviderSettings.from_sources({}, {}))


def assert_wired(pipeline: Registered, field: str, resource: Registered, output: str) -> None:
    expected = resource.outputs[output]
    assert pipeline.inputs.get(field) == expected, f"{field} should be {resource.type}'s {output} output"
    assert pipeline.depends_on(field, resource), (
        f"{field} equals {resource.type}'s {output} but was not computed from it "
        f"(dependencies: {pipeline.property_dependencies.get(field)})"
    )


# --- every example ------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_has_project_files(example: str) -> None:
    folder = EXAMPLES_DIR / example
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
    assert project["name"] == example
    runtime = project["runtime"]
    assert (runtime["name"] if isinstance(runtime, dict) else runtime) == "python"
    requirements = [
        re.split(r"[<>=!~\[; ]", line.strip())[0].lower()
        for line in (folder / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "pulumi-mixpanel" in requirements
    package = CLOUD_PACKAGES[example]
    if package is not None:
        assert package[1] in requirements
    assert (folder / "__main__.py").is_file()


@pytest.mark.parametrize("example", EXAMPLES)
def test_project_name_is_not_a_provider_config_namespace(example: str) -> None:
    """A project named like a provider it uses ("snowflake") cannot have config of its own:
    the provider takes `<project>:<key>` for its own and refuses the key (pulumi/pulumi#3546)."""
    namespaces = {"mixpanel", "aws", "gcp", "azure-native", "snowflake", "pulumi"}
    assert yaml.safe_load((EXAMPLES_DIR / example / "Pulumi.yaml").read_text())["name"] not in namespaces


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_documents_every_config_key(example: str) -> None:
    """Each key the program requires appears in the README as the exact `pulumi config set` command."""
    folder = EXAMPLES_DIR / example
    source = (folder / "__main__.py").read_text()
    readme = (folder / "README.md").read_text()
    assert "pulumi preview" in readme
    for method, key in re.findall(
        r"(?<!\w)config\.(require_secret|require|get_secret|get)\(\s*[\"'](\w+)[\"']", source
    ):
        secret = method.endswith("_secret")
        command = f"pulumi config set {'--secret ' if secret else ''}{key} "
        assert command in readme, f"README.md should show `{command.strip()} ...`"
        if not secret:
            assert f"pulumi config set --secret {key} " not in readme


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_pipeline_passes_the_provider_check(example: str) -> None:
    pipelines = run(example).pipelines()
    assert pipelines, f"examples/{example} declares no MixpanelPipeline"
    for name, pipeline in pipelines.items():
        assert check_failures(pipeline) == [], name


@pytest.mark.parametrize("example", EXAMPLES)
def test_from_date_is_recent_and_kept_once_created(example: str) -> None:
    today = dt.date.today()
    for name, pipeline in run(example).pipelines().items():
        from_date = dt.date.fromisoformat(pipeline.inputs["from_date"])
        assert today - dt.timedelta(days=2) <= from_date < today, name
        # Otherwise the "yesterday" default would replace the pipeline on every later day's up.
        assert "from_date" in pipeline.ignore_changes, name


@pytest.mark.parametrize("example", EXAMPLES)
def test_program_reads_no_mixpanel_settings(example: str) -> None:
    example_run = run(example)
    assert example_run.config_reads, "the config recorder saw no read at all"
    assert [key for key in example_run.config_reads if key.startswith("mixpanel:")] == []
    everything = [(r.type, r.inputs) for r in example_run.mocks.resources.values()]
    for key in MIXPANEL_CONFIG:
        if key in MIXPANEL_SECRET_KEYS:
            assert plaintext_paths(everything, MIXPANEL_CONFIG[key]) == []
            assert MIXPANEL_CONFIG[key] not in json.dumps(unwrap_secrets(everything))


@pytest.mark.parametrize("example", EXAMPLES)
def test_secrets_stay_secret(example: str) -> None:
    example_run = run(example)
    for secret in PROGRAM_SECRETS.get(example, ()):
        for (typ, name), resource in example_run.mocks.resources.items():
            assert plaintext_paths(resource.inputs, secret) == [], f"{typ} {name} got the secret in plain text"
        assert plaintext_paths(example_run.exports, secret) == []
    for name, pipeline in example_run.pipelines().items():
        assert sorted(SECRET_PIPELINE_FIELDS) == sorted(
            set(pipeline.additional_secret_outputs) & set(SECRET_PIPELINE_FIELDS)
        ), name
        for field in SECRET_PIPELINE_FIELDS:
            if field in pipeline.inputs:
                assert is_secret_envelope(pipeline.inputs[field]), f"{name}.{field} input is not secret"
                assert example_run.secret_outputs[name][field] is True, f"{name}.{field} output is not secret"


@pytest.mark.parametrize("example", EXAMPLES)
def test_pipeline_names_are_exported(example: str) -> None:
    example_run = run(example)
    exported = {name for key, value in example_run.exports.items() if key.endswith("pipeline_names") for name in value}
    registered = {name for p in example_run.pipelines().values() for name in p.outputs["pipeline_names"]}
    assert registered and exported == registered


# --- aws-s3-glue ---------------------------------------------------------------------------


def test_aws_pipelines_are_wired_to_bucket_role_and_glue() -> None:
    aws = run("aws-s3-glue")
    bucket = aws.one("aws:s3/bucket:Bucket")
    role = aws.one("aws:iam/role:Role")
    glue = aws.one("aws:glue/catalogDatabase:CatalogDatabase")
    pipelines = aws.pipelines()
    schematized, raw = pipelines["events-to-s3-glue"], pipelines["raw-events-to-s3"]

    assert schematized.inputs["type"] == "aws" and schematized.inputs["use_glue"] is True
    for pipeline in (schematized, raw):
        assert_wired(pipeline, "s3_bucket", bucket, "bucket")
        assert_wired(pipeline, "s3_region", bucket, "region")
        assert_wired(pipeline, "s3_role", role, "arn")
        assert pipeline.inputs["s3_encryption"] == "aes"
    assert_wired(schematized, "glue_role", role, "arn")
    assert_wired(schematized, "glue_database", glue, "name")
    assert raw.inputs["type"] == "s3-raw"
    # Two destinations, and two recurring events pipelines of different frequencies.
    assert schematized.inputs["s3_prefix"] != raw.inputs["s3_prefix"]
    assert schematized.inputs["frequency"] != raw.inputs["frequency"]
    assert role.outputs["arn"].startswith(f"arn:aws:iam::{AWS_ACCOUNT}:role/")


def test_aws_bucket_is_encrypted_private_and_writable_by_the_role_only() -> None:
    aws = run("aws-s3-glue")
    bucket, role = aws.one("aws:s3/bucket:Bucket"), aws.one("aws:iam/role:Role")
    encryption = aws.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert encryption.inputs["bucket"] == bucket.id
    assert encryption.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    block = aws.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert block.inputs["bucket"] == bucket.id
    assert all(
        block.inputs[k] is True
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )

    policy_resource = aws.one("aws:s3/bucketPolicy:BucketPolicy")
    assert block.urn in policy_resource.dependencies
    statements = {s["Sid"]: s for s in json.loads(policy_resource.inputs["policy"])["Statement"]}
    allow = statements["MixpanelExportRoleWrites"]
    assert allow["Principal"] == {"AWS": role.outputs["arn"]}
    assert set(allow["Resource"]) == {bucket.outputs["arn"], bucket.outputs["arn"] + "/*"}
    assert statements["DenyInsecureTransport"]["Effect"] == "Deny"


def test_aws_role_trusts_mixpanel_with_external_id_and_may_write_and_update_glue() -> None:
    aws = run("aws-s3-glue")
    role, bucket = aws.one("aws:iam/role:Role"), aws.one("aws:s3/bucket:Bucket")
    glue = aws.one("aws:glue/catalogDatabase:CatalogDatabase")
    (trust,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"AWS": MIXPANEL_PRINCIPAL}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": MIXPANEL_EXTERNAL_ID}}

    role_policy = aws.one("aws:iam/rolePolicy:RolePolicy")
    assert role_policy.inputs["role"] == role.id
    statements = {s["Sid"]: s for s in json.loads(role_policy.inputs["policy"])["Statement"]}
    assert "s3:PutObject" in statements["WriteExports"]["Action"]
    assert bucket.outputs["arn"] + "/*" in statements["WriteExports"]["Resource"]
    database_arn = glue.outputs["arn"]
    assert database_arn in statements["MaintainGlueTables"]["Resource"]
    assert database_arn.replace(":database/", ":table/") + "/*" in statements["MaintainGlueTables"]["Resource"]
    assert "glue:CreateTable" in statements["MaintainGlueTables"]["Action"]
    # The pipelines wait for the permissions Mixpanel needs.
    for pipeline in aws.pipelines().values():
        assert role_policy.urn in pipeline.dependencies
        assert aws.one("aws:s3/bucketPolicy:BucketPolicy").urn in pipeline.dependencies


# --- gcp-bigquery --------------------------------------------------------------------------


def test_gcp_pipelines_are_wired_to_dataset_and_bucket() -> None:
    gcp = run("gcp-bigquery")
    dataset = gcp.one("gcp:bigquery/dataset:Dataset")
    bucket = gcp.one("gcp:storage/bucket:Bucket")
    pipelines = gcp.pipelines()
    bigquery, raw = pipelines["events-to-bigquery"], pipelines["raw-events-to-gcs"]

    assert_wired(bigquery, "gcp_project", dataset, "project")
    assert_wired(bigquery, "bq_dataset_name", dataset, "datasetId")
    assert bigquery.inputs["gcp_project"] == GCP_PROJECT
    assert bigquery.inputs["bq_region"] == "US" and bigquery.depends_on("bq_region", dataset)
    assert "bq_share_with_group" not in bigquery.inputs  # customer-hosted, not Mixpanel's
    assert_wired(raw, "gcs_bucket", bucket, "name")
    assert raw.inputs["gcs_region"] == bucket.outputs["location"].lower() == "us-central1"
    assert raw.depends_on("gcs_region", bucket)
    assert bigquery.inputs["frequency"] != raw.inputs["frequency"]


def test_gcp_iam_grants_mixpanel_what_it_needs() -> None:
    gcp = run("gcp-bigquery")
    dataset = gcp.one("gcp:bigquery/dataset:Dataset")
    bucket = gcp.one("gcp:storage/bucket:Bucket")
    member = f"serviceAccount:{MIXPANEL_GCP_SERVICE_ACCOUNT}"
    editor = gcp.one("gcp:bigquery/datasetIamMember:DatasetIamMember")
    assert (editor.inputs["role"], editor.inputs["member"]) == ("roles/bigquery.dataEditor", member)
    assert editor.inputs["datasetId"] == dataset.outputs["datasetId"] and editor.depends_on("datasetId", dataset)
    job_user = gcp.one("gcp:projects/iAMMember:IAMMember")
    assert (job_user.inputs["role"], job_user.inputs["member"], job_user.inputs["project"]) == (
        "roles/bigquery.jobUser", member, GCP_PROJECT,
    )  # fmt: skip
    writer = gcp.one("gcp:storage/bucketIAMMember:BucketIAMMember")
    assert (writer.inputs["role"], writer.inputs["member"]) == ("roles/storage.objectAdmin", member)
    assert writer.inputs["bucket"] == bucket.outputs["name"] and writer.depends_on("bucket", bucket)
    assert bucket.inputs["uniformBucketLevelAccess"] is True
    assert bucket.inputs["publicAccessPrevention"] == "enforced"
    pipelines = gcp.pipelines()
    assert {editor.urn, job_user.urn} <= set(pipelines["events-to-bigquery"].dependencies)
    assert writer.urn in pipelines["raw-events-to-gcs"].dependencies


def test_gcp_dataset_location_becomes_mixpanels_region_name() -> None:
    from pulumi_mixpanel.core.choices import BIGQUERY_REGIONS as BIGQUERY_REGIONS_CURRENT

    to_region = run("gcp-bigquery").namespace["mixpanel_bq_region"]
    cases = {
        "US": "US", "EU": "EU", "us-central1": "US_CENTRAL_1", "us-east4": "US_EAST_4",
        "northamerica-northeast1": "NORTH_AMERICA_NORTHEAST_1", "southamerica-east1": "SOUTH_AMERICA_EAST_1",
        "europe-west2": "EUROPE_WEST_2", "asia-northeast3": "ASIA_NORTHEAST_3",
        "australia-southeast1": "AUSTRALIA_SOUTHEAST_1",
    }  # fmt: skip
    for location, region in cases.items():
        assert to_region(location) == region
        assert region in BIGQUERY_REGIONS_CURRENT


def test_gcp_dataset_location_from_config_reaches_the_pipeline() -> None:
    gcp = run("gcp-bigquery", datasetLocation="europe-west2", bucketLocation="europe-west2")
    pipelines = gcp.pipelines()
    assert pipelines["events-to-bigquery"].inputs["bq_region"] == "EUROPE_WEST_2"
    assert pipelines["raw-events-to-gcs"].inputs["gcs_region"] == "europe-west2"
    for pipeline in pipelines.values():
        assert check_failures(pipeline) == []


# --- azure-blob ----------------------------------------------------------------------------


def test_azure_pipeline_is_wired_to_account_and_container() -> None:
    azure = run("azure-blob")
    account = azure.one("azure-native:storage:StorageAccount")
    container = azure.one("azure-native:storage:BlobContainer")
    group = azure.one("azure-native:resources:ResourceGroup")
    pipeline = azure.pipelines()["events-to-azure-blob"]

    assert_wired(pipeline, "storage_account", account, "name")
    assert_wired(pipeline, "container_name", container, "name")
    assert (pipeline.inputs["data_format"], pipeline.inputs["schema_type"]) == ("parquet", "multischema")
    assert (pipeline.inputs["client_id"], pipeline.inputs["tenant_id"]) == (AZURE_CLIENT_ID, AZURE_TENANT_ID)
    assert pipeline.inputs["client_secret"]["value"] == AZURE_CLIENT_SECRET
    assert container.inputs["accountName"] == account.outputs["name"]
    assert account.inputs["resourceGroupName"] == group.outputs["name"]
    assert account.inputs["allowBlobPublicAccess"] is False
    assert container.inputs["publicAccess"] == "None"


def test_azure_service_principal_may_write_to_the_container() -> None:
    azure = run("azure-blob")
    container = azure.one("azure-native:storage:BlobContainer")
    assignment = azure.one("azure-native:authorization:RoleAssignment")
    assert assignment.inputs["scope"] == container.id and assignment.depends_on("scope", container)
    assert assignment.inputs["principalId"] == AZURE_OBJECT_ID
    assert assignment.inputs["principalType"] == "ServicePrincipal"
    assert assignment.inputs["roleDefinitionId"] == (
        f"/subscriptions/{AZURE_SUBSCRIPTION}/providers/Microsoft.Authorization"
        "/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    )
    assert assignment.urn in azure.pipelines()["events-to-azure-blob"].dependencies


# --- snowflake -----------------------------------------------------------------------------


def test_snowflake_pipeline_is_wired_to_its_objects() -> None:
    sf = run("snowflake-customer-hosted")
    pipeline = sf.pipelines()["events-to-snowflake"]
    wiring = {
        "snowflake_database": "snowflake:index/database:Database",
        "snowflake_schema": "snowflake:index/schema:Schema",
        "snowflake_warehouse": "snowflake:index/warehouse:Warehouse",
        "snowflake_role": "snowflake:index/accountRole:AccountRole",
        "snowflake_user": "snowflake:index/legacyServiceUser:LegacyServiceUser",
        "snowflake_storage_integration": "snowflake:index/storageIntegrationGcs:StorageIntegrationGcs",
    }
    for field, typ in wiring.items():
        assert_wired(pipeline, field, sf.one(typ), "name")
    assert pipeline.inputs["snowflake_account_name"] == "ACMEORG-ANALYTICS"
    assert pipeline.inputs["snowflake_password"]["value"] == SNOWFLAKE_PASSWORD
    assert "snowflake_share_with" not in pipeline.inputs  # customer-hosted, not Mixpanel's share
    schema = sf.one("snowflake:index/schema:Schema")
    assert schema.inputs["database"] == sf.one("snowflake:index/database:Database").outputs["name"]
    integration = sf.one("snowflake:index/storageIntegrationGcs:StorageIntegrationGcs")
    assert integration.inputs["storageAllowedLocations"] == [SNOWFLAKE_STAGING]
    assert sf.exports["storage_integration_service_account"].endswith(".iam.gserviceaccount.com")


def test_snowflake_user_has_the_same_secret_password_and_the_grants() -> None:
    sf = run("snowflake-customer-hosted")
    user = sf.one("snowflake:index/legacyServiceUser:LegacyServiceUser")
    assert is_secret_envelope(user.inputs["password"])
    assert user.inputs["password"]["value"] == SNOWFLAKE_PASSWORD
    role = sf.one("snowflake:index/accountRole:AccountRole")
    grants = sf.by_type("snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole")
    granted = {
        (g.inputs.get("onAccountObject") or {}).get("objectType") or "SCHEMA": set(g.inputs["privileges"])
        for g in grants.values()
    }
    assert granted["WAREHOUSE"] == granted["DATABASE"] == granted["INTEGRATION"] == {"USAGE"}
    assert {"USAGE", "CREATE TABLE"} <= granted["SCHEMA"]
    assert all(g.inputs["accountRoleName"] == role.outputs["name"] for g in grants.values())
    membership = sf.one("snowflake:index/grantAccountRole:GrantAccountRole")
    assert (membership.inputs["roleName"], membership.inputs["userName"]) == (
        role.outputs["name"],
        user.outputs["name"],
    )
    pipeline = sf.pipelines()["events-to-snowflake"]
    assert {g.urn for g in grants.values()} | {membership.urn} <= set(pipeline.dependencies)


def test_snowflake_account_name_can_be_set_explicitly() -> None:
    pipeline = run("snowflake-customer-hosted", snowflakeAccountName="otherorg-reporting").pipelines()[
        "events-to-snowflake"
    ]
    assert pipeline.inputs["snowflake_account_name"] == "otherorg-reporting"


# --- classic-trial -------------------------------------------------------------------------


def test_classic_trials_are_the_documented_requests() -> None:
    trial = run("classic-trial")
    assert trial.mocks.resources and all(r.type == MIXPANEL_DYNAMIC_TYPE for r in trial.mocks.resources.values())
    pipelines = trial.pipelines()
    bigquery, snowflake = pipelines["bigquery-trial"], pipelines["snowflake-trial"]
    assert bigquery.inputs["trial"] is True and snowflake.inputs["trial"] is True
    assert bigquery.inputs["bq_share_with_group"] == ["bq-access-alias@somecompany.com"]
    assert snowflake.inputs["snowflake_share_with"] == "mysnowflakeaccountname"
    assert not {"gcp_project", "bq_dataset_name"} & set(bigquery.inputs)
    for pipeline in (bigquery, snowflake):
        assert pipeline.retain_on_delete, "Mixpanel cannot cancel a trial; destroy must only forget it"
        assert _checked(pipeline)["api_mode"] == "classic"
    assert trial.exports["bigquery_dataset"] == bigquery.outputs["bigquery_dataset_name"]
    assert trial.exports["bigquery_pipeline_names"] == [
        "trial-events-daily-bigquery-monoschema", "trial-people-daily-bigquery-monoschema",
    ]  # fmt: skip


def test_classic_trial_config_picks_one_trial_and_the_share_targets() -> None:
    trial = run("classic-trial", trials="snowflake", snowflakeShareWith="ACME_WEST")
    assert list(trial.pipelines()) == ["snowflake-trial"]
    assert trial.pipelines()["snowflake-trial"].inputs["snowflake_share_with"] == "ACME_WEST"
    assert "bigquery_dataset" not in trial.exports


def _checked(pipeline: Registered) -> dict[str, Any]:
    inputs = {k: v for k, v in unwrap_secrets(pipeline.inputs).items() if k != "__provider"}
    outcome = _lifecycle().check({}, inputs)
    assert outcome.problems == []
    return outcome.inputs
