"""A district sends a very large aid-package list: it is read and stored a chunk at a time, never whole.

The manifest here is generated (25,000 rows, so three chunks of CHUNK rows), with a title listed twice far
apart and a bad row near the end: merging and rejecting must work across chunks as they do within one."""

import io

from pustaka.tables import iter_table
from services.catalog.ingest import CHUNK, ingest_package

GONGGANG = "35.20.01.2002"
ROWS = 25_000


def isbn13(n: int) -> str:
    body = f"978602{n:06d}"
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def large_manifest() -> bytes:
    lines = ["ISBN;Judul;Pengarang;Penerbit;Tahun Terbit;Jumlah;No. Klas"]
    for n in range(1, ROWS + 1):
        isbn = isbn13(3) if n == 24_000 else "978-602-BUKAN" if n == 22_000 else isbn13(n)
        title = "Judul Lain Dari Baris Belakang" if n == 24_000 else f"Cerita Desa {n}"
        lines.append(
            f"{isbn};{title};Penulis {n % 97};Penerbit {n % 13};{1990 + n % 30};{1 + (n == 24_000)};{n % 1000:03d}"
        )
    return ("\n".join(lines) + "\n").encode("cp1252")


async def test_a_large_manifest_is_read_in_chunks_and_stored_whole(magetan):
    data = large_manifest()
    seen: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))

    async with magetan.acquire() as conn:
        report = await ingest_package(
            conn, library=GONGGANG, file=io.BytesIO(data), source_name="besar.csv", actor="test", progress=progress
        )
        stored = await conn.fetchrow(
            "SELECT count(*) AS items, count(DISTINCT title_id) AS titles FROM catalog.items WHERE package_id = $1",
            report.package_id,
        )
        twice = await conn.fetchrow(
            "SELECT t.title, count(i.*) AS copies FROM catalog.titles t JOIN catalog.items i ON i.title_id = t.id "
            "WHERE t.isbn13 = $1 GROUP BY t.title",
            isbn13(3),
        )
        rejected = await conn.fetchval("SELECT raw FROM catalog.rejections WHERE package_id = $1", report.package_id)

    validated = [(done, total) for stage, done, total in seen if stage == "validate"]
    assert len(validated) == -(-ROWS // CHUNK) == 3  # one step per chunk of rows, read as it goes
    assert [total for _, total in validated] == [len(data)] * 3
    assert validated[0][0] < len(data) / 2 < validated[1][0] < validated[2][0] == len(data)
    assert (
        report.rows,
        report.accepted_rows,
        report.titles,
        report.items_created,
        report.duplicates_merged,
        report.already_ingested,
    ) == (ROWS, ROWS - 1, ROWS - 2, ROWS, 1, False)
    assert [(r.row, r.field, r.code, r.value) for r in report.rejected] == [
        (22_000, "isbn", "isbn_characters", "978-602-BUKAN")
    ]
    assert (stored["items"], stored["titles"]) == (ROWS, ROWS - 2)
    assert (twice["title"], twice["copies"]) == ("Cerita Desa 3", 3)  # the first row's metadata, all copies
    assert '"Judul": "Cerita Desa 22000"' in rejected


def test_the_table_reader_yields_the_first_rows_before_reading_the_rest():
    file = io.BytesIO(large_manifest())
    rows = iter_table(file)
    assert next(rows)[:2] == ["ISBN", "Judul"]
    assert next(rows)[1] == "Cerita Desa 1"
    assert file.tell() < len(file.getvalue()) / 10
