"""Indonesian morphology: the exact stem of the words patrons type and titles carry."""

from __future__ import annotations

import pytest

from search.morphology import exceptions, roots, stem, stemmed_text, stems


@pytest.mark.parametrize(
    "word, expected",
    [
        # meN-/peN- swallow the root's first letter; the layer restores it where Snowball cannot
        ("menanam", "tanam"),
        ("penanaman", "tanam"),
        ("menulis", "tulis"),
        ("penulis", "tulis"),
        ("mengenal", "kenal"),
        ("mengambil", "ambil"),
        ("memakai", "pakai"),
        ("memahami", "paham"),
        ("memasarkan", "pasar"),
        ("pemasaran", "pasar"),
        ("memelihara", "pelihara"),
        ("pemeliharaan", "pelihara"),
        ("penyanyi", "nyanyi"),
        ("merawat", "rawat"),
        ("membaca", "baca"),
        # the exception list: memasak is me- + masak, not mem- + pasak
        ("memasak", "masak"),
        ("masakan", "masak"),
        ("belajar", "ajar"),
        ("pelajaran", "ajar"),
        # ber-, per-, ke-...-an, pe-, suffixes and particles
        ("pertanian", "tani"),
        ("bertani", "tani"),
        ("petani", "tani"),
        ("bercocok", "cocok"),
        ("tanaman", "tanam"),
        ("kesehatan", "sehat"),
        ("keagamaan", "agama"),
        ("perikanan", "ikan"),
        ("pertambangan", "tambang"),
        ("perkebunan", "kebun"),
        ("pengobatan", "obat"),
        ("pembangunan", "bangun"),
        ("pendidikan", "didik"),
        ("berencana", "rencana"),
        ("ceritanya", "cerita"),
        ("bercerita", "cerita"),
        ("permainan", "main"),
        ("memperbaiki", "baik"),
        ("sayuran", "sayur"),
        # reduplication
        ("anak-anak", "anak"),
        ("buah-buahan", "buah"),
        # roots, and words with no known root, stay as they are
        ("tanam", "tanam"),
        ("dongeng", "dongeng"),
        ("budidaya", "budidaya"),
        ("keluarga", "keluarga"),
        ("ketua", "ketua"),
        ("pelangi", "pelangi"),
        ("diana", "diana"),
        ("american", "american"),
        ("berlin", "berlin"),
        ("potter", "potter"),
        ("tana", "tana"),
        ("persian", "persian"),
    ],
)
def test_the_stem_of_a_word(word, expected):
    assert stem(word) == expected


def test_stems_ignore_case_and_diacritics():
    assert stem("MENANAM") == stem("Menanam") == "tanam"
    assert stems("Bercocok Tanam Padi") == ["cocok", "tanam", "padi"]


def test_a_document_keeps_each_stem_once_in_the_order_met():
    assert stemmed_text("Menanam dan memasak sayur-sayuran", None, "Pertanian") == "tanam dan masak sayur tani"


def test_every_exception_gives_a_stem_that_stems_to_itself():
    assert all(stem(target) == target for target in exceptions().values())


def test_every_root_is_its_own_stem():
    assert all(stem(root) == root for root in roots())
