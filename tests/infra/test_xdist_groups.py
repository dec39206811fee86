"""Tests that share module-wide data (or the production stack) are marked ``xdist_group`` and must
run on one worker under `make test` (``--dist loadgroup``): xdist schedules by the ``@<group>``
suffix of the test's id. Once (pytest 9.2 with xdist 3.8) the suffix stopped taking and every
group was spread over both workers, each building the group's data again, unnoticed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("infra_xdist_probe")


def test_a_grouped_test_carries_its_group_in_the_id_xdist_schedules_by(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only an xdist worker under --dist loadgroup (make test) groups tests")

    assert request.node.nodeid.endswith("@infra_xdist_probe"), request.node.nodeid
