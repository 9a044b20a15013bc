// The guest book for the librarian (/desk/kunjungan): today's visitors, adding a counted tally (e.g. the
// morning's tick marks on paper), and the last 31 days, each correctable. A correction replaces the day's
// figures; it carries the day's count of tallies as read, so a visitor the kiosk recorded meanwhile is never
// silently wiped out (the server refuses with visit_tally_changed and the page shows the new figures).
"use strict";
(() => {
  const { $, esc, t } = P;
  const D = DeskPage;
  P.addTexts({
    visits_title: "Buku tamu — Pustaka Desa", visits_heading: "Buku tamu",
    today_heading: "Pengunjung hari ini", kiosk_hint: "Pengunjung juga bisa mencatat diri di kios tamu:", open_kiosk: "buka kios tamu",
    add_heading: "Tambah hitungan pengunjung", member_visits: "Pengunjung anggota", non_member_visits: "Pengunjung bukan anggota",
    add_tally: "Tambahkan", days_heading: "Hitungan per hari (31 hari terakhir)", breakdown: "Rincian", correct: "Koreksi",
    save_fix: "Simpan koreksi", fix_heading: d => `Koreksi hitungan ${d}`, visits: "Semua pengunjung",
    added: (n, d, total) => `${n} pengunjung ditambahkan untuk ${d}. Jumlah hari itu: ${total}.`,
    fixed: (d, total) => `Hitungan ${d} dikoreksi menjadi ${total} pengunjung.`, nothing: "Isi jumlah pengunjung dulu.",
    split_hint: "Rincian boleh dikosongkan (semua 0); jika diisi, jumlahnya harus sama dengan jumlah pengunjung.",
  }, {
    visits_title: "Guest book — Pustaka Desa", visits_heading: "Guest book",
    today_heading: "Visitors today", kiosk_hint: "Visitors can also sign in at the guest kiosk:", open_kiosk: "open the guest kiosk",
    add_heading: "Add a visitor count", member_visits: "Member visitors", non_member_visits: "Non-member visitors",
    add_tally: "Add", days_heading: "Counts per day (last 31 days)", breakdown: "Breakdown", correct: "Correct",
    save_fix: "Save correction", fix_heading: d => `Correct the count of ${d}`, visits: "All visitors",
    added: (n, d, total) => `${n} visitors added for ${d}. That day's total: ${total}.`,
    fixed: (d, total) => `The count of ${d} is corrected to ${total} visitors.`, nothing: "Fill in the number of visitors first.",
    split_hint: "The breakdown may stay empty (all 0); when filled in, it must add up to the number of visitors.",
  });
  let days = [];
  let fixing = null;

  $("add-split").innerHTML = D.splitInputs("a_") + `<p class="muted" data-t="split_hint"></p>`;
  $("fix-split").innerHTML = D.splitInputs("f_");

  /** The tally a form describes, or a message saying what does not add up. */
  function tally(form, prefix) {
    const member_visits = Number(form.elements.member_visits.value || 0);
    const non_member_visits = Number(form.elements.non_member_visits.value || 0);
    const total = member_visits + non_member_visits;
    const split = D.readSplit(form, prefix);
    const body = { member_visits, non_member_visits };
    for (const key of ["by_category", "by_gender"]) {
      const sum = D.sum(split[key]);
      if (sum && sum !== total) return { problem: t("sum_mismatch", t(key), sum, total) };
      if (sum) body[key] = split[key];
    }
    return { body, total };
  }

  async function load() {
    try {
      days = await P.api(`${D.CIRC}/libraries/${encodeURIComponent(D.library)}/visits`);
      render();
    } catch (error) { D.failure("days-msg", error); }
  }

  function render() {
    const today = days.find(d => d.date === D.today()) || { visits: 0, member_visits: 0, non_member_visits: 0 };
    $("today-kpis").innerHTML = [["visits", today.visits], ["member_visits", today.member_visits],
      ["non_member_visits", today.non_member_visits]].map(([k, v]) =>
      `<div class="kpi"><b>${P.fmtNumber(v)}</b>${esc(t(k))}</div>`).join("");
    $("days").tBodies[0].innerHTML = days.length ? days.map((d, i) => `<tr>
      <td data-label="${esc(t("date"))}">${esc(D.date(d.date))}</td>
      <td class="num" data-label="${esc(t("member_visits"))}">${d.member_visits}</td>
      <td class="num" data-label="${esc(t("non_member_visits"))}">${d.non_member_visits}</td>
      <td class="num" data-label="${esc(t("total"))}"><b>${d.visits}</b></td>
      <td data-label="${esc(t("breakdown"))}">${esc(D.splitText(d.by_category))}${Object.keys(d.by_gender).length ? "; " : ""}${esc(D.splitText(d.by_gender))}</td>
      <td><button class="secondary" type="button" data-fix="${i}">${esc(t("correct"))}</button></td>
    </tr>`).join("") : `<tr><td colspan="6" class="muted">${esc(t("none_yet"))}</td></tr>`;
  }

  function openFix(day) {
    fixing = day;
    const form = $("fix-form");
    form.hidden = false;
    $("fix-heading").textContent = t("fix_heading", D.date(day.date));
    form.elements.member_visits.value = day.member_visits;
    form.elements.non_member_visits.value = day.non_member_visits;
    D.fillSplit(form, "f_", day);
    form.elements.member_visits.focus();
  }

  $("add-form").elements.date.value = D.today();
  $("add-form").elements.date.max = D.today();
  $("add-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    const { body, total, problem } = tally(form, "a_");
    if (problem) { D.say("add-msg", "bad", problem); return; }
    if (!total) { D.say("add-msg", "warn", t("nothing")); return; }
    try {
      const day = await P.send(`${D.CIRC}/visits`, { library: D.library, date: form.elements.date.value, ...body });
      D.say("add-msg", "ok", t("added", total, D.date(day.date), day.visits));
      form.elements.member_visits.value = 0; form.elements.non_member_visits.value = 0;
      D.fillSplit(form, "a_", {});
      load();
    } catch (error) { D.failure("add-msg", error); }
  });
  $("days").addEventListener("click", event => {
    const button = event.target.closest("button[data-fix]");
    if (button) openFix(days[Number(button.dataset.fix)]);
  });
  $("fix-cancel").addEventListener("click", () => { $("fix-form").hidden = true; fixing = null; });
  $("fix-form").addEventListener("submit", async event => {
    event.preventDefault();
    if (!fixing) return;
    const { body, total, problem } = tally(event.target, "f_");
    if (problem) { D.say("days-msg", "bad", problem); return; }
    try {
      await P.send(`${D.CIRC}/visits`, { library: D.library, date: fixing.date, correction: true,
                                          expected_tallies: fixing.tallies, ...body });
      D.say("days-msg", "ok", t("fixed", D.date(fixing.date), total));
      $("fix-form").hidden = true; fixing = null;
      load();
    } catch (error) {
      D.failure("days-msg", error);
      if (error instanceof P.ApiError && error.problem.code === "visit_tally_changed") {
        const date = fixing.date;
        await load();
        const fresh = days.find(d => d.date === date);
        if (fresh) fixing = fresh;   // the form keeps the librarian's figures; the next save checks against these
      }
    }
  });

  P.onLang(() => { if (D.session) render(); });
  D.start(() => { $("fix-form").hidden = true; fixing = null; load(); });
})();
