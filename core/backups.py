"""Backups that restore: the database and every stored file in one encrypted archive.

A backup is ``huiai-<UTC time>.tar.gpg`` in ``BACKUP_DIR``: a tar stream holding

* ``database.dump``: ``pg_dump --format=custom`` of the whole database (``pg_restore`` reads it);
* ``files/<folder>/…``: the folders in ``BACKUP_FOLDERS`` (Wagtail images, documents and lesson
  media under ``MEDIA_ROOT``; case attachments, still encrypted with ``SCHOOLS_ENCRYPTION_KEYS``;
  certificate PDFs);
* ``manifest.json``: when it was made, which folders, how many files.

The stream is encrypted on its way to disk by GnuPG (``gpg --symmetric``, AES-256, its integrity
check included) with ``BACKUP_PASSPHRASE``: nothing unencrypted but the database dump, in a
private temporary folder beside the archive, touches the disk. An operator without Huiai can
still read one: ``gpg --decrypt huiai-….tar.gpg | tar -x``.

A backup is written as ``….partial`` and renamed once complete, so a crash never leaves a
truncated archive that looks whole; only then are backups beyond the newest ``BACKUP_KEEP``
deleted (``prune``).

``restore_backup`` puts an archive back into an empty database (``pg_restore`` in one
transaction: it applies completely or not at all) and copies the files into their folders.
A database that already holds Huiai's tables is refused unless ``replace`` is given. The
attachments come back exactly as stored, so the encryption keys of the day of the backup (kept
offline, see deploy/README.md) are what decrypts them.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings

ARCHIVE_NAME = re.compile(r"^huiai-\d{8}-\d{6}(-\d+)?\.tar\.gpg$")
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"


class BackupError(RuntimeError):
    """A step of a backup or a restore failed; the message says which, never the passphrase."""


@dataclass(frozen=True)
class RestoreSummary:
    archive: Path
    created_at: str
    files: dict[str, int]


def backup_folders() -> dict[str, Path]:
    """The folders a backup holds, by the name they have inside the archive (``BACKUP_FOLDERS``
    names the setting that says where each one is)."""
    return {name: Path(getattr(settings, setting)) for name, setting in settings.BACKUP_FOLDERS.items()}


def postgres_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's variables for one of Django's ``DATABASES`` entries (no password on a command line)."""
    if "postgresql" not in str(database.get("ENGINE", "")):
        raise BackupError("Backups need PostgreSQL (DATABASE_URL=postgres://…).")
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = database.get(key)
        if value:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], *, environment: dict[str, str] | None = None, what: str) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


@contextmanager
def _gpg(work: Path, passphrase: str, arguments: list[str], **streams: Any) -> Iterator[subprocess.Popen[bytes]]:
    """gpg in batch mode with a throw-away home and the passphrase in a private file.

    The home is a short path of its own: gpg's agent puts a socket in it, and a socket path may
    not be longer than 107 bytes. The agent is stopped afterwards.
    """
    if not passphrase:
        raise BackupError("BACKUP_PASSPHRASE is not set: backups are always encrypted.")
    home = Path(tempfile.mkdtemp(prefix="huiai-gpg-"))
    secret = work / "passphrase"
    secret.touch(mode=0o600)
    secret.write_text(passphrase)
    command = [
        "gpg",
        "--batch",
        "--quiet",
        "--yes",
        "--no-symkey-cache",
        "--homedir",
        str(home),
        "--pinentry-mode",
        "loopback",
        "--passphrase-file",
        str(secret),
        *arguments,
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, **streams)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.wait(timeout=600)
        secret.unlink(missing_ok=True)
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)


def create_backup(
    *,
    directory: Path,
    passphrase: str,
    keep: int,
    database: Mapping[str, Any],
    folders: Mapping[str, Path],
    now: datetime | None = None,
) -> Path:
    """Writes one encrypted archive of ``database`` and ``folders`` into ``directory``; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    archive = directory / f"huiai-{stamp}.tar.gpg"
    counter = 1
    while archive.exists():
        archive = directory / f"huiai-{stamp}-{counter}.tar.gpg"
        counter += 1
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work_name:
        work = Path(work_name)
        dump = work / DUMP_NAME
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
            environment=postgres_environment(database),
            what="pg_dump",
        )
        counts: dict[str, int] = {}
        with (
            open(partial, "wb") as target,
            _gpg(
                work, passphrase, ["--symmetric", "--cipher-algo", "AES256"], stdin=subprocess.PIPE, stdout=target
            ) as gpg,
        ):
            assert gpg.stdin is not None
            try:
                with tarfile.open(fileobj=gpg.stdin, mode="w|") as tar:
                    tar.add(dump, arcname=DUMP_NAME)
                    for name, folder in folders.items():
                        counts[name] = _add_folder(tar, folder, f"files/{name}")
                    _add_manifest(tar, stamp=stamp, counts=counts)
            finally:
                gpg.stdin.close()
            returncode = gpg.wait()
            error = gpg.stderr.read().decode(errors="replace") if gpg.stderr else ""
        if returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"gpg failed ({returncode}): {error.strip()[-2000:]}")
    partial.chmod(0o600)
    partial.rename(archive)
    prune(directory=directory, keep=keep)
    return archive


def _add_folder(tar: tarfile.TarFile, folder: Path, arcname: str) -> int:
    count = 0
    if not folder.is_dir():
        return count
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            tar.add(path, arcname=f"{arcname}/{path.relative_to(folder).as_posix()}", recursive=False)
            count += 1
    return count


def _add_manifest(tar: tarfile.TarFile, *, stamp: str, counts: dict[str, int]) -> None:
    body = json.dumps({"created_at": stamp, "files": counts}, ensure_ascii=False).encode()
    info = tarfile.TarInfo(MANIFEST_NAME)
    info.size = len(body)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(body))


def archives(directory: Path) -> list[Path]:
    """The complete backups in ``directory``, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if ARCHIVE_NAME.match(path.name))


def prune(*, directory: Path, keep: int) -> list[Path]:
    """Deletes all but the newest ``keep`` backups (at least one is always kept); returns the deleted."""
    existing = archives(directory)
    doomed = existing[: max(len(existing) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink()
    return doomed


def _database_has_tables(environment: dict[str, str]) -> bool:
    result = subprocess.run(
        ["psql", "--no-psqlrc", "--tuples-only", "--no-align", "--command", "SELECT to_regclass('django_migrations')"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"psql could not reach the database: {result.stderr.strip()[-2000:]}")
    return bool(result.stdout.strip())


def restore_backup(
    *,
    archive: Path,
    passphrase: str,
    database: Mapping[str, Any],
    folders: Mapping[str, Path],
    replace: bool = False,
) -> RestoreSummary:
    """Puts ``archive`` back: the database with ``pg_restore``, the files into ``folders``."""
    environment = postgres_environment(database)
    if not replace and _database_has_tables(environment):
        raise BackupError(
            f"The database {environment.get('PGDATABASE')} already holds Huiai's tables: restore into an "
            "empty database, or pass --replace to overwrite it."
        )
    with tempfile.TemporaryDirectory(prefix="huiai-restore-") as work_name:
        work = Path(work_name)
        unpacked = work / "archive"
        unpacked.mkdir()
        with (
            open(archive, "rb") as source,
            _gpg(work, passphrase, ["--decrypt"], stdin=source, stdout=subprocess.PIPE) as gpg,
        ):
            stream: IO[bytes] | None = gpg.stdout
            assert stream is not None
            try:
                with tarfile.open(fileobj=stream, mode="r|") as tar:
                    tar.extractall(unpacked, filter="data")
            except tarfile.TarError as error:
                gpg.kill()
                raise BackupError(f"{archive.name} is not a readable backup ({error}).") from error
            returncode = gpg.wait()
            error_text = gpg.stderr.read().decode(errors="replace") if gpg.stderr else ""
        if returncode != 0:
            raise BackupError(f"gpg could not decrypt {archive.name} (wrong passphrase?): {error_text.strip()[-500:]}")
        manifest = json.loads((unpacked / MANIFEST_NAME).read_text())
        restore_command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            restore_command += ["--clean", "--if-exists"]
        _run(
            [*restore_command, f"--dbname={environment.get('PGDATABASE', '')}", str(unpacked / DUMP_NAME)],
            environment=environment,
            what="pg_restore",
        )
        restored: dict[str, int] = {}
        for name, folder in folders.items():
            source_folder = unpacked / "files" / name
            restored[name] = 0
            if source_folder.is_dir():
                shutil.copytree(source_folder, folder, dirs_exist_ok=True)
                restored[name] = sum(1 for path in source_folder.rglob("*") if path.is_file())
    return RestoreSummary(archive=archive, created_at=str(manifest.get("created_at", "")), files=restored)
