// The shell of every staff page beside the loan desk (members, holds, copies, visits, kiosk, reads, activities,
// catalogue care, stock-take), the one place their shared parts are built: the skip link, the offline banner,
// the header's user, log-out and language buttons, the librarian's login (the same session as /desk/, kept in
// this tab), the library the page serves (an admin or district user chooses it), messages in the user's
// language, and dates in Asia/Jakarta whatever the device's clock. A page's HTML holds only its <head>, its
// <header class="bar"> with the page's <h1>, and its own content in <div id="page-view" hidden> inside <main>.
// A page calls DeskPage.start(onLibrary): onLibrary(code) runs after login and whenever the library changes.
"use strict";
const DeskPage = window.DeskPage = (() => {
  const { $, esc, t } = P;
  const CIRC = "/api/circulation/v1";
  P.addTexts({
    login_heading: "Masuk sebagai pustakawan", library: "Perpustakaan", logged_out: "Anda sudah keluar.", back_desk: "← Meja layanan",
    who: (u, r) => `${u} (${r})`, role_librarian: "pustakawan", role_admin: "admin", role_district: "dinas",
    cat_anak: "Anak", cat_remaja: "Remaja", cat_dewasa: "Dewasa", cat_lansia: "Lansia",
    cat_hint_anak: "0–12 tahun", cat_hint_remaja: "13–17 tahun", cat_hint_dewasa: "18–59 tahun", cat_hint_lansia: "60 tahun ke atas",
    g_L: "Laki-laki", g_P: "Perempuan", total: "Jumlah", save: "Simpan", cancel: "Batal", date: "Tanggal",
    sum_mismatch: (what, sum, total) => `Rincian ${what.toLowerCase()} berjumlah ${sum}, padahal jumlahnya ${total}.`,
    by_category: "Menurut kategori umur", by_gender: "Menurut jenis kelamin", none_yet: "Belum ada.",
    pdf_ready: "Kartu siap: berkas PDF sudah diunduh. Buka lalu cetak di kertas A4.",
  }, {
    login_heading: "Log in as a librarian", library: "Library", logged_out: "You have logged out.", back_desk: "← Desk",
    who: (u, r) => `${u} (${r})`, role_librarian: "librarian", role_admin: "admin", role_district: "district",
    cat_anak: "Child", cat_remaja: "Teenager", cat_dewasa: "Adult", cat_lansia: "Elderly",
    cat_hint_anak: "0–12 years", cat_hint_remaja: "13–17 years", cat_hint_dewasa: "18–59 years", cat_hint_lansia: "60 years and over",
    g_L: "Male", g_P: "Female", total: "Total", save: "Save", cancel: "Cancel", date: "Date",
    sum_mismatch: (what, sum, total) => `The breakdown ${what.toLowerCase()} adds up to ${sum}, but the total is ${total}.`,
    by_category: "By age group", by_gender: "By gender", none_yet: "Nothing yet.",
    pdf_ready: "The cards are ready: the PDF file is downloaded. Open it and print on A4 paper.",
  });
  Object.assign(P.ERRORS.id, {   // catalogue care and stock-take (katalog, stok-opname)
    ean_not_a_book: "Barcode ini bukan ISBN buku (tidak diawali 978/979): mungkin majalah atau barang lain.",
    title_required: "ISBN ini belum ada di katalog: isi judulnya.",
    item_already_withdrawn: "Buku ini sudah dikeluarkan.", item_withdrawn: "Buku ini sudah dikeluarkan dari koleksi.",
    reason_required: "Isi alasannya.",
    stocktake_already_open: "Masih ada stock opname yang berjalan di perpustakaan ini: lanjutkan atau selesaikan dulu.",
    stocktake_finished: "Stock opname ini sudah selesai: pemindaian tidak diterima lagi.",
    stocktake_not_found: "Stock opname tidak ditemukan.", language_invalid: "Kode bahasa 3 huruf, mis. ind atau eng.",
    audience_invalid: "Sasaran pembaca tidak sah.", acquired_on_future: "Tanggal perolehan di masa depan.",
    too_many_barcodes: "Terlalu banyak barcode sekaligus.",
  });
  Object.assign(P.ERRORS.en, {
    ean_not_a_book: "This barcode is not a book's ISBN (it does not start with 978/979): a magazine or another product.",
    title_required: "This ISBN is not in the catalogue yet: fill in its title.",
    item_already_withdrawn: "This book is already withdrawn.", item_withdrawn: "This book has been withdrawn.",
    reason_required: "Give the reason.",
    stocktake_already_open: "A stock-take of this library is still open: continue it or finish it first.",
    stocktake_finished: "This stock-take is finished: scans are no longer taken.",
    stocktake_not_found: "Stock-take not found.", language_invalid: "A 3-letter language code, e.g. ind or eng.",
    audience_invalid: "Invalid audience.", acquired_on_future: "The acquisition date is in the future.",
    too_many_barcodes: "Too many barcodes at once.",
  });
  P.ERRORS.id.item_already_damaged = "Buku ini sudah tercatat rusak.";
  P.ERRORS.en.item_already_damaged = "This book is already marked damaged.";
  P.ERRORS.id.item_not_damaged = "Buku ini tidak tercatat rusak.";
  P.ERRORS.en.item_not_damaged = "This book is not marked damaged.";
  P.ERRORS.id.item_on_loan = "Buku ini sedang dipinjam. Terima kembali dulu, lalu catat rusak.";
  P.ERRORS.en.item_on_loan = "This book is on loan. Check it in first, then mark it damaged.";
  P.ERRORS.id.visit_tally_changed = "Hitungan hari ini berubah sejak dibuka (ada pengunjung baru tercatat). Periksa angkanya lalu simpan lagi.";
  P.ERRORS.en.visit_tally_changed = "The day's count changed since you opened it (a new visitor was recorded). Check the figures and save again.";
  P.ERRORS.id.breakdown_sum_mismatch = "Rincian per kategori atau jenis kelamin tidak sama dengan jumlahnya.";
  P.ERRORS.en.breakdown_sum_mismatch = "The breakdown by group or gender does not add up to the total.";
  P.ERRORS.id.date_in_future = "Tanggal ini belum terjadi.";
  P.ERRORS.en.date_in_future = "This date is in the future.";
  P.ERRORS.id.date_too_old = "Tanggal ini lebih dari lima tahun lalu.";
  P.ERRORS.en.date_too_old = "This date is more than five years ago.";
  P.ERRORS.id.member_other_library = "Anggota ini terdaftar di perpustakaan lain; cetak kartunya di sana.";
  P.ERRORS.en.member_other_library = "This member belongs to another library; print the card there.";
  P.ERRORS.id.item_other_library = "Buku ini milik perpustakaan lain.";
  P.ERRORS.en.item_other_library = "This book belongs to another library.";
  P.ERRORS.id.visitor_invalid = "Pilih kategori umur dan jenis kelamin.";
  P.ERRORS.en.visitor_invalid = "Choose an age group and a gender.";

  const CATEGORIES = ["anak", "remaja", "dewasa", "lansia"];
  const GENDERS = ["L", "P"];
  const state = { library: "", session: null, onLibrary: null };

  /** Today in Asia/Jakarta (YYYY-MM-DD), whatever time zone the device is set to. */
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
  /** The Asia/Jakarta day (YYYY-MM-DD) of a moment (ISO timestamp). */
  const dayOf = ts => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date(ts));
  const locale = () => (P.lang === "id" ? "id-ID" : "en-GB");
  /** A date (YYYY-MM-DD) as people write it, e.g. 26 Nov 2026. */
  const date = d => d ? new Date(`${d}T00:00:00Z`).toLocaleDateString(locale(),
    { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "";
  /** A moment (ISO timestamp) as a Jakarta clock time, e.g. 14.05. */
  const time = ts => ts ? new Date(ts).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Jakarta" }) : "";

  function say(box, kind, text) {
    const el = typeof box === "string" ? $(box) : box;
    el.className = `msg ${kind}`; el.textContent = text;
  }
  /** An error in words: a lost connection, or the API's refusal in the user's language. */
  function problem(error) {
    if (error instanceof P.NetworkError) return P.errorText({ code: "network" });
    if (error instanceof P.ApiError) return P.errorText(error.problem);
    console.error(error);
    return P.errorText(null);
  }
  const failure = (box, error) => say(box, "bad", problem(error));

  /** The shared parts of the page, around what its HTML holds (the texts come with P.start's translation). */
  function chrome() {
    const header = document.querySelector("header.bar");
    header.insertAdjacentHTML("beforebegin", `<a class="skip" href="#main" data-t="skip"></a>
      <div id="offline" class="banner" role="alert" hidden data-t="offline"></div>`);
    header.insertAdjacentHTML("beforeend", `<span class="who" id="who"></span>
      <span><button id="logout" type="button" hidden data-t="logout"></button>
      <button id="lang" type="button" lang="en"></button></span>`);
    $("main").insertAdjacentHTML("afterbegin",
      `<section id="login-view" class="panel" hidden aria-labelledby="login-heading">${loginMarkup()}</section>`);
    $("page-view").insertAdjacentHTML("afterbegin", `<div class="row"><div class="grow" id="library-choice" hidden>
      <label for="desk-library" data-t="library"></label><select id="desk-library"></select></div></div>`);
  }

  function loginMarkup() {
    return `<h2 id="login-heading" data-t="login_heading"></h2>
      <form id="login-form">
        <label for="username" data-t="username"></label>
        <input id="username" type="text" autocomplete="username" required autocapitalize="none">
        <label for="password" data-t="password"></label>
        <input id="password" type="password" autocomplete="current-password" required>
        <button class="primary" type="submit" data-t="login"></button>
      </form>
      <p id="login-msg" class="msg bad" role="alert"></p>`;
  }

  function showLogin(message) {
    P.session.clear(); state.session = null;
    $("page-view").hidden = true; $("login-view").hidden = false; $("logout").hidden = true; $("who").textContent = "";
    $("login-msg").textContent = message || "";
    $("username").focus();
  }

  async function enter() {
    state.session = P.session.get();
    if (!state.session?.token) { showLogin(); return; }
    $("login-view").hidden = true; $("page-view").hidden = false; $("logout").hidden = false;
    $("who").textContent = t("who", state.session.username, t("role_" + state.session.role));
    if (state.session.role === "librarian") {
      state.library = state.session.scope; $("library-choice").hidden = true;
    } else {
      let libraries = [];
      try { libraries = await P.api("/api/catalog/v1/libraries"); } catch { /* the banner says why */ }
      const mine = libraries.filter(l => state.session.role === "admin" || l.code.startsWith(state.session.scope || ""));
      const select = $("desk-library");
      select.innerHTML = mine.map(l => `<option value="${esc(l.code)}">${esc(l.name)} (${esc(l.kecamatan)})</option>`).join("");
      const saved = sessionStorage.getItem("pustaka.deskLibrary");
      if (saved && mine.some(l => l.code === saved)) select.value = saved;
      state.library = select.value; $("library-choice").hidden = false;
    }
    state.onLibrary?.(state.library);
  }

  /** `confirmLogout`: a question asked before logging out (the kiosk, where visitors touch the screen). */
  function start(onLibrary, { confirmLogout } = {}) {
    state.onLibrary = onLibrary;
    chrome();
    P.start();
    P.onUnauthorized = () => showLogin(P.errorText({ code: "token_invalid" }));
    $("login-form").addEventListener("submit", async event => {
      event.preventDefault();
      $("login-msg").textContent = "";
      try {
        const username = $("username").value.trim();
        const answer = await P.api(`${CIRC}/auth/login`, { method: "POST", body: { username, password: $("password").value } });
        P.session.set({ token: answer.access_token, role: answer.role, scope: answer.scope, username });
        $("password").value = "";
        await enter();
      } catch (error) {
        $("login-msg").textContent = error instanceof P.ApiError ? P.errorText(error.problem) : P.errorText({ code: "network" });
      }
    });
    $("logout").addEventListener("click", event => {
      if (confirmLogout && !window.confirm(t(confirmLogout))) { event.stopImmediatePropagation(); return; }
      showLogin(t("logged_out"));
    });
    $("desk-library").addEventListener("change", () => {
      state.library = $("desk-library").value; sessionStorage.setItem("pustaka.deskLibrary", state.library);
      state.onLibrary?.(state.library);
    });
    P.onLang(() => { if (state.session) $("who").textContent = t("who", state.session.username, t("role_" + state.session.role)); });
    enter();
  }

  /** Number inputs for a split by category and gender (names `cat_anak`…, `g_L`…), for a form. */
  function splitInputs(prefix) {
    const cats = CATEGORIES.map(c => `<label class="count-in"><span data-t="cat_${c}"></span>
      <input type="number" min="0" max="100000" inputmode="numeric" name="${prefix}cat_${c}" value="0"></label>`).join("");
    const gens = GENDERS.map(g => `<label class="count-in"><span data-t="g_${g}"></span>
      <input type="number" min="0" max="100000" inputmode="numeric" name="${prefix}g_${g}" value="0"></label>`).join("");
    return `<fieldset class="split"><legend data-t="by_category"></legend><div class="counts">${cats}</div></fieldset>
      <fieldset class="split"><legend data-t="by_gender"></legend><div class="counts">${gens}</div></fieldset>`;
  }
  /** The split a form holds: {by_category, by_gender} without zeros. */
  function readSplit(form, prefix) {
    const n = name => Number(form.elements[`${prefix}${name}`].value || 0);
    const by_category = {}, by_gender = {};
    CATEGORIES.forEach(c => { if (n(`cat_${c}`)) by_category[c] = n(`cat_${c}`); });
    GENDERS.forEach(g => { if (n(`g_${g}`)) by_gender[g] = n(`g_${g}`); });
    return { by_category, by_gender };
  }
  function fillSplit(form, prefix, split) {
    CATEGORIES.forEach(c => { form.elements[`${prefix}cat_${c}`].value = split.by_category?.[c] || 0; });
    GENDERS.forEach(g => { form.elements[`${prefix}g_${g}`].value = split.by_gender?.[g] || 0; });
  }
  const sum = o => Object.values(o).reduce((a, b) => a + b, 0);
  /** The message for a split that does not add up to its total, or "" when it does. */
  function splitProblem(split, total) {
    if (sum(split.by_category) !== total) return t("sum_mismatch", t("by_category"), sum(split.by_category), total);
    if (sum(split.by_gender) !== total) return t("sum_mismatch", t("by_gender"), sum(split.by_gender), total);
    return "";
  }
  const splitText = o => Object.entries(o || {}).map(([k, v]) => `${t(CATEGORIES.includes(k) ? "cat_" + k : "g_" + k)} ${v}`).join(", ");

  /** Save a file the API answers (it needs the staff token, so a plain link cannot fetch it). */
  async function download(path, name = path.split("/").pop().split("?")[0]) {
    const answer = await P.api(path, { raw: true });
    const url = URL.createObjectURL(await answer.blob());
    const a = document.createElement("a");
    a.href = url; a.target = "_blank"; a.rel = "noopener"; a.download = name;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  /** Open a PDF the API answers and say where it went. */
  async function openPdf(path, box) {
    try {
      await download(path);
      say(box, "ok", t("pdf_ready"));
    } catch (error) { failure(box, error); }
  }

  return { CIRC, CATEGORIES, GENDERS, get library() { return state.library; }, get session() { return state.session; },
           start, today, dayOf, date, time, say, problem, failure, download, splitInputs, readSplit, fillSplit, splitProblem, splitText, sum, openPdf };
})();
