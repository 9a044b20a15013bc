"""The public catalogue page is served at the printed URL, in Bahasa Indonesia, light enough for a phone."""


async def test_the_opac_page_is_served_in_indonesian(http):
    page = await http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="id">' in page.text and "Cari buku di perpustakaan desa" in page.text
    assets = [await http.get(path) for path in ("/static/opac.js", "/static/opac.css")]
    assert [a.status_code for a in assets] == [200, 200]
    weight = len(page.content) + sum(len(a.content) for a in assets)
    assert weight < 200 * 1024


async def test_an_unknown_page_is_404(http):
    assert (await http.get("/tidak-ada")).status_code == 404


async def test_the_desk_s_service_worker_is_served_under_desk_with_everything_it_keeps(http):
    worker = await http.get("/desk/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"  # a new desk reaches the librarian at once
    shell = worker.text.split("const SHELL = [", 1)[1].split("];", 1)[0]
    paths = [p.strip().strip('"') for p in shell.replace("\n", "").split(",")]
    assert "/desk/" in paths and "/static/deskqueue.js" in paths
    assert [(p, (await http.get(p)).status_code) for p in paths] == [(p, 200) for p in paths]


async def test_every_page_and_asset_carries_the_security_headers(http):
    for path in ("/", "/judul/9789793062792", "/desk/", "/dashboard/", "/static/opac.js", "/static/opac.css"):
        answer = await http.get(path, follow_redirects=True)
        assert answer.status_code == 200, path
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-eval" not in csp, path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "same-origin", path
