"""What `pustaka up` writes: the address and the logins at start-up and little else; no member's name or
number in any line, whatever the desk does (also when it refuses)."""

from __future__ import annotations

import httpx

GONGGANG = "35.20.01.2002"
API = "/api/circulation/v1"
NAME = "Kartini Wulandari Sekarsari"


def test_first_start_prints_the_address_and_the_logins_and_little_else(live):
    startup = live.output().split("\n\n")[0]
    text = " ".join(live.output().split())
    assert f"Pustaka Desa is running: open {live.url}/" in text
    assert f"staff user admin, password {live.admin_password()}" in text
    assert "demo librarian of 35.20.01.2002: pustakawan." in text
    lines = [line for line in startup.splitlines() if line.strip()]
    assert not [line for line in lines if " INFO " in line or "HTTP Request" in line or "DEBUG" in line]


def test_no_log_line_carries_a_members_name_or_number(live):
    with httpx.Client(base_url=live.url, timeout=30) as http:
        login = http.post(f"{API}/auth/login", json={"username": "admin", "password": live.admin_password()})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        member = http.post(
            f"{API}/members",
            headers=auth,
            json={"name": NAME, "library": GONGGANG, "birth_year": 1985, "gender": "P", "contact": "0812-3456-7890"},
        )
        assert member.status_code == 201, member.text
        number = member.json()["member_number"]
        barcode = http.get(
            f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"status": "available", "per_page": 1}
        ).json()["items"][0]["barcode"]
        assert http.get(f"{API}/members/{number}", headers=auth).status_code == 200
        assert (
            http.post(f"{API}/loans", headers=auth, json={"item_barcode": barcode, "member_number": number}).status_code
            == 201
        )
        refused = http.post(f"{API}/loans", headers=auth, json={"item_barcode": barcode, "member_number": number})
        assert refused.status_code == 409 and refused.headers["x-request-id"]
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert http.post(
            f"{API}/loans", headers=auth, json={"item_barcode": barcode, "member_number": wrong}
        ).status_code in (409, 422)
        assert http.post(f"{API}/returns", headers=auth, json={"item_barcode": barcode}).status_code == 200
        assert http.get(f"{API}/members/{number}/loans", headers=auth).status_code == 200
        assert http.get(f"{API}/libraries/{GONGGANG}/members", headers=auth, params={"q": "Kartini"}).status_code == 200
    logs = live.output()
    for secret in (NAME, "Kartini", "Sekarsari", number, wrong, "0812-3456-7890"):
        assert secret not in logs, secret
