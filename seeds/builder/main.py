"""Build Pustaka Desa's seed data (libraries, aid-package manifests, examples) from the shared data.

Maintainer tool, not used at runtime: it reads the shared data folder and writes the committed files
under seeds/. Output is deterministic: every choice comes from SHA-256 of a fixed salt and a key, never
from the clock or Python's hash(). Needs only the standard library, isbnlib and openpyxl.

    python seeds/build_seeds.py [/path/to/shared]     (default: ../shared next to the repo root)
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from collections import Counter
from pathlib import Path

from .common import REPO, SEEDS
from .examples import write_examples
from .goodbooks import load_goodbooks
from .indonesian import load_inlislite, load_slims
from .libraries import load_villages, pick_libraries
from .manifests import write_csv_en, write_csv_id, write_xlsx
from .packages import build_package, plan_packages
from .readme import write_readme
from .themes import load_themes
from .verify import verify


def main(argv=None) -> int:
    shared = shared_folder(argv)
    libs = pick_libraries(load_villages(shared))
    goodbooks, inlislite, slims = load_goodbooks(shared, load_themes()), load_inlislite(shared), load_slims(shared)

    il_valid = [r for r in inlislite if r["isbn13"]]
    il_no_isbn = [r for r in inlislite if not r["isbn"]]
    gb_ind = [r for r in goodbooks if r["language"] == "ind" and r["isbn13"]]
    fixed = il_valid + slims + gb_ind
    pool = [r for r in goodbooks if r["isbn13"] and r["language"] != "ind"]
    assert all(r["isbn13"] for r in slims)

    for sub in ("packages", "examples", "licenses", "wilayah"):
        shutil.rmtree(SEEDS / sub, ignore_errors=True)
        (SEEDS / sub).mkdir(parents=True)
    write_libraries(libs)
    plans = plan_packages(libs)
    cp_log: Counter = Counter()
    packages = write_packages(plans, fixed, pool, il_no_isbn, cp_log)
    clean_lib = libs[0]
    messy = write_examples(goodbooks, inlislite, slims, il_valid, gb_ind, clean_lib)
    copy_sources(shared)

    checks = verify(plans, messy)
    stats = {
        "fixed": {"inlislite": len(il_valid), "slims": len(slims), "goodbooks_ind": len(gb_ind)},
        "pool": len(pool),
        "no_isbn_pool": len(il_no_isbn),
        "distinct_titles": len({r["isbn13"] for rows in packages for r in rows if r["isbn13"]}),
        "tagged": sum(1 for r in goodbooks if r["tagged"]),
        "themed_pool": sum(1 for r in pool if r["audience"] or r["category"]),
    }
    write_readme(libs, plans, stats, cp_log, messy, clean_lib, packages)
    for line in checks:
        print(line)
    print(f"titles in the union of all packages: {stats['distinct_titles']}")
    return 0


def shared_folder(argv) -> Path:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "shared",
        nargs="?",
        default=str(REPO.parent / "shared"),
        help="the shared data folder (holds data/wilayah and data/books)",
    )
    shared = Path(ap.parse_args(argv).shared).resolve()
    if not (shared / "data/wilayah/magetan_desa_kelurahan.csv").is_file():
        sys.exit(f"not a shared data folder: {shared}")
    return shared


def write_libraries(libs: list[dict]) -> None:
    with open(SEEDS / "libraries.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(libs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(libs)


def write_packages(plans: list[dict], fixed: list[dict], pool: list[dict], no_isbn: list[dict], cp_log: Counter):
    """Write every library's manifest and packages/index.csv; return each package's rows."""
    packages = []
    for p in plans:
        lib = p["lib"]
        rows = build_package(lib, fixed, pool, no_isbn)
        packages.append(rows)
        path = SEEDS / "packages" / p["file"]
        if p["format"] == "csv-cp1252":
            write_csv_id(path, rows, p["isbn_style"], cp_log)
        elif p["format"] == "csv-utf8":
            write_csv_en(path, rows, p["isbn_style"], p["bom"])
        else:
            title = f"DAFTAR BUKU BANTUAN PERPUSNAS TAHUN {p['program_year']} — {lib['name']}"
            write_xlsx(path, rows, title if p["title_line"] else None, p["numeric_isbn"], p["received_on"])
    with open(SEEDS / "packages/index.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "library", "program_year", "received_on"])
        for p in plans:
            w.writerow([p["file"], p["lib"]["code"], p["program_year"], p["received_on"].isoformat()])
    return packages


def copy_sources(shared: Path) -> None:
    """The licence files of every source, and the villages file the libraries come from."""
    books = shared / "data/books"
    for src, dst in [
        (books / "goodbooks-10k/LICENSE", "goodbooks-10k.CC-BY-SA-4.0.txt"),
        (books / "inlislite-oai-jogja/LICENSE.goharvest", "inlislite-oai-jogja.goharvest.MIT.txt"),
        (books / "slims9-sampledata/LICENSE.slims9_bulian", "slims9-sampledata.GPL-3.0.txt"),
        (shared / "data/wilayah/LICENSE-wilayah.txt", "wilayah.MIT.txt"),
    ]:
        shutil.copyfile(src, SEEDS / "licenses" / dst)
    shutil.copyfile(shared / "data/wilayah/magetan_desa_kelurahan.csv", SEEDS / "wilayah/magetan_desa_kelurahan.csv")
    shutil.copyfile(shared / "data/wilayah/LICENSE-wilayah.txt", SEEDS / "wilayah/LICENSE-wilayah.txt")
