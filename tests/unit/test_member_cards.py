"""The member-card layout, without I/O: eight ID-1 cards to an A4 page, long names shortened, never cut."""

import datetime as dt
import re

from services.circulation.cards import CARD_H, CARD_W, Card, _fit, indonesian_date, render


def cards(n: int) -> list[Card]:
    return [
        Card(f"3520012002-{i:06d}", f"Anggota {i}", "Perpustakaan Desa Gonggang", dt.date(2029, 11, 26))
        for i in range(1, n + 1)
    ]


def test_cards_are_id1_and_eight_fit_an_a4_page():
    assert (round(CARD_W / 72 * 25.4, 1), round(CARD_H / 72 * 25.4, 1)) == (85.6, 54.0)
    for n, pages in ((1, 1), (8, 1), (9, 2), (17, 3)):
        pdf = render(cards(n))
        assert len(re.findall(rb"/Type /Page\b", pdf)) == pages, n


def test_a_long_name_is_shortened_with_an_ellipsis_and_dates_are_indonesian():
    long = "Raden Ajeng Siti Nurhaliza Kusumawardhani Prameswari binti Haji Abdullah"
    fitted = _fit(long, "Helvetica-Bold", 10.5, CARD_W - 8 * 72 / 25.4)
    assert fitted.endswith("…") and long.startswith(fitted[:-1]) and len(fitted) < len(long)
    assert _fit("Budi", "Helvetica-Bold", 10.5, 200) == "Budi"
    assert indonesian_date(dt.date(2029, 8, 17)) == "17 Agu 2029"
