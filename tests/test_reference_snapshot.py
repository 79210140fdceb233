"""The vendored OpenAPI snapshot must stay identical to the shared reference when both exist."""

import pytest

from support.openapi import REPO, SHARED_SPEC


def test_the_snapshot_matches_the_shared_reference():
    if not SHARED_SPEC.exists():
        pytest.skip("no ../shared/reference beside this clone; the snapshot is all there is")
    snapshot = REPO / "tests" / "reference" / "data-pipelines.openapi.yaml"
    assert snapshot.read_bytes() == SHARED_SPEC.read_bytes(), "refresh tests/reference from ../shared/reference"
