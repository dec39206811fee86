"""The question bank: drafts and revisions, who may edit it, and XLSX import/export."""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

import pytest
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from courses import question_bank
from courses.models import Question
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import TopicFactory, question

HEADER = question_bank.COLUMNS


def xlsx(rows: list[list], header: list[str] = HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row_prefix(number: int) -> str:
    """How an import error for spreadsheet row ``number`` begins, as the user reads it."""
    return _("Row %(row)d: %(message)s") % {"row": number, "message": ""}


def row(
    kind="single",
    text="孩子说被同学孤立，家长先做什么？",
    options=("倾听", "批评", "", "", "", ""),
    correct="A",
    **more,
):
    return [
        kind,
        text,
        *options,
        correct,
        more.get("explanation", "先倾听，了解事实。"),
        more.get("topic", ""),
        more.get("difficulty", "easy"),
    ]


def test_a_question_keeps_drafts_and_revisions(db):
    item = question(publish=False)
    assert not item.live and item.revisions.count() == 1
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.live and item.live_revision is not None
    assert item.revisions.count() == 2


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", [("甲", True), ("乙", True)], "Mark exactly one option as correct."),
        ("multiple", [("甲", False), ("乙", False)], "Mark at least one option as correct."),
        (
            "true_false",
            [("对", True), ("错", False), ("不知道", False)],
            "A true-or-false question has exactly two options.",
        ),
    ],
)
def test_correct_answers_are_validated_by_kind(db, kind, options, message):
    item = Question(text="题目", kind=kind, options=question_bank.option_stream(options), explanation="解析")
    with pytest.raises(ValidationError, match=re.escape(_(message))):
        item.full_clean()


def test_an_xlsx_file_imports_every_kind_with_topics_and_difficulty(db):
    topic = TopicFactory(name="防范校园欺凌", slug="bullying")
    result = question_bank.import_questions(
        xlsx(
            [
                row(topic="bullying", difficulty="hard"),
                row("multiple", "哪些是欺凌？", ("起外号", "推搡", "借橡皮", "", "", ""), "A,B", topic="防范校园欺凌"),
                row("true_false", "网络欺凌也是欺凌。", ("", "", "", "", "", ""), "A"),
            ]
        )
    )
    assert result.ok, result.errors
    single, multiple, true_false = sorted(result.created, key=lambda item: item.pk)
    assert single.topic == topic and single.difficulty == Question.Difficulty.HARD and single.live
    assert [option["correct"] for option in multiple.option_list()] == [True, True, False]
    assert len(true_false.option_list()) == 2 and true_false.live_revision is not None


def test_a_bad_file_reports_every_row_and_imports_nothing(db):
    result = question_bank.import_questions(
        xlsx(
            [
                row(),
                row(kind="essay"),
                row(correct="C"),
                row(text=""),
                row(topic="no-such-topic"),
                row(kind="single", correct="A,B"),
            ]
        )
    )
    assert not result.ok
    assert Question.objects.count() == 0
    joined = "\n".join(result.errors)
    for number in (3, 4, 5, 6, 7):
        assert row_prefix(number) in joined
    assert row_prefix(2) not in joined


def test_a_file_that_is_not_a_spreadsheet_is_refused(db):
    result = question_bank.import_questions(io.BytesIO(b"not a spreadsheet"))
    assert result.errors and Question.objects.count() == 0


def test_a_missing_header_column_is_reported(db):
    result = question_bank.import_questions(xlsx([["x"]], header=["kind", "question"]))
    assert result.errors[0] == _("Row 1: the header is missing the columns %(columns)s.") % {
        "columns": "correct, explanation"
    }


def test_an_import_can_create_drafts(db):
    result = question_bank.import_questions(xlsx([row()]), as_drafts=True)
    assert result.ok and not result.created[0].live


def test_export_and_import_round_trip(db):
    TopicFactory(slug="bullying")
    question_bank.import_questions(
        xlsx([row(topic="bullying"), row("multiple", "多选", ("甲", "乙", "丙", "", "", ""), "A,C")])
    )
    data = question_bank.export_questions(Question.objects.order_by("pk"))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell or "" for cell in values] for values in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[2][HEADER.index("correct")] == "A,C"
    Question.objects.all().delete()
    again = question_bank.import_questions(io.BytesIO(data))
    assert again.ok and len(again.created) == 2


@pytest.mark.parametrize("role", [Role.TEACHER, Role.DISTRICT_STAFF])
def test_teachers_and_district_staff_edit_and_publish_the_bank(db, client, role):
    user = UserFactory(role=role)
    for action in ("add", "change", "publish"):
        assert user.has_perm(f"courses.{action}_question")
    sign_in_fully(client, user)
    assert client.get("/admin/snippets/courses/question/").status_code == 200
    upload = SimpleUploadedFile("bank.xlsx", xlsx([row()]).getvalue())
    response = client.post("/admin/courses/questions/import/", {"file": upload})
    assert response.status_code == 302
    assert Question.objects.filter(live=True).count() == 1
    export = client.get("/admin/courses/questions/export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_import_page_shows_row_numbered_errors(db, client):
    sign_in_fully(client, UserFactory(role=Role.TEACHER))
    upload = SimpleUploadedFile("bank.xlsx", xlsx([row(), row(correct="Z")]).getvalue())
    html = client.post("/admin/courses/questions/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en").content
    errors = re.findall(r'<ul class="question-import-errors">(.*?)</ul>', html.decode(), re.S)
    assert errors and errors[0].count("<li>") == 1 and "3" in errors[0]
    assert Question.objects.count() == 0


def test_a_parent_cannot_use_the_bank(db, client):
    sign_in_fully(client, UserFactory(role=Role.PARENT))
    assert client.get("/admin/courses/questions/export/").status_code in (302, 403)
