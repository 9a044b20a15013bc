"""The desk's sub-pages are served at their Indonesian addresses, each with the desk navigation and its
script, light enough for a phone on a slow connection."""

import re

PAGES = {
    "anggota": "Daftar anggota",
    "pesanan": "Pesanan buku",
    "eksemplar": "Buku hilang &amp; rusak",
    "kunjungan": "Buku tamu",
    "kiosk": "Buku tamu perpustakaan",
    "baca": "Baca di tempat",
    "kegiatan": "Kegiatan",
}


async def test_every_desk_page_is_served_in_indonesian_with_its_scripts(http):
    for name, heading in PAGES.items():
        page = await http.get(f"/desk/{name}")
        assert page.status_code == 200, name
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="id">' in page.text and f">{heading}</h1>" in page.text, name
        scripts = re.findall(r'<script src="([^"]+)"', page.text)
        assert scripts[:3] == ["/static/common.js", "/static/desknav.js", "/static/deskpage.js"], name
        assets = [await http.get(path) for path in [*scripts, "/static/opac.css", "/static/deskpages.css"]]
        assert [a.status_code for a in assets] == [200] * len(assets), name
        assert len(page.content) + sum(len(a.content) for a in assets) < 200 * 1024, name
        assert ('<nav id="desk-nav">' in page.text) == (name != "kiosk"), name


async def test_the_loan_desk_draws_the_same_navigation_and_an_unknown_desk_page_is_404(http):
    desk = await http.get("/desk/")
    assert '<nav id="desk-nav"></nav>' in desk.text and '<script src="/static/desknav.js">' in desk.text
    assert (await http.get("/desk/tidak-ada")).status_code == 404
