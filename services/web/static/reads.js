// Reading on the spot (/desk/baca): at closing time the librarian scans the books left on the reading
// tables; each scan records one title read in the library without a loan (POST /reads), which the district
// statistics count as reads_onsite. Below, today's reads of this library, from the server.
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  P.addTexts({
    reads_title: "Baca di tempat — Pustaka Desa", reads_heading: "Baca di tempat",
    reads_scan_heading: "Pindai buku yang ditinggal di meja baca",
    reads_hint: "Setiap buku yang dibaca di perpustakaan tanpa dipinjam dihitung sekali per pindaian.",
    copy_barcode: "Barcode buku (pindai atau ketik, lalu Enter)", reads_today: "Dibaca di tempat hari ini",
    time: "Jam", book: "Buku", barcode: "Barcode", read_ok: title => `Tercatat dibaca di tempat: ${title}.`,
    barcode_bad: "Barcode harus 12 angka. Pindai lagi.",
  }, {
    reads_title: "Read on the spot — Pustaka Desa", reads_heading: "Read on the spot",
    reads_scan_heading: "Scan the books left on the reading tables",
    reads_hint: "Each book read in the library without a loan counts once per scan.",
    copy_barcode: "Book barcode (scan or type, then Enter)", reads_today: "Read on the spot today",
    time: "Time", book: "Book", barcode: "Barcode", read_ok: title => `Recorded as read on the spot: ${title}.`,
    barcode_bad: "A barcode has 12 digits. Scan again.",
  });

  async function load() {
    try {
      const reads = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/reads?date=${D.today()}`);
      $("read-count").textContent = P.fmtNumber(reads.length);
      $("reads").tBodies[0].innerHTML = reads.length ? reads.map(r => `<tr>
        <td data-label="${esc(t("time"))}">${esc(D.time(r.recorded_at))}</td>
        <td data-label="${esc(t("book"))}">${esc(r.title)}</td>
        <td data-label="${esc(t("barcode"))}" class="callno">${esc(r.item_barcode || r.isbn13 || "")}</td></tr>`).join("")
        : `<tr><td colspan="3" class="muted">${esc(t("none_yet"))}</td></tr>`;
    } catch (error) { D.failure("read-msg", error); }
  }

  $("read-form").addEventListener("submit", async event => {
    event.preventDefault();
    const input = $("read-barcode");
    const code = input.value.trim();
    input.value = "";
    if (!/^\d{12}$/.test(code)) { D.say("read-msg", "bad", t("barcode_bad")); return; }
    try {
      // A scan whose answer was lost keeps its key, so scanning the book again does not count it twice;
      // once answered, the next scan of the same book is a new read.
      const read = await P.send(`${D.CIRC}/reads`, { library: D.library, item_barcode: code });
      D.say("read-msg", "ok", t("read_ok", read.title));
      load();
    } catch (error) { D.failure("read-msg", error); }
    input.focus();
  });

  P.onLang(() => { if (D.session) load(); });
  D.start(() => { load(); $("read-barcode").focus(); });
})();
