// The self-service guest book (/desk/kiosk): a tablet at the entrance. A member scans their card (or types
// the number) and one member visit is recorded with their age group and gender, taken from their record;
// a non-member taps an age group and a gender (nothing else is asked) and one non-member visit is recorded.
// A librarian logs the tablet in once: the session is kept on the tablet (localStorage), so the kiosk
// survives a reload or a restart of the browser. A visitor recorded while the server cannot be reached is
// kept on the tablet (localStorage) with the day of the visit and its own Idempotency-Key, and sent when
// the connection is back: nobody is lost, nobody is counted twice.
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  const KEPT = "pustaka.kiosk.session";
  const BACK_HOME_MS = 5000;
  P.addTexts({
    kiosk_title: "Buku tamu — Pustaka Desa", kiosk_heading: "Buku tamu perpustakaan",
    k_welcome: "Selamat datang! Silakan isi buku tamu.", k_member_label: "Anggota: pindai kartu Anda atau ketik nomornya",
    k_member_go: "Saya anggota — catat", k_guest: "Saya bukan anggota", k_guest_hint: "Tanpa nama, cukup pilih umur dan jenis kelamin",
    k_cat_q: "Berapa umur Anda?", k_gen_q: "Anda laki-laki atau perempuan?", k_back: "Kembali", k_next: "Pengunjung berikutnya",
    k_thanks: "Terima kasih! Selamat membaca.", k_thanks_member: "Terima kasih, anggota! Selamat membaca.",
    k_today: n => `Pengunjung hari ini: ${n}`, k_waiting: n => `${n} kunjungan menunggu koneksi`,
    k_member_not_found: "Nomor anggota tidak ditemukan. Coba pindai lagi, atau tanyakan pustakawan.",
    k_confirm_logout: "Keluarkan kios dari akun pustakawan? Kios tidak bisa dipakai sampai pustakawan masuk lagi.",
  }, {
    kiosk_title: "Guest book — Pustaka Desa", kiosk_heading: "Library guest book",
    k_welcome: "Welcome! Please sign the guest book.", k_member_label: "Members: scan your card or type its number",
    k_member_go: "I am a member — sign in", k_guest: "I am not a member", k_guest_hint: "No name needed: just your age group and gender",
    k_cat_q: "How old are you?", k_gen_q: "Are you male or female?", k_back: "Back", k_next: "Next visitor",
    k_thanks: "Thank you! Enjoy your reading.", k_thanks_member: "Thank you, member! Enjoy your reading.",
    k_today: n => `Visitors today: ${n}`, k_waiting: n => `${n} visits waiting for the connection`,
    k_member_not_found: "Member number not found. Scan again, or ask the librarian.",
    k_confirm_logout: "Log the kiosk out of the librarian's account? It cannot be used until a librarian logs in again.",
  });
  const SCREENS = ["k-home", "k-category", "k-gender", "k-done"];
  const QUEUE = "pustaka.kiosk.waiting";
  const FLUSH_EVERY_MS = 15000;
  let visitor = null;      // the visitor being recorded: {key, body}
  let backHome = null;
  const waiting = () => { try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch { return []; } };
  const keep = list => localStorage.setItem(QUEUE, JSON.stringify(list));

  $("k-cats").innerHTML = D.CATEGORIES.map(c => `<button class="choice" type="button" data-cat="${c}">
    <span><span data-t="cat_${c}"></span><small data-t="cat_hint_${c}"></small></span></button>`).join("");
  $("k-gens").innerHTML = D.GENDERS.map(g => `<button class="choice" type="button" data-gender="${g}">
    <span data-t="g_${g}"></span></button>`).join("");

  function show(screen) {
    clearTimeout(backHome);
    SCREENS.forEach(id => { $(id).hidden = id !== screen; });
    if (screen === "k-home") {
      visitor = null; $("k-number").value = "";
      $("k-number").focus();
    }
  }

  function thank(member, visitsToday, later) {
    $("k-thanks").textContent = t(member ? "k_thanks_member" : "k_thanks");
    $("k-tally").textContent = later ? t("k_waiting", waiting().length) : t("k_today", visitsToday);
    show("k-done");
    backHome = setTimeout(() => show("k-home"), BACK_HOME_MS);
  }

  const post = v => P.api(`${D.CIRC}/visitors`, { method: "POST", body: v.body, key: v.key });

  async function record() {
    $("k-msg").className = "msg"; $("k-msg").textContent = "";
    try {
      const done = await post(visitor);
      thank(done.member, done.visits_today, false);
    } catch (error) {
      if (error instanceof P.NetworkError) {   // kept on the tablet and sent later: the visitor is thanked
        keep([...waiting(), visitor]);
        thank(Boolean(visitor.body.member_number), 0, true);
        return;
      }
      if (error instanceof P.ApiError && error.problem.code === "member_not_found") D.say("k-msg", "bad", t("k_member_not_found"));
      else D.failure("k-msg", error);
      show("k-home");
    }
  }

  /** Send the visitors kept while offline, oldest first; stop at the first that cannot be sent. */
  let flushing = false;
  async function flush() {
    if (flushing || !P.session.get()) return;
    flushing = true;
    try {
      for (const v of waiting()) {
        try { await post(v); } catch (error) {
          if (error instanceof P.NetworkError || (error instanceof P.ApiError && error.status === 401)) break;
          console.warn("a kept visitor was refused", error.problem);   // e.g. a member deleted meanwhile
        }
        keep(waiting().filter(w => w.key !== v.key));
      }
    } finally { flushing = false; }
    if (!$("k-home").hidden) loadTally();
  }
  setInterval(flush, FLUSH_EVERY_MS);
  window.addEventListener("online", flush);

  $("k-member-form").addEventListener("submit", event => {
    event.preventDefault();
    const number = $("k-number").value.trim();
    if (!number) return;
    visitor = { key: P.uuid(), body: { library: D.library, member_number: number, date: D.today() } };
    record();
  });
  $("k-guest").addEventListener("click", () => {
    $("k-msg").textContent = ""; $("k-msg").className = "msg";
    visitor = { key: P.uuid(), body: { library: D.library, date: D.today() } };
    show("k-category");
  });
  $("k-cats").addEventListener("click", event => {
    const button = event.target.closest("[data-cat]");
    if (!button || !visitor) return;
    visitor.body.category = button.dataset.cat;
    show("k-gender");
  });
  $("k-gens").addEventListener("click", event => {
    const button = event.target.closest("[data-gender]");
    if (!button || !visitor) return;
    visitor.body.gender = button.dataset.gender;
    record();
  });
  document.querySelectorAll("[data-back]").forEach(b => b.addEventListener("click", () => {
    $("k-msg").textContent = ""; $("k-msg").className = "msg"; show("k-home");
  }));

  async function loadTally() {
    try {
      const days = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/visits?from=${D.today()}&to=${D.today()}`);
      const kept = waiting().length;
      $("k-tally").textContent = t("k_today", days[0]?.visits || 0) + (kept ? ` · ${t("k_waiting", kept)}` : "");
    } catch { /* the banner says when the server cannot be reached */ }
  }

  // The tablet keeps the librarian's session for the kiosk only: a reload or a restarted browser opens the
  // kiosk again, but a visitor who types another desk address in this tab finds the login form, because the
  // tab's desk session is dropped whenever the kiosk page is left.
  window.addEventListener("pagehide", () => P.session.clear());
  if (!P.session.get()) {
    try { const kept = JSON.parse(localStorage.getItem(KEPT)); if (kept?.token) P.session.set(kept); } catch { /* none kept */ }
  }
  D.start(() => {
    localStorage.setItem(KEPT, JSON.stringify(P.session.get()));
    show("k-home");
    loadTally();
    flush();
  }, { confirmLogout: "k_confirm_logout" });
  $("logout").addEventListener("click", () => { if (!P.session.get()) localStorage.removeItem(KEPT); });
})();
