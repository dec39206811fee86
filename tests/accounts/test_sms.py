"""The SMS backends and the `sms_outbox` command a developer uses to read codes."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from accounts import sms


def test_send_sms_signs_the_message_with_the_site_name(sms_outbox, settings):
    settings.SMS_SIGN_NAME = "汇爱"

    sms.send_sms("+8613800000000", "code 123456")

    assert sms_outbox[0].body == "【汇爱】code 123456"


def test_console_backend_prints_and_appends_to_the_outbox_file(settings, tmp_path, capsys):
    settings.SMS_BACKEND = "accounts.sms.ConsoleSMSBackend"
    settings.SMS_OUTBOX_FILE = tmp_path / "var" / "sms-outbox.jsonl"

    sms.send_sms("+8613800000000", "您的验证码是 123456")

    assert "+8613800000000" in capsys.readouterr().out
    record = json.loads(settings.SMS_OUTBOX_FILE.read_text(encoding="utf-8"))
    assert record["to"] == "+8613800000000"
    assert record["body"].endswith("您的验证码是 123456")


@pytest.fixture
def outbox_file(settings, tmp_path):
    settings.SMS_BACKEND = "accounts.sms.ConsoleSMSBackend"
    settings.SMS_OUTBOX_FILE = tmp_path / "sms-outbox.jsonl"
    return settings.SMS_OUTBOX_FILE


def run_command(*args) -> str:
    out = StringIO()
    call_command("sms_outbox", *args, stdout=out)
    return out.getvalue()


def test_sms_outbox_command_prints_the_latest_messages_newest_last(outbox_file, capsys):
    for number in range(12):
        sms.send_sms("+8613800000000", f"message {number}")

    output = run_command("--limit", "3")

    assert "message 8" not in output
    assert output.index("message 9") < output.index("message 10") < output.index("message 11")


def test_sms_outbox_command_filters_by_a_number_typed_without_country_code(outbox_file, capsys):
    sms.send_sms("+8613800000000", "for the parent")
    sms.send_sms("+8613800000001", "for someone else")

    output = run_command("--to", "13800000000")

    assert "for the parent" in output
    assert "for someone else" not in output


def test_sms_outbox_command_clear_empties_the_file(outbox_file, capsys):
    sms.send_sms("+8613800000000", "old code")

    run_command("--clear")

    assert "old code" not in run_command()


def test_sms_outbox_command_says_so_when_there_are_no_messages(outbox_file):
    assert "No messages yet" in run_command()


def test_sms_outbox_command_explains_when_no_outbox_file_is_configured(settings):
    settings.SMS_OUTBOX_FILE = None

    with pytest.raises(CommandError, match="SMS_OUTBOX_FILE"):
        run_command()
