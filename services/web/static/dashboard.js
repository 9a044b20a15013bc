// The district dashboard: indicators per library, loans and visits per month (an inline SVG chart),
// breakdowns by member category, gender and DDC class, libraries compared, and the report as CSV, XLSX, PDF.
"use strict";
const { $, esc, t } = P;
P.addTexts({
  dash_title: "Dasbor Perpustakaan Desa — Pustaka Desa", dash_heading: "Dasbor Perpustakaan Desa",
  dash_login: "Masuk sebagai petugas dinas", scope: "Wilayah", from: "Dari tanggal", to: "Sampai tanggal", show: "Tampilkan",
  kpi_heading: "Ringkasan periode", chart_heading: "Peminjaman dan kunjungan per bulan",
  bd_category: "Menurut kategori anggota", bd_gender: "Menurut jenis kelamin", bd_ddc: "Menurut kelas DDC",
  libs_heading: "Indikator per perpustakaan", compare_heading: "Perbandingan peminjaman antarperpustakaan",
  quiet_heading: "Perpustakaan tanpa catatan 30 hari terakhir", dl_heading: "Unduh laporan",
  simulated: "Perhatian: sebagian data ini hasil simulasi, bukan catatan nyata.",
  loans: "Peminjaman", visits: "Kunjungan", returns: "Pengembalian", members: "Anggota terdaftar",
  new_members: "Anggota baru", active_borrowers: "Peminjam aktif", reads_onsite: "Baca di tempat",
  activities: "Kegiatan", activity_participants: "Peserta kegiatan", collection_items: "Eksemplar",
  turnover: "Perputaran koleksi", titles_used_pct: "Judul pernah dipinjam (%)", overdue_pct: "Terlambat kembali (%)",
  library: "Perpustakaan", kecamatan: "Kecamatan", kabupaten: "Kabupaten", no_data: "Belum ada data untuk periode ini.",
  none_quiet: "Semua perpustakaan mencatat kegiatan.", loading: "Memuat…", downloading: "Menyiapkan berkas…",
  downloaded: name => `Berkas ${name} diunduh.`,
  only_district: "Dasbor ini untuk petugas dinas dan admin.", last_record: "Catatan terakhir", never: "belum pernah",
  cat_anak: "Anak", cat_remaja: "Remaja", cat_dewasa: "Dewasa", cat_lansia: "Lansia", g_L: "Laki-laki", g_P: "Perempuan",
  unknown: "Tidak diketahui", chart_desc: (n, max) => `Diagram batang ${n} bulan; nilai tertinggi ${max}.`,
  role_admin: "admin", role_district: "dinas", role_librarian: "pustakawan",
}, {
  dash_title: "Village Library Dashboard — Pustaka Desa", dash_heading: "Village Library Dashboard",
  dash_login: "Log in as district staff", scope: "Area", from: "From", to: "To", show: "Show",
  kpi_heading: "Period summary", chart_heading: "Loans and visits per month",
  bd_category: "By member category", bd_gender: "By gender", bd_ddc: "By DDC class",
  libs_heading: "Indicators per library", compare_heading: "Loans compared across libraries",
  quiet_heading: "Libraries with no records in the last 30 days", dl_heading: "Download the report",
  simulated: "Note: part of this data is simulated, not real records.",
  loans: "Loans", visits: "Visits", returns: "Returns", members: "Registered members",
  new_members: "New members", active_borrowers: "Active borrowers", reads_onsite: "Read on site",
  activities: "Activities", activity_participants: "Activity participants", collection_items: "Copies",
  turnover: "Collection turnover", titles_used_pct: "Titles ever borrowed (%)", overdue_pct: "Returned late (%)",
  library: "Library", kecamatan: "Kecamatan", kabupaten: "Kabupaten", no_data: "No data for this period yet.",
  none_quiet: "Every library recorded activity.", loading: "Loading…", downloading: "Preparing the file…",
  downloaded: name => `Downloaded ${name}.`,
  only_district: "This dashboard is for district staff and admins.", last_record: "Last record", never: "never",
  cat_anak: "Children", cat_remaja: "Teenagers", cat_dewasa: "Adults", cat_lansia: "Elderly", g_L: "Male", g_P: "Female",
  unknown: "Unknown", chart_desc: (n, max) => `Bar chart of ${n} months; highest value ${max}.`,
  role_admin: "admin", role_district: "district", role_librarian: "librarian",
});

const STATS = "/api/circulation/v1/stats";
const SUMMED = ["loans", "visits", "returns", "new_members", "reads_onsite", "activities", "activity_participants"];
const AT_END = ["members", "collection_items"];
const TABLE = ["loans", "visits", "members", "collection_items", "turnover", "titles_used_pct", "overdue_pct"];
const COLORS = { loans: "#166534", visits: "#b45309" };
let report = null, rollup = null, session = null;

// ---- login ----
function showLogin(message) {
  P.session.clear(); session = null;
  $("dash-view").hidden = true; $("login-view").hidden = false; $("logout").hidden = true; $("who").textContent = "";
  $("login-msg").textContent = message || ""; $("username").focus();
}
P.onUnauthorized = () => showLogin(P.errorText({ code: "token_invalid" }));
$("logout").addEventListener("click", () => showLogin());
$("login-form").addEventListener("submit", async event => {
  event.preventDefault();
  try {
    const a = await P.api("/api/circulation/v1/auth/login", { method: "POST",
      body: { username: $("username").value.trim(), password: $("password").value } });
    if (a.role === "librarian") { $("login-msg").textContent = t("only_district"); return; }
    P.session.set({ token: a.access_token, role: a.role, scope: a.scope, username: $("username").value.trim() });
    $("password").value = "";
    enter();
  } catch (error) { $("login-msg").textContent = P.errorText(error.problem || { code: "network" }); }
});

async function enter() {
  session = P.session.get();
  if (!session?.token || session.role === "librarian") { showLogin(); return; }
  $("login-view").hidden = true; $("dash-view").hidden = false; $("logout").hidden = false;
  $("who").textContent = `${session.username} (${t("role_" + session.role)})`;
  let libraries = [];
  try { libraries = await P.api("/api/catalog/v1/libraries"); } catch { /* banner */ }
  const mine = libraries.filter(l => session.role === "admin" || l.kabupaten_code === session.scope);
  const kabupaten = new Map(), kecamatan = new Map();
  for (const l of mine) { kabupaten.set(l.kabupaten_code, l.kabupaten); kecamatan.set(l.kecamatan_code, l.kecamatan); }
  if (!kabupaten.size && session.scope) kabupaten.set(session.scope, session.scope);
  $("scope").innerHTML = [...kabupaten].map(([c, n]) => `<option value="kabupaten:${esc(c)}">${esc(n)}</option>`).join("")
    + `<optgroup label="${esc(t("kecamatan"))}">${[...kecamatan].sort((a, b) => a[1].localeCompare(b[1]))
      .map(([c, n]) => `<option value="kecamatan:${esc(c)}">${esc(n)}</option>`).join("")}</optgroup>`
    + `<optgroup label="${esc(t("library"))}">${mine.map(l => `<option value="library:${esc(l.code)}">${esc(l.name)}</option>`).join("")}</optgroup>`;
  const p = new URLSearchParams(location.search);
  const year = P.today().slice(0, 4);
  if (p.get("scope")) $("scope").value = p.get("scope");
  $("from").value = p.get("from") || `${year}-01-01`;
  $("to").value = p.get("to") || P.today();
  load();
}

// ---- loading and drawing ----
const query = () => new URLSearchParams({ scope: $("scope").value, from: $("from").value, to: $("to").value });
$("query").addEventListener("submit", e => { e.preventDefault(); load(); });

async function load() {
  const q = query();
  history.replaceState(null, "", `?${q}`);
  $("dash-msg").className = "msg"; $("dash-msg").textContent = t("loading");
  try {
    const stats = new URLSearchParams(q); stats.set("group_by", "month"); stats.set("breakdown", "category,gender,ddc_class");
    const isArea = !q.get("scope").startsWith("library:");
    [report, rollup] = await Promise.all([P.api(`${STATS}?${stats}`),
      isArea ? P.api(`${STATS}/libraries?${q}`) : Promise.resolve(null)]);
    $("dash-msg").textContent = "";
    render();
  } catch (error) {
    $("dash-msg").className = "msg bad"; $("dash-msg").textContent = P.errorText(error.problem || { code: "network" });
  }
}

const fmt = v => v === null || v === undefined ? "—" : P.fmtNumber(v);
function totals() {
  const out = {};
  for (const k of SUMMED) out[k] = report.groups.reduce((s, g) => s + (g.indicators[k] || 0), 0);
  const last = report.groups[report.groups.length - 1];
  for (const k of AT_END) out[k] = last ? last.indicators[k] : null;
  return out;
}

function render() {
  if (!report) return;
  $("simulated").hidden = !(report.simulated || rollup?.simulated);
  const sums = totals();
  $("kpis").innerHTML = ["loans", "visits", "members", "new_members", "reads_onsite", "activity_participants", "collection_items"]
    .map(k => `<div class="kpi" data-kpi="${k}"><b>${fmt(sums[k])}</b>${esc(t(k))}</div>`).join("");
  $("chart").innerHTML = chart(report.groups);
  for (const name of ["category", "gender", "ddc_class"]) $(`bd-${name}`).innerHTML = breakdown(name);
  renderLibraries();
}

/** Grouped bars per month, drawn as SVG: loans and visits side by side, with a readable table fallback. */
function chart(groups) {
  if (!groups.length) return `<p>${t("no_data")}</p>`;
  const series = ["loans", "visits"];
  const max = Math.max(1, ...groups.flatMap(g => series.map(s => g.indicators[s] || 0)));
  const W = Math.max(320, groups.length * 56), H = 220, left = 40, bottom = 30, top = 10;
  const step = (W - left - 10) / groups.length, bar = Math.min(18, step / 3);
  const y = v => top + (H - top - bottom) * (1 - v / max);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => Math.round(max * f));
  const month = p => { const [yy, mm] = p.split("-"); return mm ? new Date(+yy, +mm - 1, 1).toLocaleDateString(P.lang === "id" ? "id-ID" : "en-GB", { month: "short" }) + (groups.length > 12 ? ` ${yy.slice(2)}` : "") : p; };
  const svg = `<svg role="img" aria-labelledby="chart-heading chart-desc" viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMinYMin meet" style="max-height:260px;min-width:${Math.min(W, groups.length * 34)}px">
    <desc id="chart-desc">${esc(t("chart_desc", groups.length, fmt(max)))}</desc>
    ${ticks.map(v => `<line x1="${left}" x2="${W - 5}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v}</text>`).join("")}
    ${groups.map((g, i) => {
      const x0 = left + i * step + (step - bar * 2) / 2;
      return series.map((s, j) => { const v = g.indicators[s] || 0; return `<rect x="${x0 + j * bar}" y="${y(v)}" width="${bar - 1}" height="${Math.max(0, H - bottom - y(v))}" fill="${COLORS[s]}"><title>${esc(month(g.period))}: ${esc(t(s))} ${v}</title></rect>`; }).join("")
        + `<text x="${left + i * step + step / 2}" y="${H - bottom + 16}" text-anchor="middle">${esc(month(g.period))}</text>`;
    }).join("")}
  </svg>`;
  const legend = `<div class="legend">${series.map(s => `<span><span class="swatch" style="background:${COLORS[s]}"></span>${esc(t(s))}</span>`).join("")}</div>`;
  const table = `<details><summary>${esc(t("chart_heading"))} — tabel</summary><div class="scroll"><table><thead><tr><th scope="col">${P.lang === "id" ? "Bulan" : "Month"}</th>
    ${series.map(s => `<th scope="col" class="num">${esc(t(s))}</th>`).join("")}</tr></thead><tbody>
    ${groups.map(g => `<tr><th scope="row">${esc(g.period)}</th>${series.map(s => `<td class="num">${fmt(g.indicators[s])}</td>`).join("")}</tr>`).join("")}</tbody></table></div></details>`;
  return `<div class="scroll">${svg}</div>${legend}${table}`;
}

function label(name, key) {
  if (name === "category") return t("cat_" + key) === "cat_" + key ? key : t("cat_" + key);
  if (name === "gender") return t("g_" + key) === "g_" + key ? key : t("g_" + key);
  if (name === "ddc_class") return key && key !== "null" ? key : t("unknown");
  return key;
}

function bars(rows, metric) {
  const max = Math.max(1, ...rows.map(r => r[1] || 0));
  return `<div class="bars" role="list">${rows.map(([k, v]) => `<div role="listitem"><span>${esc(k)}</span>
    <span><span class="bar-fill" style="width:${(100 * (v || 0) / max).toFixed(1)}%"></span></span><span class="val">${fmt(v)}</span></div>`).join("")}</div>
    <p class="muted">${esc(t(metric))}</p>`;
}

function breakdown(name) {
  const merged = {};
  for (const g of report.groups) for (const [key, values] of Object.entries(g.breakdowns[name] || {})) {
    merged[key] ||= {};
    for (const [m, v] of Object.entries(values)) if (typeof v === "number") merged[key][m] = (merged[key][m] || 0) + v;
  }
  const keys = Object.keys(merged).sort();
  if (!keys.length) return `<p class="muted">${t("no_data")}</p>`;
  const metric = keys.some(k => merged[k].loans) ? "loans" : (Object.keys(merged[keys[0]])[0] || "loans");
  return bars(keys.map(k => [label(name, k), merged[k][metric] || 0]), metric);
}

// "Perpustakaan Desa Gonggang" -> "Desa Gonggang": the table has room for what tells libraries apart.
const short = name => String(name || "").replace(/^Perpustakaan\s+/i, "");
let sortKey = "loans";
function renderLibraries() {
  if (!rollup) { $("libraries").innerHTML = $("compare").innerHTML = $("quiet").innerHTML = ""; return; }
  const rows = [...rollup.libraries].sort((a, b) => (b.indicators[sortKey] ?? -1) - (a.indicators[sortKey] ?? -1));
  $("libraries").innerHTML = `<div class="scroll"><table id="library-table"><thead><tr><th scope="col">${t("library")}</th>
    ${TABLE.map(k => `<th scope="col" class="num" aria-sort="${k === sortKey ? "descending" : "none"}"><button type="button" class="link" data-sort="${k}">${esc(t(k))}</button></th>`).join("")}</tr></thead>
    <tbody>${rows.map(r => `<tr data-library="${esc(r.library)}"><th scope="row" title="${esc(r.name)}">${esc(short(r.name))}<div class="muted">${esc(r.kecamatan)}</div></th>
    ${TABLE.map(k => `<td class="num">${fmt(r.indicators[k])}</td>`).join("")}</tr>`).join("")}</tbody></table></div>`;
  const lending = rows.filter(r => r.indicators.loans).slice(0, 15);   // the busiest, side by side
  $("compare").innerHTML = lending.length ? bars(lending.map(r => [short(r.name), r.indicators.loans]), "loans") : `<p class="muted">${t("no_data")}</p>`;
  const quiet = rollup.quiet || [];
  $("quiet").innerHTML = quiet.length ? `<ul class="columns">${quiet.map(q => `<li>${esc(q.name || q.library || q.code)}
    <span class="muted">${t("last_record")}: ${esc(q.last_activity ? P.fmtDate(q.last_activity) : t("never"))}</span></li>`).join("")}</ul>`
    : `<p>${t("none_quiet")}</p>`;
}
$("libraries").addEventListener("click", e => { const k = e.target.dataset?.sort; if (k) { sortKey = k; renderLibraries(); } });

// ---- downloads (the token goes in a header, so the file is fetched and handed over as a blob) ----
document.querySelector("[data-export]").parentElement.addEventListener("click", async e => {
  const kind = e.target.dataset?.export;
  if (!kind) return;
  const q = query();
  let path;
  if (kind === "iplm") { q.set("format", "xlsx"); path = `${STATS}/iplm?${q}`; }
  else if (kind === "pdf") {   // the monthly report of the last month of the period shown
    path = `${STATS}/report.pdf?${new URLSearchParams({ scope: q.get("scope"), month: q.get("to").slice(0, 7) })}`; }
  else { q.set("format", kind); q.set("group_by", "month"); q.set("breakdown", "category,gender,ddc_class,library");
         if (q.get("scope").startsWith("library:")) q.set("breakdown", "category,gender,ddc_class"); path = `${STATS}/export?${q}`; }
  const box = $("dl-msg");
  box.className = "msg"; box.textContent = t("downloading");
  try {
    const answer = await P.api(path, { raw: true });
    const name = /filename="([^"]+)"/.exec(answer.headers.get("content-disposition") || "")?.[1] || `statistik.${kind}`;
    const url = URL.createObjectURL(await answer.blob());
    const a = document.createElement("a"); a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    box.className = "msg ok"; box.textContent = t("downloaded", name);
  } catch (error) {
    box.className = "msg bad";
    box.textContent = P.errorText(error.problem || { code: "network" });
  }
});

P.onLang(() => { if (session) $("who").textContent = `${session.username} (${t("role_" + session.role)})`; render(); });
P.start();
enter();
