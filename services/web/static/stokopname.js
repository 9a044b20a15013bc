// Stock-taking at the desk: start (or resume) the library's stock-take, scan with a USB scanner or by typing
// (scans are sent in small batches; every answer says what was not expected), upload a scanner's text file,
// follow progress per class, finish with the report (PDF, Excel).
"use strict";
const { $, esc, t } = P;
const CAT = "/api/catalog/v1";
P.addTexts({
  so_title: "Stock Opname — Pustaka Desa", so_heading: "Stock opname", start_heading: "Mulai stock opname",
  start_help: "Sistem mencatat semua eksemplar yang seharusnya ada di rak saat ini. Setelah itu pindai setiap buku di rak, berurutan dari rak pertama.",
  start: "Mulai stock opname", history: "Riwayat", expected: "diharapkan di rak", found: "sudah ditemukan",
  on_loan: "sedang dipinjam", problems: "perlu diperiksa", run: "Rak / putaran pemindaian",
  barcode_label: "Barcode buku (pindai atau ketik, lalu Enter)",
  scan_file: "Atau unggah berkas teks dari alat pemindai (satu barcode per baris)", upload: "Unggah",
  progress: "Kemajuan per kelas", class: "Kelas", expected_short: "Diharapkan", scanned_short: "Terpindai", bar: "%",
  finish_heading: "Selesaikan", mark_lost: "Tandai buku yang tidak ditemukan sebagai hilang",
  finish: "Selesaikan stock opname", pdf: "Unduh PDF", xlsx: "Unduh Excel", back: "Kembali",
  running: (id, when) => `Stock opname #${id} · dimulai ${when}`, done_heading: (id, when) => `Laporan stock opname #${id} · selesai ${when}`,
  accepted: (n, total) => `${n} buku baru tercatat · ${total} sudah ditemukan.`, dup: b => `${b}: sudah dipindai (dihitung sekali)`,
  unknown: b => `${b}: barcode tidak dikenal`, other_library: b => `${b}: milik perpustakaan lain`,
  withdrawn: b => `${b}: buku yang sudah dikeluarkan`, lost: b => `${b}: tercatat hilang — ternyata ada`,
  confirm_finish: "Selesaikan stock opname ini? Setelah selesai tidak bisa memindai lagi.",
  sec_missing: "Tidak ditemukan", sec_on_loan: "Sedang dipinjam", sec_unexpected: "Tak terduga",
  sec_unknown: "Barcode tak dikenal", sec_misshelved: "Salah rak", sec_lost: "Ditandai hilang",
  neighbours: c => `di antara buku kelas ${c}`, item_open: (id, s) => `#${id} · ${s}`, st_open: "berjalan", st_finished: "selesai",
  nothing: "—", summary: (f, e, m) => `${f} dari ${e} eksemplar ditemukan, ${m} tidak ditemukan.`,
}, {
  so_title: "Stock-taking — Pustaka Desa", so_heading: "Stock-taking", start_heading: "Start a stock-take",
  start_help: "The system records every copy that should be on the shelves now. Then scan every book on the shelves, in order from the first shelf.",
  start: "Start the stock-take", history: "History", expected: "expected on the shelves", found: "found so far",
  on_loan: "on loan", problems: "to check", run: "Shelf / scanning round",
  barcode_label: "Book barcode (scan or type, then Enter)",
  scan_file: "Or upload a scanner's text file (one barcode a line)", upload: "Upload",
  progress: "Progress by class", class: "Class", expected_short: "Expected", scanned_short: "Scanned", bar: "%",
  finish_heading: "Finish", mark_lost: "Mark the copies not found as lost",
  finish: "Finish the stock-take", pdf: "Download PDF", xlsx: "Download Excel", back: "Back",
  running: (id, when) => `Stock-take #${id} · started ${when}`, done_heading: (id, when) => `Stock-take report #${id} · finished ${when}`,
  accepted: (n, total) => `${n} new books recorded · ${total} found so far.`, dup: b => `${b}: scanned before (counted once)`,
  unknown: b => `${b}: unknown barcode`, other_library: b => `${b}: belongs to another library`,
  withdrawn: b => `${b}: a withdrawn copy`, lost: b => `${b}: recorded lost — it is here`,
  confirm_finish: "Finish this stock-take? No scans are taken afterwards.",
  sec_missing: "Not found", sec_on_loan: "On loan", sec_unexpected: "Unexpected",
  sec_unknown: "Unknown barcodes", sec_misshelved: "Mis-shelved", sec_lost: "Marked lost",
  neighbours: c => `among class ${c} books`, item_open: (id, s) => `#${id} · ${s}`, st_open: "open", st_finished: "finished",
  nothing: "—", summary: (f, e, m) => `${f} of ${e} copies found, ${m} not found.`,
});

const Page = { library: "", stocktake: null, queue: [], sending: false, timer: null };
const when = d => d ? new Date(d).toLocaleString(P.lang === "id" ? "id-ID" : "en-GB",
  { timeZone: "Asia/Jakarta", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "";

function show(view) { ["start-view", "scan-view", "report-view"].forEach(v => { $(v).hidden = v !== view; }); }

async function load(library) {
  Page.library = library; $("so-msg").textContent = "";
  try {
    const list = await P.api(`${CAT}/libraries/${library}/stocktakes`);
    const open = list.find(s => s.status === "open");
    $("history").innerHTML = list.map(s => `<li><button type="button" class="link" data-id="${s.id}">${esc(t("item_open", s.id, t("st_" + s.status)))}</button>
      <span class="muted">${esc(when(s.started_at))}</span></li>`).join("") || `<li>${esc(t("nothing"))}</li>`;
    if (open) await resume(open.id); else show("start-view");
  } catch (error) { DeskPage.failure("so-msg", error); }
}

async function resume(id) {
  const report = await P.api(`${CAT}/stocktakes/${id}`);
  Page.stocktake = report;
  if (report.status === "finished") { renderReport(report); return; }
  $("scan-heading").textContent = t("running", report.id, when(report.started_at));
  renderProgress(report); show("scan-view"); $("barcode").focus();
}

function renderProgress(r) {
  $("k-expected").textContent = P.fmtNumber(r.expected + r.added_during.length);
  $("k-found").textContent = P.fmtNumber(r.found); $("k-loan").textContent = P.fmtNumber(r.expected_on_loan);
  $("k-problems").textContent = P.fmtNumber(r.unexpected.length + r.unknown.length + r.misshelved.length);
  $("progress").tBodies[0].innerHTML = r.progress.map(p => {
    const pct = p.expected ? Math.round(100 * p.scanned / p.expected) : 0;
    return `<tr><td data-label="${esc(t("class"))}">${esc(p.main_class)}</td>
      <td class="num" data-label="${esc(t("expected_short"))}">${P.fmtNumber(p.expected)}</td>
      <td class="num" data-label="${esc(t("scanned_short"))}">${P.fmtNumber(p.scanned)}</td>
      <td data-label="%"><div class="bars"><div style="grid-template-columns: 1fr 3rem"><span class="bar-fill" style="width:${pct}%"></span><span class="val">${pct}%</span></div></div></td></tr>`;
  }).join("");
}

function tell(result) {
  const notes = [...result.duplicates.map(b => t("dup", b)), ...result.unknown.map(b => t("unknown", b)),
                 ...result.unexpected.map(u => t(u.reason, u.barcode))];
  DeskPage.say("scan-msg", notes.length ? "warn" : "ok", t("accepted", result.accepted, P.fmtNumber(Page.stocktake.found)));
  $("last-scans").innerHTML = notes.slice(0, 20).map(n => `<li>${esc(n)}</li>`).join("");
}

// Scans wait a moment in a queue so a fast USB scanner sends batches, not one request per book; a batch
// whose answer was lost is sent again with the same Idempotency-Key (P.send), so nothing counts twice.
async function flush() {
  if (Page.sending || !Page.queue.length) return;
  Page.sending = true;
  const batch = Page.queue.splice(0, 200);
  try {
    const result = await P.send(`${CAT}/stocktakes/${Page.stocktake.id}/scans`, { barcodes: batch, run: $("run").value.trim() || null });
    renderProgress(Page.stocktake = await P.api(`${CAT}/stocktakes/${Page.stocktake.id}`));
    tell(result);
  } catch (error) {
    if (error instanceof P.NetworkError) Page.queue.unshift(...batch);
    DeskPage.failure("scan-msg", error);
  } finally {
    Page.sending = false;
    if (Page.queue.length) Page.timer = setTimeout(flush, 1000);
  }
}

// Enter from the scanner (a form with two fields and no button is not submitted by Enter: listen to it).
$("scan-form").addEventListener("submit", event => event.preventDefault());
$("barcode").addEventListener("keydown", event => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const code = $("barcode").value.trim();
  $("barcode").value = "";
  if (!code) return;
  Page.queue.push(code);
  clearTimeout(Page.timer); Page.timer = setTimeout(flush, 400);
});
$("file-form").addEventListener("submit", async event => {
  event.preventDefault();
  const file = $("scan-file").files[0];
  if (!file) return;
  const form = new FormData(); form.append("file", file); form.append("run", file.name);
  try {
    const result = await P.send(`${CAT}/stocktakes/${Page.stocktake.id}/scan-files`, null, { form, action: `file ${file.name} ${file.size}` });
    renderProgress(Page.stocktake = await P.api(`${CAT}/stocktakes/${Page.stocktake.id}`));
    tell(result);
  } catch (error) { DeskPage.failure("scan-msg", error); }
});
$("start").addEventListener("click", async () => {
  try {
    const started = await P.send(`${CAT}/libraries/${Page.library}/stocktakes`, null, { action: `start ${Page.library}` });
    await resume(started.id);
  } catch (error) {
    DeskPage.failure("so-msg", error);
    if (error.problem?.open_stocktake) await resume(error.problem.open_stocktake);
  }
});
$("history").addEventListener("click", event => { if (event.target.dataset.id) resume(Number(event.target.dataset.id)); });
$("finish").addEventListener("click", async () => {
  if (!confirm(t("confirm_finish"))) return;
  await flush();
  try {
    renderReport(await P.send(`${CAT}/stocktakes/${Page.stocktake.id}/finish`, { mark_missing_lost: $("mark-lost").checked }));
  } catch (error) { DeskPage.failure("so-msg", error); }
});

function section(title, rows) {
  return `<details ${rows.length ? "open" : ""}><summary>${esc(title)} (${rows.length})</summary>
    <ul class="meta">${rows.map(r => `<li>${r}</li>`).join("") || `<li>${esc(t("nothing"))}</li>`}</ul></details>`;
}
function renderReport(r) {
  Page.stocktake = r;
  $("report-heading").textContent = t("done_heading", r.id, when(r.finished_at));
  const line = c => `<span class="callno">${esc(c.call_number)}</span> ${esc(c.title)} · ${esc(c.barcode)}`;
  $("report").innerHTML = `<p>${esc(t("summary", r.found, r.expected + r.added_during.length, r.missing.length))}</p>` +
    section(t("sec_missing"), r.missing.map(line)) + section(t("sec_lost"), r.marked_lost.map(esc)) +
    section(t("sec_on_loan"), r.on_loan.map(line)) +
    section(t("sec_unexpected"), r.unexpected.map(u => esc(t(u.reason, u.barcode)))) +
    section(t("sec_unknown"), r.unknown.map(esc)) +
    section(t("sec_misshelved"), r.misshelved.map(m => `${line(m)} — ${esc(t("neighbours", m.neighbours_class))}`));
  show("report-view");
}
$("pdf").addEventListener("click", () => DeskPage.download(`${CAT}/stocktakes/${Page.stocktake.id}/report.pdf`, `stock-opname-${Page.stocktake.id}.pdf`));
$("xlsx").addEventListener("click", () => DeskPage.download(`${CAT}/stocktakes/${Page.stocktake.id}/report.xlsx`, `stock-opname-${Page.stocktake.id}.xlsx`));
$("new").addEventListener("click", () => load(Page.library));

DeskPage.start(load);
