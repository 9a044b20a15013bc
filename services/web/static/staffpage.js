// The shell of the desk's catalogue-care pages (katalog, stock opname): login with the staff token, the
// library this page works for (a librarian's own; an admin or district user picks one), and the texts and
// error codes of catalogue care in both languages. Loaded after common.js.
"use strict";

const StaffPage = (() => {
  const { $, t } = P;
  Object.assign(P.ERRORS.id, {
    ean_not_a_book: "Barcode ini bukan ISBN buku (tidak diawali 978/979): mungkin majalah atau barang lain.",
    title_required: "ISBN ini belum ada di katalog: isi judulnya.",
    item_on_loan: "Buku ini sedang dipinjam. Kembalikan dulu di meja layanan.",
    item_already_withdrawn: "Buku ini sudah dikeluarkan.", item_already_damaged: "Buku ini sudah tercatat rusak.",
    item_withdrawn: "Buku ini sudah dikeluarkan dari koleksi.", reason_required: "Isi alasannya.",
    stocktake_already_open: "Masih ada stock opname yang berjalan di perpustakaan ini: lanjutkan atau selesaikan dulu.",
    stocktake_finished: "Stock opname ini sudah selesai: pemindaian tidak diterima lagi.",
    stocktake_not_found: "Stock opname tidak ditemukan.", language_invalid: "Kode bahasa 3 huruf, mis. ind atau eng.",
    audience_invalid: "Sasaran pembaca tidak sah.", acquired_on_future: "Tanggal perolehan di masa depan.",
    too_many_barcodes: "Terlalu banyak barcode sekaligus.",
  });
  Object.assign(P.ERRORS.en, {
    ean_not_a_book: "This barcode is not a book's ISBN (it does not start with 978/979): a magazine or another product.",
    title_required: "This ISBN is not in the catalogue yet: fill in its title.",
    item_on_loan: "This book is on loan. Check it in at the desk first.",
    item_already_withdrawn: "This book is already withdrawn.", item_already_damaged: "This book is already marked damaged.",
    item_withdrawn: "This book has been withdrawn.", reason_required: "Give the reason.",
    stocktake_already_open: "A stock-take of this library is still open: continue it or finish it first.",
    stocktake_finished: "This stock-take is finished: scans are no longer taken.",
    stocktake_not_found: "Stock-take not found.", language_invalid: "A 3-letter language code, e.g. ind or eng.",
    audience_invalid: "Invalid audience.", acquired_on_future: "The acquisition date is in the future.",
    too_many_barcodes: "Too many barcodes at once.",
  });
  P.addTexts(
    { login_heading: "Masuk sebagai pustakawan", library: "Perpustakaan", back_desk: "← Meja layanan",
      who: (u, r) => `${u} (${r})`, logged_out: "Anda sudah keluar.",
      role_librarian: "pustakawan", role_admin: "admin", role_district: "dinas" },
    { login_heading: "Log in as a librarian", library: "Library", back_desk: "← Desk",
      who: (u, r) => `${u} (${r})`, logged_out: "You have logged out.",
      role_librarian: "librarian", role_admin: "admin", role_district: "district" });

  const state = { library: "", session: null, ready: null };
  const problem = error => error instanceof P.ApiError ? P.errorText(error.problem) : P.errorText({ code: "network" });

  function showLogin(message) {
    P.session.clear(); state.session = null;
    $("app").hidden = true; $("login-view").hidden = false; $("logout").hidden = true; $("who").textContent = "";
    $("login-msg").textContent = message || "";
    $("username").focus();
  }

  async function enter() {
    state.session = P.session.get();
    if (!state.session?.token) { showLogin(); return; }
    $("login-view").hidden = true; $("app").hidden = false; $("logout").hidden = false;
    $("who").textContent = t("who", state.session.username, t("role_" + state.session.role));
    if (state.session.role === "librarian") {
      state.library = state.session.scope; $("library-choice").hidden = true;
    } else {
      let libraries = [];
      try { libraries = await P.api("/api/catalog/v1/libraries"); } catch { /* the banner says it */ }
      const mine = libraries.filter(l => state.session.role === "admin" || l.code.startsWith(state.session.scope || ""));
      $("page-library").innerHTML = mine.map(l => `<option value="${P.esc(l.code)}">${P.esc(l.name)} (${P.esc(l.code)})</option>`).join("");
      const saved = sessionStorage.getItem("pustaka.deskLibrary");
      if (saved && mine.some(l => l.code === saved)) $("page-library").value = saved;
      state.library = $("page-library").value; $("library-choice").hidden = false;
    }
    state.ready(state.library);
  }

  /** Wire the login form and the library choice; `ready(library)` runs once logged in and on every change. */
  function init(ready) {
    state.ready = ready;
    P.onUnauthorized = () => showLogin(P.errorText({ code: "token_invalid" }));
    $("login-form").addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const answer = await P.api("/api/circulation/v1/auth/login", { method: "POST",
          body: { username: $("username").value.trim(), password: $("password").value } });
        P.session.set({ token: answer.access_token, role: answer.role, scope: answer.scope, username: $("username").value.trim() });
        $("password").value = "";
        await enter();
      } catch (error) { $("login-msg").textContent = problem(error); }
    });
    $("logout").addEventListener("click", () => showLogin(t("logged_out")));
    $("page-library").addEventListener("change", () => {
      state.library = $("page-library").value; sessionStorage.setItem("pustaka.deskLibrary", state.library);
      state.ready(state.library);
    });
    P.start();
    enter();
  }

  /** Open a PDF or XLSX the API answers (the token goes in a header, so fetch it and hand over a blob). */
  async function download(path, name) {
    const answer = await P.api(path, { raw: true });
    const url = URL.createObjectURL(await answer.blob());
    const a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function say(id, text, kind = "ok") { const el = $(id); el.className = `msg ${kind}`; el.textContent = text; }

  return { init, state, problem, download, say };
})();
