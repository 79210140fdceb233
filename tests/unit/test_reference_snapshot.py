"""The vendored reference snapshots stay identical to the shared copies when both exist."""

import pytest

from tests.support.openapi import SHARED_CLASSIC_PAGE, SHARED_SPEC, SNAPSHOTS


@pytest.mark.parametrize("shared", [SHARED_SPEC, SHARED_CLASSIC_PAGE], ids=lambda path: path.name)
def test_the_snapshot_matches_the_shared_reference(shared):
    if not shared.exists():
        pytest.skip("no ../shared/reference beside this clone; the snapshot is all there is")
    assert (SNAPSHOTS / shared.name).read_bytes() == shared.read_bytes(), (
        "refresh tests/reference from ../shared/reference"
    )
