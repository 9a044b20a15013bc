// Aid-package ingest at the desk: upload the Perpusnas manifest, read the report, fix rejected rows in the
// page and re-submit them (or accept a book without ISBN, or dismiss a line that is no book), then print
// spine and barcode labels for the new copies as an A4 PDF.
"use strict";
P.addTexts({
  package_heading: "Daftarkan paket buku bantuan", package_file: "Daftar buku (Excel XLSX, CSV atau JSON dari Perpusnas)",
  upload: "Unggah dan daftarkan", uploading: "Mengunggah dan memeriksa…",
  rejects_heading: "Baris yang ditolak — perbaiki lalu kirim ulang", packages_heading: "Paket yang sudah terdaftar",
  report_done: (a, r, items) => `Selesai: ${a} dari ${r} baris diterima, ${items} eksemplar dibuat.`,
  report_again: "Berkas ini sudah pernah didaftarkan untuk perpustakaan ini; tidak ada yang dibuat lagi.",
  rows: "Baris dibaca", accepted_rows: "Baris diterima", titles: "Judul", items_created: "Eksemplar dibuat",
  duplicates_merged: "Baris ganda digabung", recovered_isbns: "ISBN dipulihkan", rejected: "Baris ditolak",
  row: "Baris", problem: "Masalah", fix: "Perbaikan", actions: "Tindakan",
  resubmit: "Kirim ulang", without_isbn: "Terima tanpa ISBN", dismiss: "Abaikan",
  f_isbn: "ISBN", f_title: "Judul", f_authors: "Pengarang", f_publisher: "Penerbit", f_year: "Tahun", f_copies: "Jumlah",
  f_ddc: "No. Klas", f_category: "Kategori", f_language: "Bahasa", f_audience: "Sasaran", f_subtitle: "Anak judul",
  accepted: (n, codes) => `${n} eksemplar baru: ${codes}.`, dismissed: "Diabaikan.",
  fixed_row: n => `Baris ${n} diterima.`, dismissed_row: n => `Baris ${n} diabaikan.`,
  no_rejects: "Tidak ada baris yang menunggu perbaikan.", labels_all: "Cetak label semua eksemplar (PDF)",
  labels_row: "Cetak label", received: "Diterima", source: "Berkas", open_rejects: "Perlu perbaikan",
  review: "Tinjau", no_packages: "Belum ada paket.", value_was: v => `nilai: “${v}”`,
}, {
  package_heading: "Register an aid book package", package_file: "Book list (Excel XLSX, CSV or JSON from Perpusnas)",
  upload: "Upload and register", uploading: "Uploading and checking…",
  rejects_heading: "Rejected rows — fix and re-submit", packages_heading: "Registered packages",
  report_done: (a, r, items) => `Done: ${a} of ${r} rows accepted, ${items} copies created.`,
  report_again: "This file was already registered for this library; nothing new was created.",
  rows: "Rows read", accepted_rows: "Rows accepted", titles: "Titles", items_created: "Copies created",
  duplicates_merged: "Duplicate rows merged", recovered_isbns: "ISBNs recovered", rejected: "Rows rejected",
  row: "Row", problem: "Problem", fix: "Correction", actions: "Actions",
  resubmit: "Re-submit", without_isbn: "Accept without ISBN", dismiss: "Dismiss",
  f_isbn: "ISBN", f_title: "Title", f_authors: "Authors", f_publisher: "Publisher", f_year: "Year", f_copies: "Copies",
  f_ddc: "DDC", f_category: "Category", f_language: "Language", f_audience: "Audience", f_subtitle: "Subtitle",
  accepted: (n, codes) => `${n} new ${n === 1 ? "copy" : "copies"}: ${codes}.`, dismissed: "Dismissed.",
  fixed_row: n => `Row ${n} accepted.`, dismissed_row: n => `Row ${n} dismissed.`,
  no_rejects: "No rows waiting for a fix.", labels_all: "Print labels for all copies (PDF)",
  labels_row: "Print labels", received: "Received", source: "File", open_rejects: "Need fixing",
  review: "Review", no_packages: "No packages yet.", value_was: v => `value: “${v}”`,
});

// A file that is not a usable book list is said so in the user's language, whatever the server's detail.
Object.assign(P.ERRORS.id, {
  no_isbn_column: "Kolom ISBN tidak ditemukan di baris-baris awal berkas. Beri satu kolom berjudul \u201cISBN\u201d (kolom Judul, Pengarang, Penerbit, Tahun, Jumlah juga dikenali).",
  file_unusable: "Berkas ini tidak bisa dibaca sebagai daftar buku. Gunakan XLSX, CSV atau JSON dari Perpusnas.",
});
Object.assign(P.ERRORS.en, {
  no_isbn_column: "No ISBN column was found in the first rows of the file. Name one column \u201cISBN\u201d (Judul, Pengarang, Penerbit, Tahun, Jumlah are recognised too).",
  file_unusable: "This file cannot be read as a book list. Use the XLSX, CSV or JSON from Perpusnas.",
});

const Ingest = window.Ingest = (() => {
  const { $, esc, t } = P;
  const CAT = "/api/catalog/v1";
  const EDITABLE = ["isbn", "title", "authors", "year", "copies"];
  const fieldName = f => t("f_" + f) === "f_" + f ? f : t("f_" + f);
  let packageId = null;
  let rejections = [];
  const outcome = {};   // rejection id -> text shown after it was resolved

  function fail(box, error) {
    $(box).className = "msg bad";
    $(box).textContent = P.errorText(error instanceof P.ApiError ? error.problem : { code: "network" });
  }
  // An upload refused for a reason this page has no words for is still said in the user's language.
  function failUpload(error) {
    const problem = error instanceof P.ApiError ? error.problem : { code: "network" };
    const known = P.ERRORS.id[problem.code] || problem.code === "network";
    fail("package-msg", known ? error : new P.ApiError(error.status, { code: "file_unusable" }));
  }
  let report = null;   // the last upload's report, kept up to date as rows are fixed

  async function show() {
    try {
      const list = await P.api(`${CAT}/libraries/${encodeURIComponent(Desk.library)}/packages`);
      $("package-list").innerHTML = list.length ? `<div class="scroll"><table><thead><tr><th scope="col">${t("source")}</th>
        <th scope="col">${t("received")}</th><th scope="col" class="num">${t("items_created")}</th>
        <th scope="col" class="num">${t("open_rejects")}</th><th scope="col">${t("actions")}</th></tr></thead><tbody>
        ${list.map(p => `<tr><td>${esc(p.source_name)}</td><td>${esc(P.fmtDate(p.received_on))}</td>
          <td class="num">${p.items_created}</td><td class="num">${p.open_rejections}</td>
          <td class="actions"><button type="button" class="secondary" data-review="${p.id}">${t("review")}</button>
          <button type="button" class="secondary" data-labels="${p.id}">${t("labels_row")}</button></td></tr>`).join("")}
        </tbody></table></div>` : `<p>${t("no_packages")}</p>`;
    } catch (error) { fail("package-msg", error); }
  }

  function renderReport() {
    if (!report) { $("package-report").innerHTML = ""; return; }
    const keys = ["rows", "accepted_rows", "titles", "items_created", "duplicates_merged", "recovered_isbns"];
    $("package-report").innerHTML = `<div class="kpis">${keys.map(k => `<div class="kpi"><b>${P.fmtNumber(report[k])}</b>${t(k)}</div>`).join("")}
      <div class="kpi"><b class="${report.rejected.length ? "out" : ""}">${report.rejected.length}</b>${t("rejected")}</div></div>
      <p><button type="button" class="primary" data-labels="${report.package_id}">${t("labels_all")}</button></p>`;
  }

  $("package-form").addEventListener("submit", async event => {
    event.preventDefault();
    const file = $("package-file").files[0];
    if (!file) return;
    const form = new FormData(); form.append("file", file);
    $("package-msg").className = "msg"; $("package-msg").textContent = t("uploading");
    try {
      const answer = await P.send(`${CAT}/libraries/${encodeURIComponent(Desk.library)}/packages`, undefined,
        { form, action: `package ${Desk.library} ${file.name} ${file.size} ${file.lastModified}` });
      report = answer;
      $("package-msg").className = report.rejected.length || report.already_ingested ? "msg warn" : "msg ok";
      $("package-msg").textContent = report.already_ingested ? t("report_again")
        : t("report_done", report.accepted_rows, report.rows, report.items_created);
      report = { ...report, rejected: report.rejected.slice() };
      renderReport();
      await loadRejections(report.package_id);
      show();
    } catch (error) { failUpload(error); }
  });

  async function loadRejections(id) {
    packageId = id;
    rejections = await P.api(`${CAT}/packages/${id}/rejections?status=all`);
    renderRejections();
  }

  function renderRejections() {
    $("rejects-panel").hidden = !packageId;
    const open = rejections.filter(r => r.status === "open" || outcome[r.id]);
    if (!open.length) { $("rejects").innerHTML = `<caption>${t("no_rejects")}</caption>`; return; }
    $("rejects").innerHTML = `<thead><tr><th scope="col">${t("row")}</th><th scope="col">${t("problem")}</th>
      <th scope="col">${t("fix")}</th><th scope="col">${t("actions")}</th></tr></thead><tbody>${open.map(r => {
        const fields = EDITABLE.includes(r.field) || !(r.field in r.values) ? EDITABLE : [r.field, ...EDITABLE];
        if (outcome[r.id]) return `<tr id="reject-${r.id}" data-status="${esc(r.status)}"><th scope="row">${r.row}</th>
          <td colspan="3" class="shelf">${esc(outcome[r.id].text)} ${outcome[r.id].barcodes?.length
            ? `<button type="button" class="secondary" data-labels="${packageId}" data-barcodes="${esc(outcome[r.id].barcodes.join(","))}">${t("labels_row")}</button>` : ""}</td></tr>`;
        return `<tr id="reject-${r.id}" data-status="open"><th scope="row">${r.row}</th>
        <td><b>${esc(fieldName(r.field))}</b>: ${esc(P.errorText({ code: r.code, detail: r.message }))}
          <div class="muted">${esc(t("value_was", r.value))}</div><div class="msg bad" id="reject-msg-${r.id}" role="alert"></div></td>
        <td><div class="grid2">${fields.map(f => `<label class="${f === r.field ? "bad-field" : ""}">${esc(fieldName(f))}
          <input type="text" name="${f}" data-rid="${r.id}" value="${esc(r.values[f] ?? "")}"
            ${f === r.field ? 'aria-invalid="true"' : ""} autocomplete="off"></label>`).join("")}</div></td>
        <td class="actions"><button type="button" class="primary" data-act="resubmit" data-rid="${r.id}">${t("resubmit")}</button>
          <button type="button" class="secondary" data-act="without_isbn" data-rid="${r.id}">${t("without_isbn")}</button>
          <button type="button" class="secondary" data-act="dismiss" data-rid="${r.id}">${t("dismiss")}</button></td></tr>`;
      }).join("")}</tbody>`;
    // The field in error is marked on its cell, for sighted users, and by aria-invalid for screen readers.
    $("rejects").querySelectorAll("input[aria-invalid]").forEach(i => i.closest("label").classList.add("bad-field"));
  }

  async function act(kind, rid) {
    const r = rejections.find(x => x.id === rid);
    const values = {};
    $("rejects").querySelectorAll(`input[data-rid="${rid}"]`).forEach(i => {
      if (i.value.trim() !== (r.values[i.name] ?? "")) values[i.name] = i.value.trim();
    });
    const base = `${CAT}/packages/${packageId}/rejections/${rid}`;
    try {
      if (kind === "dismiss") {
        await P.send(`${base}/dismissal`, undefined, { action: `dismiss ${rid}` });
        outcome[rid] = { text: t("dismissed_row", r.row) };
      } else {
        // "Without ISBN" when the ISBN is what is wrong: the faulty ISBN is not sent (the row keeps its raw
        // value in the review list), so the librarian need not clear the field first.
        if (kind === "without_isbn" && r.field === "isbn") values.isbn = "";
        const body = kind === "without_isbn" ? { values, without_isbn: true } : { values };
        const done = await P.send(`${base}/resubmissions`, body);
        outcome[rid] = { text: `${t("fixed_row", r.row)} ${t("accepted", done.barcodes.length, done.barcodes.join(", "))}`,
                         barcodes: done.barcodes };
        if (report?.package_id === packageId) {
          report.accepted_rows += 1; report.items_created += done.barcodes.length;
        }
      }
      if (report?.package_id === packageId) report.rejected = report.rejected.filter(x => x.row !== r.row);
      renderReport();
      $("rejects-msg").className = "msg ok"; $("rejects-msg").textContent = outcome[rid].text;
      await loadRejections(packageId);
      show();
    } catch (error) {
      fail(`reject-msg-${rid}`, error);
      markField(rid, error instanceof P.ApiError ? error.problem.field : null);
      $(`reject-msg-${rid}`)?.scrollIntoView({ block: "nearest" });
    }
  }

  /** The field the server found wrong is the one highlighted (and announced as invalid). */
  function markField(rid, field) {
    const inputs = $("rejects").querySelectorAll(`input[data-rid="${rid}"]`);
    if (!field || ![...inputs].some(i => i.name === field)) return;
    inputs.forEach(i => {
      const bad = i.name === field;
      i.closest("label").classList.toggle("bad-field", bad);
      if (bad) i.setAttribute("aria-invalid", "true"); else i.removeAttribute("aria-invalid");
    });
  }

  $("rejects").addEventListener("click", e => {
    const b = e.target.closest("button[data-act]");
    if (b) act(b.dataset.act, +b.dataset.rid);
  });

  // Labels come from the catalogue with the staff token, so they are fetched and handed over as a blob.
  async function labels(id, barcodes) {
    const q = barcodes ? `?barcodes=${encodeURIComponent(barcodes)}` : "";
    try {
      const answer = await P.api(`${CAT}/packages/${id}/labels.pdf${q}`, { raw: true });
      const url = URL.createObjectURL(await answer.blob());
      const a = document.createElement("a");
      a.href = url; a.download = `label-paket-${id}.pdf`; document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) { fail("package-msg", error); }
  }
  $("tab-paket").addEventListener("click", e => {
    const l = e.target.closest("[data-labels]");
    if (l) { labels(l.dataset.labels, l.dataset.barcodes); return; }
    const r = e.target.closest("[data-review]");
    if (r) loadRejections(+r.dataset.review).then(() => $("rejects-panel").scrollIntoView());
  });
  Desk.onLibrary.push(() => { packageId = null; rejections = []; report = null; renderReport(); $("rejects-panel").hidden = true; });
  P.onLang(() => { renderReport(); renderRejections(); show(); });
  return { show };
})();
