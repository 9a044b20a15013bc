// Lending at the desk, safe and offline-first.
// - Every scan is first kept in IndexedDB (DeskStore) with its own Idempotency-Key, then sent in scan order;
//   a scan the server cannot be reached for waits there ("menunggu") and is sent by itself when the
//   connection is back. The server re-checks every rule; what it refuses after waiting lands in the
//   conflict list. A resend carries the same key, so nothing is recorded twice.
// - A lending needs a member shown on the card; any new member lookup first clears the member chosen before,
//   so a failed lookup never leaves the previous member selected.
// - Today's transactions and the day's summary come from the server, for every desk of the library.
"use strict";
{
const { $, esc, t } = P;
const CIRC = "/api/circulation/v1";
const MEMBER_NUMBER = /^\d{10}(T\d+)?-\d{5,}$/i;
const fmtDate = P.fmtDate;

P.addTexts({
  loan_ok: (title, who, due) => `Dipinjam: ${title} — oleh ${who}. Kembalikan paling lambat ${due}.`,
  return_ok: (title, who) => `Dikembalikan: ${title}${who ? ` — dari ${who}` : ""}.`,
  renew_ok: (title, who, due) => `Diperpanjang: ${title}${who ? ` — ${who}` : ""}. Jatuh tempo baru ${due}.`,
  queued_checkout: (title, who) => `Tersimpan, menunggu koneksi: ${title} untuk ${who}. Dikirim otomatis saat tersambung.`,
  queued_checkin: title => `Tersimpan, menunggu koneksi: pengembalian ${title}. Dikirim otomatis saat tersambung.`,
  queued_renew: title => `Tersimpan, menunggu koneksi: perpanjangan ${title}. Dikirim otomatis saat tersambung.`,
  sent_count: n => `${n} pindaian yang menunggu sudah terkirim dan tercatat.`,
  conflict_count: n => `${n} pindaian ditolak server. Selesaikan di daftar "Perlu diselesaikan".`,
  queue_heading: "Menunggu dikirim", queue_note: "Tersimpan di perangkat ini (aman walau halaman ditutup); dikirim otomatis sesuai urutan pindai saat server tersambung.",
  send_now: "Kirim sekarang", waiting: "menunggu",
  conflicts_heading: "Perlu diselesaikan", conflicts_note: "Pindaian ini ditolak server setelah koneksi kembali. Periksa bukunya, lalu selesaikan satu per satu.",
  resolve: "Sudah diurus", resend: "Kirim ulang", scanned_at: "Dipindai",
  member_not_found_cleared: n => `Nomor anggota ${n} tidak ditemukan. Tidak ada anggota yang dipilih.`,
  member_unknown_offline: n => `Nomor ${n} belum pernah dilihat di perangkat ini dan server tidak tersambung, jadi namanya tidak bisa dicek.`,
  use_number: "Pakai nomor ini (server memeriksa saat terkirim)",
  member_from_cache: "Dari simpanan perangkat ini; server memeriksa saat pindaian terkirim.",
  member_unverified: "Nama belum dicek: server memeriksa nomor ini saat pindaian terkirim.",
  loans_offline: "Daftar pinjaman tidak bisa dimuat tanpa koneksi.",
  summary_heading: "Ringkasan hari ini", s_loans: "Pinjam", s_returns: "Kembali", s_renewals: "Perpanjang",
  s_visits: "Pengunjung", s_new_members: "Anggota baru", s_reads: "Baca di tempat", s_activities: "Kegiatan",
  a_checked_out: "Pinjam", a_checked_in: "Kembali", a_renewed: "Perpanjang", a_item_lost: "Hilang", a_item_found: "Ditemukan",
  today_offline: "Tanpa koneksi: daftar dari server terakhir dimuat pukul",
  no_transactions: "Belum ada transaksi hari ini.",
  no_member: "Belum ada anggota yang dipilih: buku tidak bisa dipinjamkan.",
  store_failed: b => `Pindaian ${b} tidak bisa disimpan di browser ini (penyimpanan penuh atau dilarang), jadi tidak tercatat. Pindai lagi.`,
  login_queue: n => `${n} pindaian tersimpan di perangkat ini menunggu dikirim. Masuk untuk mengirimnya.`,
  offline: "Tidak tersambung ke server. Pindaian disimpan di perangkat ini dan dikirim otomatis saat tersambung lagi.",
}, {
  loan_ok: (title, who, due) => `Checked out: ${title} — to ${who}. Due back by ${due}.`,
  return_ok: (title, who) => `Checked in: ${title}${who ? ` — from ${who}` : ""}.`,
  renew_ok: (title, who, due) => `Renewed: ${title}${who ? ` — ${who}` : ""}. New due date ${due}.`,
  queued_checkout: (title, who) => `Saved, waiting for the connection: ${title} for ${who}. Sent by itself when connected.`,
  queued_checkin: title => `Saved, waiting for the connection: return of ${title}. Sent by itself when connected.`,
  queued_renew: title => `Saved, waiting for the connection: renewal of ${title}. Sent by itself when connected.`,
  sent_count: n => `${n} waiting scans were sent and recorded.`,
  conflict_count: n => `${n} scans were refused by the server. Resolve them in "To resolve".`,
  queue_heading: "Waiting to be sent", queue_note: "Kept on this device (safe even if the page is closed); sent by itself in scan order when the server answers.",
  send_now: "Send now", waiting: "waiting",
  conflicts_heading: "To resolve", conflicts_note: "The server refused these scans after the connection came back. Check the book, then resolve them one by one.",
  resolve: "Dealt with", resend: "Send again", scanned_at: "Scanned",
  member_not_found_cleared: n => `Member number ${n} not found. No member is selected.`,
  member_unknown_offline: n => `Number ${n} has not been seen on this device and the server cannot be reached, so the name cannot be checked.`,
  use_number: "Use this number (the server checks it when sent)",
  member_from_cache: "From this device's memory; the server checks when the scan is sent.",
  member_unverified: "Name not checked: the server checks this number when the scan is sent.",
  loans_offline: "Loans cannot be loaded without a connection.",
  summary_heading: "Today in figures", s_loans: "Loans", s_returns: "Returns", s_renewals: "Renewals",
  s_visits: "Visitors", s_new_members: "New members", s_reads: "Read on the spot", s_activities: "Activities",
  a_checked_out: "Check out", a_checked_in: "Check in", a_renewed: "Renew", a_item_lost: "Lost", a_item_found: "Found",
  today_offline: "No connection: the server's list as loaded at",
  no_transactions: "No transactions yet today.",
  no_member: "No member chosen: no book can be lent.",
  store_failed: b => `Scan ${b} could not be kept in this browser (storage full or not allowed), so it was not recorded. Scan again.`,
  login_queue: n => `${n} scans kept on this device are waiting to be sent. Log in to send them.`,
  offline: "Not connected to the server. Scans are kept on this device and sent by themselves when connected again.",
});

// Refusals in words a volunteer understands, built from the facts the server sends with them.
Object.assign(P.ERRORS.id, {
  item_not_available: p => p.item_status === "on_loan" && p.due_date
    ? (p.same_member ? `Buku ini sudah dipinjam oleh anggota ini sendiri, sampai ${fmtDate(p.due_date)}.`
      : `Buku ini dipinjam oleh anggota lain sampai ${fmtDate(p.due_date)}.`)
    : ({ lost: "Buku ini tercatat hilang, jadi tidak bisa dipinjam. Bila bukunya ada di sini, catat dulu sebagai ditemukan.",
         damaged: "Buku ini tercatat rusak, jadi tidak bisa dipinjam.", withdrawn: "Buku ini sudah ditarik dari koleksi.",
       }[p.item_status] || "Buku ini sedang dipinjam anggota lain."),
  item_of_other_library: p => `Buku ini milik ${p.library_name || p.library}, bukan perpustakaan ini. Pinjam dan kembalikan di sana.`,
  renewal_would_not_extend: p => `Belum bisa diperpanjang: jatuh temponya tetap ${fmtDate(p.due_date)}. Perpanjang menjelang tanggal itu; jatah perpanjangan tidak terpakai.`,
  item_not_on_loan: "Buku ini tidak sedang dipinjam, jadi tidak bisa dikembalikan atau diperpanjang.",
});
Object.assign(P.ERRORS.en, {
  item_not_available: p => p.item_status === "on_loan" && p.due_date
    ? (p.same_member ? `This member already has this book, until ${fmtDate(p.due_date)}.`
      : `This book is on loan to another member until ${fmtDate(p.due_date)}.`)
    : ({ lost: "This book is marked lost, so it cannot be lent. If the book is here, mark it found first.",
         damaged: "This book is marked damaged, so it cannot be lent.", withdrawn: "This book has been withdrawn.",
       }[p.item_status] || "This book is on loan to another member."),
  item_of_other_library: p => `This book belongs to ${p.library_name || p.library}, not to this library. Lend and return it there.`,
  renewal_would_not_extend: p => `Cannot be renewed yet: the due date would stay ${fmtDate(p.due_date)}. Renew closer to that date; no renewal was used.`,
  item_not_on_loan: "This book is not on loan, so it cannot be checked in or renewed.",
});

function say(kind, text) { const box = $("desk-msg"); box.className = `msg ${kind}`; box.textContent = text; }
const who = m => m ? (m.name ? `${m.name} (${m.member_number})` : m.member_number) : "";

// ---- the member: shown on the card before any book is lent ----
function clearMember() {
  Desk.member = null; $("member-matches").innerHTML = "";
  $("member-card").innerHTML = `<p class="muted" id="no-member">${esc(t("no_member"))}</p>`;
}

async function findMember(text) {
  clearMember();   // a new lookup never leaves the previous member selected, whatever its outcome
  text = text.trim();
  if (!text) return;
  if (MEMBER_NUMBER.test(text)) {
    try {
      const member = await P.api(`${CIRC}/members/${encodeURIComponent(text)}`);
      DeskStore.rememberMembers([member]).catch(() => {});
      await chooseMember(member);
    } catch (error) {
      if (error instanceof P.NetworkError) return chooseOffline(text);
      if (error instanceof P.ApiError && error.problem.code === "member_not_found") say("bad", t("member_not_found_cleared", text));
      else if (error instanceof P.ApiError) say("bad", P.errorText(error.problem));
      else throw error;
    }
    return;
  }
  let found;
  try {
    found = (await P.api(`${CIRC}/libraries/${encodeURIComponent(Desk.library)}/members?q=${encodeURIComponent(text)}&per_page=20`)).members;
    DeskStore.rememberMembers(found).catch(() => {});
  } catch (error) {
    if (!(error instanceof P.NetworkError)) { say("bad", P.errorText(error.problem)); return; }
    found = (await DeskStore.findMembers(Desk.library, text)).map(m => ({ ...m, from_cache: true }));
  }
  if (found.length === 1) { await chooseMember(found[0]); return; }
  if (!found.length) { say("warn", t("no_member_match")); return; }
  $("member-matches").innerHTML = found.map((m, i) => `<li><button type="button" class="link" data-i="${i}">
    ${esc(m.name)}</button> <span class="muted">${esc(m.member_number)} · ${esc(m.birth_year)}</span></li>`).join("");
  $("member-matches").onclick = e => { const i = e.target.closest("[data-i]")?.dataset.i; if (i !== undefined) chooseMember(found[+i]); };
  $("member-matches").querySelector("button")?.focus();
}

/** Offline: a member this device has seen, or (after the librarian confirms) a number the server checks later. */
async function chooseOffline(number) {
  const seen = await DeskStore.member(number).catch(() => null);
  if (seen) { await chooseMember({ ...seen, from_cache: true }); return; }
  say("warn", t("member_unknown_offline", number));
  $("member-card").innerHTML = `<button type="button" class="secondary" id="use-number">${esc(t("use_number"))}</button>`;
  $("use-number").onclick = () => chooseMember({ member_number: number, name: "", unverified: true });
}

async function chooseMember(member) {
  Desk.member = member; $("member-matches").innerHTML = "";
  $("member-q").value = member.member_number;
  say("ok", t("member_selected", member.name || member.member_number));
  await renderMember();
  $("barcode").focus();
}

async function renderMember() {
  const m = Desk.member;
  if (!m) { clearMember(); return; }
  let loans = null;
  if (!m.unverified) {
    try { loans = await P.api(`${CIRC}/members/${encodeURIComponent(m.member_number)}/loans?status=open`); }
    catch { /* offline: said below */ }
  }
  if (Desk.member !== m) return;   // another member was chosen meanwhile
  if (loans && m.from_cache) {       // the server answers again: show the member as it knows them
    let fresh = null;
    try { fresh = await P.api(`${CIRC}/members/${encodeURIComponent(m.member_number)}`); } catch { /* keep */ }
    if (Desk.member !== m) return;
    if (fresh) { Desk.member = fresh; return renderMember(); }
  }
  if (loans) DeskStore.rememberItems(loans.map(l => ({ barcode: l.item_barcode, title: l.title }))).catch(() => {});
  const note = m.unverified ? t("member_unverified") : m.from_cache ? t("member_from_cache") : "";
  $("member-card").innerHTML = `<h3 class="title">${esc(m.name || m.member_number)} <span class="muted callno">${esc(m.name ? m.member_number : "")}</span></h3>
    ${note ? `<p class="msg warn">${esc(note)}</p>` : ""}
    ${m.status ? `<div class="meta">${t("category")}: ${esc(t("cat_" + m.category))} · ${t("status")}: <b class="${m.status === "active" ? "shelf" : "out"}">${esc(t("st_" + m.status))}</b>
      · ${t("expires")}: ${esc(fmtDate(m.expires_on))}</div>` : ""}
    ${loans === null ? (m.unverified ? "" : `<p class="muted">${t("loans_offline")}</p>`) : `<h4>${t("open_loans")} (${loans.length})</h4>
    ${loans.length ? `<ul class="cards">${loans.map(l => `<li>${esc(l.title)} <span class="muted callno">${esc(l.item_barcode)}</span>
      <div class="meta">${t("due")}: ${esc(fmtDate(l.due_date))}</div>
      <button type="button" class="secondary" data-renew="${esc(l.item_barcode)}" data-title="${esc(l.title)}">${t("renew_button")}</button></li>`).join("")}</ul>`
      : `<p class="muted">${t("none_on_loan")}</p>`}`}
    <button type="button" class="link" id="clear-member">${t("clear_member")}</button>`;
}

$("member-form").addEventListener("submit", e => { e.preventDefault(); findMember($("member-q").value); });
// Typing another number or name into the member field deselects the member shown: the field and the card
// never disagree about who borrows.
$("member-q").addEventListener("input", () => {
  if (Desk.member && $("member-q").value.trim() !== Desk.member.member_number) clearMember();
});
$("member-card").addEventListener("click", e => {
  if (e.target.id === "clear-member") { clearMember(); $("member-q").value = ""; $("member-q").focus(); return; }
  const b = e.target.closest("[data-renew]");
  if (b) scanAction("renew", b.dataset.renew);
});

// ---- the scanner field: digits + Enter; every scan is kept before it is sent ----
const mode = () => document.querySelector("input[name=mode]:checked").value;
document.querySelectorAll("input[name=mode]").forEach(r => r.addEventListener("change", () => $("barcode").focus()));
$("scan-form").addEventListener("submit", event => {
  event.preventDefault();
  const code = $("barcode").value.replace(/\s+/g, "");
  $("barcode").value = "";
  if (!code) return;
  if (MEMBER_NUMBER.test(code)) { $("member-q").value = code; findMember(code); return; }  // a member card scanned here
  if (!/^\d{12}$/.test(code)) { say("bad", t("barcode_bad")); return; }
  scanAction(mode(), code);
});

const live = new Set();   // scans made in this page that the librarian is still looking at

let keeping = Promise.resolve();   // scans are kept one after the other, so the queue has the scan order
function scanAction(kind, barcode) {
  if (kind === "checkout" && !Desk.member) { say("warn", t("pick_member")); $("member-q").focus(); return; }
  const m = kind === "checkout" ? Desk.member : null;   // the member shown at the moment of the scan
  keeping = keeping.then(() => keep(kind, barcode, m)).catch(() => say("bad", t("store_failed", barcode)));
  $("barcode").focus();
}
async function keep(kind, barcode, m) {
  const seen = await DeskStore.item(barcode).catch(() => null);
  const entry = { kind, barcode, key: P.uuid(), at: new Date().toISOString(), library: Desk.library,
                  user: Desk.session?.username, title: seen?.title || "",
                  member_number: m?.member_number || null, member_name: m?.name || "" };
  // Behind a scan that waits for the connection, this one waits too (and is said to, at once).
  entry.waited = (await DeskStore.queued()).some(e => e.waited);
  entry.seq = await DeskStore.enqueue(entry);
  live.add(entry.seq);
  if (entry.waited) say("warn", t("queued_" + kind, entry.title || barcode, who(m)));
  renderQueue();
  pump();
}

const TARGET = {
  checkout: e => [`${CIRC}/loans`, { item_barcode: e.barcode, member_number: e.member_number }],
  checkin: e => [`${CIRC}/returns`, { item_barcode: e.barcode }],
  renew: e => [`${CIRC}/renewals`, { item_barcode: e.barcode }],
};
const waitAgain = error => error instanceof P.NetworkError
  || (error instanceof P.ApiError && (error.status >= 500 || error.status === 429 || error.status === 401));

/** Send one kept scan with its own key: "sent", "refused" or "wait" (server not reachable now). */
async function send(entry) {
  const [path, body] = TARGET[entry.kind](entry);
  let answer;
  try { answer = await P.api(path, { method: "POST", body, key: entry.key }); }
  catch (error) {
    if (waitAgain(error)) {
      if (!entry.waited) {
        entry.waited = true; await DeskStore.update(entry);
        if (live.has(entry.seq)) say("warn", t("queued_" + entry.kind, entry.title || entry.barcode, who({ member_number: entry.member_number, name: entry.member_name })));
      }
      return "wait";
    }
    if (!(error instanceof P.ApiError)) throw error;
    // A refusal nobody saw come in (the scan waited, or was made in a page since closed) is a conflict.
    if (entry.waited || !live.has(entry.seq)) { await DeskStore.conflict(entry, error.problem); return "refused"; }
    await DeskStore.done(entry.seq);
    if (live.has(entry.seq)) say("bad", P.errorText(error.problem));
    remember({ at: new Date().toISOString(), action: entry.kind, barcode: entry.barcode, title: entry.title,
               member: entry.member_name || entry.member_number || "", code: error.problem.code, problem: error.problem });
    return "refused";
  }
  await DeskStore.done(entry.seq);
  if (answer.title) DeskStore.rememberItems([{ barcode: entry.barcode, title: answer.title }]).catch(() => {});
  if (live.has(entry.seq)) announce(entry, answer);
  return "sent";
}

function announce(entry, a) {
  if (entry.kind === "checkout") {
    say("ok", t("loan_ok", a.title, who({ member_number: a.member_number, name: a.member_name || entry.member_name }), fmtDate(a.due_date)));
  } else if (entry.kind === "checkin") {
    let text = t("return_ok", a.title, who({ member_number: a.member_number, name: a.member_name }));
    if (a.late_days > 0) text += t("return_late", a.late_days);
    const hold = a.hold_waiting;
    if (hold) text += t("hold_waiting", hold.name ?? "—", hold.member_number, fmtDate(hold.pickup_by));
    say(hold || a.late_days > 0 ? "warn" : "ok", text);
  } else {
    say("ok", t("renew_ok", a.title || entry.barcode, who({ member_number: a.member_number, name: a.member_name }), fmtDate(a.due_date)));
  }
}

// The queue is sent by one sender at a time (one tab, when several are open), oldest scan first.
let pumping = false, again = false;
async function pump() {
  if (pumping) { again = true; return; }
  if (!Desk.session) return;
  pumping = true;
  const run = async () => {
    let sent = 0, refused = 0, waited = 0, quiet = 0;   // quiet: sent, but not announced on its own
    do {
      again = false;
      for (;;) {
        const [entry] = await DeskStore.queued();
        if (!entry || !Desk.session) break;
        const hadWaited = entry.waited || !live.has(entry.seq);
        const outcome = await send(entry);
        if (outcome === "wait") break;
        if (hadWaited) { waited++; if (outcome === "sent") sent++; else refused++; }
        if (hadWaited && outcome === "sent" && !live.has(entry.seq)) quiet++;
        renderQueue();
      }
    } while (again);
    return { sent, refused, waited, quiet };
  };
  try {
    const r = navigator.locks ? await navigator.locks.request("pustaka-desk-queue", run) : await run();
    if (r.waited > 1 || r.refused || r.quiet) say(r.refused ? "bad" : "ok", [r.sent ? t("sent_count", r.sent) : "", r.refused ? t("conflict_count", r.refused) : ""].filter(Boolean).join(" "));
    if (r.sent || r.refused || r.waited) { renderConflicts(); }
  } finally {
    pumping = false;
    renderQueue(); refreshDay();
    if (Desk.member && !Desk.member.unverified) renderMember();
  }
}
window.addEventListener("online", () => pump());
setInterval(() => { if (!pumping) DeskStore.queued().then(q => { if (q.length) pump(); }); }, 15000);
$("send-now").addEventListener("click", () => pump());

const kindText = k => t({ checkout: "checkout", checkin: "checkin", renew: "renew" }[k] || k);
async function renderQueue() {
  const queue = await DeskStore.queued();
  $("queue-panel").hidden = !queue.some(e => e.waited);
  $("queue-count").textContent = queue.length ? ` (${queue.length})` : "";
  $("queue-list").innerHTML = queue.map(e => `<li data-seq="${e.seq}"><b>${esc(kindText(e.kind))}</b> · ${esc(e.title || e.barcode)}
    <span class="muted callno">${esc(e.barcode)}</span>${e.member_number ? ` → ${esc(who({ member_number: e.member_number, name: e.member_name }))}` : ""}
    <div class="meta">${esc(t("scanned_at"))} ${esc(P.fmtTime(e.at))} · <span class="warn-text">${esc(t("waiting"))}</span></div></li>`).join("");
  renderToday();
}

async function renderConflicts() {
  const list = await DeskStore.conflicts();
  $("conflicts-panel").hidden = !list.length;
  $("conflicts-list").innerHTML = list.map(c => `<li data-seq="${c.seq}"><b>${esc(kindText(c.kind))}</b> · ${esc(c.title || c.barcode)}
    <span class="muted callno">${esc(c.barcode)}</span>${c.member_number ? ` → ${esc(who({ member_number: c.member_number, name: c.member_name }))}` : ""}
    <p class="msg bad">${esc(P.errorText(c.problem))}</p>
    <div class="meta">${esc(t("scanned_at"))} ${esc(P.fmtDate(c.at))} ${esc(P.fmtTime(c.at))}</div>
    <button type="button" class="primary" data-resolve="${c.seq}">${esc(t("resolve"))}</button>
    <button type="button" class="secondary" data-resend="${c.seq}">${esc(t("resend"))}</button></li>`).join("");
}
$("conflicts-list").addEventListener("click", async e => {
  const resolve = e.target.closest("[data-resolve]"), resend = e.target.closest("[data-resend]");
  if (resolve) { await DeskStore.resolve(+resolve.dataset.resolve); renderConflicts(); }
  if (resend) {
    const c = (await DeskStore.conflicts()).find(x => x.seq === +resend.dataset.resend);
    if (c) { await DeskStore.retry(c); renderConflicts(); renderQueue(); pump(); }
  }
});

// ---- today's transactions and the day in figures, from the server (the last answer kept for offline) ----
const refusalsKey = () => `pustaka.refused.${Desk.library}.${P.today()}`;
function remember(entry) {
  const list = JSON.parse(localStorage.getItem(refusalsKey()) || "[]");
  list.unshift(entry);
  localStorage.setItem(refusalsKey(), JSON.stringify(list.slice(0, 200)));
}
const dayKey = () => `pustaka.day.${Desk.library}`;
let dayTimer = null;
function refreshDay() { clearTimeout(dayTimer); dayTimer = setTimeout(loadDay, 250); }
async function loadDay() {
  if (!Desk.session || !Desk.library) return;
  const lib = encodeURIComponent(Desk.library);
  try {
    const [day, summary] = await Promise.all([P.api(`${CIRC}/libraries/${lib}/transactions`), P.api(`${CIRC}/libraries/${lib}/day-summary`)]);
    localStorage.setItem(dayKey(), JSON.stringify({ loaded_at: new Date().toISOString(), day, summary }));
  } catch { /* offline: the last answer is shown, and says when it was loaded */ }
  renderToday();
}
async function renderToday() {
  if (!Desk.library) return;
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(dayKey()) || "null"); } catch { /* none */ }
  if (kept && kept.day.date !== P.today()) kept = null;
  const queue = await DeskStore.queued().catch(() => []);
  const rows = [
    ...queue.map(e => ({ at: e.at, action: e.kind, title: e.title, barcode: e.barcode,
                         member: who({ member_number: e.member_number, name: e.member_name }), state: "waiting" })),
    ...(kept ? kept.day.transactions : []).map(x => ({ at: x.at, action: x.action, title: x.title, barcode: x.item_barcode,
                         member: who({ member_number: x.member_number, name: x.member_name }), state: "ok" })),
    ...JSON.parse(localStorage.getItem(refusalsKey()) || "[]").map(x => ({ ...x, state: "refused" })),
  ].sort((a, b) => ((b.state === "waiting") - (a.state === "waiting")) || Date.parse(b.at) - Date.parse(a.at));
  const action = a => t({ checkout: "a_checked_out", checkin: "a_checked_in", renew: "a_renewed" }[a] || `a_${a}`);
  const result = r => r.state === "ok" ? `<td class="shelf">${esc(t("ok"))}</td>`
    : r.state === "waiting" ? `<td class="warn-text">${esc(t("waiting"))}</td>`
    : `<td class="out">${esc(t("refused"))} — ${esc(P.errorText(r.problem || { code: r.code }))}</td>`;
  $("today-table").tBodies[0].innerHTML = rows.map(r => `<tr><td>${esc(P.fmtTime(r.at))}</td><td>${esc(action(r.action))}</td>
    <td>${r.title ? `${esc(r.title)}<div class="muted callno">${esc(r.barcode)}</div>` : `<span class="callno">${esc(r.barcode)}</span>`}</td>
    <td>${esc(r.member || "")}</td>${result(r)}</tr>`).join("");
  $("today-note").textContent = !rows.length ? t("no_transactions")
    : kept && Date.now() - Date.parse(kept.loaded_at) > 60000 && !navigator.onLine ? `${t("today_offline")} ${P.fmtTime(kept.loaded_at)}.` : "";
  const s = kept?.summary;
  $("day-summary").innerHTML = s ? [["s_loans", s.loans], ["s_returns", s.returns], ["s_renewals", s.renewals],
    ["s_visits", s.visits], ["s_new_members", s.new_members], ["s_reads", s.reads_onsite], ["s_activities", s.activities]]
    .map(([k, v]) => `<div class="figure" data-figure="${k.slice(2)}"><b>${esc(P.fmtNumber(v))}</b><span>${esc(t(k))}</span></div>`).join("") : "";
}

// ---- what this desk keeps for offline: the library's members and copies, read when online ----
async function prefetch() {
  const key = `pustaka.prefetched.${Desk.library}`;
  if (Date.now() - (+localStorage.getItem(key) || 0) < 10 * 60000) return;
  const lib = encodeURIComponent(Desk.library);
  try {
    for (let page = 1; page <= 20; page++) {
      const got = await P.api(`${CIRC}/libraries/${lib}/members?per_page=500&page=${page}`);
      await DeskStore.rememberMembers(got.members);
      if (page * 500 >= got.total) break;
    }
    for (let page = 1; page <= 20; page++) {
      const got = await P.api(`/api/catalog/v1/libraries/${lib}/items?per_page=500&page=${page}`);
      await DeskStore.rememberItems(got.items);
      if (page * 500 >= got.total) break;
    }
    localStorage.setItem(key, String(Date.now()));
  } catch { /* tried again on the next visit */ }
}

Desk.onLibrary.push(() => { clearMember(); loadDay(); renderConflicts(); renderQueue(); pump(); prefetch(); });
P.onLang(() => { renderToday(); renderMember(); renderQueue(); renderConflicts(); });
// Logging out leaves no member's name in this browser (the next login, online, reads them again).
$("logout").addEventListener("click", () => {
  DeskStore.forgetMembers().catch(() => {});
  Object.keys(localStorage).filter(k => /^pustaka\.(day|refused|prefetched)\./.test(k)).forEach(k => localStorage.removeItem(k));
});

// Before logging in (e.g. the tab was closed while offline), say that scans are still waiting.
document.addEventListener("DOMContentLoaded", () => DeskStore.queued().then(q => {
  if (!q.length || Desk.session) return;
  const note = document.createElement("p");
  note.className = "msg warn"; note.id = "login-queue"; note.textContent = t("login_queue", q.length);
  $("login-form").after(note);
}).catch(() => {}));
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/desk/sw.js", { scope: "/desk/" }).catch(() => {});

Object.assign(window, { clearMember, renderToday: () => { loadDay(); }, renderMember });
}
