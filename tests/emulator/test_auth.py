"""Authentication: service account + project_id, classic API secret, and the failures."""

import requests

from .emulator_support import API_PATH, API_SECRET, PROJECT_ID, SERVICE_ACCOUNT, Api


def test_service_account_with_project_id_is_accepted(api):
    assert api.get("jobs").status_code == 200
    assert api.post("pause", {"name": "nope"}).status_code == 404  # authorized, then unknown pipeline


def test_service_account_requires_project_id_on_get_and_post(emulator):
    client = Api(emulator.base_url, project_id=None)
    for response in (client.get("jobs"), client.post("cancel", {"name": "x"})):
        assert response.status_code == 400
        assert response.json()["status"] == "error"
        assert "project_id" in response.json()["error"]


def test_project_id_of_another_project_is_forbidden(emulator):
    response = Api(emulator.base_url, project_id=PROJECT_ID + 1).get("jobs")
    assert response.status_code == 403
    assert response.json() == {"error": response.json()["error"], "status": "error"}


def test_project_id_must_be_an_integer(emulator):
    response = Api(emulator.base_url, project_id="abc").get("jobs")
    assert response.status_code == 400 and "project_id" in response.json()["error"]


def test_classic_api_secret_needs_no_project_id(classic_api):
    assert classic_api.get("jobs").status_code == 200


def test_classic_api_secret_with_matching_project_id(emulator):
    assert Api(emulator.base_url, auth=(API_SECRET, ""), project_id=PROJECT_ID).get("jobs").status_code == 200


def test_bad_credentials_are_401(emulator):
    cases = [
        (SERVICE_ACCOUNT[0], "wrong"),
        ("nobody", SERVICE_ACCOUNT[1]),
        (API_SECRET, "not-empty"),  # the API secret goes with an empty password
        ("wrong-secret", ""),
        None,
    ]
    for auth in cases:
        response = Api(emulator.base_url, auth=auth).get("jobs")
        assert response.status_code == 401, auth
        assert response.json()["status"] == "error"


def test_malformed_authorization_header_is_401(emulator):
    for header in ("Bearer abc", "Basic !!!not-base64", "Basic " + "bm9jb2xvbg=="):  # "nocolon"
        response = requests.get(
            emulator.base_url + API_PATH + "jobs", headers={"Authorization": header}, params={"project_id": PROJECT_ID}
        )
        assert response.status_code == 401, header


def test_default_credentials_when_none_configured(make_emulator):
    server = make_emulator(service_account=None, api_secret=None, project_id=1)
    assert Api(server.base_url, auth=("emulator", "emulator-secret"), project_id=1).get("jobs").status_code == 200
    assert Api(server.base_url, auth=("emulator-api-secret", ""), project_id=None).get("jobs").status_code == 200


def test_only_the_configured_method_is_accepted(make_emulator):
    server = make_emulator(api_secret=None)
    assert Api(server.base_url, auth=("emulator-api-secret", ""), project_id=None).get("jobs").status_code == 401
    assert Api(server.base_url, auth=(API_SECRET, ""), project_id=None).get("jobs").status_code == 401
    assert Api(server.base_url).get("jobs").status_code == 200


def test_unknown_operation_and_wrong_method(api):
    assert api.get("explode").status_code == 404
    response = api.get("create")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
