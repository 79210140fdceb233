"""Property-based: any input either fails validation with named properties (never an
exception) or yields a create request that the emulator (an independent reading of the
API) accepts, and that matches the OpenAPI description in the current mode."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.core.client import MixpanelClient, ProjectSecret
from pulumi_mixpanel.core.errors import BadRequestError
from pulumi_mixpanel.core.models import CLASS_BY_TYPE, validate_pipeline
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.openapi import OpenApiContract

TODAY = dt.datetime.now(dt.timezone.utc).date()
CONTRACT = OpenApiContract()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def choices(*values):
    return st.sampled_from(values)


# field -> (valid values, invalid values); invalid ones are drawn one time in ten.
VALUES = {
    "trial": (st.booleans(), choices("yes")),
    "paused": (st.booleans(), choices(2)),
    "adopt_existing": (st.just(False), choices("no")),
    "use_glue": (st.booleans(), choices("maybe")),
    "sync": (st.booleans(), choices("sometimes")),
    "from_date": (
        st.integers(-180, 0).map(day),
        st.one_of(st.integers(-400, 30).map(day), choices("2026-02-30", "soon")),
    ),
    "to_date": (st.integers(-5, 0).map(day), choices("2026-13-01", "26-01-01")),
    "frequency": (choices("daily", "hourly"), choices("weekly")),
    "events": (
        st.lists(choices("Signup", "Purchase", "a,b"), max_size=3),
        st.lists(choices(""), min_size=1, max_size=1),
    ),
    "where": (choices('properties["plan"] == "pro"'), choices("")),
    "api_mode": (choices("current", "classic"), choices("legacy")),
    "schema_type": (choices("monoschema", "multischema"), choices("polyschema")),
    "data_source": (choices("events", "people"), choices("groups")),
    "data_format": (choices("json", "parquet"), choices("csv")),
    "s3_region": (choices("us-east-1", "eu-west-1", "me-south-1"), choices("mars-1")),
    "s3_encryption": (choices("none", "aes", "kms"), choices("rot13")),
    "gcs_region": (choices("us-central1", "europe-west1"), choices("moon")),
    "bq_region": (choices("US", "EU", "US_EAST_1", "ASIA_NORTHEAST_1"), choices("MARS")),
    "bq_share_with_group": (
        st.lists(choices("a@acme.com", "b@acme.com"), min_size=1, max_size=2, unique=True),
        st.just([]),
    ),
}
TEXT = (choices("acme", "mixpanel-export", "a/b"), choices(""))
# How often an optional field is set; the rest are set one time in four.
PRESENCE = {
    "from_date": 0.9,
    "s3_role": 0.9,
    "gcp_project": 0.85,
    "bq_dataset_name": 0.85,
    "bq_share_with_group": 0.15,
    "snowflake_share_with": 0.1,
    "trial": 0.3,
    "to_date": 0.2,
    "s3_kms_key_id": 0.15,
}
PRESENCE.update(
    {
        name: 0.9
        for name in CLASS_BY_TYPE["snowflake"].model_fields
        if name.startswith("snowflake_") and name not in ("snowflake_share_with", "snowflake_prefix")
    }
)


PERCENT = st.sampled_from(range(100))


@st.composite
def pipeline_inputs(draw, pipeline_type):
    cls = CLASS_BY_TYPE[pipeline_type]
    values = {"type": pipeline_type}
    for name, field in cls.model_fields.items():
        if name == "type":
            continue
        chance = 0.95 if field.is_required() else PRESENCE.get(name, 0.25)
        # Uniform percentages: hypothesis biases floats and integers towards their bounds.
        if draw(PERCENT) < chance * 100:
            valid, invalid = VALUES.get(name, TEXT)
            values[name] = draw(invalid if draw(PERCENT) < 10 else valid)
    return values


def create_request(values):
    model, problems = validate_pipeline(values, today=TODAY)
    if problems:
        allowed = set(values) | set(CLASS_BY_TYPE[values["type"]].model_fields)
        for problem in problems:
            assert problem.property.split("[")[0] in allowed, problem
            assert problem.reason
        return None, model
    return model.request_fields(today=TODAY), model


@pytest.fixture(scope="module")
def shared_emulator():
    """One emulator for every example, reset before each: a fresh project without the cost of a
    fresh server."""
    with EmulatorServer(port=0) as emulator:
        client = MixpanelClient(ProjectSecret("emulator-api-secret"), endpoint=emulator.base_url)
        yield client, EmulatorAdmin(emulator.base_url)
        client.close()


@pytest.mark.parametrize("pipeline_type", sorted(CLASS_BY_TYPE))
@settings(
    max_examples=int(os.environ.get("MIXPANEL_PROPERTY_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_inputs_fail_by_name_or_the_emulator_accepts_them(shared_emulator, pipeline_type, data):
    client, admin = shared_emulator
    values = data.draw(pipeline_inputs(pipeline_type))
    request, model = create_request(values)
    event("refused by validation" if request is None else "sent to the emulator")
    if request is None:
        return
    admin.reset()
    try:
        created = client.create(request)
    except BadRequestError as error:
        pytest.fail(f"the emulator refused what validation passed: {error.message}; request={request}")
    assert created["pipeline_names"] == model.expected_pipeline_names()
    if model.resolved_api_mode() == "current":
        from pulumi_mixpanel.core.client import encode_fields

        fields = [("project_id", "1"), *encode_fields(request)]
        assert CONTRACT.problems("POST", "create", fields) == []
