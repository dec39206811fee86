import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from accounts.sms import HTTPGatewaySMSBackend, SMSMessage


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    keys: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
        type(self).keys.append(self.headers.get("Idempotency-Key"))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    _Gateway.received = []
    _Gateway.keys = []
    _Gateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    yield _Gateway
    server.shutdown()


def test_gateway_backend_posts_the_message_with_the_token(gateway):
    HTTPGatewaySMSBackend().send(SMSMessage(to="+8613800000001", body="【汇爱】验证码 123456"))

    assert gateway.received == [("Bearer secret-token", {"to": "+8613800000001", "body": "【汇爱】验证码 123456"})]


def test_gateway_backend_raises_when_the_gateway_refuses_so_the_task_retries(gateway):
    gateway.status = 503

    with pytest.raises(OSError):
        HTTPGatewaySMSBackend().send(SMSMessage(to="+8613800000001", body="x"))


def test_a_message_with_a_key_carries_it_so_the_gateway_can_drop_a_second_copy(gateway):
    HTTPGatewaySMSBackend().send(SMSMessage(to="+8613800000001", body="x", key="huiai-notification-7"))

    assert gateway.received == [
        ("Bearer secret-token", {"to": "+8613800000001", "body": "x", "id": "huiai-notification-7"})
    ]
    assert gateway.keys == ["huiai-notification-7"]


def test_a_message_without_a_key_sends_none(gateway):
    HTTPGatewaySMSBackend().send(SMSMessage(to="+8613800000001", body="x"))

    assert gateway.keys == [None]


def test_a_queued_text_message_is_keyed_by_its_task_so_a_retry_sends_the_same_key(sms_outbox):
    from accounts.tasks import send_sms_task

    send_sms_task.apply(args=("+8613800000001", "验证码 123456"), task_id="0b5f-task")

    assert [message.key for message in sms_outbox] == ["huiai-task-0b5f-task"]
