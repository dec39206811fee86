"""Case records: mandatory-report rules, encryption at rest, key rotation, the append-only audit log."""

from __future__ import annotations

from django.db import connection

import pytest
from cryptography.fernet import Fernet

from schools import crypto
from schools.models import AuditLog, AuditLogIsAppendOnly, BullyingReport, InvolvedStudent
from tests.factories.schools import BullyingReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"severity": "severe"}, "severe"),
        ({"injury": "minor"}, "injury"),
        ({"injury": "serious"}, "injury"),
        ({"frequency": "repeated"}, "repeated"),
        ({"involves_sexual_harm": True}, "sexual"),
        ({"possibly_criminal": True}, "criminal"),
        ({"police_informed": True}, "police"),
    ],
)
def test_each_rule_makes_a_report_mandatory(facts, reason):
    report = BullyingReportFactory(**facts)

    assert report.is_mandatory_report is True
    assert reason in report.mandatory_reasons


def test_a_general_one_off_report_without_injury_is_not_mandatory():
    report = BullyingReportFactory()

    assert report.is_mandatory_report is False
    assert report.mandatory_reasons == []


def test_the_mandatory_flag_cannot_be_switched_off_by_saving_it_false():
    report = BullyingReportFactory(severity="severe")

    report.is_mandatory_report = False
    report.save()
    report.refresh_from_db()

    assert report.is_mandatory_report is True


def test_the_mandatory_flag_is_recomputed_on_a_partial_save():
    report = BullyingReportFactory()

    report.injury = "medical"
    report.save(update_fields=["injury"])
    report.refresh_from_db()

    assert report.is_mandatory_report is True


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def test_narrative_and_student_names_are_encrypted_in_the_database():
    report = BullyingReportFactory(narrative="小红在厕所被推倒")
    student = report.students.get(role="target")

    raw_narrative = _raw("schools_bullyingreport", "narrative", report.pk)
    raw_name = _raw("schools_involvedstudent", "name", student.pk)

    assert "小红" not in raw_narrative and raw_narrative.startswith("fernet:")
    assert "小明" not in raw_name and raw_name.startswith("fernet:")
    assert BullyingReport.objects.get(pk=report.pk).narrative == "小红在厕所被推倒"
    assert InvolvedStudent.objects.get(pk=student.pk).name == "小明"


def test_an_empty_name_stays_empty_and_is_not_encrypted():
    report = BullyingReportFactory()
    initiator = report.students.get(role="initiator")

    assert _raw("schools_involvedstudent", "name", initiator.pk) == ""


def test_rotation_re_encrypts_with_the_new_key_and_the_old_key_can_then_be_dropped(settings):
    old_key = settings.SCHOOLS_ENCRYPTION_KEYS[0]
    report = BullyingReportFactory(narrative="旧密钥加密的内容")
    new_key = Fernet.generate_key().decode()

    settings.SCHOOLS_ENCRYPTION_KEYS = [new_key, old_key]
    assert BullyingReport.objects.get(pk=report.pk).narrative == "旧密钥加密的内容"
    assert crypto.rotate_encrypted_fields() >= 1

    settings.SCHOOLS_ENCRYPTION_KEYS = [new_key]
    assert BullyingReport.objects.get(pk=report.pk).narrative == "旧密钥加密的内容"


def test_without_the_right_key_reading_fails_loudly_instead_of_showing_ciphertext(settings):
    report = BullyingReportFactory()

    settings.SCHOOLS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(Exception, match="cannot be decrypted"):
        BullyingReport.objects.get(pk=report.pk)


def test_audit_entries_cannot_be_changed_or_deleted():
    entry = AuditLog.objects.create(action=AuditLog.Action.VIEW_LIST, actor_label="x")

    entry.action = AuditLog.Action.EXPORT
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.filter(pk=entry.pk).update(action="export")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).action == AuditLog.Action.VIEW_LIST


def test_production_settings_refuse_to_start_without_an_encryption_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1/db")
    monkeypatch.setenv("SMS_BACKEND", "accounts.sms.HTTPGatewaySMSBackend")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("BACKUP_PASSPHRASE", "x" * 32)
    monkeypatch.setenv("GUIDANCE_SIGNING_KEY", "ab" * 32)
    monkeypatch.delenv("SCHOOLS_ENCRYPTION_KEYS", raising=False)
    for name in ("huiai.settings.production", "huiai.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    with pytest.raises(ImproperlyConfigured, match="SCHOOLS_ENCRYPTION_KEYS"):
        importlib.import_module("huiai.settings.production")

    monkeypatch.setenv("SCHOOLS_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    for name in ("huiai.settings.production", "huiai.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert importlib.import_module("huiai.settings.production").SCHOOLS_ENCRYPTION_KEYS


def test_the_rotation_command_reports_how_many_rows_it_rewrote(settings):
    from io import StringIO

    from django.core.management import call_command

    BullyingReportFactory()
    settings.SCHOOLS_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.SCHOOLS_ENCRYPTION_KEYS]
    out = StringIO()

    call_command("rotate_schools_keys", stdout=out)

    assert "Re-encrypted 2 rows" in out.getvalue()  # the report and the named student (the other has no name)
