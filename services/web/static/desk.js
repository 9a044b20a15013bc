// The circulation desk: librarian login (token in sessionStorage), a barcode field a USB scanner types into
// (digits + Enter), member lookup, check out / check in / renew with every refusal in the user's language,
// today's transactions, overdue loans, holds waiting, member registration. Every POST carries an
// Idempotency-Key that is reused when the same action is retried after a lost connection.
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
  loan_ok: (title, due) => `Dipinjam: ${title}. Kembalikan paling lambat ${due}.`,
  return_ok: title => `Dikembalikan: ${title}.`, return_late: n => ` Terlambat ${n} hari.`,
  hold_waiting: (name, no, by) => ` Sisihkan buku ini untuk ${name} (${no}) yang memesannya; diambil sebelum ${by}.`,
  renew_ok: (title, due) => `Diperpanjang: ${title}. Jatuh tempo baru ${due}.`,
  pick_member: "Pilih anggota dulu (nomor kartu atau nama), lalu pindai bukunya.",
  member_selected: (name) => `Anggota dipilih: ${name}. Sekarang pindai buku.`,
  no_member_match: "Tidak ada anggota yang cocok.", open_loans: "Sedang dipinjam", none_on_loan: "Tidak ada pinjaman.",
  category: "Kategori", status: "Status", expires: "Berlaku sampai", clear_member: "Ganti anggota",
  cat_anak: "anak", cat_remaja: "remaja", cat_dewasa: "dewasa", cat_lansia: "lansia",
  st_active: "aktif", st_suspended: "dibekukan", st_expired: "kedaluwarsa",
  ok: "berhasil", refused: "ditolak", not_sent: "belum terkirim", renew_button: "Perpanjang",
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
  loan_ok: (title, due) => `Checked out: ${title}. Due back by ${due}.`,
  return_ok: title => `Checked in: ${title}.`, return_late: n => ` ${n} days late.`,
  hold_waiting: (name, no, by) => ` Set this book aside for ${name} (${no}) who placed a hold; pick up by ${by}.`,
  renew_ok: (title, due) => `Renewed: ${title}. New due date ${due}.`,
  pick_member: "Choose a member first (card number or name), then scan the book.",
  member_selected: (name) => `Member chosen: ${name}. Now scan the book.`,
  no_member_match: "No matching member.", open_loans: "On loan", none_on_loan: "No loans.",
  category: "Category", status: "Status", expires: "Valid until", clear_member: "Change member",
  cat_anak: "child", cat_remaja: "teenager", cat_dewasa: "adult", cat_lansia: "elderly",
  st_active: "active", st_suspended: "suspended", st_expired: "expired",
  ok: "done", refused: "refused", not_sent: "not sent", renew_button: "Renew",
  who: (u, r) => `${u} (${r})`, role_librarian: "librarian", role_admin: "admin", role_district: "district",
  barcode_bad: "A barcode has 12 digits. Scan again.", logged_out: "You have logged out.",
});

const CIRC = "/api/circulation/v1";
const Desk = window.Desk = { library: "", session: null, member: null, onLibrary: [] };
const MEMBER_NUMBER = /^\d{10}(T\d+)?-\d{5,}$/i;

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

// ---- messages: every refusal in words, a lost connection with a retry that reuses the same key ----
let retryAction = null;
function say(kind, text) {
  const box = $("desk-msg");
  box.className = `msg ${kind}`; box.textContent = text;
}
async function attempt(action) {
  $("retry").hidden = true; retryAction = null;
  try { await action(); }
  catch (error) {
    if (error instanceof P.NetworkError) {
      say("bad", P.errorText({ code: "network" }));
      retryAction = action; $("retry").hidden = false;
    } else if (error instanceof P.ApiError) { say("bad", P.errorText(error.problem)); }
    else throw error;
  }
}
$("retry").addEventListener("click", () => { if (retryAction) attempt(retryAction); });

// ---- today's transactions at this desk (kept in this browser, per library and day) ----
const todayKey = () => `pustaka.today.${Desk.library}.${P.today()}`;
function logTransaction(entry) {
  const list = JSON.parse(localStorage.getItem(todayKey()) || "[]");
  list.unshift({ at: new Date().toISOString(), ...entry });
  localStorage.setItem(todayKey(), JSON.stringify(list.slice(0, 500)));
  renderToday();
}
function renderToday() {
  const list = JSON.parse(localStorage.getItem(todayKey()) || "[]");
  $("today-table").tBodies[0].innerHTML = list.map(e => `<tr>
    <td>${esc(new Date(e.at).toLocaleTimeString(P.lang === "id" ? "id-ID" : "en-GB", { hour: "2-digit", minute: "2-digit" }))}</td>
    <td>${esc(t(e.action))}</td><td>${e.title ? `${esc(e.title)}<div class="muted callno">${esc(e.barcode)}</div>` : `<span class="callno">${esc(e.barcode)}</span>`}</td>
    <td>${esc(e.member || "")}</td><td class="${e.ok ? "shelf" : "out"}">${esc(e.ok ? t("ok") : t("refused"))}${e.code || e.note ? ` — ${esc(e.code ? P.errorText({ code: e.code, detail: e.note }) : e.note)}` : ""}</td></tr>`).join("");
}

// ---- members: lookup by number or name ----
function clearMember() { Desk.member = null; $("member-card").innerHTML = ""; $("member-matches").innerHTML = ""; }
async function findMember(text) {
  $("member-matches").innerHTML = "";
  text = text.trim();
  if (!text) return;
  await attempt(async () => {
    if (MEMBER_NUMBER.test(text)) { await chooseMember(await P.api(`${CIRC}/members/${encodeURIComponent(text)}`)); return; }
    const page = await P.api(`${CIRC}/libraries/${encodeURIComponent(Desk.library)}/members?q=${encodeURIComponent(text)}&per_page=20`);
    if (page.members.length === 1) { await chooseMember(page.members[0]); return; }
    if (!page.members.length) { say("warn", t("no_member_match")); return; }
    $("member-matches").innerHTML = page.members.map((m, i) => `<li><button type="button" class="link" data-i="${i}">
      ${esc(m.name)}</button> <span class="muted">${esc(m.member_number)} · ${m.birth_year}</span></li>`).join("");
    $("member-matches").onclick = e => { const i = e.target.closest("[data-i]")?.dataset.i; if (i !== undefined) chooseMember(page.members[+i]); };
    $("member-matches").querySelector("button")?.focus();
  });
}
async function chooseMember(member) {
  Desk.member = member; $("member-matches").innerHTML = "";
  $("member-q").value = member.member_number;
  say("ok", t("member_selected", member.name));
  await renderMember();
  $("barcode").focus();
}
async function renderMember() {
  const m = Desk.member;
  if (!m) { $("member-card").innerHTML = ""; return; }
  let loans = [];
  try { loans = await P.api(`${CIRC}/members/${encodeURIComponent(m.member_number)}/loans?status=open`); } catch { /* banner */ }
  $("member-card").innerHTML = `<h3 class="title">${esc(m.name)} <span class="muted callno">${esc(m.member_number)}</span></h3>
    <div class="meta">${t("category")}: ${esc(t("cat_" + m.category))} · ${t("status")}: <b class="${m.status === "active" ? "shelf" : "out"}">${esc(t("st_" + m.status))}</b>
      · ${t("expires")}: ${esc(P.fmtDate(m.expires_on))}</div>
    <h4>${t("open_loans")} (${loans.length})</h4>
    ${loans.length ? `<ul class="cards">${loans.map(l => `<li>${esc(l.title)} <span class="muted callno">${esc(l.item_barcode)}</span>
      <div class="meta">${t("due")}: ${esc(P.fmtDate(l.due_date))}</div>
      <button type="button" class="secondary" data-renew="${l.loan_id}" data-barcode="${esc(l.item_barcode)}">${t("renew_button")}</button></li>`).join("")}</ul>`
      : `<p class="muted">${t("none_on_loan")}</p>`}
    <button type="button" class="link" id="clear-member">${t("clear_member")}</button>`;
}
$("member-form").addEventListener("submit", e => { e.preventDefault(); findMember($("member-q").value); });
$("member-card").addEventListener("click", e => {
  if (e.target.id === "clear-member") { clearMember(); $("member-q").value = ""; $("member-q").focus(); return; }
  const b = e.target.closest("[data-renew]");
  if (b) attempt(() => renewLoan(+b.dataset.renew, b.dataset.barcode));
});

// ---- the scanner field: digits + Enter ----
const mode = () => document.querySelector("input[name=mode]:checked").value;
// After choosing an action the scanner must type into the barcode field again.
document.querySelectorAll("input[name=mode]").forEach(r => r.addEventListener("change", () => $("barcode").focus()));
$("scan-form").addEventListener("submit", event => {
  event.preventDefault();
  const code = $("barcode").value.replace(/\s+/g, "");
  $("barcode").value = "";
  if (!code) return;
  if (MEMBER_NUMBER.test(code)) { $("member-q").value = code; findMember(code); return; }  // a member card scanned here
  if (!/^\d{12}$/.test(code)) { say("bad", t("barcode_bad")); return; }
  const run = { checkout: checkOut, checkin: checkIn, renew: renewByBarcode }[mode()];
  attempt(() => run(code)).finally(() => $("barcode").focus());
});

function refusal(action, barcode, error) {
  if (error instanceof P.ApiError) {   // the code is kept, so the note follows the language switch
    logTransaction({ action, barcode, member: Desk.member?.name, ok: false, code: error.problem.code, note: error.problem.detail });
  }
  throw error;
}
async function checkOut(barcode) {
  if (!Desk.member) { say("warn", t("pick_member")); $("member-q").focus(); return; }
  let loan;
  try { loan = await P.send(`${CIRC}/loans`, { item_barcode: barcode, member_number: Desk.member.member_number }); }
  catch (error) { refusal("checkout", barcode, error); }
  say("ok", t("loan_ok", loan.title, P.fmtDate(loan.due_date)));
  logTransaction({ action: "checkout", barcode, title: loan.title, member: Desk.member.name, ok: true });
  renderMember();
}
async function checkIn(barcode) {
  let done;
  try { done = await P.send(`${CIRC}/returns`, { item_barcode: barcode }); }
  catch (error) { refusal("checkin", barcode, error); }
  let text = t("return_ok", done.title);
  if (done.late_days > 0) text += t("return_late", done.late_days);
  const hold = done.hold_waiting;
  if (hold) text += t("hold_waiting", hold.name ?? "—", hold.member_number, P.fmtDate(hold.pickup_by));
  say(hold || done.late_days > 0 ? "warn" : "ok", text);
  logTransaction({ action: "checkin", barcode, title: done.title, ok: true, note: hold ? hold.member_number : "" });
  if (Desk.member) renderMember();
}
async function renewByBarcode(barcode) {
  let copy;
  try { copy = await P.api(`${CIRC}/items/${encodeURIComponent(barcode)}`); }
  catch (error) { refusal("renew", barcode, error); }
  if (!copy.loan_id) { say("bad", P.errorText({ code: "item_not_on_loan" })); return; }
  await renewLoan(copy.loan_id, barcode, copy.title);
}
async function renewLoan(loanId, barcode, title) {
  let renewal;
  try { renewal = await P.send(`${CIRC}/loans/${loanId}/renewals`, undefined, { action: `renew ${loanId}` }); }
  catch (error) { refusal("renew", barcode, error); }
  say("ok", t("renew_ok", title || barcode, P.fmtDate(renewal.due_date)));
  logTransaction({ action: "renew", barcode, title, member: Desk.member?.name, ok: true });
  if (Desk.member) renderMember();
}

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
