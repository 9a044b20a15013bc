// Lost, found and damaged copies (/desk/eksemplar): scan a copy, see its status, and record what happened
// to it (a damaged copy needs a reason); below, every copy of the library marked lost or damaged. The
// catalogue and the public search follow through circulation's outbox. Withdrawal is done in the catalogue.
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  P.addTexts({
    copies_title: "Buku hilang & rusak — Pustaka Desa", copies_heading: "Buku hilang & rusak",
    scan_heading: "Catat buku hilang, ditemukan atau rusak", copy_barcode: "Barcode buku (pindai atau ketik, lalu Enter)",
    aside_heading: "Buku yang tercatat hilang atau rusak", none_aside: "Tidak ada buku yang tercatat hilang atau rusak.",
    st_available: "di rak", st_on_loan: "sedang dipinjam", st_awaiting_pickup: "disisihkan untuk pemesan", st_lost: "hilang",
    st_damaged: "rusak", st_withdrawn: "ditarik dari koleksi",
    mark_lost: "Catat hilang", mark_found: "Sudah ditemukan", mark_damaged: "Catat rusak", mark_repaired: "Sudah diperbaiki",
    damage_reason: "Kerusakannya (mis. sampul sobek, halaman hilang)", confirm_damaged: "Simpan sebagai rusak",
    lost_ok: title => `Tercatat hilang: ${title}.`, found_ok: title => `Ditemukan dan kembali ke rak: ${title}.`,
    found_hold: (title, name, no) => `Ditemukan: ${title}. Sisihkan untuk ${name} (${no}) yang memesannya.`,
    damaged_ok: title => `Tercatat rusak: ${title}. Buku ini tidak bisa dipinjam sampai diperbaiki.`,
    repaired_ok: title => `Sudah diperbaiki dan kembali ke rak: ${title}.`,
    withdrawn_note: "Penarikan dari koleksi dicatat di katalog.", barcode_bad: "Barcode harus 12 angka. Pindai lagi.",
    status_now: "Status",
  }, {
    copies_title: "Lost & damaged — Pustaka Desa", copies_heading: "Lost & damaged books",
    scan_heading: "Record a book lost, found or damaged", copy_barcode: "Book barcode (scan or type, then Enter)",
    aside_heading: "Books marked lost or damaged", none_aside: "No book is marked lost or damaged.",
    st_available: "on the shelf", st_on_loan: "on loan", st_awaiting_pickup: "set aside for a hold", st_lost: "lost",
    st_damaged: "damaged", st_withdrawn: "withdrawn",
    mark_lost: "Mark lost", mark_found: "Found again", mark_damaged: "Mark damaged", mark_repaired: "Repaired",
    damage_reason: "What is damaged (e.g. torn cover, missing pages)", confirm_damaged: "Save as damaged",
    lost_ok: title => `Marked lost: ${title}.`, found_ok: title => `Found and back on the shelf: ${title}.`,
    found_hold: (title, name, no) => `Found: ${title}. Set it aside for ${name} (${no}) who placed a hold.`,
    damaged_ok: title => `Marked damaged: ${title}. It cannot be lent until repaired.`,
    repaired_ok: title => `Repaired and back on the shelf: ${title}.`,
    withdrawn_note: "Withdrawal is recorded in the catalogue.", barcode_bad: "A barcode has 12 digits. Scan again.",
    status_now: "Status",
  });
  let copy = null;

  const ACTIONS = {
    available: ["lost", "damaged"], awaiting_pickup: ["lost", "damaged"], on_loan: ["lost"],
    lost: ["found"], damaged: ["repaired", "lost"], withdrawn: [],
  };

  async function look(barcode) {
    try {
      copy = await P.api(`${D.CIRC}/items/${encodeURIComponent(barcode)}`);
    } catch (error) {
      if (error instanceof P.ApiError && error.status === 403) {
        D.say("copy-msg", "bad", P.errorText({ code: "item_other_library" })); copy = null; $("copy-card").innerHTML = ""; return;
      }
      if (!(error instanceof P.ApiError && error.status === 404)) { D.failure("copy-msg", error); return; }
      try {   // never seen at this desk: the catalogue knows it
        const item = await P.api(`/api/catalog/v1/items/${encodeURIComponent(barcode)}`);
        copy = { barcode: item.barcode, title: item.title, call_number: item.call_number, status: item.status, library: item.library };
      } catch (second) { D.failure("copy-msg", second); copy = null; $("copy-card").innerHTML = ""; return; }
    }
    if (copy.library && copy.library !== D.library) {
      D.say("copy-msg", "bad", P.errorText({ code: "item_other_library" })); copy = null; $("copy-card").innerHTML = ""; return;
    }
    renderCopy();
  }

  function renderCopy() {
    const acts = ACTIONS[copy.status] || [];
    $("copy-card").innerHTML = `<ul class="cards"><li>
      <p class="title">${esc(copy.title)}</p>
      <div class="meta"><span class="callno">${esc(copy.call_number || "")}</span> · <span class="callno">${esc(copy.barcode)}</span></div>
      <div class="meta">${esc(t("status_now"))}: <span class="tag ${esc(copy.status)}">${esc(t("st_" + copy.status))}</span></div>
      <div class="actions">${acts.map(a => `<button class="${a === "damaged" || a === "lost" ? "secondary" : "primary"}" type="button"
        data-act="${a}">${esc(t("mark_" + a))}</button>`).join("")}</div>
      ${copy.status === "withdrawn" ? `<p class="muted">${esc(t("withdrawn_note"))}</p>` : ""}
      <form id="damage-form" class="editor" hidden>
        <label for="damage-reason">${esc(t("damage_reason"))}</label>
        <input id="damage-reason" type="text" required maxlength="500" autocomplete="off">
        <div class="actions"><button class="primary" type="submit">${esc(t("confirm_damaged"))}</button>
          <button class="secondary" type="button" data-act="close">${esc(t("cancel"))}</button></div>
      </form></li></ul>`;
  }

  async function act(action, barcode, title) {
    const base = `${D.CIRC}/items/${encodeURIComponent(barcode)}`;
    try {
      if (action === "lost") { await P.send(`${base}/lost`); D.say("copy-msg", "ok", t("lost_ok", title)); }
      else if (action === "found") {
        const state = await P.send(`${base}/found`);
        const w = state.hold_waiting;
        D.say("copy-msg", w ? "warn" : "ok", w ? t("found_hold", title, w.name, w.member_number) : t("found_ok", title));
      } else if (action === "repaired") {
        const state = await P.send(`${base}/repaired`);
        const w = state.hold_waiting;
        D.say("copy-msg", w ? "warn" : "ok", w ? t("found_hold", title, w.name, w.member_number) : t("repaired_ok", title));
      } else if (action === "damaged") {
        await P.send(`${base}/damaged`, { reason: $("damage-reason").value.trim() });
        D.say("copy-msg", "ok", t("damaged_ok", title));
      }
      if (copy && copy.barcode === barcode) await look(barcode);
      loadAside();
    } catch (error) { D.failure("copy-msg", error); }
  }

  async function loadAside() {
    try {
      const list = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/copies-set-aside`);
      $("aside").innerHTML = list.length ? list.map(c => `<li>
        <p class="title">${esc(c.title)}</p>
        <div class="meta"><span class="callno">${esc(c.call_number || "")}</span> · <span class="callno">${esc(c.barcode)}</span>
          · <span class="tag ${esc(c.status)}">${esc(t("st_" + c.status))}</span>${c.reason ? ` · ${esc(c.reason)}` : ""}</div>
        <div class="actions"><button class="primary" type="button" data-act="${c.status === "lost" ? "found" : "repaired"}"
          data-barcode="${esc(c.barcode)}" data-title="${esc(c.title)}">${esc(t(c.status === "lost" ? "mark_found" : "mark_repaired"))}</button></div>
      </li>`).join("") : `<li class="muted">${esc(t("none_aside"))}</li>`;
    } catch (error) { D.failure("aside-msg", error); }
  }

  $("copy-form").addEventListener("submit", event => {
    event.preventDefault();
    const code = $("copy-barcode").value.trim();
    if (!/^\d{12}$/.test(code)) { D.say("copy-msg", "bad", t("barcode_bad")); return; }
    $("copy-msg").textContent = ""; $("copy-msg").className = "msg";
    look(code);
  });
  $("copy-card").addEventListener("click", event => {
    const button = event.target.closest("button[data-act]");
    if (!button || !copy) return;
    const form = $("damage-form");
    if (button.dataset.act === "close") { form.hidden = true; return; }
    if (button.dataset.act === "damaged") { form.hidden = false; $("damage-reason").focus(); return; }
    act(button.dataset.act, copy.barcode, copy.title);
  });
  $("copy-card").addEventListener("submit", event => {
    event.preventDefault();
    if (copy) act("damaged", copy.barcode, copy.title);
  });
  $("aside").addEventListener("click", event => {
    const button = event.target.closest("button[data-act]");
    if (button) act(button.dataset.act, button.dataset.barcode, button.dataset.title);
  });

  P.onLang(() => { if (!D.session) return; if (copy) renderCopy(); loadAside(); });
  D.start(() => { copy = null; $("copy-card").innerHTML = ""; loadAside(); $("copy-barcode").focus(); });
})();
