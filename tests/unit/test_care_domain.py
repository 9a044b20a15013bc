"""Catalogue-care rules with no I/O: class numbers, scanned ISBNs, the mis-shelving rule, scan kinds and the
class suggestions (measured on the seed titles whose class is known)."""

import pytest

from kernel.ddc import DdcError, class_of_call_number, clean_ddc, hundreds
from kernel.isbn import IsbnError
from services.catalog.domain.scanned_isbn import isbn_from_scan
from services.catalog.domain.stocktake import ShelfScan, misshelved, scan_kind
from services.catalog.suggestions import suggestion_for
from tests.bench.suggestion_precision import measure


@pytest.mark.parametrize(
    ("typed", "clean"), [("630", "630"), (" 641.5 ", "641.5"), ("899,221", "899.221"), ("", None), (None, None)]
)
def test_class_numbers_as_typed(typed, clean):
    assert clean_ddc(typed) == clean


@pytest.mark.parametrize("bad", ["9999", "abc", "63", "630.", "6a0", "630.5.1"])
def test_what_is_not_a_class_is_refused(bad):
    with pytest.raises(DdcError) as error:
        clean_ddc(bad)
    assert error.value.code == "ddc_invalid"


def test_main_class_of_a_call_number():
    assert hundreds(class_of_call_number("899.221 HIR l")) == "800"
    assert hundreds(class_of_call_number("000 TOE b")) == "000"


def test_a_scanned_ean_of_a_book_is_its_isbn_and_a_product_code_is_refused():
    assert isbn_from_scan("9789793062792").isbn13 == "9789793062792"
    assert isbn_from_scan("979-3062-79-7").isbn13 == "9789793062792"
    with pytest.raises(IsbnError) as magazine:
        isbn_from_scan("9771234567003")
    assert magazine.value.code == "ean_not_a_book"
    with pytest.raises(IsbnError) as water:
        isbn_from_scan("8992761002015")
    assert water.value.code == "ean_not_a_book"
    with pytest.raises(IsbnError) as typo:
        isbn_from_scan("9789793062793")
    assert typo.value.code == "isbn_checksum"


def _run(*classes: str) -> list[ShelfScan]:
    return [ShelfScan(f"b{i}", c) for i, c in enumerate(classes)]


def test_a_stray_among_another_class_is_mis_shelved():
    strays = misshelved(_run("000", "000", "300", "000", "000", "800", "800"))
    assert [(s.barcode, s.main_class, s.neighbours_class, s.after, s.before) for s in strays] == [
        ("b2", "300", "000", "b1", "b3")
    ]


@pytest.mark.parametrize(
    "shelf",
    [
        ("000", "000", "300", "300", "800"),  # class boundaries
        ("300", "500", "600", "600"),  # a lone copy of a sparse class in its place
        ("000",),
        ("000", "800"),  # too short to judge
    ],
)
def test_a_shelf_in_order_has_no_strays(shelf):
    assert misshelved(_run(*shelf)) == []


def test_a_late_copy_of_an_earlier_class_is_a_stray_too():
    assert [s.barcode for s in misshelved(_run("800", "800", "200", "800", "900"))] == ["b2"]


def test_how_a_scan_counts():
    assert scan_kind(library="A", status="available", stocktake_library="A") == ("accepted", None)
    assert scan_kind(library="A", status="on_loan", stocktake_library="A") == ("accepted", None)
    assert scan_kind(library="B", status="available", stocktake_library="A") == ("unexpected", "other_library")
    assert scan_kind(library="A", status="withdrawn", stocktake_library="A") == ("unexpected", "withdrawn")
    assert scan_kind(library=None, status=None, stocktake_library="A") == ("unknown", None)


@pytest.mark.parametrize(
    ("title", "subjects", "category", "language", "ddc"),
    [
        ("Budidaya Padi Sawah", ["Pertanian"], None, "ind", "630"),
        ("Hidup Sehat Tanpa Obat", ["Kesehatan"], None, "ind", "613"),
        ("Resep Masakan Nusantara", [], None, "ind", "641.5"),
        ("Si Kancil", ["Cerita anak"], None, "ind", "899.221"),
        ("Laskar Pelangi (Tetralogi Laskar Pelangi, #1)", [], None, "ind", "899.221"),
        ("Night Watch (Discworld, #29)", [], None, "eng", "823"),
        ("Cathedral and the Bazaar: Musings on Linux and Open Source", [], "Linux", "eng", "005.432"),
        ("Bumi Manusia", [], None, "ind", None),
    ],
)
def test_suggestions_from_subjects_and_title_words(title, subjects, category, language, ddc):
    hint = suggestion_for(title=title, subjects=subjects, category=category, language=language)
    assert (hint.ddc if hint else None) == ddc


def test_suggestion_precision_on_the_seed_titles_with_a_known_class():
    result = measure()
    assert result["titles_with_class"] == 48
    assert result["suggested"] == 38
    assert result["precision"]["main_class"] >= 0.95
    assert result["precision"]["division"] >= 0.75
