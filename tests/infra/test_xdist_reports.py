"""A test report that cannot be encoded must not end the whole parallel run.

pytest-xdist workers send each report to the controller through execnet, which encodes text as
UTF-8. One lone surrogate in a captured log line once stopped a worker with an INTERNALERROR,
the controller then failed ``assert not crashitem``, and CI ended with ~230 tests not run and
the report that would have explained it lost. tests/conftest.py makes every report sendable.
"""

from __future__ import annotations

import execnet
import pytest
from _pytest.reports import TestReport

LOG_LINE = "ERROR django.request: Internal Server Error: /lessons/\udce9/progress/"


def report_with(text: str) -> TestReport:
    return TestReport(
        nodeid="tests/e2e/test_x.py::test_y",
        location=("tests/e2e/test_x.py", 1, "test_y"),
        keywords={},
        outcome="failed",
        longrepr=f"AssertionError: {text}",
        when="call",
        sections=[("Captured log call", text)],
    )


def test_a_report_with_a_lone_surrogate_is_sent_with_the_character_escaped(pytestconfig):
    data = pytestconfig.hook.pytest_report_to_serializable(config=pytestconfig, report=report_with(LOG_LINE))

    sent = execnet.loads(execnet.dumps(data))  # what the controller receives

    assert sent["sections"] == [("Captured log call", LOG_LINE.replace("\udce9", "\\udce9"))]
    assert "\\udce9" in str(sent["longrepr"])
    assert sent["outcome"] == "failed"


def test_without_the_guard_such_a_report_cannot_be_sent():
    """The failure the guard prevents is real: execnet refuses the raw report."""
    with pytest.raises(execnet.DataFormatError):
        execnet.dumps(report_with(LOG_LINE)._to_json())


def test_text_that_encodes_is_sent_unchanged(pytestconfig):
    text = "ERROR 家长 😀 report"
    data = pytestconfig.hook.pytest_report_to_serializable(config=pytestconfig, report=report_with(text))

    assert execnet.loads(execnet.dumps(data))["sections"][0][1] == text
