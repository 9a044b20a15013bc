"""Online ISBN look-ups fill what a manifest left empty, only when configured, each ISBN asked once."""

import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import isbnlib
import pytest
from isbnlib import registry

from pustaka.config import ConfigError, load_settings
from services.catalog.enrich import enrich_batch
from services.catalog.ingest import ingest_package

GONGGANG = "35.20.01.2002"
MANIFEST = (
    b"isbn,title,authors\n"
    b"0439554934,Harry Potter and the Sorcerer's Stone,J.K. Rowling\n"
    b"9789793062792,Laskar Pelangi,Andrea Hirata\n"
    b"0618260307,The Hobbit,J.R.R. Tolkien\n"
)
RECORDS = {"9780439554930": {"Publisher": "Scholastic", "Year": "1998", "Language": "en"}}
SLOW = "9789793062792"


class Catalogue(BaseHTTPRequestHandler):
    """A metadata service on loopback: knows one book, is slow for another, 404 for the rest."""

    asked: list[str] = []

    def do_GET(self):
        isbn = self.path.rsplit("/", 1)[-1]
        Catalogue.asked.append(isbn)
        if isbn == SLOW:
            time.sleep(6)
        record = RECORDS.get(isbn)
        self.send_response(200 if record else 404)
        self.end_headers()
        self.wfile.write(json.dumps(record or {}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def metadata_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Catalogue)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/isbn/"

    def query(isbn):
        try:
            with urllib.request.urlopen(base + isbn, timeout=5) as answer:
                record = json.loads(answer.read())
        except urllib.error.HTTPError:
            return {}
        return {"ISBN-13": isbn, "Title": "", "Authors": [], **record}

    registry.add_service("desatest", query)
    Catalogue.asked = []
    yield Catalogue
    server.shutdown()
    registry.services.pop("desatest", None)


async def test_ingest_never_goes_online(magetan, monkeypatch):
    monkeypatch.setattr(isbnlib, "meta", lambda *a, **k: pytest.fail("ingest went online"))
    async with magetan.acquire() as conn:
        report = await ingest_package(conn, library=GONGGANG, data=MANIFEST, source_name="a.csv", actor="test")
    assert report.titles == 3


async def test_configured_look_ups_fill_gaps_remember_answers_and_give_up_on_a_slow_service(magetan, metadata_service):
    async with magetan.acquire() as conn:
        await ingest_package(conn, library=GONGGANG, data=MANIFEST, source_name="a.csv", actor="test")
    assert await enrich_batch(magetan, "desatest", timeout=2.0) == 3
    async with magetan.acquire() as conn:
        titles = {
            r["isbn13"]: (r["publisher"], r["year"], r["language"])
            for r in await conn.fetch("SELECT isbn13, publisher, year, language FROM catalog.titles")
        }
        lookups = {
            r["isbn13"]: (r["found"], (r["error"] or "")[:12])
            for r in await conn.fetch("SELECT isbn13, found, error FROM catalog.isbn_lookups")
        }
    assert titles["9780439554930"] == ("Scholastic", 1998, "eng")
    assert titles[SLOW] == (None, None, None)
    assert lookups == {"9780439554930": (True, ""), SLOW: (False, "TimeoutError"), "9780618260300": (False, "")}
    assert await enrich_batch(magetan, "desatest", timeout=2.0) == 0
    assert sorted(metadata_service.asked) == sorted(["9780439554930", SLOW, "9780618260300"])


def test_an_unknown_service_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings({"PUSTAKA_DATA_DIR": str(tmp_path), "PUSTAKA_ISBN_LOOKUP": "amazon"})
    assert str(caught.value) == "PUSTAKA_ISBN_LOOKUP='amazon' must be one of goob, openl, wiki"
