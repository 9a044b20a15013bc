"""Barcodes and spine labels for new copies."""

import pytest

from services.catalog.domain.labels import barcode, call_number, is_valid_barcode


def test_barcodes_are_twelve_digits_with_a_check_digit_that_catches_a_typo():
    code = barcode(1)
    assert code == "000000000018"
    assert is_valid_barcode(code)
    assert not is_valid_barcode("000000000019")
    assert not is_valid_barcode("000000000081")  # two digits swapped


@pytest.mark.parametrize(
    ("ddc", "author", "title", "label"),
    [
        ("899.221", "Andrea Hirata", "Laskar Pelangi", "899.221 HIR l"),
        ("813", "Rowling, J.K.", "The Hunger Games", "813 ROW h"),
        (None, "Pramoedya Ananta Toer", "Bumi Manusia", "000 TOE b"),
        ("342.02", None, "Undang-undang HAM 1999", "342.02 UND u"),
        ("297.5", "Ḥamka", "Tasawuf Modern", "297.5 HAM t"),
    ],
)
def test_call_numbers_follow_the_indonesian_spine_label_form(ddc, author, title, label):
    assert call_number(ddc, author, title) == label
