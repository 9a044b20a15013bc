// The circulation desk: librarian login (token in sessionStorage), a barcode field a USB scanner types into
// (digits + Enter), member lookup, check out / check in / renew with every refusal in the user's language,
// today's transactions, overdue loans, holds waiting, member registration. The scanning itself (kept offline,
// sent in scan order) is in deskcirc.js, the device's queue in deskqueue.js.
"use strict";
const { $, esc, t } = P;
P.addTexts({
  desk_title: "Layanan Perpustakaan — Pustaka Desa", desk_heading: "Layanan Perpustakaan",
  login_heading: "Masuk sebagai pustakawan", library: "Perpustakaan",
  tab_circ: "Pinjam & kembali", tab_members: "Anggota", tab_overdue: "Terlambat", tab_holds: "Pesanan",
  tab_packages: "Paket buku bantuan", member_q: "Anggota: nomor kartu atau nama", find: "Cari", mode: "Tindakan",
  checkout: "Pinjam", checkin: "Kembali", renew: "Perpanjang",
  barcode_label: "Barcode buku (pindai atau ketik, lalu Enter)", today: "Transaksi hari ini", time: "Jam",
  action: "Tindakan", book: "Buku", member: "Anggota", result: "Hasil",
  register_heading: "Daftarkan anggota baru", name: "Nama lengkap", birth_year: "Tahun lahir",
  gender: "Jenis kelamin", male: "Laki-laki (L)", female: "Perempuan (P)", contact: "Kontak (HP/alamat, boleh kosong)",
  disability: "Penyandang disabilitas", register: "Daftarkan",
  registered: (name, no) => `${name} terdaftar. Nomor anggota: ${no}`,
  overdue_heading: "Pinjaman terlambat", holds_heading: "Pesanan menunggu diambil", holds_queue: "Antrean pesanan",
  no_overdue: "Tidak ada pinjaman yang terlambat.", no_holds: "Tidak ada.",
  days_late: n => `${n} hari`, due: "Jatuh tempo", days: "Terlambat", title: "Judul", pickup_by: "Ambil sebelum",
  position: "Urutan",
  return_late: n => ` Terlambat ${n} hari.`,
  hold_waiting: (name, no, by) => ` Sisihkan buku ini untuk ${name} (${no}) yang memesannya; diambil sebelum ${by}.`,
  pick_member: "Pilih anggota dulu (nomor kartu atau nama), lalu pindai bukunya.",
  member_selected: (name) => `Anggota dipilih: ${name}. Sekarang pindai buku.`,
  no_member_match: "Tidak ada anggota yang cocok.", open_loans: "Sedang dipinjam", none_on_loan: "Tidak ada pinjaman.",
  category: "Kategori", status: "Status", expires: "Berlaku sampai", clear_member: "Ganti anggota",
  cat_anak: "anak", cat_remaja: "remaja", cat_dewasa: "dewasa", cat_lansia: "lansia",
  st_active: "aktif", st_suspended: "dibekukan", st_expired: "kedaluwarsa",
  ok: "berhasil", refused: "ditolak", renew_button: "Perpanjang",
  who: (u, r) => `${u} (${r})`, role_librarian: "pustakawan", role_admin: "admin", role_district: "dinas",
  barcode_bad: "Barcode harus 12 angka. Pindai lagi.", logged_out: "Anda sudah keluar.",
}, {
  desk_title: "Library Desk — Pustaka Desa", desk_heading: "Library Desk",
  login_heading: "Log in as a librarian", library: "Library",
  tab_circ: "Check out & in", tab_members: "Members", tab_overdue: "Overdue", tab_holds: "Holds",
  tab_packages: "Aid book packages", member_q: "Member: card number or name", find: "Find", mode: "Action",
  checkout: "Check out", checkin: "Check in", renew: "Renew",
  barcode_label: "Book barcode (scan or type, then Enter)", today: "Today's transactions", time: "Time",
  action: "Action", book: "Book", member: "Member", result: "Result",
  register_heading: "Register a new member", name: "Full name", birth_year: "Year of birth",
  gender: "Gender", male: "Male (L)", female: "Female (P)", contact: "Contact (phone/address, optional)",
  disability: "Person with a disability", register: "Register",
  registered: (name, no) => `${name} is registered. Member number: ${no}`,
  overdue_heading: "Overdue loans", holds_heading: "Holds waiting for pickup", holds_queue: "Hold queue",
  no_overdue: "No overdue loans.", no_holds: "None.",
  days_late: n => `${n} days`, due: "Due", days: "Overdue", title: "Title", pickup_by: "Pick up by",
  position: "Position",
  return_late: n => ` ${n} days late.`,
  hold_waiting: (name, no, by) => ` Set this book aside for ${name} (${no}) who placed a hold; pick up by ${by}.`,
  pick_member: "Choose a member first (card number or name), then scan the book.",
  member_selected: (name) => `Member chosen: ${name}. Now scan the book.`,
  no_member_match: "No matching member.", open_loans: "On loan", none_on_loan: "No loans.",
  category: "Category", status: "Status", expires: "Valid until", clear_member: "Change member",
  cat_anak: "child", cat_remaja: "teenager", cat_dewasa: "adult", cat_lansia: "elderly",
  st_active: "active", st_suspended: "suspended", st_expired: "expired",
  ok: "done", refused: "refused", renew_button: "Renew",
  who: (u, r) => `${u} (${r})`, role_librarian: "librarian", role_admin: "admin", role_district: "district",
  barcode_bad: "A barcode has 12 digits. Scan again.", logged_out: "You have logged out.",
});

const CIRC = "/api/circulation/v1";
const Desk = window.Desk = { library: "", session: null, member: null, onLibrary: [] };

// ---- login and the library this desk serves ----
function showLogin(message) {
  P.session.clear(); Desk.session = null;
  $("desk-view").hidden = true; $("login-view").hidden = false; $("logout").hidden = true; $("who").textContent = "";
  $("login-msg").textContent = message || "";
  $("username").focus();
}
P.onUnauthorized = () => showLogin(P.errorText({ code: "token_invalid" }));

$("login-form").addEventListener("submit", async event => {
  event.preventDefault();
  $("login-msg").textContent = "";
  try {
    const answer = await P.api(`${CIRC}/auth/login`, { method: "POST",
      body: { username: $("username").value.trim(), password: $("password").value } });
    P.session.set({ token: answer.access_token, role: answer.role, scope: answer.scope, username: $("username").value.trim() });
    $("password").value = "";
    await enter();
  } catch (error) {
    $("login-msg").textContent = error instanceof P.ApiError ? P.errorText(error.problem) : P.errorText({ code: "network" });
  }
});
$("logout").addEventListener("click", () => showLogin(t("logged_out")));

async function enter() {
  Desk.session = P.session.get();
  if (!Desk.session?.token) { showLogin(); return; }
  $("login-view").hidden = true; $("desk-view").hidden = false; $("logout").hidden = false;
  renderWho();
  const select = $("desk-library");
  if (Desk.session.role === "librarian") {
    Desk.library = Desk.session.scope; $("library-choice").hidden = true;
  } else {
    let libraries = [];
    try { libraries = await P.api("/api/catalog/v1/libraries"); } catch { /* shown by the banner */ }
    const mine = libraries.filter(l => Desk.session.role === "admin" || l.code.startsWith(Desk.session.scope || ""));
    select.innerHTML = mine.map(l => `<option value="${esc(l.code)}">${esc(l.name)} (${esc(l.kecamatan)})</option>`).join("");
    const saved = sessionStorage.getItem("pustaka.deskLibrary");
    if (saved && mine.some(l => l.code === saved)) select.value = saved;
    Desk.library = select.value; $("library-choice").hidden = false;
  }
  Desk.onLibrary.forEach(f => f(Desk.library));
  route();
}
const renderWho = () => { if (Desk.session) $("who").textContent = t("who", Desk.session.username, t("role_" + Desk.session.role)); };
$("desk-library").addEventListener("change", () => {
  Desk.library = $("desk-library").value; sessionStorage.setItem("pustaka.deskLibrary", Desk.library);
  clearMember(); Desk.onLibrary.forEach(f => f(Desk.library)); route();
});

// ---- tabs by hash: #layanan, #anggota, #terlambat, #pesanan, #paket ----
const LOADERS = { terlambat: () => loadOverdue(), pesanan: () => loadHolds(), layanan: () => renderToday() };
function route() {
  const name = (location.hash || "#layanan").slice(1);
  const tab = document.getElementById(`tab-${name}`) ? name : "layanan";
  document.querySelectorAll("[data-tab]").forEach(s => { s.hidden = s.id !== `tab-${tab}`; });
  document.querySelectorAll(".tabs a").forEach(a => {
    if (a.getAttribute("href") === `#${tab}`) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (Desk.session) (LOADERS[tab] || (() => {}))();
  if (window.Ingest && tab === "paket") Ingest.show();
  if (tab === "layanan") $("barcode").focus();
}
window.addEventListener("hashchange", route);

// Lending, today's transactions and the member at the desk: deskcirc.js.

// ---- member registration ----
$("register-form").addEventListener("submit", async event => {
  event.preventDefault();
  const f = event.target;
  const body = { name: f.name.value.trim(), library: Desk.library, birth_year: parseInt(f.birth_year.value, 10),
                 gender: f.gender.value, disability: f.disability.checked };
  if (f.contact.value.trim()) body.contact = f.contact.value.trim();
  const box = $("register-msg");
  try {
    const m = await P.send(`${CIRC}/members`, body);
    box.className = "msg ok"; box.textContent = t("registered", m.name, m.member_number);
    f.reset();
  } catch (error) {
    box.className = "msg bad";
    box.textContent = P.errorText(error instanceof P.ApiError ? error.problem : { code: "network" });
  }
});

// ---- overdue and holds ----
async function loadOverdue() {
  const box = $("overdue-list");
  try {
    const rows = await P.api(`${CIRC}/libraries/${encodeURIComponent(Desk.library)}/overdue`);
    box.innerHTML = rows.length ? `<div class="scroll"><table class="stack"><thead><tr><th scope="col">${t("title")}</th>
      <th scope="col">${t("member")}</th><th scope="col">${t("due")}</th><th scope="col" class="num">${t("days")}</th></tr></thead>
      <tbody>${rows.map(r => `<tr><td>${esc(r.title)}<div class="muted callno">${esc(r.item_barcode)} · ${esc(r.call_number)}</div></td>
      <td>${esc(r.name ?? "—")}<div class="muted">${esc(r.member_number)}${r.contact ? " · " + esc(r.contact) : ""}</div></td>
      <td data-label="${esc(t("due"))}">${esc(P.fmtDate(r.due_date))}</td><td class="num out" data-label="${esc(t("days"))}">${esc(t("days_late", r.days_overdue))}</td></tr>`).join("")}</tbody></table></div>`
      : `<p>${t("no_overdue")}</p>`;
  } catch (error) { box.innerHTML = `<p class="msg bad">${esc(P.errorText(error.problem || { code: "network" }))}</p>`; }
}
async function loadHolds() {
  const list = async (status, box, columns) => {
    try {
      const rows = await P.api(`${CIRC}/libraries/${encodeURIComponent(Desk.library)}/holds?status=${status}`);
      $(box).innerHTML = rows.length ? `<div class="scroll"><table class="stack"><thead><tr><th scope="col">${t("title")}</th>
        <th scope="col">${t("member")}</th><th scope="col">${t(columns)}</th></tr></thead><tbody>${rows.map(h => `<tr>
        <td>${esc(h.title)}${h.item_barcode ? `<div class="muted callno">${esc(h.item_barcode)}</div>` : ""}</td>
        <td class="callno">${esc(h.member_number)}</td>
        <td data-label="${esc(t(columns))}">${esc(columns === "pickup_by" ? P.fmtDate(h.pickup_by) : h.position ?? "")}</td></tr>`).join("")}</tbody></table></div>`
        : `<p>${t("no_holds")}</p>`;
    } catch (error) { $(box).innerHTML = `<p class="msg bad">${esc(P.errorText(error.problem || { code: "network" }))}</p>`; }
  };
  await Promise.all([list("open-awaiting-pickup", "holds-waiting", "pickup_by"), list("open-not-yet-filled", "holds-queue", "position")]);
}

P.onLang(() => { renderWho(); renderToday(); renderMember(); route(); });
P.start();
// After every script of the page (ingest.js too) has run.
document.addEventListener("DOMContentLoaded", enter);
