"""CSV and XLSX export of the case list: scope by role, no minors' details, defused formulas, audited."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from schools import exports
from schools.models import AuditLog, BullyingReport
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import BullyingReportFactory, submitted_case

pytestmark = pytest.mark.django_db

SECRET_NAME = "小明"  # the factory's target student: must never appear in an export
NARRATIVE = "课间有同学多次嘲笑他的口音。"


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_district_staff_export_every_case_without_names_or_narratives(
    client, officer_a, officer_b, school_a, school_b, district, file_format
):
    case_a = submitted_case(officer_a, school=school_a)
    case_b = submitted_case(officer_b, school=school_b)
    BullyingReportFactory(school=school_a)  # a draft: never exported
    sign_in_fully(client, district)

    client.cookies["huiai_language"] = "en"
    response = client.get(reverse("schools:export", args=[file_format]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _csv_rows(response) if file_format == "csv" else _xlsx_rows(response)
    assert rows[0][0] == "Case number"
    assert sorted(row[0] for row in rows[1:]) == sorted([case_a.case_number, case_b.case_number])
    flat = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert SECRET_NAME not in flat and NARRATIVE not in flat
    header = rows[0]
    assert rows[1][header.index("Targets")] in ("1", 1)
    entry = AuditLog.objects.get(actor=district, action=AuditLog.Action.EXPORT)
    assert entry.detail["format"] == file_format
    assert sorted(entry.detail["cases"]) == sorted([case_a.case_number, case_b.case_number])


def test_an_officer_exports_only_their_own_school(client, officer_a, officer_b, school_a, school_b):
    own = submitted_case(officer_a, school=school_a)
    other = submitted_case(officer_b, school=school_b)
    sign_in_fully(client, officer_a)

    rows = _csv_rows(client.get(reverse("schools:export", args=["csv"])))

    assert [row[0] for row in rows[1:]] == [own.case_number]
    assert other.case_number not in str(rows)


def test_the_export_follows_the_state_filter(client, officer_a, school_a, district):
    from schools import services

    first = submitted_case(officer_a, school=school_a)
    second = submitted_case(officer_a, school=school_a)
    services.acknowledge(second, by=district)
    sign_in_fully(client, district)

    rows = _csv_rows(client.get(reverse("schools:export", args=["csv"]) + "?state=submitted"))

    assert [row[0] for row in rows[1:]] == [first.case_number]


def test_an_unknown_format_is_not_found(client, district):
    sign_in_fully(client, district)
    assert client.get(reverse("schools:export", args=["pdf"])).status_code == 404
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused():
    assert exports.safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert exports.safe_cell("+86139") == "'+86139"
    assert exports.safe_cell("-1") == "'-1"
    assert exports.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert exports.safe_cell("徐汇") == "徐汇"
    assert exports.safe_cell(3) == 3


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_query_count_does_not_grow_with_the_cases(client, officer_a, school_a, district, file_format):
    sign_in_fully(client, district)
    url = reverse("schools:export", args=[file_format])
    for _ in range(5):
        submitted_case(officer_a, school=school_a)
    client.get(url)
    with CaptureQueriesContext(connection) as at_five:
        client.get(url)
    for _ in range(45):
        submitted_case(officer_a, school=school_a)
    with CaptureQueriesContext(connection) as at_fifty:
        client.get(url)

    assert BullyingReport.objects.count() == 50
    assert len(at_five) == len(at_fifty)
