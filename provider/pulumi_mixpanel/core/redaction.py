"""Secret values removed from any text that may be shown or logged, in every encoding.

A secret travels as itself in a form body, URL-encoded (`%2F`, `+`), inside a base64
`Authorization: Basic` value, and JSON- or repr-escaped when a server echoes it back. Each of
those forms is replaced, longest first, so that a secret containing another is scrubbed whole.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[secret]"


def secret_forms(secret: str) -> set[str]:
    """The ways a secret can appear in text about a request or its answer."""
    if not secret:
        return set()
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        quote(secret),
        json.dumps(secret)[1:-1],
        repr(secret)[1:-1],
    }
    return {form for form in forms if form}


def basic_auth_forms(username: str, password: str) -> set[str]:
    """The base64 value of an `Authorization: Basic` header, and its URL-encoded form."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {token, quote(token, safe="")}


def scrub(text: str, forms: Iterable[str]) -> str:
    for form in sorted(set(forms), key=len, reverse=True):
        if form:
            text = text.replace(form, REDACTED)
    return text
