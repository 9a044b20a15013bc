// The self-service guest book (/desk/kiosk): a tablet at the entrance. A member scans their card (or types
// the number) and one member visit is recorded with their age group and gender, taken from their record;
// a non-member taps an age group and a gender (nothing else is asked) and one non-member visit is recorded.
// A librarian logs the tablet in once: the session is kept on the tablet (localStorage), so the kiosk
// survives a reload or a restart of the browser. Each visitor's write has its own Idempotency-Key, kept when
// the connection fails, so "Coba lagi" never counts the same visitor twice.
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
    k_today: n => `Pengunjung hari ini: ${n}`,
    k_member_not_found: "Nomor anggota tidak ditemukan. Coba pindai lagi, atau tanyakan pustakawan.",
    k_confirm_logout: "Keluarkan kios dari akun pustakawan? Kios tidak bisa dipakai sampai pustakawan masuk lagi.",
  }, {
    kiosk_title: "Guest book — Pustaka Desa", kiosk_heading: "Library guest book",
    k_welcome: "Welcome! Please sign the guest book.", k_member_label: "Members: scan your card or type its number",
    k_member_go: "I am a member — sign in", k_guest: "I am not a member", k_guest_hint: "No name needed: just your age group and gender",
    k_cat_q: "How old are you?", k_gen_q: "Are you male or female?", k_back: "Back", k_next: "Next visitor",
    k_thanks: "Thank you! Enjoy your reading.", k_thanks_member: "Thank you, member! Enjoy your reading.",
    k_today: n => `Visitors today: ${n}`,
    k_member_not_found: "Member number not found. Scan again, or ask the librarian.",
    k_confirm_logout: "Log the kiosk out of the librarian's account? It cannot be used until a librarian logs in again.",
  });
  const SCREENS = ["k-home", "k-category", "k-gender", "k-done"];
  let visitor = null;      // the visitor being recorded: {action, body}
  let backHome = null;

  $("k-cats").innerHTML = D.CATEGORIES.map(c => `<button class="choice" type="button" data-cat="${c}">
    <span><span data-t="cat_${c}"></span><small data-t="cat_hint_${c}"></small></span></button>`).join("");
  $("k-gens").innerHTML = D.GENDERS.map(g => `<button class="choice" type="button" data-gender="${g}">
    <span data-t="g_${g}"></span></button>`).join("");

  function show(screen) {
    clearTimeout(backHome);
    SCREENS.forEach(id => { $(id).hidden = id !== screen; });
    if (screen === "k-home") {
      visitor = null; $("k-number").value = ""; $("k-retry").hidden = true;
      $("k-number").focus();
    }
  }

  async function record() {
    $("k-retry").hidden = true;
    $("k-msg").className = "msg"; $("k-msg").textContent = "";
    try {
      const done = await P.send(`${D.CIRC}/visitors`, visitor.body, { action: visitor.action });
      $("k-thanks").textContent = t(done.member ? "k_thanks_member" : "k_thanks");
      $("k-tally").textContent = t("k_today", done.visits_today);
      show("k-done");
      backHome = setTimeout(() => show("k-home"), BACK_HOME_MS);
    } catch (error) {
      if (error instanceof P.NetworkError) { D.failure("k-msg", error); $("k-retry").hidden = false; return; }
      if (error instanceof P.ApiError && error.problem.code === "member_not_found") D.say("k-msg", "bad", t("k_member_not_found"));
      else D.failure("k-msg", error);
      show("k-home");
    }
  }

  $("k-member-form").addEventListener("submit", event => {
    event.preventDefault();
    const number = $("k-number").value.trim();
    if (!number) return;
    visitor = { action: `visitor ${P.uuid()}`, body: { library: D.library, member_number: number } };
    record();
  });
  $("k-guest").addEventListener("click", () => {
    $("k-msg").textContent = ""; $("k-msg").className = "msg";
    visitor = { action: `visitor ${P.uuid()}`, body: { library: D.library } };
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
  $("k-retry").addEventListener("click", () => visitor && record());

  async function loadTally() {
    try {
      const days = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/visits?from=${D.today()}&to=${D.today()}`);
      $("k-tally").textContent = t("k_today", days[0]?.visits || 0);
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
  }, { confirmLogout: "k_confirm_logout" });
  $("logout").addEventListener("click", () => { if (!P.session.get()) localStorage.removeItem(KEPT); });
})();
