// Activities (/desk/kegiatan): a literacy or community activity with its participants by age group and
// gender (POST /activities), which the district statistics count as activities and activity_participants
// (UPLM 6, community involvement). Below, the library's activities of the last 31 days.
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  const KINDS = ["bercerita", "bimbingan_baca", "pelatihan", "lomba", "diskusi", "pameran", "lainnya"];
  P.addTexts({
    activities_title: "Kegiatan — Pustaka Desa", activities_heading: "Kegiatan",
    act_new_heading: "Catat kegiatan", act_name: "Nama kegiatan", act_kind: "Jenis kegiatan", act_partner: "Mitra (boleh kosong)",
    act_split_hint: "Peserta menurut umur dan jenis kelamin; kedua rincian harus berjumlah sama.",
    act_participants: "Jumlah peserta", act_save: "Simpan kegiatan", act_list_heading: "Kegiatan 31 hari terakhir",
    kind_bercerita: "Bercerita / dongeng", kind_bimbingan_baca: "Bimbingan membaca", kind_pelatihan: "Pelatihan keterampilan",
    kind_lomba: "Lomba", kind_diskusi: "Diskusi / bedah buku", kind_pameran: "Pameran", kind_lainnya: "Lainnya",
    act_ok: (title, n) => `Kegiatan dicatat: ${title}, ${n} peserta.`, participants_n: n => `${n} peserta`,
    act_none: "Isi jumlah peserta menurut umur dan jenis kelamin.",
  }, {
    activities_title: "Activities — Pustaka Desa", activities_heading: "Activities",
    act_new_heading: "Record an activity", act_name: "Activity name", act_kind: "Kind of activity", act_partner: "Partner (optional)",
    act_split_hint: "Participants by age group and gender; both must add up to the same number.",
    act_participants: "Participants", act_save: "Save activity", act_list_heading: "Activities of the last 31 days",
    kind_bercerita: "Storytelling", kind_bimbingan_baca: "Reading guidance", kind_pelatihan: "Skills training",
    kind_lomba: "Competition", kind_diskusi: "Discussion / book talk", kind_pameran: "Exhibition", kind_lainnya: "Other",
    act_ok: (title, n) => `Activity recorded: ${title}, ${n} participants.`, participants_n: n => `${n} participants`,
    act_none: "Fill in the participants by age group and gender.",
  });
  const form = $("act-form");
  $("act-split").innerHTML = D.splitInputs("p_");
  const fillKinds = () => {
    const chosen = form.elements.kind.value;
    form.elements.kind.innerHTML = KINDS.map(k => `<option value="${k}">${esc(t("kind_" + k))}</option>`).join("");
    if (chosen) form.elements.kind.value = chosen;
  };
  fillKinds();
  P.onLang(fillKinds);
  form.elements.date.value = D.today();
  form.elements.date.max = D.today();
  const total = () => D.sum(D.readSplit(form, "p_").by_category);
  form.addEventListener("input", () => { $("act-total").textContent = total(); });

  async function load() {
    try {
      const list = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/activities`);
      $("act-list").innerHTML = list.length ? list.map(a => `<li>
        <p class="title">${esc(a.title)}</p>
        <div class="meta">${esc(D.date(a.date))} · ${esc(KINDS.includes(a.kind) ? t("kind_" + a.kind) : a.kind)}
          · <b>${esc(t("participants_n", a.participants))}</b>${a.partner ? ` · ${esc(a.partner)}` : ""}</div>
        <div class="meta">${esc(D.splitText(a.by_category))}; ${esc(D.splitText(a.by_gender))}</div></li>`).join("")
        : `<li class="muted">${esc(t("none_yet"))}</li>`;
    } catch (error) { D.failure("act-msg", error); }
  }

  form.addEventListener("submit", async event => {
    event.preventDefault();
    const split = D.readSplit(form, "p_");
    const participants = D.sum(split.by_category);
    if (!participants) { D.say("act-msg", "warn", t("act_none")); return; }
    const problem = D.splitProblem(split, participants);
    if (problem) { D.say("act-msg", "bad", problem); return; }
    try {
      const done = await P.send(`${D.CIRC}/activities`, {
        library: D.library, date: form.elements.date.value, title: form.elements.title.value.trim(),
        kind: form.elements.kind.value, participants, partner: form.elements.partner.value.trim() || null, ...split });
      D.say("act-msg", "ok", t("act_ok", done.title, done.participants));
      form.elements.title.value = ""; form.elements.partner.value = "";
      D.fillSplit(form, "p_", {}); $("act-total").textContent = "0";
      load();
    } catch (error) { D.failure("act-msg", error); }
  });

  P.onLang(() => { if (D.session) load(); });
  D.start(() => load());
})();
