"""The labels endpoint behind the desk's "print labels" buttons (no browser needed): an A4 PDF of spine and
barcode labels for a package's copies, only for staff of that library."""

from __future__ import annotations

import re

from tests.browser.test_opac import GONGGANG, SOMBO, ingest_clean_manifest
from tests.support import token_for


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


async def test_labels_are_an_a4_pdf_for_the_packages_own_staff(http, magetan):
    await ingest_clean_manifest(magetan, GONGGANG)
    package = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/packages")).json()[0]
    url = f"/api/catalog/v1/packages/{package['id']}/labels.pdf"
    librarian = await token_for(http, magetan, "sri", "librarian", GONGGANG)

    both = await http.get(url, headers=librarian)
    assert both.status_code == 200 and both.headers["content-type"] == "application/pdf"
    assert both.content.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in both.content
    assert package["items_created"] == 21 and pages(both.content) == 2  # 21 spine labels, then 21 barcodes
    spine = await http.get(url, params={"kind": "spine"}, headers=librarian)
    assert pages(spine.content) == 1

    async with magetan.acquire() as conn:
        two = [
            r["barcode"]
            for r in await conn.fetch(
                "SELECT barcode FROM catalog.items WHERE package_id = $1 ORDER BY barcode LIMIT 2", package["id"]
            )
        ]
    some = await http.get(url, params={"barcodes": ",".join(two), "kind": "barcode"}, headers=librarian)
    assert some.status_code == 200 and pages(some.content) == 1

    assert (await http.get(url)).status_code == 401
    other = await token_for(http, magetan, "ani", "librarian", SOMBO)
    refused = await http.get(url, headers=other)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    missing = await http.get("/api/catalog/v1/packages/999999/labels.pdf", headers=librarian)
    assert missing.status_code == 404 and missing.json()["code"] == "package_not_found"
    none = await http.get(url, params={"barcodes": "000000000000"}, headers=librarian)
    assert none.status_code == 404 and none.json()["code"] == "no_items"
