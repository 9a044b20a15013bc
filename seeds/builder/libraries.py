"""The recipient libraries: Magetan's villages and an illustrative, seeded pick of 38 libraries."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from .common import KABUPATEN_CODE, N_DESA, N_KELURAHAN, N_TBM, ranked


def load_villages(shared: Path) -> list[dict]:
    with open(shared / "data/wilayah/magetan_desa_kelurahan.csv", encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["kabupaten_kode"] == KABUPATEN_CODE]


def pick_libraries(villages: list[dict]) -> list[dict]:
    """30 desa + 5 kelurahan libraries over all 18 kecamatan, plus 3 TBM; illustrative, seeded."""
    by_kec = defaultdict(list)
    for v in villages:
        by_kec[v["kecamatan_kode"]].append(v)
    kec_order = ranked(by_kec, lambda k: k, "kecamatan")
    picked: dict[str, dict] = {}
    count = Counter()

    def take(v):
        picked[v["kode"]] = v
        count[v["kecamatan_kode"]] += 1

    # kelurahan: each from a different kecamatan
    for v in ranked([v for v in villages if v["jenis"] == "kelurahan"], lambda v: v["kode"], "kel"):
        if sum(1 for p in picked.values() if p["jenis"] == "kelurahan") == N_KELURAHAN:
            break
        if count[v["kecamatan_kode"]] == 0:
            take(v)
    desa_by_kec = {
        k: ranked([v for v in vs if v["jenis"] == "desa"], lambda v: v["kode"], "desa") for k, vs in by_kec.items()
    }
    # every kecamatan gets at least one library, then the rest go to the least served kecamatan
    n_desa = 0
    while n_desa < N_DESA:
        k = min(kec_order, key=lambda k: (count[k], kec_order.index(k)))
        v = next(v for v in desa_by_kec[k] if v["kode"] not in picked)
        take(v)
        n_desa += 1
    libs = [library_row(v, v["jenis"]) for v in picked.values()]
    # TBM: one beside a picked desa library, the others in villages with no library yet
    tbm_here = ranked([v for v in picked.values() if v["jenis"] == "desa"], lambda v: v["kode"], "tbm-in")[:1]
    used_kec = {v["kecamatan_kode"] for v in tbm_here}
    for v in ranked([v for v in villages if v["kode"] not in picked], lambda v: v["kode"], "tbm-out"):
        if len(tbm_here) == N_TBM:
            break
        if v["kecamatan_kode"] not in used_kec:
            tbm_here.append(v)
            used_kec.add(v["kecamatan_kode"])
    libs += [library_row(v, "tbm") for v in tbm_here]
    return sorted(libs, key=lambda r: r["code"])


def library_row(v: dict, kind: str) -> dict:
    name = {"desa": "Perpustakaan Desa ", "kelurahan": "Perpustakaan Kelurahan ", "tbm": "TBM "}[kind]
    return {
        "code": v["kode"] + ("-TBM1" if kind == "tbm" else ""),
        "name": name + v["nama"],
        "kind": kind,
        "village": v["nama"],
        "kecamatan_code": v["kecamatan_kode"],
        "kecamatan": v["kecamatan"],
        "kabupaten_code": v["kabupaten_kode"],
        "kabupaten": v["kabupaten"],
        "province": v["provinsi"],
    }
