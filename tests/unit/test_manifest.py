"""Reading manifests in the shapes librarians send them."""

import io
import json

import openpyxl
import pytest

from services.catalog.domain.manifest import UnusableManifest, read_manifest
from services.catalog.domain.rows import Book, Rejection, split_authors, validate_row

INDONESIAN_EXCEL = (
    "No;ISBN;Judul;Pengarang;Penerbit;Tahun Terbit;Jumlah;No. Klas;Kategori;Bahasa;Sasaran\r\n"
    "1;979-8767-55-1;Undang-undang HAM 1999;INDONESIA. Undang-undang;Sinar Grafika;2001;2;342.02;Hukum;ind;Dewasa\r\n"
    "2;9.78602E+12;Laskar Pelangi;Andrea Hirata;Bentang;2005;1;;Fiksi;Indonesia;Remaja\r\n"
    ";;;;;;;;;;\r\n"
    "3;439554934;Harry Potter and the Sorcerer’s Stone;J.K. Rowling;;1997;dua;;;eng;Anak\r\n"
).encode("cp1252")


def test_an_indonesian_excel_csv_export_is_read_with_row_numbers_that_skip_blank_lines():
    manifest = read_manifest(INDONESIAN_EXCEL, "bantuan.csv")
    assert manifest.format == "csv"
    assert [r.number for r in manifest.rows] == [1, 2, 3]
    assert manifest.rows[2].values["title"] == "Harry Potter and the Sorcerer’s Stone"
    assert manifest.rows[0].raw["No. Klas"] == "342.02"


def test_each_row_is_accepted_or_rejected_with_field_code_and_value():
    outcomes = [validate_row(r) for r in read_manifest(INDONESIAN_EXCEL).rows]
    first, second, third = outcomes
    assert isinstance(first, Book)
    assert (first.isbn.isbn13, first.copies, first.ddc, first.language, first.audience) == (
        "9789798767555",
        2,
        "342.02",
        "ind",
        "dewasa",
    )
    assert isinstance(second, Rejection)
    assert (second.row, second.field, second.value, second.code) == (
        2,
        "isbn",
        "9.78602E+12",
        "isbn_scientific_notation",
    )
    assert isinstance(third, Rejection)
    assert (third.row, third.field, third.value, third.code) == (3, "copies", "dua", "copies_not_a_number")


def test_a_utf8_csv_with_bom_and_english_headers():
    data = '\ufeffISBN , Title,Authors,Copies\n9780439554930,"Harry Potter, ""the first""\nbook",Rowling,1\n'
    manifest = read_manifest(data.encode("utf-8"))
    assert manifest.rows[0].values == {
        "isbn": "9780439554930",
        "title": 'Harry Potter, "the first"\nbook',
        "authors": "Rowling",
        "copies": "1",
    }


def test_a_tab_separated_file():
    manifest = read_manifest(b"isbn\tjudul\n9780439554930\tHarry Potter\n")
    assert manifest.rows[0].values == {"isbn": "9780439554930", "title": "Harry Potter"}


def test_an_xlsx_with_a_title_line_above_the_header_and_isbn_as_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR BUKU BANTUAN PERPUSNAS TAHUN 2025"])
    sheet.append([])
    sheet.append(["No", "ISBN", "Judul", "Jumlah"])
    sheet.append([1, 439554934, "Harry Potter", 2])
    sheet.append([2, 9786020324784, "Bumi Manusia", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    manifest = read_manifest(buffer.getvalue(), "bantuan.xlsx")
    assert manifest.format == "xlsx"
    assert [(r.number, r.values["isbn"], r.values["copies"]) for r in manifest.rows] == [
        (1, "439554934", "2"),
        (2, "9786020324784", "1"),
    ]


def test_a_json_list_of_books():
    data = json.dumps([{"isbn": "9780439554930", "judul": "Harry Potter", "pengarang": ["Rowling", "GrandPré"]}])
    manifest = read_manifest(data.encode())
    assert manifest.format == "json"
    assert manifest.rows[0].values["authors"] == "Rowling; GrandPré"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"   \n\n", "file_empty"),
        (b"Judul;Pengarang\nLaskar Pelangi;Andrea Hirata\n", "no_isbn_column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_format"),
        (b"PK\x03\x04not really a workbook", "file_format"),
        (b'{"books": "none"}', "file_format"),
        (b"[1, 2, 3]", "file_format"),
        (b"x" * (20 * 1024 * 1024 + 1), "file_too_large"),
    ],
)
def test_unusable_files_are_refused_as_a_whole(data, code):
    with pytest.raises(UnusableManifest) as caught:
        read_manifest(data)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("written", "authors"),
    [
        ("Andrea Hirata", ("Andrea Hirata",)),
        ("J.K. Rowling, Mary GrandPré", ("J.K. Rowling", "Mary GrandPré")),
        ("Hirata, Andrea", ("Hirata, Andrea",)),
        ("Siever, Ellen; Figgins, Stephen", ("Siever, Ellen", "Figgins, Stephen")),
        ("M. Solikhin | M. Farid", ("M. Solikhin", "M. Farid")),
        ("", ()),
    ],
)
def test_authors_are_split_as_spreadsheets_write_them(written, authors):
    assert split_authors(written) == authors
