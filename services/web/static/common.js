// Shared by every page: language (Bahasa Indonesia first, English by a switch), API calls with the staff
// token, idempotent POSTs that survive a lost connection, and every API error code in the user's language.
"use strict";

const P = (() => {
  const TEXT = { id: {}, en: {} };
  // Every problem `code` the services send, in both languages. Unknown codes fall back to the API's detail.
  const ERRORS = {
    id: {
      item_not_found: "Barcode ini tidak dikenal. Periksa nomornya atau pindai lagi.",
      barcode_invalid: "Barcode tidak sah (12 angka, angka terakhir angka periksa). Pindai lagi.",
      member_not_found: "Nomor anggota tidak ditemukan.",
      item_not_available: "Buku ini tidak bisa dipinjam: sedang dipinjam, hilang, rusak atau ditarik.",
      item_held_for_another: "Buku ini disisihkan untuk anggota lain yang memesannya.",
      member_suspended: "Keanggotaan sedang dibekukan. Pulihkan dulu sebelum meminjam.",
      member_expired: "Masa keanggotaan sudah habis. Perpanjang keanggotaan dulu.",
      member_has_overdue: "Anggota masih punya pinjaman yang terlambat. Kembalikan dulu.",
      loan_limit_reached: "Batas jumlah pinjaman anggota ini sudah tercapai.",
      item_not_on_loan: "Buku ini tidak sedang dipinjam, jadi tidak bisa dikembalikan.",
      loan_not_found: "Peminjaman tidak ditemukan.",
      loan_closed: "Peminjaman ini sudah selesai.",
      renewals_exhausted: "Batas perpanjangan untuk peminjaman ini sudah habis.",
      renewal_blocked_by_hold: "Tidak bisa diperpanjang: anggota lain sedang menunggu buku ini.",
      holds_not_allowed: "Anggota kategori ini tidak boleh memesan buku di sini.",
      title_already_on_loan: "Anggota ini sedang meminjam judul yang sama.",
      hold_already_placed: "Anggota ini sudah memesan judul ini.",
      hold_not_found: "Pesanan tidak ditemukan.", hold_closed: "Pesanan ini sudah ditutup.",
      title_not_held: "Perpustakaan ini tidak punya judul ini.", title_not_found: "Judul tidak ditemukan.",
      item_already_lost: "Buku ini sudah tercatat hilang.", item_not_lost: "Buku ini tidak tercatat hilang.",
      member_not_suspended: "Keanggotaan tidak sedang dibekukan.",
      name_invalid: "Nama wajib diisi.", birth_year_invalid: "Tahun lahir tidak masuk akal.",
      gender_invalid: "Jenis kelamin harus L atau P.",
      login_failed: "Nama pengguna atau kata sandi salah.",
      login_rate_limited: "Terlalu banyak percobaan masuk. Tunggu sebentar lalu coba lagi.",
      token_missing: "Silakan masuk dulu.", token_invalid: "Sesi sudah berakhir. Silakan masuk lagi.",
      unauthorized: "Silakan masuk dulu.", forbidden: "Anda tidak berwenang melakukan ini di perpustakaan ini.",
      too_many_requests: "Terlalu banyak permintaan. Tunggu sebentar.",
      idempotency_key_reused: "Permintaan ganda terdeteksi; tidak ada yang dicatat dua kali.",
      idempotency_key_invalid: "Kunci permintaan tidak sah.",
      file_too_large: "Berkas terlalu besar.", file_empty: "Berkas kosong.",
      file_format: "Format berkas tidak dikenal. Gunakan CSV, XLSX atau JSON.",
      columns_missing: "Kolom wajib tidak ada di berkas.", library_not_found: "Perpustakaan tidak dikenal.",
      package_not_found: "Paket tidak ditemukan.", rejection_not_found: "Baris tidak ditemukan.",
      rejection_resolved: "Baris ini sudah diselesaikan.", unknown_field: "Kolom tidak dikenal.",
      isbn_checksum: "Angka periksa ISBN salah. Cocokkan dengan buku (halaman hak cipta atau sampul belakang).",
      isbn_scientific_notation: "ISBN rusak oleh Excel (notasi ilmiah, mis. 9.78602E+12). Ketik ulang dari buku.",
      isbn_length: "Panjang ISBN salah (harus 10 atau 13 angka).",
      isbn_characters: "ISBN berisi huruf atau tanda yang tidak boleh.", isbn_prefix: "ISBN-13 harus diawali 978 atau 979.",
      isbn_missing: "ISBN kosong. Isi ISBN, atau terima sebagai buku tanpa ISBN.",
      isbn_invalid: "ISBN tidak sah.", isbn_present: "Baris ini punya ISBN yang sah: kirim ulang saja.",
      title_missing: "Judul kosong.", year_invalid: "Tahun terbit tidak masuk akal.",
      copies_not_a_number: "Jumlah eksemplar harus angka.", copies_not_positive: "Jumlah eksemplar minimal 1.",
      copies_too_many: "Jumlah eksemplar terlalu banyak.", ddc_invalid: "Nomor klasifikasi DDC tidak sah.",
      no_items: "Tidak ada eksemplar untuk dibuatkan label.",
      scope_invalid: "Wilayah tidak sah.", scope_not_found: "Wilayah tidak ditemukan.",
      range_inverted: "Tanggal awal setelah tanggal akhir.", range_too_long: "Rentang tanggal terlalu panjang.",
      group_by_invalid: "Pengelompokan tidak sah.", breakdown_invalid: "Rincian tidak sah.",
      format_invalid: "Format berkas ini tidak tersedia.", date_invalid: "Tanggal tidak sah.",
      scope_forbidden: "Anda tidak berwenang melihat statistik wilayah ini.",
      not_found: "Tidak ditemukan.", internal_error: "Terjadi kesalahan di server. Coba lagi.",
      catalog_unreachable: "Katalog tidak bisa dihubungi. Coba lagi sebentar lagi.",
      network: "Koneksi ke server terputus. Tidak ada yang tercatat ganda: tekan Coba lagi.",
    },
    en: {
      item_not_found: "This barcode is unknown. Check the number or scan again.",
      barcode_invalid: "Not a valid barcode (12 digits, the last a check digit). Scan again.",
      member_not_found: "Member number not found.",
      item_not_available: "This book cannot be lent: it is on loan, lost, damaged or withdrawn.",
      item_held_for_another: "This book is set aside for another member who placed a hold.",
      member_suspended: "The membership is suspended. Lift the suspension first.",
      member_expired: "The membership has expired. Renew the membership first.",
      member_has_overdue: "The member has overdue loans. They must be returned first.",
      loan_limit_reached: "This member has reached the loan limit.",
      item_not_on_loan: "This book is not on loan, so it cannot be checked in.",
      loan_not_found: "Loan not found.", loan_closed: "This loan is already closed.",
      renewals_exhausted: "No renewals left for this loan.",
      renewal_blocked_by_hold: "Cannot renew: another member is waiting for this book.",
      holds_not_allowed: "Members of this category may not place holds here.",
      title_already_on_loan: "This member already has this title on loan.",
      hold_already_placed: "This member already has a hold on this title.",
      hold_not_found: "Hold not found.", hold_closed: "This hold is already closed.",
      title_not_held: "This library does not hold this title.", title_not_found: "Title not found.",
      item_already_lost: "This book is already marked lost.", item_not_lost: "This book is not marked lost.",
      member_not_suspended: "The membership is not suspended.",
      name_invalid: "The name is required.", birth_year_invalid: "The birth year is not plausible.",
      gender_invalid: "Gender must be L or P.",
      login_failed: "Wrong user name or password.",
      login_rate_limited: "Too many login attempts. Wait a moment and try again.",
      token_missing: "Please log in first.", token_invalid: "Your session has ended. Please log in again.",
      unauthorized: "Please log in first.", forbidden: "You may not do this in this library.",
      too_many_requests: "Too many requests. Wait a moment.",
      idempotency_key_reused: "Duplicate request detected; nothing was recorded twice.",
      idempotency_key_invalid: "Invalid request key.",
      file_too_large: "The file is too large.", file_empty: "The file is empty.",
      file_format: "Unknown file format. Use CSV, XLSX or JSON.",
      columns_missing: "Required columns are missing from the file.", library_not_found: "Unknown library.",
      package_not_found: "Package not found.", rejection_not_found: "Row not found.",
      rejection_resolved: "This row is already resolved.", unknown_field: "Unknown field.",
      isbn_checksum: "The ISBN check digit is wrong. Compare with the book (copyright page or back cover).",
      isbn_scientific_notation: "Excel damaged this ISBN (scientific notation, e.g. 9.78602E+12). Retype it from the book.",
      isbn_length: "Wrong ISBN length (must be 10 or 13 digits).",
      isbn_characters: "The ISBN has letters or signs that are not allowed.", isbn_prefix: "An ISBN-13 starts with 978 or 979.",
      isbn_missing: "The ISBN is empty. Fill it in, or accept the book without ISBN.",
      isbn_invalid: "Not a valid ISBN.", isbn_present: "This row has a valid ISBN: just re-submit it.",
      title_missing: "The title is empty.", year_invalid: "The publication year is not plausible.",
      copies_not_a_number: "Copies must be a number.", copies_not_positive: "Copies must be at least 1.",
      copies_too_many: "Too many copies.", ddc_invalid: "Not a valid DDC class number.",
      no_items: "No copies to label.",
      scope_invalid: "Invalid area.", scope_not_found: "Area not found.",
      range_inverted: "The start date is after the end date.", range_too_long: "The date range is too long.",
      group_by_invalid: "Invalid grouping.", breakdown_invalid: "Invalid breakdown.",
      format_invalid: "This file format is not available.", date_invalid: "Not a valid date.",
      scope_forbidden: "You may not read the statistics of this area.",
      not_found: "Not found.", internal_error: "Something went wrong on the server. Try again.",
      catalog_unreachable: "The catalogue cannot be reached. Try again shortly.",
      network: "The connection to the server was lost. Nothing is recorded twice: press Try again.",
    },
  };
  let lang = localStorage.getItem("lang") === "en" ? "en" : "id";
  const $ = id => document.getElementById(id);
  const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function t(key, ...args) {
    const v = TEXT[lang][key] ?? TEXT.id[key] ?? key;
    return typeof v === "function" ? v(...args) : v;
  }
  function addTexts(id, en) { Object.assign(TEXT.id, id); Object.assign(TEXT.en, en); }

  /** The problem's message in the user's language; the API's own detail only for a code we do not know. */
  function errorText(problem) {
    if (!problem) return ERRORS[lang].internal_error;
    const known = ERRORS[lang][problem.code];
    if (typeof known === "function") return known(problem);   // a sentence built from the problem's facts
    if (known) return known;
    if (problem.code === "invalid_request" || problem.code === "http_error") {   // a body the API could not read
      const field = problem.field ? ` (${problem.field})` : "";
      return (lang === "id" ? "Isian tidak sah" : "Invalid input") + field + ".";
    }
    return problem.detail || problem.title || ERRORS[lang].internal_error;
  }

  const listeners = [];
  function translate(root = document) {
    document.documentElement.lang = lang;
    root.querySelectorAll("[data-t]").forEach(el => { el.textContent = t(el.dataset.t); });
    root.querySelectorAll("[data-t-placeholder]").forEach(el => { el.placeholder = t(el.dataset.tPlaceholder); });
    root.querySelectorAll("[data-t-label]").forEach(el => el.setAttribute("aria-label", t(el.dataset.tLabel)));
    const sw = $("lang");
    if (sw) { sw.textContent = lang === "id" ? "English" : "Bahasa Indonesia"; sw.lang = lang === "id" ? "en" : "id"; }
    if (document.body.dataset.titleKey) document.title = t(document.body.dataset.titleKey);
  }
  function setLang(next) {
    lang = next; localStorage.setItem("lang", lang); translate(); listeners.forEach(f => f(lang));
  }
  function onLang(f) { listeners.push(f); }

  // ---- staff session (sessionStorage: gone when the tab closes) ----
  const session = {
    get() { try { return JSON.parse(sessionStorage.getItem("pustaka.session")); } catch { return null; } },
    set(s) { sessionStorage.setItem("pustaka.session", JSON.stringify(s)); },
    clear() { sessionStorage.removeItem("pustaka.session"); },
  };

  function uuid() {
    if (window.crypto?.randomUUID) return crypto.randomUUID();
    // Plain http on a village LAN is not a secure context: build a v4 UUID from getRandomValues.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map(x => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  class NetworkError extends Error { constructor() { super("network"); this.name = "NetworkError"; } }
  class ApiError extends Error {
    constructor(status, problem) { super(problem?.code || String(status)); this.status = status; this.problem = problem || {}; }
  }
  let onUnauthorized = null;

  /** One HTTP call; an ApiError for an HTTP refusal, a NetworkError when the server could not be reached. */
  async function api(path, { method = "GET", body, form, key, raw, signal } = {}) {
    const headers = {};
    const s = session.get();
    if (s?.token) headers.Authorization = `Bearer ${s.token}`;
    // Every POST carries a key; send() below keeps the same key when the same action is retried.
    if (key || method === "POST") headers["Idempotency-Key"] = key || uuid();
    let payload;
    if (form) payload = form;
    else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    let answer;
    try {
      answer = await fetch(path, { method, headers, body: payload, signal });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      connection(false);
      throw new NetworkError();
    }
    connection(true);
    if (!answer.ok) {
      let problem = null;
      try { problem = await answer.json(); } catch { /* not JSON */ }
      if (answer.status === 401 && onUnauthorized && !path.endsWith("/auth/login")) onUnauthorized();
      throw new ApiError(answer.status, problem);
    }
    if (raw) return answer;
    return answer.status === 204 ? null : answer.json();
  }

  // Keys of writes that have not had an answer yet: retrying the same action reuses its key, so a loan
  // whose answer was lost on the way is never recorded twice. Kept in sessionStorage across a reload.
  const pending = JSON.parse(sessionStorage.getItem("pustaka.pending") || "{}");
  const savePending = () => sessionStorage.setItem("pustaka.pending", JSON.stringify(pending));

  /** A POST with an Idempotency-Key: the same action (path + body) keeps its key until it gets an answer. */
  async function send(path, body, { form, action } = {}) {
    const id = action || `${path} ${JSON.stringify(body ?? null)}`;
    const key = pending[id] ||= uuid();
    savePending();
    try {
      const result = await api(path, { method: "POST", body, form, key });
      delete pending[id]; savePending();
      return result;
    } catch (error) {
      if (!(error instanceof NetworkError)) { delete pending[id]; savePending(); }
      throw error;
    }
  }

  // ---- connection banner: a lost connection is said plainly, never hidden ----
  let online = true;
  function connection(ok) {
    if (ok === online) return;
    online = ok;
    const banner = $("offline");
    if (banner) banner.hidden = ok;
  }
  window.addEventListener("offline", () => connection(false));
  window.addEventListener("online", () => { const b = $("offline"); if (b) b.hidden = true; online = true; });

  addTexts(
    { offline: "Tidak tersambung ke server. Periksa internet; tindakan yang belum terjawab bisa dicoba lagi tanpa tercatat ganda.",
      skip: "Langsung ke isi", logout: "Keluar", login: "Masuk", username: "Nama pengguna", password: "Kata sandi",
      retry: "Coba lagi", loading: "Memuat…" },
    { offline: "Not connected to the server. Check the internet; unanswered actions can be retried without being recorded twice.",
      skip: "Skip to content", logout: "Log out", login: "Log in", username: "User name", password: "Password",
      retry: "Try again", loading: "Loading…" });

  function start() {
    const sw = $("lang");
    if (sw) sw.addEventListener("click", () => setLang(lang === "id" ? "en" : "id"));
    translate();
    // Scripts loaded after this one (ingest.js) add their texts too: translate once more when all have run.
    document.addEventListener("DOMContentLoaded", () => translate());
  }

  const fmtNumber = n => (n ?? 0).toLocaleString(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 2 });
  // Every date and time a user sees is an Asia/Jakarta one, whatever the device's own time zone: a calendar
  // date from the API (YYYY-MM-DD) is shown as that date; an instant is shown as Jakarta's date or time.
  const locale = () => lang === "id" ? "id-ID" : "en-GB";
  const fmtDate = d => !d ? "" : d.length === 10
    ? new Date(d + "T00:00:00Z").toLocaleDateString(locale(), { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })
    : new Date(d).toLocaleDateString(locale(), { day: "numeric", month: "short", year: "numeric", timeZone: "Asia/Jakarta" });
  const fmtTime = d => new Date(d).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Jakarta" });
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());

  return {
    $, esc, t, addTexts, translate, setLang, onLang, get lang() { return lang; }, errorText, session, api, send, uuid,
    NetworkError, ApiError, start, fmtNumber, fmtDate, fmtTime, today, ERRORS,
    set onUnauthorized(f) { onUnauthorized = f; },
  };
})();
