// Holds (/desk/pesanan): find a title in this library's catalogue and queue a member for it; the queue of
// every title with the members' names and places, and cancelling a hold. A copy on the shelf is set aside
// at once by the server; the page says so.
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  P.addTexts({
    holds_title: "Pesanan buku — Pustaka Desa", holds_heading: "Pesanan buku",
    place_heading: "Pesan buku untuk anggota", hold_member: "Nomor anggota (pindai kartu atau ketik)",
    hold_q: "Judul, pengarang atau ISBN", find_title: "Cari judul", queue_heading: "Antrean pesanan",
    place: "Pesan untuk anggota ini", copies_here: (a, n) => `${a} dari ${n} eksemplar di rak`, no_titles: "Judul tidak ditemukan di perpustakaan ini.",
    no_isbn: "Buku tanpa ISBN tidak bisa dipesan.", member_first: "Isi nomor anggota dulu.",
    placed_waiting: (title, pos) => `Pesanan dicatat: ${title}. Urutan antrean: ${pos}.`,
    placed_ready: (title, code, by) => `Pesanan dicatat: ${title}. Eksemplar ${code} ada di rak: sisihkan untuk anggota ini, diambil sebelum ${by}.`,
    cancel_hold: "Batalkan", cancelled: (name, title) => `Pesanan ${name} untuk ${title} dibatalkan.`,
    waiting_at: n => `urutan ${n}`, ready_until: (code, by) => `buku ${code} disisihkan, ambil sebelum ${by}`,
    no_queue: "Tidak ada pesanan yang terbuka.", placed_on: d => `dipesan ${d}`,
  }, {
    holds_title: "Holds — Pustaka Desa", holds_heading: "Holds",
    place_heading: "Place a hold for a member", hold_member: "Member number (scan the card or type)",
    hold_q: "Title, author or ISBN", find_title: "Find title", queue_heading: "Hold queue",
    place: "Place hold for this member", copies_here: (a, n) => `${a} of ${n} copies on the shelf`, no_titles: "No such title in this library.",
    no_isbn: "A book without ISBN cannot be held.", member_first: "Fill in the member number first.",
    placed_waiting: (title, pos) => `Hold placed: ${title}. Place in the queue: ${pos}.`,
    placed_ready: (title, code, by) => `Hold placed: ${title}. Copy ${code} is on the shelf: set it aside for this member, pick up by ${by}.`,
    cancel_hold: "Cancel", cancelled: (name, title) => `${name}'s hold on ${title} is cancelled.`,
    waiting_at: n => `place ${n}`, ready_until: (code, by) => `copy ${code} set aside, pick up by ${by}`,
    no_queue: "No open holds.", placed_on: d => `placed ${d}`,
  });
  let hits = [];
  let queue = [];

  async function findTitles() {
    const params = new URLSearchParams({ q: $("hold-q").value.trim(), library: D.library, per_page: 10 });
    try {
      const answer = await P.api(`/api/catalog/v1/search?${params}`);
      hits = answer.hits;
      $("title-hits").innerHTML = hits.length ? hits.map((h, i) => `<li>
        <p class="title">${esc(h.title)}</p>
        <div class="meta">${esc((h.authors || []).join(", "))} · ${esc(h.isbn || h.isbn13 || h.local_code || "")}
          · ${esc(t("copies_here", h.available, h.copies))}</div>
        ${h.isbn13 ? `<button class="primary" type="button" data-i="${i}">${esc(t("place"))}</button>` : `<p class="muted">${esc(t("no_isbn"))}</p>`}
      </li>`).join("") : `<li class="muted">${esc(t("no_titles"))}</li>`;
    } catch (error) { D.failure("place-msg", error); }
  }

  async function loadQueue() {
    try {
      const all = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/holds`);
      queue = all.filter(h => h.status.startsWith("open-"));
      render();
    } catch (error) { D.failure("queue-msg", error); }
  }

  function render() {
    const titles = new Map();
    queue.forEach(h => { if (!titles.has(h.isbn13)) titles.set(h.isbn13, []); titles.get(h.isbn13).push(h); });
    $("queue").innerHTML = titles.size ? [...titles.values()].map(list => {
      list.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
      return `<li><p class="title">${esc(list[0].title)}</p><ol>${list.map(h => `<li>
        <b>${esc(h.member_name || "")}</b> <span class="callno">${esc(h.member_number)}</span> ·
        ${h.status === "open-awaiting-pickup" ? `<span class="shelf">${esc(t("ready_until", h.item_barcode, D.date(h.pickup_by)))}</span>`
                                              : esc(t("waiting_at", h.position))}
        · <span class="muted">${esc(t("placed_on", D.date(D.dayOf(h.placed_at))))}</span>
        <button class="secondary" type="button" data-cancel="${h.hold_id}" aria-label="${esc(t("cancel_hold"))} ${esc(h.member_name || h.member_number)}">${esc(t("cancel_hold"))}</button>
      </li>`).join("")}</ol></li>`;
    }).join("") : `<li class="muted">${esc(t("no_queue"))}</li>`;
  }

  $("place-form").addEventListener("submit", event => { event.preventDefault(); findTitles(); });
  $("hold-member").addEventListener("keydown", event => {   // a scanner ends the card number with Enter
    if (event.key === "Enter") { event.preventDefault(); $("hold-q").focus(); }
  });
  $("title-hits").addEventListener("click", async event => {
    const button = event.target.closest("button[data-i]");
    if (!button) return;
    const member = $("hold-member").value.trim();
    if (!member) { D.say("place-msg", "warn", t("member_first")); $("hold-member").focus(); return; }
    const hit = hits[Number(button.dataset.i)];
    try {
      const hold = await P.send(`${D.CIRC}/holds`, { isbn13: hit.isbn13, member_number: member, library: D.library });
      D.say("place-msg", "ok", hold.status === "open-awaiting-pickup"
        ? t("placed_ready", hold.title, hold.item_barcode, D.date(hold.pickup_by)) : t("placed_waiting", hold.title, hold.position));
      loadQueue();
    } catch (error) { D.failure("place-msg", error); }
  });
  $("queue").addEventListener("click", async event => {
    const button = event.target.closest("button[data-cancel]");
    if (!button) return;
    const hold = queue.find(h => String(h.hold_id) === button.dataset.cancel);
    try {
      await P.send(`${D.CIRC}/holds/${hold.hold_id}/cancellation`);
      D.say("queue-msg", "ok", t("cancelled", hold.member_name || hold.member_number, hold.title));
      loadQueue();
    } catch (error) { D.failure("queue-msg", error); }
  });

  P.onLang(() => { if (D.session) render(); });
  D.start(() => { hits = []; $("title-hits").innerHTML = ""; loadQueue(); });
})();
