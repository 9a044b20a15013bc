// The public catalogue: results as you type, shareable URLs (?q=&library=&available=), ID/EN.
const TEXT = {
  id: { heading: "Cari buku di perpustakaan desa", label_q: "Judul, pengarang, topik atau ISBN",
        label_library: "Perpustakaan", all_libraries: "Semua perpustakaan", on_shelf: "Ada di rak sekarang",
        found: n => `${n} buku ditemukan`, none: "Tidak ada buku yang cocok. Coba kata lain.",
        shelf: (a, c) => `${a} dari ${c} ada di rak`, out: "Sedang dipinjam semua", error: "Gagal memuat. Periksa koneksi.",
        switch: "English" },
  en: { heading: "Find a book in the village libraries", label_q: "Title, author, subject or ISBN",
        label_library: "Library", all_libraries: "All libraries", on_shelf: "On the shelf now",
        found: n => `${n} books found`, none: "No matching books. Try other words.",
        shelf: (a, c) => `${a} of ${c} on the shelf`, out: "All copies are on loan", error: "Could not load. Check the connection.",
        switch: "Bahasa Indonesia" },
};
let lang = localStorage.getItem("lang") || "id";
const $ = id => document.getElementById(id);
const esc = s => String(s ?? "").replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
const marked = s => esc(s).replace(/&lt;mark&gt;/g, "<mark>").replace(/&lt;\/mark&gt;/g, "</mark>");

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-t]").forEach(el => { el.textContent = TEXT[lang][el.dataset.t]; });
  $("lang").textContent = TEXT[lang].switch;
}

async function loadLibraries() {
  const libraries = await (await fetch("/api/catalog/v1/libraries")).json();
  for (const l of libraries) $("library").add(new Option(`${l.name} (${l.kecamatan})`, l.code));
}

let pending;
async function search() {
  const params = new URLSearchParams();
  if ($("q").value.trim()) params.set("q", $("q").value.trim());
  if ($("library").value) params.set("library", $("library").value);
  if ($("available").checked) params.set("available", "true");
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  pending?.abort();
  pending = new AbortController();
  try {
    const answer = await fetch(`/api/catalog/v1/search?${params}&per_page=20`, { signal: pending.signal });
    const result = await answer.json();
    if (!answer.ok) throw new Error(result.detail);
    $("status").textContent = result.total ? TEXT[lang].found(result.total) : TEXT[lang].none;
    $("hits").innerHTML = result.hits.map(hit => `<li>
      <div class="title">${marked(hit.highlight?.title || esc(hit.title))}</div>
      <div class="meta">${esc((hit.authors || []).join(", "))}${hit.year ? " · " + hit.year : ""}</div>
      <div class="meta">${esc(hit.library_name || hit.library)} · ${esc(hit.call_number)}</div>
      <div class="${hit.available ? "shelf" : "out"}">${hit.available ? TEXT[lang].shelf(hit.available, hit.copies) : TEXT[lang].out}</div>
    </li>`).join("");
  } catch (error) {
    if (error.name !== "AbortError") $("status").textContent = TEXT[lang].error;
  }
}

function restore() {
  const params = new URLSearchParams(location.search);
  $("q").value = params.get("q") || "";
  $("library").value = params.get("library") || "";
  $("available").checked = params.get("available") === "true";
}

$("search").addEventListener("input", () => { clearTimeout(window.typing); window.typing = setTimeout(search, 150); });
$("search").addEventListener("submit", event => { event.preventDefault(); search(); });
$("lang").addEventListener("click", () => { lang = lang === "id" ? "en" : "id"; localStorage.setItem("lang", lang); translate(); search(); });
translate();
loadLibraries().then(() => { restore(); search(); });
