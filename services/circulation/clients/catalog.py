"""The catalogue as circulation sees it: a small typed HTTP client (msgspec over httpx, with timeouts).

Circulation never reads the catalogue's tables. In the embedded default the catalogue app runs in the same
process and this client reaches it through `httpx.ASGITransport`; in production through PUSTAKA_CATALOG_URL.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import quote

import httpx
import msgspec

from kernel.wire import CATALOG_PREFIX
from pustaka import tokens
from pustaka.access import Staff
from pustaka.config import Settings
from pustaka.errors import AppError
from pustaka.logs import REQUEST_ID

SERVICE_USER = Staff("service:circulation", "admin", None)
TOKEN_MINUTES = 60
TIMEOUT = httpx.Timeout(2.0, connect=1.0)
DEADLINE_SECONDS = 5.0
PREFIX = CATALOG_PREFIX


def path_segment(value: str) -> str:
    """One path segment, escaped: a value such as `a/../../libraries` cannot reach another endpoint (httpx
    resolves dot segments, and the service's token would open it)."""
    return quote(value, safe="")


class CatalogUnreachable(AppError):
    status = 503
    title = "Service unavailable"


class CatalogItem(msgspec.Struct):
    """A copy as the catalogue describes it (GET /items/{barcode})."""

    barcode: str
    library: str
    status: str
    title: str
    call_number: str = ""
    isbn13: str | None = None
    local_code: str | None = None
    ddc: str | None = None
    category: str | None = None
    audience: str | None = None
    language: str | None = None
    title_id: int | None = None


class CopyRef(msgspec.Struct):
    barcode: str
    status: str
    call_number: str = ""


class TitleCopies(msgspec.Struct):
    """A title and its copies in one library (GET /libraries/{code}/titles/{isbn}/items)."""

    title_id: int
    isbn13: str | None
    local_code: str | None
    title: str
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    items: list[CopyRef]


class CopyChanges(msgspec.Struct):
    """Copies the catalogue changed (GET /copy-changes?after=): title facts, withdrawn, damaged, lost."""

    upto: int
    upto_at: str | None
    after_at: str | None
    last: int
    items: list[CatalogItem]


class StatusChange(msgspec.Struct):
    barcode: str
    status: str


class StatusBatch(msgspec.Struct):
    changes: list[StatusChange]


class StatusReport(msgspec.Struct):
    updated: int
    unknown: list[str]


class _ItemStatus(msgspec.Struct):
    barcode: str
    status: str


class _StatusPage(msgspec.Struct):
    items: list[_ItemStatus]
    total: int


class Library(msgspec.Struct):
    """A library as the catalogue lists it (GET /libraries)."""

    code: str
    name: str
    kind: str
    kecamatan: str
    kabupaten: str
    kecamatan_code: str
    kabupaten_code: str


class Holding(msgspec.Struct):
    """Items and titles a library holds now (GET /holdings)."""

    library: str
    items: int
    titles: int


class HeldTitle(msgspec.Struct):
    title: str
    copies: int
    isbn13: str | None = None
    local_code: str | None = None


class TitlePage(msgspec.Struct):
    """One page of the titles a library holds (GET /libraries/{code}/titles)."""

    titles: list[HeldTitle]
    total: int


class _Items(msgspec.Struct):
    items: list[_ItemStatus]


HOLDINGS_PER_REQUEST = 100
_LIBRARIES = msgspec.json.Decoder(list[Library])
_HOLDINGS = msgspec.json.Decoder(list[Holding])
_TITLE_PAGE = msgspec.json.Decoder(TitlePage)
_ITEMS = msgspec.json.Decoder(_Items)
_ITEM = msgspec.json.Decoder(CatalogItem)
_STATUS_PAGE = msgspec.json.Decoder(_StatusPage)
_TITLE_COPIES = msgspec.json.Decoder(TitleCopies)
_REPORT = msgspec.json.Decoder(StatusReport)
_CHANGES = msgspec.json.Decoder(CopyChanges)
_ENCODER = msgspec.json.Encoder()


class CatalogClient:
    """Calls to the catalogue; a network failure or a 5xx answer raises CatalogUnreachable (503)."""

    def __init__(self, http: httpx.AsyncClient, secret: str) -> None:
        self._http = http
        self._secret = secret
        self._token = ""
        self._token_until = 0.0
        self._libraries: set[str] = set()

    @classmethod
    def over_asgi(cls, app: Any, settings: Settings) -> CatalogClient:
        """A client for the catalogue app running in this process (the embedded default)."""
        transport = httpx.ASGITransport(app=app)
        return cls(
            httpx.AsyncClient(transport=transport, base_url="http://catalog.internal", timeout=TIMEOUT),
            settings.jwt_secret,
        )

    @classmethod
    def over_http(cls, base_url: str, settings: Settings) -> CatalogClient:
        """A client for the catalogue at `base_url` (PUSTAKA_CATALOG_URL, or the loopback address)."""
        return cls(httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=TIMEOUT), settings.jwt_secret)

    def _auth(self) -> dict[str, str]:
        if time.monotonic() > self._token_until:
            self._token, seconds = tokens.issue(SERVICE_USER, self._secret, TOKEN_MINUTES)
            self._token_until = time.monotonic() + seconds - 300
        return {"Authorization": f"Bearer {self._token}"}

    async def _send(
        self, method: str, path: str, content: bytes | None = None, params: dict | None = None
    ) -> httpx.Response:
        headers = self._auth()
        if (request_id := REQUEST_ID.get()) != "-":  # the catalogue logs under the desk request's id
            headers["X-Request-ID"] = request_id
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            # httpx's timeouts do not apply to an in-process (ASGI) catalogue: bound the whole call too.
            async with asyncio.timeout(DEADLINE_SECONDS):
                answer = await self._http.request(method, path, content=content, headers=headers, params=params)
        except TimeoutError:
            raise CatalogUnreachable(
                "catalog_unreachable", f"the catalogue did not answer {method} {path} in time"
            ) from None
        except httpx.HTTPError as exc:
            raise CatalogUnreachable(
                "catalog_unreachable", f"the catalogue cannot be reached ({type(exc).__name__})"
            ) from None
        if answer.status_code >= 500 or answer.status_code in (401, 403):
            raise CatalogUnreachable(
                "catalog_unreachable", f"the catalogue answered {answer.status_code} to {method} {path}"
            )
        return answer

    async def item(self, barcode: str) -> CatalogItem | None:
        """The copy with this barcode, or None when the catalogue knows no such copy."""
        answer = await self._send("GET", f"{PREFIX}/items/{path_segment(barcode)}")
        if answer.status_code in (404, 422):
            return None
        answer.raise_for_status()
        return _ITEM.decode(answer.content)

    async def title_copies(self, library: str, isbn: str) -> TitleCopies | None:
        """A title and the library's copies of it, or None when the library holds no such title."""
        answer = await self._send(
            "GET", f"{PREFIX}/libraries/{path_segment(library)}/titles/{path_segment(isbn)}/items"
        )
        if answer.status_code in (404, 422):
            return None
        answer.raise_for_status()
        return _TITLE_COPIES.decode(answer.content)

    async def library_exists(self, code: str) -> bool:
        """Whether the catalogue knows the library (remembered once seen: libraries are not deleted)."""
        if code in self._libraries:
            return True
        answer = await self._send("GET", f"{PREFIX}/libraries/{path_segment(code)}")
        if answer.status_code == 200:
            self._libraries.add(code)
            return True
        return False

    async def item_statuses(self, library: str) -> list[tuple[str, str]]:
        """(barcode, status) of every copy the library holds, as the catalogue has them (pages of 500)."""
        found: list[tuple[str, str]] = []
        page = 1
        while True:
            answer = await self._send(
                "GET", f"{PREFIX}/libraries/{path_segment(library)}/items", params={"per_page": 500, "page": page}
            )
            if answer.status_code == 404:
                return found
            answer.raise_for_status()
            batch = _STATUS_PAGE.decode(answer.content)
            found += [(i.barcode, i.status) for i in batch.items]
            if not batch.items or len(found) >= batch.total:
                return found
            page += 1

    async def send_statuses(self, changes: list[StatusChange]) -> StatusReport:
        """Tell the catalogue the new status of copies (one batch, one transaction there)."""
        answer = await self._send("POST", f"{PREFIX}/items/statuses", _ENCODER.encode(StatusBatch(changes)))
        answer.raise_for_status()
        return _REPORT.decode(answer.content)

    async def copy_changes(self, after: int, limit: int = 200) -> CopyChanges:
        """The catalogue's copy changes after `after`, oldest first."""
        answer = await self._send("GET", f"{PREFIX}/copy-changes?after={after}&limit={limit}")
        answer.raise_for_status()
        return _CHANGES.decode(answer.content)

    async def libraries(self) -> list[Library]:
        """Every library the catalogue knows."""
        answer = await self._send("GET", f"{PREFIX}/libraries")
        answer.raise_for_status()
        return _LIBRARIES.decode(answer.content)

    async def holdings(self, codes: list[str]) -> list[Holding]:
        """Items and titles of these libraries now, HOLDINGS_PER_REQUEST libraries per request."""
        found: list[Holding] = []
        for start in range(0, len(codes), HOLDINGS_PER_REQUEST):
            batch = codes[start : start + HOLDINGS_PER_REQUEST]
            answer = await self._send("GET", f"{PREFIX}/holdings", params={"library": batch})
            answer.raise_for_status()
            found += _HOLDINGS.decode(answer.content)
        return found

    async def library_titles(self, code: str, page: int = 1, per_page: int = 500) -> TitlePage:
        """One page of the titles a library holds, with its copies of each."""
        answer = await self._send(
            "GET", f"{PREFIX}/libraries/{path_segment(code)}/titles", params={"per_page": per_page, "page": page}
        )
        answer.raise_for_status()
        return _TITLE_PAGE.decode(answer.content)

    async def all_library_titles(self, code: str) -> list[HeldTitle]:
        """Every title a library holds (pages of 500)."""
        found: list[HeldTitle] = []
        page = 1
        while True:
            batch = await self.library_titles(code, page)
            found += batch.titles
            if not batch.titles or len(found) >= batch.total:
                return found
            page += 1

    async def available_barcodes(self, code: str, limit: int) -> list[str]:
        """Barcodes of up to `limit` copies of a library that are on the shelf (none for an unknown library)."""
        answer = await self._send(
            "GET", f"{PREFIX}/libraries/{path_segment(code)}/items", params={"status": "available", "per_page": limit}
        )
        if answer.status_code != 200:
            return []
        return [i.barcode for i in _ITEMS.decode(answer.content).items]

    async def aclose(self) -> None:
        await self._http.aclose()
