"""Observability: a request id in every response and log line (core/request_id.py), JSON log lines
in production, and liveness apart from readiness (/healthz/live, /healthz/ready)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re

from django.conf import settings

import pytest

from core.request_id import HEADER, RequestIdMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production formatter and filter on a handler writing to a buffer."""
    config = settings.LOGGING
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_config = dict(config["formatters"]["json"])
    factory = formatter_config.pop("()")
    from django.utils.module_loading import import_string

    handler.setFormatter(import_string(factory)(**formatter_config))
    handler.addFilter(import_string(config["filters"]["request_id"]["()"])())
    logger = logging.getLogger("huiai.test.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz/live")
    second = client.get("/healthz/live")

    assert re.fullmatch(r"[0-9a-f]{32}", first[HEADER])
    assert first[HEADER] != second[HEADER]


def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/healthz/live", headers={HEADER: "5f0c6a2d9e8b4c1aa7e3f2d1c0b9a876"})
    forged = client.get("/healthz/live", headers={HEADER: 'x" level=CRITICAL\nfake line'})

    assert kept[HEADER] == "5f0c6a2d9e8b4c1aa7e3f2d1c0b9a876"
    assert re.fullmatch(r"[0-9a-f]{32}", forged[HEADER])


def test_log_lines_written_during_a_request_carry_its_id_as_json(rf, json_log):
    logger, stream = json_log

    def view(request):
        from django.http import HttpResponse

        logger.warning("案件 %s 已处理", 42)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="abcdef0123456789"))
    logger.info("after the request")

    during, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert during["request_id"] == response[HEADER] == "abcdef0123456789"
    assert during["message"] == "案件 42 已处理"
    assert during["level"] == "WARNING" and during["logger"] == "huiai.test.request_id"
    assert after["request_id"] == "-"


def test_liveness_asks_no_database_and_readiness_does(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        live = client.get("/healthz/live")
    ready = client.get("/healthz/ready")

    assert live.status_code == 200 and live.json() == {"status": "ok"}
    assert live["Cache-Control"].startswith("max-age=0")
    assert ready.status_code == 200 and ready.json() == {"status": "ok"}
