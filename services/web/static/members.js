// The member list (/desk/anggota): search by name or number, correct a member's record, suspend, reinstate,
// renew the membership, print member cards (one, the chosen ones, or every active member), register a new
// member and import a member list. Every write goes through P.send (an Idempotency-Key kept until answered).
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  const PER_PAGE = 20;
  P.addTexts({
    members_title: "Daftar anggota — Pustaka Desa", members_heading: "Daftar anggota",
    list_heading: "Anggota perpustakaan", search_label: "Cari nama atau nomor anggota", search: "Cari",
    print_selected: "Cetak kartu terpilih", print_all: "Cetak kartu semua anggota aktif", prev: "Sebelumnya", next: "Berikutnya",
    found: n => `${n} anggota`, page_of: (p, n) => `Halaman ${p} dari ${n}`, no_match: "Tidak ada anggota yang cocok.",
    new_heading: "Daftarkan anggota baru", name: "Nama lengkap", birth_year: "Tahun lahir", gender: "Jenis kelamin",
    male: "Laki-laki (L)", female: "Perempuan (P)", contact: "Kontak (HP/alamat, boleh kosong)",
    disability: "Penyandang disabilitas", register: "Daftarkan", print_card: "Cetak kartu",
    registered: (name, no) => `${name} terdaftar. Nomor anggota: ${no}`,
    import_heading: "Impor daftar anggota", import_file: "Berkas daftar anggota", import: "Impor",
    import_hint: "Berkas CSV atau Excel (XLSX) dengan kolom Nama, Tahun Lahir, Jenis Kelamin; boleh juga Disabilitas dan Kontak.",
    imported: (n, rows) => `${n} dari ${rows} baris menjadi anggota.`, rejected_rows: "Baris yang ditolak",
    print_imported: n => `Cetak kartu ${n} anggota baru`, row: "Baris", field: "Kolom", value: "Isi", reason: "Alasan",
    edit: "Ubah", suspend: "Bekukan", reinstate: "Pulihkan", renew: "Perpanjang 3 tahun", card: "Kartu",
    choose: name => `Pilih ${name}`, suspend_reason: "Alasan pembekuan", confirm_suspend: "Bekukan keanggotaan",
    st_active: "aktif", st_suspended: "dibekukan", st_expired: "kedaluwarsa",
    valid_until: d => `berlaku s.d. ${d}`, born: y => `lahir ${y}`,
    saved: name => `Data ${name} disimpan.`, suspended: name => `Keanggotaan ${name} dibekukan.`,
    reinstated: name => `Keanggotaan ${name} dipulihkan.`, renewed: (name, d) => `Keanggotaan ${name} diperpanjang sampai ${d}.`,
    opening_pdf: "Menyiapkan kartu (PDF)…",
    col_name: "Nama", col_birth_year: "Tahun Lahir", col_gender: "Jenis Kelamin", col_disability: "Disabilitas", col_contact: "Kontak",
  }, {
    members_title: "Member list — Pustaka Desa", members_heading: "Member list",
    list_heading: "Library members", search_label: "Search a name or member number", search: "Search",
    print_selected: "Print chosen cards", print_all: "Print cards of all active members", prev: "Previous", next: "Next",
    found: n => `${n} members`, page_of: (p, n) => `Page ${p} of ${n}`, no_match: "No matching member.",
    new_heading: "Register a new member", name: "Full name", birth_year: "Year of birth", gender: "Gender",
    male: "Male (L)", female: "Female (P)", contact: "Contact (phone/address, optional)",
    disability: "Person with a disability", register: "Register", print_card: "Print card",
    registered: (name, no) => `${name} is registered. Member number: ${no}`,
    import_heading: "Import a member list", import_file: "Member list file", import: "Import",
    import_hint: "A CSV or Excel (XLSX) file with the columns Nama, Tahun Lahir, Jenis Kelamin; optionally Disabilitas and Kontak.",
    imported: (n, rows) => `${n} of ${rows} rows became members.`, rejected_rows: "Rejected rows",
    print_imported: n => `Print the cards of ${n} new members`, row: "Row", field: "Column", value: "Value", reason: "Reason",
    edit: "Edit", suspend: "Suspend", reinstate: "Reinstate", renew: "Renew 3 years", card: "Card",
    choose: name => `Choose ${name}`, suspend_reason: "Reason for the suspension", confirm_suspend: "Suspend membership",
    st_active: "active", st_suspended: "suspended", st_expired: "expired",
    valid_until: d => `valid until ${d}`, born: y => `born ${y}`,
    saved: name => `${name}'s record is saved.`, suspended: name => `${name}'s membership is suspended.`,
    reinstated: name => `${name}'s membership is reinstated.`, renewed: (name, d) => `${name}'s membership is renewed until ${d}.`,
    opening_pdf: "Preparing the cards (PDF)…",
    col_name: "Nama (name)", col_birth_year: "Tahun Lahir (year of birth)", col_gender: "Jenis Kelamin (gender)",
    col_disability: "Disabilitas (disability)", col_contact: "Kontak (contact)",
  });

  const COLUMNS = ["name", "birth_year", "gender", "disability", "contact"];
  const column = field => (COLUMNS.includes(field) ? t("col_" + field) : field);   // as the file's header says it
  const view = { page: 1, q: "", members: [], chosen: new Set(), total: 0 };
  const status = m => (m.status === "active" && m.expires_on < D.today() ? "expired" : m.status);

  async function load() {
    const params = new URLSearchParams({ page: view.page, per_page: PER_PAGE });
    if (view.q) params.set("q", view.q);
    try {
      const answer = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/members?${params}`);
      view.members = answer.members; view.total = answer.total;
      render();
    } catch (error) { D.failure("list-msg", error); }
  }

  function render() {
    const pages = Math.max(1, Math.ceil(view.total / PER_PAGE));
    $("list-count").textContent = t("found", P.fmtNumber(view.total));
    $("page-no").textContent = t("page_of", view.page, pages);
    $("prev").disabled = view.page <= 1; $("next").disabled = view.page >= pages;
    $("print-selected").disabled = view.chosen.size === 0;
    $("print-selected").textContent = t("print_selected") + (view.chosen.size ? ` (${view.chosen.size})` : "");
    $("member-list").innerHTML = view.members.length ? view.members.map((m, i) => {
      const st = status(m);
      return `<li data-i="${i}">
        <label class="check"><input type="checkbox" data-choose="${esc(m.member_number)}" ${view.chosen.has(m.member_number) ? "checked" : ""}
          aria-label="${esc(t("choose", m.name))}"> <span class="title">${esc(m.name)}</span></label>
        <div class="meta"><span class="callno">${esc(m.member_number)}</span> · ${esc(t("cat_" + m.category))} · ${esc(m.gender)}
          · ${esc(t("born", m.birth_year))}${m.contact ? ` · ${esc(m.contact)}` : ""}</div>
        <div class="meta"><span class="tag ${st}">${esc(t("st_" + st))}</span> ${esc(t("valid_until", D.date(m.expires_on)))}
          ${m.suspended_reason ? ` · ${esc(m.suspended_reason)}` : ""}</div>
        <div class="actions">
          <button class="secondary" type="button" data-act="edit" data-i="${i}">${esc(t("edit"))}</button>
          ${m.status === "suspended"
            ? `<button class="secondary" type="button" data-act="reinstate" data-i="${i}">${esc(t("reinstate"))}</button>`
            : `<button class="secondary" type="button" data-act="suspend" data-i="${i}">${esc(t("suspend"))}</button>`}
          <button class="secondary" type="button" data-act="renew" data-i="${i}">${esc(t("renew"))}</button>
          <button class="secondary" type="button" data-act="card" data-i="${i}">${esc(t("card"))}</button>
        </div>
        <div class="slot"></div>
      </li>`;
    }).join("") : `<li class="muted">${esc(t("no_match"))}</li>`;
  }

  function editor(li, m) {
    li.querySelector(".slot").innerHTML = `<form class="editor" data-edit>
      <label>${esc(t("name"))}<input name="name" type="text" required maxlength="200" value="${esc(m.name)}"></label>
      <div class="row">
        <label class="grow">${esc(t("birth_year"))}<input name="birth_year" type="number" min="1900" max="2100" required value="${m.birth_year}"></label>
        <fieldset class="grow"><legend>${esc(t("gender"))}</legend>
          <label class="check"><input type="radio" name="gender" value="L" ${m.gender === "L" ? "checked" : ""}> ${esc(t("male"))}</label>
          <label class="check"><input type="radio" name="gender" value="P" ${m.gender === "P" ? "checked" : ""}> ${esc(t("female"))}</label>
        </fieldset>
      </div>
      <label>${esc(t("contact"))}<input name="contact" type="text" maxlength="200" value="${esc(m.contact || "")}"></label>
      <label class="check"><input name="disability" type="checkbox" ${m.disability ? "checked" : ""}> ${esc(t("disability"))}</label>
      <div class="actions"><button class="primary" type="submit">${esc(t("save"))}</button>
        <button class="secondary" type="button" data-close>${esc(t("cancel"))}</button></div>
    </form>`;
    li.querySelector("[name=name]").focus();
  }

  function suspender(li) {
    li.querySelector(".slot").innerHTML = `<form class="editor" data-suspend>
      <label>${esc(t("suspend_reason"))}<input name="reason" type="text" required maxlength="500"></label>
      <div class="actions"><button class="primary" type="submit">${esc(t("confirm_suspend"))}</button>
        <button class="secondary" type="button" data-close>${esc(t("cancel"))}</button></div>
    </form>`;
    li.querySelector("[name=reason]").focus();
  }

  const memberPath = m => `${D.CIRC}/members/${encodeURIComponent(m.member_number)}`;
  async function write(promise, message) {
    try {
      const m = await promise;
      D.say("list-msg", "ok", message(m));
      await load();
    } catch (error) { D.failure("list-msg", error); }
  }

  $("member-list").addEventListener("click", event => {
    const button = event.target.closest("button");
    if (!button) return;
    const li = button.closest("li");
    if (button.hasAttribute("data-close")) { li.querySelector(".slot").innerHTML = ""; return; }
    const m = view.members[Number(button.dataset.i)];
    if (!m) return;
    if (button.dataset.act === "edit") editor(li, m);
    else if (button.dataset.act === "suspend") suspender(li);
    else if (button.dataset.act === "reinstate") write(P.send(`${memberPath(m)}/reinstatement`), x => t("reinstated", x.name));
    else if (button.dataset.act === "renew")
      write(P.send(`${memberPath(m)}/renewals`, { years: 3 }), x => t("renewed", x.name, D.date(x.expires_on)));
    else if (button.dataset.act === "card") { D.say("list-msg", "ok", t("opening_pdf")); D.openPdf(`${memberPath(m)}/card.pdf`, "list-msg"); }
  });
  $("member-list").addEventListener("change", event => {
    const box = event.target.closest("[data-choose]");
    if (!box) return;
    if (box.checked) view.chosen.add(box.dataset.choose); else view.chosen.delete(box.dataset.choose);
    $("print-selected").disabled = view.chosen.size === 0;
    $("print-selected").textContent = t("print_selected") + (view.chosen.size ? ` (${view.chosen.size})` : "");
  });
  $("member-list").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    const m = view.members[Number(form.closest("li").dataset.i)];
    if (form.hasAttribute("data-edit")) {
      const body = { name: form.elements.name.value.trim(), birth_year: Number(form.elements.birth_year.value),
                     gender: form.elements.gender.value, contact: form.elements.contact.value.trim() || null,
                     disability: form.elements.disability.checked };
      try {
        const saved = await P.api(memberPath(m), { method: "PATCH", body });
        D.say("list-msg", "ok", t("saved", saved.name));
        await load();
      } catch (error) { D.failure("list-msg", error); }
    } else if (form.hasAttribute("data-suspend")) {
      write(P.send(`${memberPath(m)}/suspension`, { reason: form.elements.reason.value.trim() }), x => t("suspended", x.name));
    }
  });

  const cardsPath = numbers => `${D.CIRC}/libraries/${encodeURIComponent(D.library)}/member-cards.pdf` +
    (numbers ? `?numbers=${encodeURIComponent(numbers.join(","))}` : "");
  $("print-selected").addEventListener("click", () => { D.say("list-msg", "ok", t("opening_pdf")); D.openPdf(cardsPath([...view.chosen]), "list-msg"); });
  $("print-all").addEventListener("click", () => { D.say("list-msg", "ok", t("opening_pdf")); D.openPdf(cardsPath(null), "list-msg"); });
  $("search-form").addEventListener("submit", event => {
    event.preventDefault(); view.q = $("member-search").value.trim(); view.page = 1; load();
  });
  $("prev").addEventListener("click", () => { view.page -= 1; load(); });
  $("next").addEventListener("click", () => { view.page += 1; load(); });

  let lastRegistered = null;
  $("new-form").addEventListener("submit", async event => {
    event.preventDefault();
    const f = event.target;
    try {
      const m = await P.send(`${D.CIRC}/members`, {
        name: f.elements.name.value.trim(), library: D.library, birth_year: Number(f.elements.birth_year.value),
        gender: f.elements.gender.value, disability: f.elements.disability.checked, contact: f.elements.contact.value.trim() || null });
      lastRegistered = m;
      D.say("new-msg", "ok", t("registered", m.name, m.member_number));
      $("new-card").hidden = false;
      f.reset();
      load();
    } catch (error) { D.failure("new-msg", error); $("new-card").hidden = true; }
  });
  $("new-card").addEventListener("click", () => lastRegistered && D.openPdf(memberPath(lastRegistered) + "/card.pdf", "new-msg"));

  let imported = [];
  $("import-form").addEventListener("submit", async event => {
    event.preventDefault();
    const file = $("import-file").files[0];
    if (!file) return;
    const form = new FormData(); form.append("file", file);
    $("import-report").innerHTML = "";
    try {
      const report = await P.send(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/member-imports`, undefined,
        { form, action: `import ${D.library} ${file.name} ${file.size} ${file.lastModified}` });
      imported = report.member_numbers;
      D.say("import-msg", report.rejected.length ? "warn" : "ok", t("imported", report.imported, report.rows));
      $("import-report").innerHTML = `${imported.length ? `<button id="print-imported" class="primary" type="button">${esc(t("print_imported", imported.length))}</button>` : ""}
        ${report.rejected.length ? `<h3>${esc(t("rejected_rows"))}</h3><div class="scroll"><table class="stack"><thead><tr>
          <th scope="col">${esc(t("row"))}</th><th scope="col">${esc(t("field"))}</th><th scope="col">${esc(t("value"))}</th>
          <th scope="col">${esc(t("reason"))}</th></tr></thead><tbody>${report.rejected.map(r => `<tr>
          <td data-label="${esc(t("row"))}">${r.row}</td><td data-label="${esc(t("field"))}">${esc(column(r.field))}</td>
          <td data-label="${esc(t("value"))}">${esc(r.value)}</td><td data-label="${esc(t("reason"))}">${esc(P.ERRORS[P.lang][r.code] || r.message)}</td>
          </tr>`).join("")}</tbody></table></div>` : ""}`;
      load();
    } catch (error) { D.failure("import-msg", error); }
  });
  $("import-report").addEventListener("click", event => {
    if (event.target.id === "print-imported") D.openPdf(cardsPath(imported), "import-msg");
  });

  P.onLang(() => { if (D.session) render(); });
  D.start(() => { view.page = 1; view.chosen.clear(); load(); });
})();
