"""Log lines: the request id of the request they belong to, member numbers masked."""

from __future__ import annotations

import io
import logging

import httpx
import pytest

from pustaka import logs
from pustaka.requests import RequestIds


@pytest.fixture(autouse=True)
def restore_logging():
    """logs.setup changes the process's logging: put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_a_line_logged_while_handling_a_request_carries_its_id_and_no_member_number():
    stream = io.StringIO()
    logs.setup("info")
    logging.getLogger().handlers[0].stream = stream

    async def app(scope, receive, send):
        logging.getLogger("pustaka.test").error("loan refused for member %s", "3520012002-000177")
        await send({"type": "http.response.start", "status": 409, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"no"})

    transport = httpx.ASGITransport(app=RequestIds(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        given = await client.get("/", headers={"X-Request-ID": "abc123"})
        made = await client.get("/")
    lines = stream.getvalue().splitlines()
    assert given.headers["x-request-id"] == "abc123"
    assert len(made.headers["x-request-id"]) == 32 and made.headers["x-request-id"] != "abc123"
    assert lines[0].endswith("ERROR pustaka.test [req=abc123] loan refused for member [member]")
    assert lines[1].endswith(f"[req={made.headers['x-request-id']}] loan refused for member [member]")
    logging.getLogger("pustaka.test").warning("outside any request: 3520052003T1-000011")
    assert stream.getvalue().splitlines()[-1].endswith("[req=-] outside any request: [member]")
    logging.getLogger("httpx").info("HTTP Request: GET http://catalog.internal/")
    assert "HTTP Request" not in stream.getvalue()


async def test_a_forged_request_id_is_replaced():
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    transport = httpx.ASGITransport(app=RequestIds(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answer = await client.get("/", headers={"X-Request-ID": "x;rm -rf " + "a" * 100})
    assert answer.headers["x-request-id"] != "a" * 100 and len(answer.headers["x-request-id"]) == 32
