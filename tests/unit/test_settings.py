"""Provider settings: config first, then the environment; every setting validated up front."""

from __future__ import annotations

import pytest

from harness.tls import loopback_certificate
from pulumi_mixpanel.core.credentials import ProjectSecret, ServiceAccount
from pulumi_mixpanel.core.errors import InsecureEndpointError, SettingsError
from pulumi_mixpanel.core.settings import ProviderSettings, pipeline_api_url


def problems(**values) -> dict[str, str]:
    return {p.property: p.reason for p in ProviderSettings.from_sources(values, {}).problems}


def test_config_wins_over_the_environment():
    settings = ProviderSettings.from_sources(
        {"region": "eu", "apiSecret": "from-config"},
        {"MIXPANEL_REGION": "in", "MIXPANEL_API_SECRET": "from-env", "MIXPANEL_ENDPOINT": "http://127.0.0.1:1"},
    )
    assert settings.region == "eu"
    assert settings.credentials == ProjectSecret("from-config")
    assert settings.endpoint == "http://127.0.0.1:1"


def test_a_service_account_needs_a_project_id_and_wins_over_an_api_secret():
    settings = ProviderSettings.from_sources(
        {},
        {
            "MIXPANEL_SERVICE_ACCOUNT_USERNAME": "sa",
            "MIXPANEL_SERVICE_ACCOUNT_SECRET": "s",
            "MIXPANEL_PROJECT_ID": "7",
            "MIXPANEL_API_SECRET": "x",
        },
    )
    assert settings.credentials == ServiceAccount("sa", "s", "7")
    incomplete = ProviderSettings.from_sources({"serviceAccountUsername": "sa"}, {})
    with pytest.raises(SettingsError, match="mixpanel:serviceAccountSecret, mixpanel:projectId is not set"):
        incomplete.require_usable()


def test_missing_credentials_name_both_ways_to_provide_them():
    with pytest.raises(SettingsError) as raised:
        ProviderSettings.from_sources({}, {}).require_usable()
    for way in (
        "mixpanel:serviceAccountUsername",
        "MIXPANEL_SERVICE_ACCOUNT_SECRET",
        "mixpanel:apiSecret",
        "MIXPANEL_API_SECRET",
        "--secret",
    ):
        assert way in str(raised.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-5", "3601", "soon"])
def test_a_request_timeout_that_cannot_work_is_named(value):
    assert "requestTimeout" in problems(requestTimeout=value)


def test_a_sensible_request_timeout_is_taken():
    assert ProviderSettings.from_sources({"requestTimeout": "2.5"}, {}).request_timeout == 2.5
    assert ProviderSettings.from_sources({"requestTimeout": 30.0}, {}).request_timeout == 30.0


def test_a_region_that_does_not_exist_is_named():
    assert problems(region="mars") == {"region": "'mars' is not one of us, eu, in"}
    assert problems(region="EU") == {}


@pytest.mark.parametrize("value", ["abc", "1.5", "-3", "0", "12a"])
def test_a_project_id_that_is_not_a_whole_number_is_named(value):
    assert "projectId" in problems(projectId=value)


def test_a_project_id_given_as_a_number_is_taken():
    settings = ProviderSettings.from_sources(
        {"projectId": 123.0, "serviceAccountUsername": "u", "serviceAccountSecret": "s"}, {}
    )
    assert settings.problems == () and settings.credentials == ServiceAccount("u", "s", "123")


def test_a_ca_bundle_must_be_a_readable_pem_file(tmp_path):
    assert "caBundle" in problems(caBundle=str(tmp_path / "missing.pem"))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    assert "caBundle" in problems(caBundle=str(garbage))
    assert problems(caBundle=loopback_certificate(tmp_path).ca) == {}


@pytest.mark.parametrize(
    "endpoint",
    [
        "ftp://127.0.0.1/",
        "127.0.0.1:8765",
        "file:///etc/passwd",
        "https://",
        "http://mixpanel.example.com",
        "https://h/?q=1",
    ],
)
def test_an_endpoint_that_cannot_work_is_named(endpoint):
    assert "endpoint" in problems(endpoint=endpoint)


def test_regions_and_endpoints_make_the_pipeline_url():
    assert pipeline_api_url("us") == "https://data.mixpanel.com/api/2.0/nessie/pipeline/"
    assert pipeline_api_url("eu") == "https://data-eu.mixpanel.com/api/2.0/nessie/pipeline/"
    assert pipeline_api_url("in") == "https://data-in.mixpanel.com/api/2.0/nessie/pipeline/"
    expected = "https://mp.example.com/api/2.0/nessie/pipeline/"
    for endpoint in (
        "https://mp.example.com",
        "https://mp.example.com/",
        "https://mp.example.com/api/2.0",
        "https://mp.example.com/api/2.0/",
        "https://mp.example.com/api/2.0/nessie/pipeline/",
    ):
        assert pipeline_api_url(endpoint=endpoint) == expected, endpoint
    assert (
        pipeline_api_url(endpoint="http://127.0.0.1:8765/proxy")
        == "http://127.0.0.1:8765/proxy/api/2.0/nessie/pipeline/"
    )
    assert pipeline_api_url(endpoint="http://[::1]:1").startswith("http://[::1]:1/")
    with pytest.raises(InsecureEndpointError, match="plain http"):
        pipeline_api_url(endpoint="http://10.0.0.1:8765")


def test_settings_with_problems_make_no_client():
    with pytest.raises(SettingsError, match="region"):
        ProviderSettings.from_sources({"region": "mars", "apiSecret": "x"}, {}).require_usable()


def test_secrets_are_not_in_reprs():
    settings = ProviderSettings.from_sources(
        {"serviceAccountUsername": "sa", "projectId": "1", "serviceAccountSecret": "TOP-SECRET-VALUE"}, {}
    )
    assert "TOP-SECRET-VALUE" not in repr(settings)
    assert "TOP-SECRET-VALUE" not in repr(ProjectSecret("TOP-SECRET-VALUE"))
