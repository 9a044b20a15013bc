"""ISBN cleaning, as a librarian's spreadsheet writes ISBNs."""

import pytest

from kernel.isbn import IsbnError, clean_isbn, lookup_form, registration_group


@pytest.mark.parametrize(
    ("written", "isbn13", "recovered"),
    [
        ("9786020324784", "9786020324784", False),  # a bare ISBN-13 (Gramedia, Indonesia)
        ("978-602-03-2478-4", "9786020324784", False),  # hyphenated
        ("ISBN 978-602-03-2478-4", "9786020324784", False),  # with the ISBN prefix
        ("ISBN-13: 978 602 03 2478 4", "9786020324784", False),
        ("979-8767-55-1", "9789798767555", False),  # an old Indonesian ISBN-10 (979- group)
        ("0439554934", "9780439554930", False),  # ISBN-10 with its leading zero
        ("439554934", "9780439554930", True),  # the zero an Excel number cell dropped
        ("080442957X", "9780804429573", False),  # check digit X
        ("80442957X", "9780804429573", True),  # X and a lost zero
        ("9786020324784.0", "9786020324784", False),  # a whole number written as a float
        ("  9786020324784  ", "9786020324784", False),
        ("7442912", "9780007442911", True),  # seven digits: three zeros lost (Insurgent)
    ],
)
def test_written_isbns_are_accepted(written, isbn13, recovered):
    isbn = clean_isbn(written)
    assert (isbn.isbn13, isbn.recovered) == (isbn13, recovered)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("", "isbn_missing"),
        ("   ", "isbn_missing"),
        ("9.78602E+12", "isbn_scientific_notation"),
        ("9.78043902348e+12", "isbn_scientific_notation"),
        ("9786020324785", "isbn_checksum"),  # last digit wrong
        ("0439554935", "isbn_checksum"),
        ("7203116", "isbn_checksum"),  # fails even with zeros restored
        ("979222235", "isbn_checksum"),  # a truncated 9-digit ISBN from an INLISLite record
        ("97893806587", "isbn_length"),  # 11 digits
        ("97893806587.0", "isbn_length"),
        ("978602032478", "isbn_length"),  # 12 digits
        ("123456", "isbn_length"),
        ("97860A1234567", "isbn_characters"),
        ("tidak ada", "isbn_characters"),
        ("9771234567003", "isbn_prefix"),  # an ISSN-style EAN, not a book
        ("978602032478X", "isbn_characters"),
    ],
)
def test_unusable_isbns_are_rejected_with_a_reason(written, code):
    with pytest.raises(IsbnError) as caught:
        clean_isbn(written)
    assert caught.value.code == code
    assert caught.value.message


def test_the_display_form_is_hyphenated_and_the_agency_is_known():
    isbn = clean_isbn("9789798767555")
    assert isbn.display == "978-979-8767-55-5"
    assert isbn.isbn10 == "9798767551"
    assert registration_group(isbn.isbn13) == "Indonesia"


def test_a_search_box_value_is_never_guessed():
    assert lookup_form("978-0-439-55493-0") == "9780439554930"
    assert lookup_form("0439554934") == "9780439554930"
    assert lookup_form("439554934") is None
    assert lookup_form("harry potter") is None
