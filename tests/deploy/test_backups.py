"""Backups that restore (core/backups.py): a populated database and its files, encrypted into one
archive, come back in a fresh database with every case, attachment, certificate and document
intact and decryptable; a wrong passphrase, a database in use and old archives are handled."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

import pytest

from core import backups
from tests.conftest import REPO_DIR
from tests.courses.test_media_range import make_document

from .stack import postgres_url, scratch_database

PASSPHRASE = "correct horse battery staple 2026"
NARRATIVE = "课间有同学多次嘲笑他的口音，并把他的作业本扔进垃圾桶。"

VERIFY = """
import hashlib, json
from courses.models import Certificate
from schools.models import Attachment, BullyingReport
from wagtail.documents import get_document_model
digest = lambda field: hashlib.sha256(field.open('rb').read()).hexdigest()
report = BullyingReport.objects.get(case_number=CASE)
print(json.dumps({
    'reports': BullyingReport.objects.count(),
    'narrative': report.narrative,
    'students': sorted(student.name for student in report.students.all() if student.name),
    'attachments': [digest(item.file) for item in Attachment.objects.filter(report=report)],
    'certificates': {c.code: digest(c.pdf) for c in Certificate.objects.all()},
    'documents': {d.title: digest(d.file) for d in get_document_model().objects.all()},
}, ensure_ascii=False))
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def file_roots(settings, tmp_path):
    roots = {
        "MEDIA_ROOT": tmp_path / "media",
        "SCHOOLS_ATTACHMENT_ROOT": tmp_path / "attachments",
        "CERTIFICATE_ROOT": tmp_path / "certificates",
    }
    for name, path in roots.items():
        setattr(settings, name, path)
    settings.BACKUP_PASSPHRASE = PASSPHRASE
    return roots


def populate() -> dict:
    """A submitted case with an encrypted attachment, a certificate PDF and a document."""
    from courses.certificates import build_pdf
    from schools.models import Attachment
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import EnrolmentFactory, course_with_lessons, issued_certificate
    from tests.factories.home import home_page
    from tests.factories.schools import submitted_case

    postgres_url()
    report = submitted_case(narrative=NARRATIVE)
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)
    attachment = Attachment(report=report, content_type="image/png", size=len(picture))
    attachment.file.save("evidence.png", ContentFile(picture), save=True)
    home_page()
    certificate = issued_certificate(EnrolmentFactory(parent=UserFactory(), course=course_with_lessons(1)))
    certificate.refresh_from_db()  # hours as the database gives it back (a Decimal)
    pdf = build_pdf(certificate)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=True)
    handout = b"%PDF-1.4 handout " + os.urandom(512)
    make_document(name="handout.pdf", content=handout)
    return {
        "case_number": report.case_number,
        "attachment": sha256(picture),
        "stored_attachment": (Path(attachment.file.storage.location) / attachment.file.name).read_bytes(),
        "certificate": {certificate.code: sha256(pdf)},
        "document": sha256(handout),
    }


def restored_environment(database_url: str, roots: dict[str, Path]) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    environment.update(
        {name: str(path) for name, path in roots.items()},
        DJANGO_SETTINGS_MODULE="huiai.settings.test",
        DATABASE_URL=database_url,
        BACKUP_PASSPHRASE=PASSPHRASE,
    )
    return environment


def run_manage(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(REPO_DIR / ".venv/bin/python"), "manage.py", *arguments],
        cwd=REPO_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_everything_readable(file_roots, tmp_path):
    original = populate()
    call_command("backup", directory=tmp_path / "backups", keep=3)
    (archive,) = backups.archives(tmp_path / "backups")

    content = archive.read_bytes()
    assert NARRATIVE.encode() not in content and b"PGDMP" not in content  # encrypted as a whole
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    new_roots = {name: tmp_path / "restored" / name for name in file_roots}
    with scratch_database("restore") as database_url:
        environment = restored_environment(database_url, new_roots)
        restore = run_manage(environment, "restore", str(archive))
        assert restore.returncode == 0, restore.stderr
        assert "schools-attachments: 1" in restore.stdout

        check = run_manage(environment, "shell", "-c", f"CASE = {original['case_number']!r}\n{VERIFY}")
        assert check.returncode == 0, check.stderr
        restored = json.loads(check.stdout.strip().splitlines()[-1])

        # Restoring over it again is refused: the database is no longer empty.
        again = run_manage(environment, "restore", str(archive))
        assert again.returncode != 0 and "already holds" in again.stderr

    assert restored["reports"] == 1
    assert restored["narrative"] == NARRATIVE
    assert restored["students"] == ["小明"]
    assert restored["attachments"] == [original["attachment"]]  # decrypted with the same keys
    assert restored["certificates"] == original["certificate"]
    assert list(restored["documents"].values()) == [original["document"]]
    # The attachment came back as stored: still encrypted on disk.
    stored = list((new_roots["SCHOOLS_ATTACHMENT_ROOT"]).rglob("*.png"))
    assert [path.read_bytes() for path in stored] == [original["stored_attachment"]]


@pytest.mark.django_db(transaction=True)
def test_a_wrong_passphrase_restores_nothing(file_roots, settings, tmp_path):
    postgres_url()
    call_command("backup", directory=tmp_path / "backups", keep=3)
    (archive,) = backups.archives(tmp_path / "backups")
    settings.BACKUP_PASSPHRASE = "not the passphrase"
    with scratch_database("wrongkey") as database_url:
        environment = restored_environment(database_url, file_roots) | {"BACKUP_PASSPHRASE": "not the passphrase"}
        result = run_manage(environment, "restore", str(archive))
    assert result.returncode != 0
    assert "decrypt" in result.stderr or "readable" in result.stderr


@pytest.mark.django_db
def test_a_backup_without_a_passphrase_is_refused(file_roots, settings, tmp_path):
    postgres_url()
    settings.BACKUP_PASSPHRASE = ""
    with pytest.raises(CommandError, match="BACKUP_PASSPHRASE"):
        call_command("backup", directory=tmp_path / "backups")
    assert not backups.archives(tmp_path / "backups")


def test_retention_keeps_the_newest_backups(tmp_path):
    names = [f"huiai-202612{day:02d}-023000.tar.gpg" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "huiai-20261206-023000.tar.gpg.partial").write_bytes(b"x")  # unfinished: not counted
    (tmp_path / "notes.txt").write_text("kept")

    deleted = backups.prune(directory=tmp_path, keep=3)

    assert [path.name for path in deleted] == names[:2]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [*names[2:], "huiai-20261206-023000.tar.gpg.partial", "notes.txt"]
    )


def test_production_backs_up_every_night_and_refuses_to_start_without_a_passphrase(tmp_path):
    from .stack import production_environment

    environment = production_environment(
        database_url="postgres://huiai@127.0.0.1:5432/huiai",
        redis_url="redis://127.0.0.1:6379/0",
        var_dir=tmp_path,
        port=8000,
    )
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "entry = settings.CELERY_BEAT_SCHEDULE['nightly-backup']; print(entry['task'], entry['schedule'])"
    )
    python = str(REPO_DIR / ".venv/bin/python")
    scheduled = subprocess.run([python, "-c", show], cwd=REPO_DIR, env=environment, capture_output=True, text=True)
    assert scheduled.returncode == 0, scheduled.stderr
    assert scheduled.stdout.split()[0] == "core.tasks.create_scheduled_backup"
    assert "<crontab: 30 2 * * *" in scheduled.stdout

    environment["BACKUP_PASSPHRASE"] = ""
    refused = subprocess.run([python, "-c", show], cwd=REPO_DIR, env=environment, capture_output=True, text=True)
    assert refused.returncode != 0 and "BACKUP_PASSPHRASE must be set" in refused.stderr
