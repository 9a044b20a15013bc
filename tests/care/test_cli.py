"""`pustaka stocktake start | scan | finish` as a librarian's script would run them: real processes, JSON on
stdout, refusals with their code on stderr and exit code 2."""

from __future__ import annotations

import json

from tests.care.conftest import GONGGANG, copies, ingest_books
from tests.integration.test_cli import run_cli


async def test_a_stocktake_from_the_command_line(magetan, database_url, tmp_path):
    await ingest_books(magetan, GONGGANG)
    shelf = [c["barcode"] for c in await copies(magetan, GONGGANG)]
    started = await run_cli(database_url, "stocktake", "start", "--library", GONGGANG, "--json")
    assert started.returncode == 0, started.stderr
    opened = json.loads(started.stdout)
    assert (opened["library"], opened["expected"], opened["on_loan"]) == (GONGGANG, 12, 0)

    again = await run_cli(database_url, "stocktake", "start", "--library", GONGGANG)
    assert again.returncode == 2 and "stocktake_already_open" in again.stderr and str(opened["id"]) in again.stderr

    scans = tmp_path / "pemindai.txt"
    scans.write_text("\r\n".join(shelf[:11] + [shelf[0], "000000000000"]) + "\r\n")
    scanned = await run_cli(database_url, "stocktake", "scan", str(opened["id"]), str(scans), "--json")
    assert scanned.returncode == 0, scanned.stderr
    assert json.loads(scanned.stdout) == {
        "accepted": 11,
        "unknown": ["000000000000"],
        "unexpected": [],
        "duplicates": [shelf[0]],
        "scanned": 13,
    }

    finished = await run_cli(database_url, "stocktake", "finish", str(opened["id"]), "--mark-missing-lost", "--json")
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    assert [m["barcode"] for m in report["missing"]] == [shelf[11]] and report["marked_lost"] == [shelf[11]]
    human = await run_cli(database_url, "stocktake", "scan", str(opened["id"]), str(scans))
    assert human.returncode == 2 and "stocktake_finished" in human.stderr
