"""Provider settings: stack config first, then the environment."""

import pytest

from pulumi_mixpanel.client import ProjectSecret, ServiceAccount
from pulumi_mixpanel.settings import ProviderSettings, SettingsError


def test_config_wins_over_the_environment():
    settings = ProviderSettings.from_sources(
        {"mixpanel:region": "eu", "mixpanel:apiSecret": "from-config"},
        {"MIXPANEL_REGION": "in", "MIXPANEL_API_SECRET": "from-env", "MIXPANEL_ENDPOINT": "http://127.0.0.1:1"},
    )
    assert settings.region == "eu"
    assert settings.credentials == ProjectSecret("from-config")
    assert settings.endpoint == "http://127.0.0.1:1"


def test_a_service_account_needs_a_project_id_and_wins_over_an_api_secret():
    settings = ProviderSettings.from_sources({}, {
        "MIXPANEL_SERVICE_ACCOUNT_USERNAME": "sa", "MIXPANEL_SERVICE_ACCOUNT_SECRET": "s", "MIXPANEL_PROJECT_ID": "7",
        "MIXPANEL_API_SECRET": "x"})
    assert settings.credentials == ServiceAccount("sa", "s", "7")
    incomplete = ProviderSettings.from_sources({"mixpanel:serviceAccountUsername": "sa"}, {})
    with pytest.raises(SettingsError, match="mixpanel:serviceAccountSecret, mixpanel:projectId is not set"):
        incomplete.require_credentials()


def test_missing_credentials_name_both_ways_to_provide_them():
    with pytest.raises(SettingsError) as raised:
        ProviderSettings.from_sources({}, {}).require_credentials()
    message = str(raised.value)
    for way in ("mixpanel:serviceAccountUsername", "MIXPANEL_SERVICE_ACCOUNT_SECRET", "mixpanel:apiSecret",
                "MIXPANEL_API_SECRET", "--secret"):
        assert way in message


def test_secrets_are_not_in_reprs():
    settings = ProviderSettings.from_sources({"mixpanel:serviceAccountUsername": "sa", "mixpanel:projectId": "1",
                                              "mixpanel:serviceAccountSecret": "TOP-SECRET-VALUE"}, {})
    assert "TOP-SECRET-VALUE" not in repr(settings)
    assert "TOP-SECRET-VALUE" not in repr(ProjectSecret("TOP-SECRET-VALUE"))
