"""The "skip or fail" rule of tests/conftest.py, checked in a child pytest run.

A test marked ``redis`` with no Redis reachable must skip with the reason, and fail with the
same reason under HUIAI_REQUIRE_ALL=1 (what .ci/run sets).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_DIR, closed_port

TARGET = "tests/home/test_health.py::test_healthy_against_real_redis_cache_and_broker"


def run_child(require_all: str) -> subprocess.CompletedProcess:
    env = os.environ | {
        "HUIAI_TEST_REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "HUIAI_REQUIRE_ALL": require_all,
        # The child needs no database: it stops before the test body.
        "DATABASE_URL": "sqlite://:memory:",
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", TARGET, "-q", "-rsf", "-p", "no:cacheprovider", "--no-header"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("require_all", "exit_code", "outcome"),
    # pytest reports a failure raised while setting the test up as an "error": exit code 1 too.
    [("", 0, ("1 skipped",)), ("1", 1, ("1 failed", "1 error"))],
    ids=["skips-by-default", "fails-under-HUIAI_REQUIRE_ALL"],
)
def test_missing_redis_skips_or_fails(require_all, exit_code, outcome):
    result = run_child(require_all)

    output = result.stdout + result.stderr
    assert result.returncode == exit_code, output
    assert any(summary in output for summary in outcome), output
    assert "no Redis server answers at redis://127.0.0.1:" in output, output
