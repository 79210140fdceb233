"""Shared helpers of the emulator tests: a fake clock, a small API client, valid fields."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests

API_PATH = "/api/2.0/nessie/pipeline/"
SERVICE_ACCOUNT = ("test-sa", "test-sa-secret")
API_SECRET = "test-api-secret"
PROJECT_ID = 42
# A fixed "now" for the emulator's clock: Saturday 2024-06-15 12:00 UTC.
START = datetime(2024, 6, 15, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    """An injectable clock that tests move by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class Api:
    """A thin client for the emulated API; `fields` is a dict or a list of (key, value) pairs."""

    def __init__(self, base_url: str, auth=SERVICE_ACCOUNT, project_id: int | None = PROJECT_ID, verify=True):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.auth = auth
        # Passed on every call: a session-level verify loses to REQUESTS_CA_BUNDLE from the environment.
        self.verify = verify
        self.project_id = project_id

    def _with_project(self, fields) -> list[tuple[str, str]]:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if self.project_id is not None:
            pairs.append(("project_id", str(self.project_id)))
        return pairs

    def post(self, op: str, fields=(), **kwargs) -> requests.Response:
        url = self.base_url + API_PATH + op
        return self.session.post(url, data=self._with_project(fields), timeout=10, verify=self.verify, **kwargs)

    def get(self, op: str, params=(), **kwargs) -> requests.Response:
        url = self.base_url + API_PATH + op
        return self.session.get(url, params=self._with_project(params), timeout=10, verify=self.verify, **kwargs)

    def create(self, fields) -> list[str]:
        response = self.post("create", fields)
        assert response.status_code == 200, response.text
        return response.json()["pipeline_names"]

    def admin(self, method: str, route: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.base_url}/_emulator/{route}", timeout=10, verify=self.verify, **kwargs)

    def close(self) -> None:
        self.session.close()


# Minimal valid current-generation fields per type, for a recurring daily export.
FROM_DATE = "2024-06-01"
VALID_FIELDS: dict[str, dict[str, str]] = {
    "bigquery": {"gcp_project": "my-gcp", "bq_dataset_name": "mixpanel", "bq_region": "US_EAST_4"},
    "snowflake": {
        "snowflake_account_name": "acct",
        "snowflake_warehouse": "wh",
        "snowflake_storage_integration": "integ",
        "snowflake_user": "user",
        "snowflake_password": "pw",
        "snowflake_role": "role",
        "snowflake_database": "db",
        "snowflake_schema": "schema",
    },
    "aws": {"s3_bucket": "bucket", "s3_region": "us-east-1", "s3_role": "arn:aws:iam::1:role/r"},
    "s3-raw": {"s3_bucket": "raw-bucket", "s3_region": "me-south-1", "s3_role": "arn:aws:iam::1:role/r"},
    "azure-blob": {
        "storage_account": "acct",
        "container_name": "c",
        "client_id": "id",
        "client_secret": "s",
        "tenant_id": "t",
    },
    "azure-raw": {
        "storage_account": "acct",
        "container_name": "raw",
        "client_id": "id",
        "client_secret": "s",
        "tenant_id": "t",
    },
    "gcs-schema": {"gcs_bucket": "bucket", "gcs_region": "us-central1"},
    "gcs-raw": {"gcs_bucket": "raw-bucket", "gcs_region": "europe-west1"},
}


def fields_for(pipeline_type: str, **extra) -> dict[str, str]:
    return {"type": pipeline_type, "from_date": FROM_DATE, **VALID_FIELDS[pipeline_type], **extra}
