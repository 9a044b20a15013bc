// Catalogue care at the desk: edit a title (call numbers follow, labels reprinted), classify the titles
// without a class from suggestions, add donated or bought copies by ISBN/EAN-13, withdraw or mark damaged.
"use strict";
const { $, esc, t } = P;
const CAT = "/api/catalog/v1";
P.addTexts({
  kat_title: "Perawatan Katalog — Pustaka Desa", kat_heading: "Perawatan katalog", tab_edit: "Ubah judul",
  tab_classify: "Klasifikasi", tab_add: "Tambah eksemplar", tab_weed: "Keluarkan / rusak",
  find_isbn: "ISBN (pindai sampul belakang atau ketik)", open: "Buka", f_title: "Judul", f_subtitle: "Anak judul",
  f_authors: "Pengarang (satu per baris)", f_author: "Pengarang", f_publisher: "Penerbit", f_year: "Tahun terbit",
  f_language: "Bahasa (ind, eng, jav…)", f_ddc: "Nomor klas DDC", f_audience: "Sasaran pembaca", f_category: "Kategori",
  f_subjects: "Subjek (pisahkan dengan koma)", save: "Simpan", print_new_labels: "Cetak label buku baru", print_labels: "Cetak ulang label punggung",
  classify_heading: "Judul tanpa nomor klas", classify_help: "Periksa saran, ubah bila perlu, centang, lalu simpan sekaligus.",
  confirm: "Setujui", book: "Buku", because: "Dasar saran", prev: "‹ Sebelumnya", next: "Berikutnya ›",
  classify_save: "Simpan klasifikasi yang dicentang", add_heading: "Tambah eksemplar (sumbangan atau pembelian)",
  source: "Sumber", donation: "Sumbangan", purchase: "Pembelian", acquired_on: "Tanggal diterima", copies: "Jumlah eksemplar",
  add: "Tambahkan", weed_heading: "Keluarkan atau tandai rusak", barcode: "Barcode buku", reason: "Alasan",
  withdraw: "Keluarkan dari koleksi", damage: "Tandai rusak",
  saved: n => n ? `Tersimpan. ${n} eksemplar mendapat nomor panggil baru: cetak ulang labelnya.` : "Tersimpan.",
  holdings: (c, h) => `Nomor panggil: ${c} · dimiliki ${h} perpustakaan`,
  known: (title, by) => `Sudah ada di katalog: ${title}${by ? " — " + by : ""}`, unknown_isbn: "Belum ada di katalog: isi judulnya.",
  added: (n, c, b) => `${n} eksemplar ditambahkan, nomor panggil ${c}. Barcode: ${b}`,
  classified: n => `${n} judul diberi nomor klas.`, none_checked: "Belum ada yang dicentang.",
  page: (p, n) => `Halaman ${p} dari ${n}`, all_classified: "Semua judul sudah punya nomor klas.",
  weeded: (b, s) => `Eksemplar ${b} sekarang: ${s === "withdrawn" ? "dikeluarkan" : "rusak"}.`, no_suggestion: "—",
}, {
  kat_title: "Catalogue care — Pustaka Desa", kat_heading: "Catalogue care", tab_edit: "Edit title",
  tab_classify: "Classification", tab_add: "Add copies", tab_weed: "Withdraw / damaged",
  find_isbn: "ISBN (scan the back cover or type)", open: "Open", f_title: "Title", f_subtitle: "Subtitle",
  f_authors: "Authors (one per line)", f_author: "Author", f_publisher: "Publisher", f_year: "Year published",
  f_language: "Language (ind, eng, jav…)", f_ddc: "DDC class", f_audience: "Audience", f_category: "Category",
  f_subjects: "Subjects (comma-separated)", save: "Save", print_new_labels: "Print the new books' labels", print_labels: "Reprint spine labels",
  classify_heading: "Titles without a class", classify_help: "Check the suggestions, change them if needed, tick, then save them together.",
  confirm: "Confirm", book: "Book", because: "Suggested from", prev: "‹ Previous", next: "Next ›",
  classify_save: "Save the ticked classes", add_heading: "Add copies (donation or purchase)",
  source: "Source", donation: "Donation", purchase: "Purchase", acquired_on: "Date received", copies: "Copies",
  add: "Add", weed_heading: "Withdraw or mark damaged", barcode: "Book barcode", reason: "Reason",
  withdraw: "Withdraw from the collection", damage: "Mark damaged",
  saved: n => n ? `Saved. ${n} copies got a new call number: reprint their labels.` : "Saved.",
  holdings: (c, h) => `Call number: ${c} · held by ${h} libraries`,
  known: (title, by) => `Already in the catalogue: ${title}${by ? " — " + by : ""}`, unknown_isbn: "Not in the catalogue yet: fill in its title.",
  added: (n, c, b) => `${n} copies added, call number ${c}. Barcodes: ${b}`,
  classified: n => `${n} titles classified.`, none_checked: "Nothing is ticked yet.",
  page: (p, n) => `Page ${p} of ${n}`, all_classified: "Every title has a class.",
  weeded: (b, s) => `Copy ${b} is now ${s}.`, no_suggestion: "—",
});
// Here a book on loan is refused for withdrawal as well as for damage: the shell's text speaks only of damage.
P.ERRORS.id.item_on_loan = "Buku ini sedang dipinjam. Kembalikan dulu di meja layanan.";
P.ERRORS.en.item_on_loan = "This book is on loan. Check it in at the desk first.";

const Page = { library: "", isbn: null, relabelled: [], added: [], classifyPage: 1 };
const lines = v => v.split(/\n/).map(s => s.trim()).filter(Boolean);
const orNull = v => v.trim() === "" ? null : v.trim();

// ---- tabs by hash ----
const LOADERS = { klasifikasi: () => loadUnclassified() };
function route() {
  const name = (location.hash || "#judul").slice(1);
  const tab = $(`tab-${name}`) ? name : "judul";
  document.querySelectorAll("[data-tab]").forEach(s => { s.hidden = s.id !== `tab-${tab}`; });
  document.querySelectorAll(".tabs a").forEach(a => {
    if (a.getAttribute("href") === `#${tab}`) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (Page.library) (LOADERS[tab] || (() => {}))();
}
window.addEventListener("hashchange", route);

// ---- edit a title ----
async function openTitle(isbn) {
  $("relabel").hidden = true;
  try {
    const title = await P.api(`${CAT}/titles/${encodeURIComponent(isbn)}`);
    Page.isbn = title.isbn13 || title.local_code;
    $("edit-isbn").textContent = `ISBN ${title.isbn || title.local_code}`;
    $("f-title").value = title.title; $("f-subtitle").value = title.subtitle || "";
    $("f-authors").value = (title.authors || []).join("\n"); $("f-publisher").value = title.publisher || "";
    $("f-year").value = title.year ?? ""; $("f-language").value = title.language || ""; $("f-ddc").value = title.ddc || "";
    $("f-audience").value = title.audience || ""; $("f-category").value = title.category || "";
    $("f-subjects").value = (title.subjects || []).join(", ");
    const here = title.holdings.find(h => h.library === Page.library) || title.holdings[0];
    $("f-hint").textContent = here ? t("holdings", here.call_number, title.holdings.length) : "";
    $("edit-form").hidden = false; $("edit-msg").textContent = "";
    $("f-title").focus();
  } catch (error) { $("edit-form").hidden = true; DeskPage.failure("edit-msg", error); }
}
$("find-form").addEventListener("submit", event => { event.preventDefault(); openTitle($("find-isbn").value.trim()); });
$("edit-form").addEventListener("submit", async event => {
  event.preventDefault();
  const year = $("f-year").value.trim();
  const body = {
    title: $("f-title").value, subtitle: orNull($("f-subtitle").value), authors: lines($("f-authors").value),
    publisher: orNull($("f-publisher").value), year: year ? Number(year) : null, language: orNull($("f-language").value),
    ddc: orNull($("f-ddc").value), audience: orNull($("f-audience").value), category: orNull($("f-category").value),
    subjects: $("f-subjects").value.split(",").map(s => s.trim()).filter(Boolean),
  };
  try {
    const title = await P.api(`${CAT}/titles/${encodeURIComponent(Page.isbn)}`, { method: "PATCH", body });
    const here = title.holdings.find(h => h.library === Page.library) || title.holdings[0];
    $("f-hint").textContent = here ? t("holdings", here.call_number, title.holdings.length) : "";
    Page.relabelled = title.relabelled;
    DeskPage.say("edit-msg", "ok", t("saved", title.relabelled.length));
    $("relabel").hidden = title.relabelled.length === 0;
    $("relabel-text").textContent = here ? here.call_number : "";
  } catch (error) { DeskPage.failure("edit-msg", error); }
});
$("relabel-print").addEventListener("click", () => DeskPage.download(
  `${CAT}/libraries/${Page.library}/labels.pdf?kind=spine&barcodes=${Page.relabelled.join(",")}`, "label-punggung.pdf")
  .catch(error => DeskPage.failure("edit-msg", error)));

// ---- classification ----
async function loadUnclassified() {
  const body = $("classify-table").tBodies[0];
  try {
    const page = await P.api(`${CAT}/libraries/${Page.library}/unclassified?per_page=25&page=${Page.classifyPage}`);
    const pages = Math.max(1, Math.ceil(page.total / page.per_page));
    $("classify-page").textContent = t("page", page.page, pages);
    $("classify-prev").disabled = page.page <= 1; $("classify-next").disabled = page.page >= pages;
    if (!page.titles.length) DeskPage.say("classify-msg", "ok", t("all_classified"));
    body.innerHTML = page.titles.map((r, i) => {
      const id = esc(r.isbn13 || r.local_code);
      return `<tr data-isbn="${id}">
        <td data-label="${esc(t("confirm"))}"><label class="check"><input type="checkbox" ${r.suggested_ddc ? "checked" : ""} aria-label="${esc(t("confirm"))} ${esc(r.title)}"></label></td>
        <td data-label="${esc(t("book"))}"><button type="button" class="link" data-open="${id}">${esc(r.title)}</button>
          <div class="muted">${esc((r.authors || []).join("; "))} · ${esc(r.isbn || r.local_code)}</div></td>
        <td data-label="${esc(t("f_ddc"))}"><input type="text" inputmode="decimal" value="${esc(r.suggested_ddc || "")}" aria-label="${esc(t("f_ddc"))} ${esc(r.title)}" size="9"></td>
        <td data-label="${esc(t("because"))}">${esc(r.suggested_because || t("no_suggestion"))}</td></tr>`;
    }).join("");
  } catch (error) { DeskPage.failure("classify-msg", error); }
}
$("classify-table").addEventListener("click", event => {
  const isbn = event.target.dataset?.open;
  if (isbn) { location.hash = "#judul"; $("find-isbn").value = isbn; openTitle(isbn); }
});
$("classify-table").addEventListener("input", event => {
  if (event.target.type === "text") event.target.closest("tr").querySelector("input[type=checkbox]").checked = event.target.value.trim() !== "";
});
$("classify-prev").addEventListener("click", () => { Page.classifyPage -= 1; loadUnclassified(); });
$("classify-next").addEventListener("click", () => { Page.classifyPage += 1; loadUnclassified(); });
$("classify-save").addEventListener("click", async () => {
  const titles = [...$("classify-table").tBodies[0].rows]
    .filter(r => r.querySelector("input[type=checkbox]").checked && r.querySelector("input[type=text]").value.trim())
    .map(r => ({ isbn: r.dataset.isbn, ddc: r.querySelector("input[type=text]").value.trim() }));
  if (!titles.length) { DeskPage.say("classify-msg", "warn", t("none_checked")); return; }
  try {
    const done = await P.send(`${CAT}/classifications`, { titles });
    DeskPage.say("classify-msg", "ok", t("classified", done.classified.length));
    await loadUnclassified();
    DeskPage.say("classify-msg", "ok", t("classified", done.classified.length));
  } catch (error) { DeskPage.failure("classify-msg", error); }
});

// ---- add copies ----
// A scanned EAN-13 that is not a book's (a magazine's 977…, a product's) is said at once, before any look-up,
// so the form never asks for the title of something that cannot be catalogued.
const NOT_A_BOOK = /^(?!97[89])\d{13}$/;
async function lookUp() {
  const isbn = $("a-isbn").value.trim();
  if (!isbn) return;
  if (NOT_A_BOOK.test(isbn.replace(/[\s-]/g, ""))) {
    $("a-known").textContent = ""; $("a-new").hidden = true;
    DeskPage.say("add-msg", "bad", P.errorText({ code: "ean_not_a_book" }));
    return;
  }
  try {
    const title = await P.api(`${CAT}/titles/${encodeURIComponent(isbn)}`);
    $("a-known").textContent = t("known", title.title, (title.authors || []).join("; ")); $("a-new").hidden = true;
  } catch (error) {
    if (error instanceof P.ApiError && error.status === 404) { $("a-known").textContent = t("unknown_isbn"); $("a-new").hidden = false; $("a-title").focus(); }
    else $("a-known").textContent = DeskPage.problem(error);
  }
}
$("a-isbn").addEventListener("change", lookUp);
$("a-isbn").addEventListener("keydown", event => { if (event.key === "Enter") { event.preventDefault(); lookUp(); } });
$("add-form").addEventListener("submit", async event => {
  event.preventDefault();
  const body = { isbn: $("a-isbn").value.trim(), source: $("a-source").value, acquired_on: $("a-date").value,
                 copies: Number($("a-copies").value || 1) };
  if (!$("a-new").hidden) Object.assign(body, { title: orNull($("a-title").value), ddc: orNull($("a-ddc").value),
                                                authors: $("a-authors").value.trim() ? [$("a-authors").value.trim()] : [] });
  try {
    const done = await P.send(`${CAT}/libraries/${Page.library}/acquisitions`, body);
    DeskPage.say("add-msg", "ok", t("added", done.barcodes.length, done.call_number, done.barcodes.join(", ")));
    Page.added = done.barcodes; $("add-labels").hidden = false;
    $("a-isbn").value = ""; $("a-known").textContent = ""; $("a-new").hidden = true; $("a-isbn").focus();
  } catch (error) { DeskPage.failure("add-msg", error); }
});

$("add-labels").addEventListener("click", () => DeskPage.download(
  `${CAT}/libraries/${Page.library}/labels.pdf?kind=both&barcodes=${Page.added.join(",")}`, "label-buku-baru.pdf")
  .catch(error => DeskPage.failure("add-msg", error)));

// ---- withdraw or mark damaged ----
$("weed-form").addEventListener("submit", async event => {
  event.preventDefault();
  const kind = event.submitter?.value || "withdrawal";
  const barcode = $("w-barcode").value.trim();
  try {
    const item = await P.send(`${CAT}/items/${encodeURIComponent(barcode)}/${kind}`, { reason: $("w-reason").value });
    DeskPage.say("weed-msg", "ok", t("weeded", item.barcode, item.status));
    $("w-barcode").value = ""; $("w-barcode").focus();
  } catch (error) { DeskPage.failure("weed-msg", error); }
});

$("a-date").value = P.today();
DeskPage.start(library => { Page.library = library; Page.classifyPage = 1; route(); });
