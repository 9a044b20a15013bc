"""The circulation commands as a librarian types them, each with --json printing one document on stdout."""

import json

from tests.circulation.conftest import GONGGANG
from tests.integration.test_cli import run_cli


async def cli_json(database_url: str, *args: str) -> tuple[int, dict | list]:
    result = await run_cli(database_url, *args, "--json")
    return result.returncode, json.loads(result.stdout)


async def test_a_day_at_the_desk_on_the_command_line(database_url, books, pool):
    code, member = await cli_json(
        database_url,
        "member",
        "add",
        "Sri Wahyuni",
        "--library",
        GONGGANG,
        "--birth-year",
        "1985",
        "--gender",
        "perempuan",
        "--contact",
        "0813",
    )
    assert code == 0 and member["category"] == "dewasa" and member["gender"] == "P"
    number = member["member_number"]
    barcode = books["9789791680479"][0]
    code, loan = await cli_json(database_url, "checkout", barcode, number)
    assert code == 0 and loan["item_barcode"] == barcode and loan["member_number"] == number
    code, early = await cli_json(database_url, "renew", str(loan["loan_id"]))
    assert code == 1 and early["error"]["code"] == "renewal_would_not_extend"  # the loan day: nothing moves
    async with pool.acquire() as conn:
        await conn.execute("UPDATE circulation.loans SET due_date = current_date WHERE id = $1", loan["loan_id"])
    code, renewal = await cli_json(database_url, "renew", str(loan["loan_id"]))
    assert code == 0 and renewal["renewals_left"] == 1
    code, refused = await cli_json(database_url, "checkout", barcode, number)
    assert code == 1 and refused["error"]["code"] == "item_not_available"
    code, placed = await cli_json(database_url, "hold", "place", "979-413-921-1", number, "--library", GONGGANG)
    assert code == 0 and placed["status"] == "open-awaiting-pickup"
    code, again = await cli_json(database_url, "hold", "place", "9789791680479", number, "--library", GONGGANG)
    assert code == 1 and again["error"]["code"] == "title_already_on_loan"
    code, overdue = await cli_json(database_url, "overdue", "--library", GONGGANG)
    assert (code, overdue) == (0, [])
    code, back = await cli_json(database_url, "checkin", barcode)
    assert code == 0 and back["loan_id"] == loan["loan_id"] and back["hold_waiting"] is None
    async with pool.acquire() as conn:  # the CLI told the catalogue before it ended
        assert await conn.fetchval("SELECT count(*) FROM circulation.catalog_outbox") == 0
        assert await conn.fetchval("SELECT status FROM catalog.items WHERE barcode = $1", barcode) == "available"
        actors = {r["actor"] for r in await conn.fetch("SELECT actor FROM circulation.events")}
    assert all(a.startswith("cli:") for a in actors)


async def test_a_member_list_is_imported_from_the_command_line(database_url, magetan, tmp_path):
    listing = tmp_path / "anggota.csv"
    listing.write_bytes("Nama;Tahun Lahir;Jenis Kelamin\nAni;2016;P\nBudi;20x6;L\n".encode("cp1252"))
    code, report = await cli_json(database_url, "member", "import", str(listing), "--library", GONGGANG)
    assert code == 1 and (report["imported"], report["rejected"][0]["row"]) == (1, 2)
