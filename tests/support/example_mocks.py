"""Run an example program (examples/<name>/__main__.py) under Pulumi mocks.

The mocks stand in for the cloud providers: each resource type returns the outputs its real
provider would (autonamed physical names, ARNs, ids), which differ from anything written in
the program, so a pipeline input equal to such a value can only have been wired from the
resource's output. Unknown invokes fail loudly instead of returning nothing.
"""

from __future__ import annotations

import contextvars
import hashlib
import runpy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pulumi
import pulumi.runtime
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockMonitor

from harness.secrets import is_secret_envelope
from harness.secrets import reveal as unwrap_secrets

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"

AWS_ACCOUNT = "123456789012"
AWS_REGION = "us-east-1"
GCP_PROJECT = "acme-analytics-prod"
AZURE_SUBSCRIPTION = "00000000-1111-2222-3333-444444444444"
AZURE_TENANT = "99999999-8888-7777-6666-555555555555"
MIXPANEL_DYNAMIC_TYPE = "pulumi-python:dynamic/mixpanel:MixpanelPipeline"


def suffix(seed: str, length: int = 7) -> str:
    """A stable stand-in for Pulumi's random autoname suffix."""
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def plaintext_paths(value: Any, needle: str, path: str = "") -> list[str]:
    """Where `needle` occurs outside any secret envelope (inside strings too, e.g. JSON)."""
    if is_secret_envelope(value):
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in plaintext_paths(v, needle, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in plaintext_paths(v, needle, f"{path}[{i}]")]
    if isinstance(value, str) and needle in value:
        return [path or "."]
    return []


@dataclass
class Registered:
    type: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    id: str = ""
    # Filled in from the registration request by RecordingMonitor.
    urn: str = ""
    # Input property -> URNs of the resources whose outputs it was computed from.
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    # URNs of every resource this one depends on (property dependencies and depends_on).
    dependencies: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    retain_on_delete: bool = False

    def depends_on(self, prop: str, other: Registered) -> bool:
        return other.urn in self.property_dependencies.get(prop, [])


def _aws(typ: str, name: str, inputs: dict[str, Any]) -> Optional[tuple[str, dict[str, Any]]]:
    if typ == "aws:s3/bucket:Bucket":
        bucket = inputs.get("bucket") or f"{name}-{suffix(typ + '/' + name)}"
        region = inputs.get("region") or AWS_REGION
        return bucket, {
            **inputs,
            "bucket": bucket,
            "arn": f"arn:aws:s3:::{bucket}",
            "region": region,
            "bucketDomainName": f"{bucket}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
        }
    if typ == "aws:iam/role:Role":
        role = inputs.get("name") or f"{name}-{suffix(typ + '/' + name)}"
        return role, {
            **inputs,
            "name": role,
            "arn": f"arn:aws:iam::{AWS_ACCOUNT}:role/{role}",
            "uniqueId": "AROA" + suffix(typ + "/" + name, 17).upper(),
        }
    if typ == "aws:glue/catalogDatabase:CatalogDatabase":
        database = inputs.get("name") or f"{name}-{suffix(typ + '/' + name)}"
        return f"{AWS_ACCOUNT}:{database}", {
            **inputs,
            "name": database,
            "catalogId": AWS_ACCOUNT,
            "arn": f"arn:aws:glue:{AWS_REGION}:{AWS_ACCOUNT}:database/{database}",
        }
    if typ.startswith("aws:"):
        return f"{name}-{suffix(typ + '/' + name)}", dict(inputs)
    return None


def _gcp(typ: str, name: str, inputs: dict[str, Any]) -> Optional[tuple[str, dict[str, Any]]]:
    project = inputs.get("project") or GCP_PROJECT
    if typ == "gcp:bigquery/dataset:Dataset":
        dataset = inputs["datasetId"]
        return f"projects/{project}/datasets/{dataset}", {
            **inputs,
            "datasetId": dataset,
            "project": project,
            "location": inputs.get("location") or "US",
            "selfLink": f"https://bigquery.googleapis.com/bigquery/v2/projects/{project}/datasets/{dataset}",
        }
    if typ == "gcp:storage/bucket:Bucket":
        bucket = inputs.get("name") or f"{name}-{suffix(typ + '/' + name)}"
        return bucket, {
            **inputs,
            "name": bucket,
            "project": project,
            "location": str(inputs.get("location") or "US").upper(),
            "url": f"gs://{bucket}",
            "selfLink": f"https://www.googleapis.com/storage/v1/b/{bucket}",
        }
    if typ.startswith("gcp:"):
        return f"{name}-{suffix(typ + '/' + name)}", {**inputs, "etag": "BwY" + suffix(typ + "/" + name, 9)}
    return None


def _azure(typ: str, name: str, inputs: dict[str, Any]) -> Optional[tuple[str, dict[str, Any]]]:
    subscription = f"/subscriptions/{AZURE_SUBSCRIPTION}"
    if typ == "azure-native:resources:ResourceGroup":
        group = inputs.get("resourceGroupName") or f"{name}{suffix(typ + '/' + name, 8)}"
        return f"{subscription}/resourceGroups/{group}", {
            **inputs,
            "name": group,
            "location": inputs.get("location") or "westeurope",
        }
    if typ == "azure-native:storage:StorageAccount":
        # Storage account names: 3-24 lowercase letters and digits.
        account = (
            inputs.get("accountName")
            or ("".join(c for c in name if c.isalnum())[:16] + suffix(typ + "/" + name, 8)).lower()
        )
        group_id = f"{subscription}/resourceGroups/{inputs['resourceGroupName']}"
        return f"{group_id}/providers/Microsoft.Storage/storageAccounts/{account}", {
            **inputs,
            "name": account,
            "primaryEndpoints": {"blob": f"https://{account}.blob.core.windows.net/"},
        }
    if typ == "azure-native:storage:BlobContainer":
        container = inputs.get("containerName") or f"{name}{suffix(typ + '/' + name, 8)}"
        account_id = (
            f"{subscription}/resourceGroups/{inputs['resourceGroupName']}"
            f"/providers/Microsoft.Storage/storageAccounts/{inputs['accountName']}"
        )
        return f"{account_id}/blobServices/default/containers/{container}", {**inputs, "name": container}
    if typ == "azure-native:authorization:RoleAssignment":
        assignment = inputs.get("roleAssignmentName") or "5f0e2bb2-" + suffix(
            typ + "/" + name, 4
        ) + "-4c1a-9a7e-" + suffix(typ + "/" + name, 12)
        return f"{inputs['scope']}/providers/Microsoft.Authorization/roleAssignments/{assignment}", {
            **inputs,
            "name": assignment,
        }
    if typ.startswith("azure-native:"):
        return f"{name}-{suffix(typ + '/' + name)}", dict(inputs)
    return None


def _snowflake(typ: str, name: str, inputs: dict[str, Any]) -> Optional[tuple[str, dict[str, Any]]]:
    if not typ.startswith("snowflake:"):
        return None
    object_name = inputs.get("name") or f"{name}-{suffix(typ + '/' + name)}".upper().replace("-", "_")
    outputs = {**inputs, "name": object_name, "fullyQualifiedName": f'"{object_name}"'}
    if typ == "snowflake:index/schema:Schema":
        outputs["fullyQualifiedName"] = f'"{inputs["database"]}"."{object_name}"'
        return f'"{inputs["database"]}"."{object_name}"', outputs
    if typ == "snowflake:index/legacyServiceUser:LegacyServiceUser":
        outputs["loginName"] = inputs.get("loginName") or object_name
    if typ == "snowflake:index/storageIntegrationGcs:StorageIntegrationGcs":
        outputs["describeOutputs"] = [
            {"serviceAccount": f"sf-{suffix(typ + '/' + name, 6)}@gcpuscentral1-1dfa.iam.gserviceaccount.com"}
        ]
    if "grant" in typ.lower():
        return f"{name}-{suffix(typ + '/' + name)}", outputs
    return f'"{object_name}"', outputs


def _mixpanel(typ: str, name: str, inputs: dict[str, Any]) -> Optional[tuple[str, dict[str, Any]]]:
    """What the provider's create returns: the inputs plus the names Mixpanel gives."""
    if typ != MIXPANEL_DYNAMIC_TYPE:
        return None
    from pulumi_mixpanel.core.models import validate_pipeline

    plain = {k: v for k, v in unwrap_secrets(inputs).items() if k != "__provider"}
    model, _ = validate_pipeline(plain, today=None)
    names = model.expected_pipeline_names() if model is not None else []
    hosted_dataset = None
    if model is not None and getattr(model, "bq_share_with_group", None) is not None:
        hosted_dataset = f"https://bigquery.cloud.google.com/dataset/mixpanel-prod-1:mp_{suffix(typ + '/' + name, 10)}"
    outputs = {**inputs, "pipeline_names": names, "bigquery_dataset_name": hosted_dataset, "status": {}}
    return ",".join(names) or f"{name}-id", outputs


class ExampleMocks(pulumi.runtime.Mocks):
    """Realistic cloud-provider outputs; records every resource and invoke."""

    def __init__(self) -> None:
        # Keyed by (type, name): resources of different types may share a name.
        self.resources: dict[tuple[str, str], Registered] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        inputs = dict(args.inputs)
        for family in (_mixpanel, _aws, _gcp, _azure, _snowflake):
            answer = family(args.typ, args.name, inputs)
            if answer is not None:
                break
        else:
            raise AssertionError(f"the example mocks do not know resource type {args.typ!r} ({args.name})")
        resource_id, outputs = answer
        self.resources[(args.typ, args.name)] = Registered(args.typ, inputs, outputs, resource_id)
        return resource_id, outputs

    def call(self, args: pulumi.runtime.MockCallArgs):
        token, inputs = args.token, dict(args.args)
        self.calls.append((token, inputs))
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": AWS_ACCOUNT,
                "arn": f"arn:aws:iam::{AWS_ACCOUNT}:user/ci",
                "userId": "AIDA" + suffix("ci", 17).upper(),
                "id": AWS_ACCOUNT,
            }
        if token == "aws:index/getRegion:getRegion":
            return {
                "name": AWS_REGION,
                "region": AWS_REGION,
                "id": AWS_REGION,
                "endpoint": f"ec2.{AWS_REGION}.amazonaws.com",
            }
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws", "reverseDnsPrefix": "com.amazonaws"}
        if token == "gcp:organizations/getProject:getProject":
            return {
                "projectId": GCP_PROJECT,
                "number": "123456789012",
                "name": GCP_PROJECT,
                "id": f"projects/{GCP_PROJECT}",
            }
        if token == "gcp:organizations/getClientConfig:getClientConfig":
            return {
                "project": GCP_PROJECT,
                "region": "us-central1",
                "zone": "us-central1-a",
                "id": GCP_PROJECT,
                "accessToken": "x",
            }
        if token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                "objectId": "11111111-2222-3333-4444-555555555555",
                "subscriptionId": AZURE_SUBSCRIPTION,
                "tenantId": AZURE_TENANT,
            }
        raise AssertionError(f"the example mocks do not answer invoke {token!r}")


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, also recording what each registration request carried."""

    def __init__(self, mocks: ExampleMocks) -> None:
        super().__init__(mocks)
        self.example_mocks = mocks

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        registered = self.example_mocks.resources.get((request.type, request.name))
        if registered is not None:
            registered.urn = response.urn
            registered.property_dependencies = {k: list(v.urns) for k, v in request.propertyDependencies.items()}
            registered.dependencies = list(request.dependencies)
            registered.ignore_changes = list(request.ignoreChanges)
            registered.additional_secret_outputs = list(request.additionalSecretOutputs)
            registered.retain_on_delete = bool(request.retainOnDelete)
        return response


@dataclass
class ExampleRun:
    mocks: ExampleMocks
    namespace: dict[str, Any]
    exports: dict[str, Any] = field(default_factory=dict)
    # Every config key the program looked up ("<project>:<key>", "snowflake:accountName", ...).
    config_reads: list[str] = field(default_factory=list)
    # resource name -> {output name: is_secret()} for the outputs asked about.
    secret_outputs: dict[str, dict[str, bool]] = field(default_factory=dict)

    def by_type(self, typ: str) -> dict[str, Registered]:
        """Resource name -> what was registered, for one type."""
        return {name: r for (t, name), r in self.mocks.resources.items() if t == typ}

    def one(self, typ: str) -> Registered:
        found = list(self.by_type(typ).values())
        assert len(found) == 1, f"expected exactly one {typ}, the program registered {len(found)}"
        return found[0]

    def pipelines(self) -> dict[str, Registered]:
        return self.by_type(MIXPANEL_DYNAMIC_TYPE)


def run_example(
    example: str,
    config: dict[str, str],
    *,
    secret_keys: tuple[str, ...] = (),
    secret_output_fields: tuple[str, ...] = (),
    stack: str = "dev",
    preview: bool = False,
    program: Optional[Path] = None,
) -> ExampleRun:
    """Run examples/<example>/__main__.py as a Pulumi program under mocks.

    `config` uses full keys ("<project>:<key>", "mixpanel:region"); the project name is the
    example's folder name, as its Pulumi.yaml says. Runs in a copy of the current context so
    that the root stack, the config and the mocks do not leak into other tests.
    """
    program_path = program or EXAMPLES_DIR / example / "__main__.py"

    def run() -> ExampleRun:
        from pulumi_mixpanel import MixpanelPipeline

        pulumi_settings.ROOT.set(None)  # a fresh root stack for this program
        pulumi.runtime.set_all_config(dict(config), list(secret_keys))
        reads: list[str] = []
        pulumi_config.CONFIG.set(_RecordingConfig(pulumi_config.CONFIG.get(), reads))
        mocks = ExampleMocks()
        pulumi.runtime.set_mocks(mocks, project=example, stack=stack, preview=preview, monitor=RecordingMonitor(mocks))
        result = ExampleRun(mocks, {}, config_reads=reads)

        @pulumi.runtime.test
        def program():
            result.namespace = runpy.run_path(str(program_path), run_name="__main__")
            pipelines = [v for v in result.namespace.values() if isinstance(v, MixpanelPipeline)]
            checks: list[pulumi.Output] = []
            for pipeline in pipelines:
                for name in secret_output_fields:
                    if hasattr(pipeline, name):
                        checks.append(
                            pulumi.Output.from_input(getattr(pipeline, name).is_secret()).apply(
                                _recorder(result.secret_outputs, pipeline._name, name)
                            )
                        )
            stack_outputs = dict(pulumi.runtime.get_root_resource().outputs)  # type: ignore[union-attr]
            exported = pulumi.Output.all(**stack_outputs).apply(result.exports.update) if stack_outputs else None
            return pulumi.Output.all(*[p.urn for p in pipelines], *checks, *([exported] if exported else []))

        program()
        return result

    return contextvars.copy_context().run(run)


class _RecordingConfig(dict):
    """The SDK's config map, noting each key looked up (the SDK tests `key in config` first)."""

    def __init__(self, values: dict[str, Any], reads: list[str]) -> None:
        super().__init__(values)
        self.reads = reads

    def __contains__(self, key: object) -> bool:
        self.reads.append(str(key))
        return super().__contains__(key)


def _recorder(store: dict[str, dict[str, bool]], resource: str, output: str) -> Callable[[bool], bool]:
    def record(is_secret: bool) -> bool:
        store.setdefault(resource, {})[output] = is_secret
        return is_secret

    return record
