"""Hostile and broken input is answered 4xx with a code, never 500; an unexpected fault is answered 500 with
a request id that the log carries with the traceback. Every answer names its request id."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest

from tests.support import token_for

GONGGANG = "35.20.01.2002"
CAT = "/api/catalog/v1"
CIRC = "/api/circulation/v1"
HUGE = "9" * 25  # past 64 bits
DEEP = b"[" * 5000 + b"]" * 5000


@pytest.fixture
async def librarian(http, magetan):
    return await token_for(http, magetan, "sri", "librarian", GONGGANG)


def _broken_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' r:id='rId9'/></sheets>")
    return out.getvalue()[:-30]


CASES = [
    ("NUL in the login", "POST", f"{CIRC}/auth/login", {"json": {"username": "ad\u0000min", "password": "x" * 8}}),
    ("NUL in a password", "POST", f"{CIRC}/auth/login", {"json": {"username": "admin", "password": "a\u0000" * 8}}),
    (
        "JSON that is not UTF-8",
        "POST",
        f"{CIRC}/auth/login",
        {
            "content": b'{"username": "\xff\xfe", "password": "xxxxxxxx"}',
            "headers": {"content-type": "application/json"},
        },
    ),
    (
        "5,000-deep nesting",
        "POST",
        f"{CIRC}/auth/login",
        {"content": b'{"username": ' + DEEP + b', "password": "x"}', "headers": {"content-type": "application/json"}},
    ),
    (
        "NUL in a member's name",
        "POST",
        f"{CIRC}/members",
        {"json": {"name": "Siti\u0000", "library": GONGGANG, "birth_year": 1990, "gender": "P"}, "auth": True},
    ),
    (
        "NUL in a member's contact",
        "POST",
        f"{CIRC}/members",
        {
            "json": {"name": "Siti", "library": GONGGANG, "birth_year": 1990, "gender": "P", "contact": "\u0000"},
            "auth": True,
        },
    ),
    ("a loan id past 64 bits", "POST", f"{CIRC}/loans/{HUGE}/renewals", {"auth": True}),
    ("a loan id past 64 bits (read)", "GET", f"{CIRC}/loans/{HUGE}", {"auth": True}),
    ("a package id past 64 bits", "GET", f"{CAT}/packages/{HUGE}", {}),
    ("a page past 64 bits", "GET", f"{CAT}/libraries/{GONGGANG}/items", {"params": {"page": HUGE}}),
    (
        "a page whose offset is past 64 bits",
        "GET",
        f"{CAT}/libraries/{GONGGANG}/titles",
        {"params": {"page": str(2**62), "per_page": "500"}},
    ),
    ("a search page past 64 bits", "GET", f"{CAT}/search", {"params": {"q": "buku", "page": HUGE}}),
    ("NUL in a search", "GET", f"{CAT}/search", {"params": {"q": "bu\u0000ku", "library": "\u0000"}}),
    ("a control character in a path", "GET", f"{CAT}/titles/978%00602", {}),
    ("a control character in a barcode", "GET", f"{CAT}/items/0001%0d%0a", {}),
    ("a control character in a desk path", "POST", f"{CIRC}/items/00%01/lost", {"auth": True}),
    ("NUL in a library code", "GET", f"{CAT}/libraries/35%00/items", {}),
    (
        "a broken XLSX",
        "POST",
        f"{CAT}/libraries/{GONGGANG}/packages",
        {"files": {"file": ("paket.xlsx", _broken_xlsx(), "application/octet-stream")}, "auth": True},
    ),
    (
        "a deeply nested JSON manifest",
        "POST",
        f"{CAT}/libraries/{GONGGANG}/packages",
        {"files": {"file": ("paket.json", DEEP, "application/json")}, "auth": True},
    ),
    (
        "NUL in a manifest",
        "POST",
        f"{CAT}/libraries/{GONGGANG}/packages",
        {"files": {"file": ("paket.csv", b"ISBN;Judul\n9789791680479;Ba\x00bad\n", "text/csv")}, "auth": True},
    ),
]


@pytest.mark.parametrize(("what", "method", "path", "sent"), CASES, ids=[c[0] for c in CASES])
async def test_malformed_input_is_a_4xx_with_a_code(http, librarian, what, method, path, sent):
    request = dict(sent)
    headers = {**request.pop("headers", {}), **(librarian if request.pop("auth", False) else {})}

    answer = await http.request(method, path, headers=headers, **request)

    assert 400 <= answer.status_code < 500, (what, answer.status_code, answer.text[:300])
    assert answer.json()["code"], answer.text
    assert len(answer.headers["x-request-id"]) >= 16


async def test_an_unexpected_fault_is_a_500_whose_request_id_the_log_carries(http, magetan, pool, caplog):
    async with pool.acquire() as conn:  # a real fault: the table the answer needs is gone
        await conn.execute("ALTER TABLE catalog.libraries RENAME TO libraries_away")
    try:
        with caplog.at_level(logging.ERROR):
            answer = await http.get(f"{CAT}/libraries")
    finally:
        async with pool.acquire() as conn:
            await conn.execute("ALTER TABLE catalog.libraries_away RENAME TO libraries")

    assert answer.status_code == 500
    request_id = answer.headers["x-request-id"]
    assert answer.json()["code"] == "internal_error" and answer.json()["request_id"] == request_id
    assert "libraries" not in answer.text  # no internals in the answer
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None and "UndefinedTable" in logged[0].exc_info[0].__name__


async def test_every_answer_names_its_request_id(http, magetan):
    for path in ("/", "/api/catalog/v1/libraries", "/api/circulation/health", "/nowhere", "/api/catalog/nowhere"):
        answer = await http.get(path)
        assert len(answer.headers["x-request-id"]) >= 16, path
