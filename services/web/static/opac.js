// The public catalogue: results as you type, filters with facet counts, a title page with availability in
// every library that holds it, shareable URLs (/?q=&library=&available=&audience=&category=&language=&page=
// and /judul/{isbn}).
"use strict";
const { $, esc, t } = P;
P.addTexts({
  page_title: "Katalog Perpustakaan Desa — Pustaka Desa",
  heading: "Cari buku di perpustakaan desa", search_heading: "Pencarian", label_q: "Judul, pengarang, topik atau ISBN",
  label_library: "Perpustakaan saya", all_libraries: "Semua perpustakaan", on_shelf: "Ada di rak sekarang",
  filters: "Saring: sasaran, kategori, bahasa", audience: "Sasaran pembaca", category: "Kategori", language: "Bahasa",
  found: n => `${P.fmtNumber(n)} buku ditemukan`, none: "Tidak ada buku yang cocok. Coba kata lain atau hapus saringan.",
  shelf: (a, c) => `${a} dari ${c} eksemplar ada di rak`, out: "Sedang dipinjam semua",
  also_at: "Juga ada di", more_libraries: n => `dan ${n} perpustakaan lain`,
  error: "Gagal memuat. Periksa koneksi.", back: "← Kembali ke hasil pencarian",
  staff_desk: "Layanan pustakawan", staff_dashboard: "Dasbor dinas", start: "Ketik judul, pengarang, topik atau ISBN.",
  holdings: "Ada di perpustakaan", library: "Perpustakaan", kecamatan: "Kecamatan", call_number: "Nomor panggil",
  availability: "Ketersediaan", publisher: "Penerbit", year: "Tahun", isbn: "ISBN", ddc: "Klasifikasi (DDC)",
  authors: "Pengarang", my_library: "perpustakaan Anda", not_held: "Belum ada perpustakaan yang memiliki judul ini.",
  prev: "← Sebelumnya", next: "Berikutnya →", page_of: (p, n) => `Halaman ${p} dari ${n}`, share: "Salin tautan",
  copied: "Tautan disalin.", title_not_found: "Judul ini tidak ditemukan di katalog.", remove_filter: v => `Hapus saringan ${v}`,
  preparing: "Indeks sedang disiapkan. Hasil sementara dari pencarian sederhana; coba lagi sebentar lagi.",
  preparing_none: "Indeks sedang disiapkan. Coba lagi sebentar lagi.",
  unreachable: "Mesin pencari sedang tidak terjangkau. Hasil dari pencarian sederhana (tanpa sinonim).",
}, {
  page_title: "Village Library Catalogue — Pustaka Desa",
  heading: "Find a book in the village libraries", search_heading: "Search", label_q: "Title, author, subject or ISBN",
  label_library: "My library", all_libraries: "All libraries", on_shelf: "On the shelf now",
  filters: "Filter: audience, category, language", audience: "Audience", category: "Category", language: "Language",
  found: n => `${P.fmtNumber(n)} books found`, none: "No matching books. Try other words or remove filters.",
  shelf: (a, c) => `${a} of ${c} copies on the shelf`, out: "All copies are on loan",
  also_at: "Also at", more_libraries: n => `and ${n} more libraries`,
  error: "Could not load. Check the connection.", back: "← Back to the search results",
  staff_desk: "Librarian desk", staff_dashboard: "District dashboard", start: "Type a title, author, subject or ISBN.",
  holdings: "Held by", library: "Library", kecamatan: "Kecamatan", call_number: "Call number",
  availability: "Availability", publisher: "Publisher", year: "Year", isbn: "ISBN", ddc: "Classification (DDC)",
  authors: "Authors", my_library: "your library", not_held: "No library holds this title yet.",
  prev: "← Previous", next: "Next →", page_of: (p, n) => `Page ${p} of ${n}`, share: "Copy link",
  copied: "Link copied.", title_not_found: "This title was not found in the catalogue.", remove_filter: v => `Remove filter ${v}`,
  preparing: "The search index is being prepared. Results from a simpler search for now; try again shortly.",
  preparing_none: "The search index is being prepared. Try again shortly.",
  unreachable: "The search engine cannot be reached. Results from a simpler search (no synonyms).",
});
const LANGUAGES = { id: { ind: "Indonesia", eng: "Inggris", jav: "Jawa", sun: "Sunda", ara: "Arab", may: "Melayu", msa: "Melayu" },
                    en: { ind: "Indonesian", eng: "English", jav: "Javanese", sun: "Sundanese", ara: "Arabic", may: "Malay", msa: "Malay" } };
const FACETS = ["audience", "category", "language"];
const PER_PAGE = 20;
// The API's highlights are HTML-escaped text with <mark> tags. They are rebuilt here from their text pieces
// (decoded, then escaped once), so "Tom &amp; Jerry" reads "Tom & Jerry" and nothing else becomes markup.
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };
const unescapeHtml = s => s.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name) => ENTITIES[name]);
const marked = s => s.split(/(<\/?mark>)/).map(part =>
  part === "<mark>" || part === "</mark>" ? part : esc(unescapeHtml(part))).join("");
const facetLabel = (field, value) => field === "language" ? (LANGUAGES[P.lang][value] || value) : value;
let state = { q: "", library: localStorage.getItem("myLibrary") || "", available: false, audience: "", category: "",
              language: "", page: 1 };
let last = null;
let libraries = [];

function params() {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.library) p.set("library", state.library);
  if (state.available) p.set("available", "true");
  for (const f of FACETS) if (state[f]) p.set(f, state[f]);
  if (state.page > 1) p.set("page", state.page);
  return p;
}

function readAddress() {
  const p = new URLSearchParams(location.search);
  const hasAny = [...p.keys()].length > 0;
  state = { q: p.get("q") || "", library: p.get("library") ?? (hasAny ? "" : localStorage.getItem("myLibrary") || ""),
            available: p.get("available") === "true", page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1) };
  for (const f of FACETS) state[f] = p.get(f) || "";
  $("q").value = state.q; $("library").value = state.library; $("available").checked = state.available;
}

let pending;
async function search({ push = false } = {}) {
  const p = params();
  const address = p.toString() ? `/?${p}` : "/";
  if (location.pathname + location.search !== address) history[push ? "pushState" : "replaceState"](null, "", address);
  pending?.abort();
  pending = new AbortController();
  $("hits").setAttribute("aria-busy", "true");
  try {
    const q = new URLSearchParams(p); q.set("per_page", PER_PAGE);
    // All libraries: one hit per title, the patron's remembered library first among its holdings.
    const near = localStorage.getItem("nearLibrary");
    if (!state.library && near) q.set("near", near);
    // A chosen facet still lists its other values: their counts come from the same search without it.
    const others = FACETS.filter(f => state[f]).map(f => {
      const without = new URLSearchParams(q); without.delete(f); without.delete("page"); without.set("per_page", 1);
      return P.api(`/api/catalog/v1/search?${without}`, { signal: pending.signal }).then(r => [f, r.facets?.[f] || {}]);
    });
    const [result, ...wider] = await Promise.all([P.api(`/api/catalog/v1/search?${q}`, { signal: pending.signal }), ...others]);
    for (const [f, counts] of wider) result.facets = { ...result.facets, [f]: counts };
    // A plainer answer from PostgreSQL, or none yet: ask why (index being prepared, engine away).
    result.searchState = result.degraded || !result.total
      ? (await P.api("/api/catalog/health", { signal: pending.signal }).catch(() => ({}))).search || "ready" : "ready";
    last = result;
    render();
  } catch (error) {
    if (error.name === "AbortError") return;
    $("status").textContent = error instanceof P.ApiError ? P.errorText(error.problem) : t("error");
  } finally { $("hits").removeAttribute("aria-busy"); }
}

function holdingsLine(hit) {
  // Grouped hits (all libraries): the other libraries holding the title, with what is on their shelves.
  const others = (hit.holdings || []).slice(1);
  if (!others.length) return "";
  const shown = others.slice(0, 3).map(h => `${esc(h.name)} (${h.available ? t("shelf", h.available, h.copies) : t("out")})`);
  const more = others.length > 3 ? ` ${t("more_libraries", others.length - 3)}` : "";
  return `<div class="meta holdings">${t("also_at")}: ${shown.join("; ")}${more}</div>`;
}

function render() {
  if (!last) return;
  const r = last;
  const preparing = r.searchState === "preparing";
  $("status").textContent = r.total ? t("found", r.total) : preparing ? t("preparing_none")
    : (state.q || hasFilters() ? t("none") : t("start"));
  $("search-note").textContent = r.total && preparing ? t("preparing") : r.searchState === "unreachable" ? t("unreachable") : "";
  $("search-note").hidden = !$("search-note").textContent;
  $("hits").innerHTML = r.hits.map(hit => {
    const id = hit.isbn13 || hit.local_code || "";
    const title = hit.highlight?.title ? marked(hit.highlight.title) : esc(hit.title);
    const authors = hit.highlight?.authors ? marked(hit.highlight.authors) : esc((hit.authors || []).join(", "));
    return `<li><h3 class="title"><a href="/judul/${encodeURIComponent(id)}" data-isbn="${esc(id)}">${title}</a></h3>
      <div class="meta">${authors}${hit.year ? " · " + esc(hit.year) : ""}</div>
      <div class="meta">${esc(hit.library_name || hit.library)} · <span class="callno">${esc(hit.call_number)}</span></div>
      <div class="${hit.available ? "shelf" : "out"}">${hit.available ? t("shelf", hit.available, hit.copies) : t("out")}</div>
      ${holdingsLine(hit)}</li>`;
  }).join("");
  const facets = r.facets || {};
  const onShelf = facets.available?.true ?? facets.available?.["true"];
  $("available-count").textContent = onShelf !== undefined && !state.available ? `(${P.fmtNumber(onShelf)})` : "";
  for (const field of FACETS) {
    const values = Object.entries(facets[field] || {}).filter(([v]) => v).sort((a, b) => b[1] - a[1]).slice(0, 12);
    if (state[field] && !values.some(([v]) => v === state[field])) values.unshift([state[field], 0]);
    const box = document.querySelector(`#facet-${field} .opts`);
    box.innerHTML = values.length ? values.map(([value, count], i) => `<label class="check">
      <input type="radio" name="${field}" value="${esc(value)}" ${state[field] === value ? "checked" : ""}>
      <span>${esc(facetLabel(field, value))}</span> <span class="count">(${P.fmtNumber(count)})</span></label>`).join("")
      + (state[field] ? `<button type="button" class="link" data-clear="${field}">${esc(t("remove_filter", facetLabel(field, state[field])))}</button>` : "")
      : `<span class="muted">—</span>`;
    document.getElementById(`facet-${field}`).hidden = !values.length;
  }
  if (FACETS.some(f => state[f])) $("filters").open = true;
  const pages = Math.min(Math.ceil(r.total / PER_PAGE), 500);
  $("pager").innerHTML = pages > 1 ? `
    <button type="button" data-page="${state.page - 1}" ${state.page <= 1 ? "disabled" : ""}>${t("prev")}</button>
    <span>${t("page_of", state.page, pages)}</span>
    <button type="button" data-page="${state.page + 1}" ${state.page >= pages ? "disabled" : ""}>${t("next")}</button>` : "";
}
const hasFilters = () => state.library || state.available || FACETS.some(f => state[f]);

async function showTitle(isbn) {
  $("search-view").hidden = true; $("title-view").hidden = false;
  const card = $("title-card");
  card.innerHTML = `<p>${t("loading")}</p>`;
  try {
    const title = await P.api(`/api/catalog/v1/titles/${encodeURIComponent(isbn)}`);
    const mine = localStorage.getItem("myLibrary");
    const rows = [...title.holdings].sort((a, b) => (b.library === mine) - (a.library === mine) || b.available - a.available);
    document.title = `${title.title} — Pustaka Desa`;
    card.innerHTML = `<h2 id="title-heading" tabindex="-1">${esc(title.title)}${title.subtitle ? `<small>: ${esc(title.subtitle)}</small>` : ""}</h2>
      <dl class="facts">
        ${title.authors?.length ? `<dt>${t("authors")}</dt><dd>${esc(title.authors.join(", "))}</dd>` : ""}
        ${title.publisher ? `<dt>${t("publisher")}</dt><dd>${esc(title.publisher)}</dd>` : ""}
        ${title.year ? `<dt>${t("year")}</dt><dd>${esc(title.year)}</dd>` : ""}
        <dt>${t("isbn")}</dt><dd>${esc(title.isbn || title.isbn13 || title.local_code)}</dd>
        ${title.ddc ? `<dt>${t("ddc")}</dt><dd>${esc(title.ddc)}</dd>` : ""}
        ${title.category ? `<dt>${t("category")}</dt><dd>${esc(title.category)}</dd>` : ""}
        ${title.language ? `<dt>${t("language")}</dt><dd>${esc(facetLabel("language", title.language))}</dd>` : ""}
      </dl>
      <h3>${t("holdings")}</h3>
      ${rows.length ? `<div class="scroll"><table class="holdings">
        <thead><tr><th scope="col">${t("library")}</th><th scope="col">${t("call_number")}</th><th scope="col">${t("availability")}</th></tr></thead>
        <tbody>${rows.map(h => `<tr${h.library === mine ? ' class="mine"' : ""}>
          <th scope="row">${esc(h.library_name)}<div class="muted">${esc(h.kecamatan)}${h.library === mine ? ` · ${t("my_library")}` : ""}</div></th>
          <td class="callno">${esc(h.call_number)}</td>
          <td class="${h.available ? "shelf" : "out"}">${h.available ? t("shelf", h.available, h.copies) : t("out")}</td></tr>`).join("")}
        </tbody></table></div>` : `<p>${t("not_held")}</p>`}`;
    $("title-heading").focus();
  } catch (error) {
    card.innerHTML = `<p role="alert">${esc(error instanceof P.ApiError && error.status === 404 ? t("title_not_found")
      : error instanceof P.ApiError ? P.errorText(error.problem) : t("error"))}</p>`;
  }
}

function route() {
  const match = location.pathname.match(/^\/judul\/(.+)$/);
  if (match) { showTitle(decodeURIComponent(match[1])); return; }
  document.title = t("page_title");
  $("title-view").hidden = true; $("search-view").hidden = false;
  readAddress(); search();
}

async function loadLibraries() {
  try { libraries = await P.api("/api/catalog/v1/libraries"); } catch { libraries = []; }
  const select = $("library");
  for (const l of libraries) select.add(new Option(`${l.name} (${l.kecamatan})`, l.code));
}

let typing;
$("q").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => { state.q = $("q").value.trim(); state.page = 1; search(); }, 120);
});
$("search").addEventListener("submit", event => { event.preventDefault(); state.q = $("q").value.trim(); state.page = 1; search(); });
$("library").addEventListener("change", () => {
  state.library = $("library").value; state.page = 1;
  if (state.library) localStorage.setItem("myLibrary", state.library); else localStorage.removeItem("myLibrary");
  if (state.library) localStorage.setItem("nearLibrary", state.library);  // kept when "all libraries" is chosen
  search({ push: true });
});
$("available").addEventListener("change", () => { state.available = $("available").checked; state.page = 1; search({ push: true }); });
$("filters").addEventListener("change", event => {
  if (event.target.type !== "radio") return;
  state[event.target.name] = event.target.value; state.page = 1; search({ push: true });
});
$("filters").addEventListener("click", event => {
  const field = event.target.dataset?.clear;
  if (field) { state[field] = ""; state.page = 1; search({ push: true }); }
});
$("pager").addEventListener("click", event => {
  const page = parseInt(event.target.dataset?.page || "", 10);
  if (page >= 1) { state.page = page; search({ push: true }); $("status").focus?.(); window.scrollTo(0, 0); }
});
$("hits").addEventListener("click", event => {
  const link = event.target.closest("a[data-isbn]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState({ from: location.search }, "", link.getAttribute("href"));
  route();
});
$("back").addEventListener("click", event => {
  if (history.state?.from !== undefined) { event.preventDefault(); history.back(); }
});
window.addEventListener("popstate", route);
P.onLang(() => { render(); if (!$("title-view").hidden) route(); });
P.start();
loadLibraries().then(route);
