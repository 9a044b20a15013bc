// When the data was last backed up, on the desk and the dashboard: a quiet line, and a warning when the newest
// backup is older than two days (or there is none). Included by desk.html and dashboard.html after common.js.
"use strict";

(() => {
  P.addTexts({
    backup_last: when => `Cadangan data terakhir: ${when}.`,
    backup_stale: when => `Perhatian: cadangan data terakhir ${when}, lebih dari dua hari lalu. Jalankan "pustaka backup" atau biarkan "pustaka up" menyala.`,
    backup_none: 'Perhatian: belum ada cadangan data. Jalankan "pustaka backup" atau biarkan "pustaka up" menyala.',
  }, {
    backup_last: when => `Last data backup: ${when}.`,
    backup_stale: when => `Warning: the last data backup was ${when}, more than two days ago. Run "pustaka backup" or keep "pustaka up" running.`,
    backup_none: 'Warning: there is no data backup yet. Run "pustaka backup" or keep "pustaka up" running.',
  });
  const box = document.createElement("div");
  box.id = "backup-status";
  box.setAttribute("role", "status");
  box.hidden = true;
  document.body.prepend(box);
  let latest = null;

  const jakarta = iso => new Date(iso).toLocaleString(P.lang === "id" ? "id-ID" : "en-GB", {
    timeZone: "Asia/Jakarta", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  }) + " WIB";

  function show() {
    if (!latest) { box.hidden = true; return; }
    const when = latest.taken_at ? jakarta(latest.taken_at) : null;
    box.textContent = !when ? P.t("backup_none") : latest.stale ? P.t("backup_stale", when) : P.t("backup_last", when);
    box.className = latest.stale ? "banner" : "backup-ok";
    box.style.cssText = latest.stale ? "" : "font-size:.8rem;color:#555;text-align:right;padding:.2rem 1rem";
    box.hidden = false;
  }

  async function refresh() {
    const token = P.session.get()?.token;
    if (!token) { latest = null; show(); return; }
    try {
      const answer = await fetch("/api/circulation/v1/backups/latest", { headers: { Authorization: `Bearer ${token}` } });
      latest = answer.ok ? await answer.json() : null;
    } catch { /* offline: the page's own banner says so */ }
    show();
  }

  P.onLang(show);
  refresh();
  setInterval(refresh, 60_000);
  let seen = P.session.get()?.token;
  setInterval(() => {  // a log-in or log-out on this page
    const token = P.session.get()?.token;
    if (token !== seen) { seen = token; refresh(); }
  }, 1000);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  window.PustakaBackupStatus = { refresh };
})();
