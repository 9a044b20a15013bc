"""The seeds' README, filled from what was built (template: README.template.md beside this module)."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from .common import PACKAGE_SIZE, SEEDS
from .mix import category_counts, mix_table
from .themes import THRESHOLD, WEIGHT

TEMPLATE = Path(__file__).with_name("README.template.md")


def cp1252_table(log: Counter) -> str:
    latin, other, dropped = defaultdict(int), defaultdict(int), defaultdict(int)
    for (ch, rep), n in log.items():
        if rep == "?":
            script = unicodedata.name(ch, "UNKNOWN").split()[0]
            other[{"CJK": "CJK (Chinese/Japanese kanji)"}.get(script, script.title())] += n
        elif rep == "":
            dropped[f"U+{ord(ch):04X} {unicodedata.name(ch, '?').lower()}"] += n
        else:
            latin[f"`{ch}` → `{rep}`"] += n
    out = [
        "  - letters without a cp1252 form, by their base letter (symbols by an ASCII look-alike): "
        + ", ".join(f"{k} ({v})" for k, v in sorted(latin.items()))
        + ";",
        "  - other scripts, by `?` as Excel does when it saves such a sheet as CSV: "
        + ", ".join(f"{k} {v}" for k, v in sorted(other.items()))
        + " characters;",
    ]
    if dropped:
        out.append(
            "  - removed (invisible or combining): " + ", ".join(f"{k} ({v})" for k, v in sorted(dropped.items())) + "."
        )
    return "\n".join(out)


def write_readme(libs, plans, stats, cp_log, messy, clean_lib, packages) -> None:
    kinds = Counter(lib["kind"] for lib in libs)
    by_kec = defaultdict(list)
    for lib in libs:
        by_kec[(lib["kecamatan_code"], lib["kecamatan"])].append(lib)
    lib_lines = []
    for (kc, kn), ls in sorted(by_kec.items()):
        lib_lines.append(f"| {kc} | {kn} | " + "; ".join(f"{lib['name']} (`{lib['code']}`)" for lib in ls) + " |")
    fmt_name = {
        "csv-cp1252": "CSV `;` cp1252, Indonesian headers",
        "xlsx": "XLSX, Indonesian headers",
        "csv-utf8": "CSV `,` UTF-8, English headers",
    }
    pk_lines = []
    for p in plans:
        extra = []
        if p["format"] == "xlsx":
            extra.append("ISBN as numbers" if p["numeric_isbn"] else "ISBN as text")
            extra.append("title line, header on row 3" if p["title_line"] else "header on row 1")
        else:
            extra.append(
                {"raw": "goodbooks ISBN-10 raw (leading zeros lost)", "padded": "goodbooks ISBN-10 zero-padded"}[
                    p["isbn_style"]
                ]
            )
            if p.get("bom"):
                extra.append("with BOM")
        c = p["check"]
        pk_lines.append(
            f"| `{p['file']}` | {p['lib']['name']} | {fmt_name[p['format']]}; {', '.join(extra)} "
            f"| {p['program_year']} | {p['received_on'].isoformat()} | {c['isbn_rows']} + "
            f"{c['no_isbn_rows']} | {c['items']} |"
        )
    counts = Counter(p["format"] for p in plans)
    s = messy["summary"]
    text = TEMPLATE.read_text(encoding="utf-8").format(
        n_libs=len(libs),
        n_desa=kinds["desa"],
        n_kel=kinds["kelurahan"],
        n_tbm=kinds["tbm"],
        n_kec=len(by_kec),
        lib_table="\n".join(lib_lines),
        pk_table="\n".join(pk_lines),
        n_cp=counts["csv-cp1252"],
        n_xl=counts["xlsx"],
        n_u8=counts["csv-utf8"],
        n_il=stats["fixed"]["inlislite"],
        n_sl=stats["fixed"]["slims"],
        n_gi=stats["fixed"]["goodbooks_ind"],
        n_fixed=sum(stats["fixed"].values()),
        n_pool=stats["pool"],
        n_noisbn=stats["no_isbn_pool"],
        n_sample=PACKAGE_SIZE - sum(stats["fixed"].values()),
        n_union=stats["distinct_titles"],
        n_tagged=f"{stats['tagged']:,}",
        n_themed=stats["themed_pool"],
        weight=WEIGHT,
        threshold=f"{THRESHOLD:.0%}",
        mix=mix_table(packages),
        categories=", ".join(f"{k} {v}" for k, v in sorted(category_counts(packages).items())),
        cp1252=cp1252_table(cp_log),
        m_rows=s["rows"],
        m_acc=s["accepted_rows"],
        m_rej=s["rejected_rows"],
        m_titles=s["titles"],
        m_items=s["items_created"],
        clean_lib=clean_lib["name"],
        items_min=min(p["check"]["items"] for p in plans),
        items_max=max(p["check"]["items"] for p in plans),
        items_total=f"{sum(p['check']['items'] for p in plans):,}",
    )
    (SEEDS / "README.md").write_text(text, encoding="utf-8")
