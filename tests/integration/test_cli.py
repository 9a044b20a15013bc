"""`pustaka ingest` as a librarian runs it: exit codes, the --json report, and a kill in the middle."""

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import isbnlib
import pytest

from pustaka.seeding import seeds_dir

MESSY = seeds_dir() / "examples" / "manifest-berantakan.csv"
CLEAN = seeds_dir() / "examples" / "manifest-bersih.xlsx"
GONGGANG = "35.20.01.2002"
PUSTAKA = [sys.executable, "-m", "pustaka"]


def cli_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PUSTAKA_DATABASE_URL": database_url,
        "COLUMNS": "200",
        "PUSTAKA_DATA_DIR": str(Path(__file__).resolve().parents[2] / ".pustaka-test"),
    }


async def run_cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    process = await asyncio.create_subprocess_exec(
        *PUSTAKA, *args, env=cli_env(database_url), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return subprocess.CompletedProcess(args, process.returncode, out.decode(), err.decode())


async def test_a_clean_manifest_exits_0_and_prints_exactly_the_report(magetan, database_url):
    result = await run_cli(database_url, "ingest", str(CLEAN), "--library", GONGGANG, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == [
        "library",
        "package_id",
        "rows",
        "accepted_rows",
        "titles",
        "items_created",
        "duplicates_merged",
        "recovered_isbns",
        "already_ingested",
        "rejected",
    ]
    assert (report["rows"], report["accepted_rows"], report["rejected"]) == (20, 20, [])


async def test_a_messy_manifest_exits_1_with_every_rejected_row(magetan, database_url):
    result = await run_cli(database_url, "ingest", str(MESSY), "--library", GONGGANG, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["accepted_rows"], report["items_created"], len(report["rejected"])) == (30, 34, 10)
    assert report["rejected"][0] == {
        "row": 5,
        "field": "isbn",
        "value": "979-413-921-2",
        "code": "isbn_checksum",
        "message": "'979-413-921-2' fails the ISBN-10 check digit",
    }
    again = await run_cli(database_url, "ingest", str(MESSY), "--library", GONGGANG, "--json")
    assert json.loads(again.stdout)["already_ingested"] is True
    assert json.loads(again.stdout)["items_created"] == 0


async def test_a_human_report_names_the_rejected_rows(magetan, database_url):
    result = await run_cli(database_url, "ingest", str(MESSY), "--library", GONGGANG)
    assert result.returncode == 1
    assert "40 rows read, 30 accepted" in result.stdout
    assert "isbn_scientific_notation" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--library", "35.20.99.9999"], "library_not_found"),
        (["--library", GONGGANG, "--file", "tidak-ada.csv"], None),
    ],
)
async def test_unusable_input_exits_2(magetan, database_url, args, message):
    path = str(MESSY) if "--file" not in args else "tidak-ada.csv"
    args = [a for a in args if a not in ("--file", "tidak-ada.csv")]
    result = await run_cli(database_url, "ingest", path, *args)
    assert result.returncode == 2
    if message:
        assert message in result.stderr
    else:
        assert "cannot read tidak-ada.csv" in result.stderr


async def test_a_file_without_isbn_column_exits_2_and_says_why_in_json(magetan, database_url, tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_text("No;Judul\n1;Laskar Pelangi\n")
    result = await run_cli(database_url, "ingest", str(path), "--library", GONGGANG, "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "no_isbn_column"


def big_manifest(path: Path, rows: int) -> None:
    """A large manifest of valid Indonesian-range ISBNs, to give a kill time to land mid-ingest."""
    lines = ["isbn;judul;jumlah"]
    for n in range(rows):
        body = f"978602{n:06d}"
        lines.append(f"{body}{isbnlib.check_digit13(body)};Buku {n};2")
    path.write_text("\n".join(lines) + "\n")


async def test_a_kill_in_the_middle_of_an_ingest_leaves_nothing_half_done(magetan, database_url, tmp_path):
    path = tmp_path / "besar.csv"
    big_manifest(path, 60_000)
    process = await asyncio.create_subprocess_exec(
        *PUSTAKA,
        "ingest",
        str(path),
        "--library",
        GONGGANG,
        env=cli_env(database_url),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with magetan.acquire() as conn:
        for _ in range(600):  # until the CLI's transaction has written something
            writing = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pustaka-cli' "
                "AND backend_xid IS NOT NULL"
            )
            if writing:
                break
            await asyncio.sleep(0.02)
        assert writing, "the ingest never started writing"
        process.send_signal(signal.SIGKILL)
        await process.wait()
        for _ in range(250):  # PostgreSQL notices the dead client and rolls back
            if not await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pustaka-cli'"):
                break
            await asyncio.sleep(0.02)
        counts = await conn.fetchrow("""SELECT (SELECT count(*) FROM catalog.packages) AS packages,
            (SELECT count(*) FROM catalog.titles) AS titles, (SELECT count(*) FROM catalog.items) AS items,
            (SELECT count(*) FROM catalog.search_outbox) AS queued""")
    assert process.returncode == -signal.SIGKILL
    assert dict(counts) == {"packages": 0, "titles": 0, "items": 0, "queued": 0}
