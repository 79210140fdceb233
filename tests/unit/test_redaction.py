"""Secrets are scrubbed in every form they can take in a request or its echo."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus, urlencode

import pytest

from pulumi_mixpanel.core.credentials import ProjectSecret, ServiceAccount
from pulumi_mixpanel.core.redaction import scrub, secret_forms

SECRETS = ["a/b+c= d&e@f%g", "pl@in", "%2F+", 'with"quote\\and\nnewline']


@pytest.mark.parametrize("value", SECRETS)
def test_every_encoding_of_a_secret_is_scrubbed(value):
    echoes = [
        f"bad value {value}",
        urlencode({"client_secret": value}),
        f"client_secret={quote(value, safe='')}",
        f"client_secret={quote_plus(value)}",
        json.dumps({"error": f"bad client_secret {value}"}),
        repr({"client_secret": value}),
    ]
    for echo in echoes:
        assert value not in (cleaned := scrub(echo, secret_forms(value)))
        assert quote_plus(value) not in cleaned and quote(value, safe="") not in cleaned, echo


@pytest.mark.parametrize("credentials", [ServiceAccount("svc", "a/b+c= d&e@f%g", "1"), ProjectSecret("a/b+c= d&e@f%g")])
def test_the_basic_authorization_header_is_scrubbed(credentials):
    token = base64.b64encode(":".join(credentials.basic_auth).encode()).decode()
    text = f"echoed headers: Authorization: Basic {token}; quoted {quote(token, safe='')}"
    cleaned = scrub(text, credentials.secret_forms())
    assert token not in cleaned and quote(token, safe="") not in cleaned and "a/b+c" not in cleaned
