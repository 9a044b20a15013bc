// The desk's navigation, the same on every desk page: drawn into <nav id="desk-nav">, with the current page
// marked. Its labels differ from the loan desk's own tab names (Anggota, Pesanan, ...) on purpose.
// On a phone it is one row that scrolls sideways, so the page's own content stays on the first screen.
"use strict";
(() => {
  const PAGES = [
    ["/desk/", "nav_circ"], ["/desk/anggota", "nav_members"], ["/desk/pesanan", "nav_holds"],
    ["/desk/eksemplar", "nav_copies"], ["/desk/kunjungan", "nav_visits"], ["/desk/baca", "nav_reads"],
    ["/desk/kegiatan", "nav_activities"], ["/desk/katalog", "nav_catalogue"], ["/desk/stok-opname", "nav_stocktake"],
    ["/desk/kiosk", "nav_kiosk"],
  ];
  P.addTexts({
    nav_label: "Menu layanan", nav_circ: "Meja layanan", nav_members: "Pemustaka & kartu", nav_holds: "Pesan buku",
    nav_copies: "Hilang & rusak", nav_visits: "Buku tamu", nav_reads: "Baca di tempat", nav_activities: "Kegiatan",
    nav_kiosk: "Kios tamu", nav_catalogue: "Katalog", nav_stocktake: "Stok opname",
  }, {
    nav_label: "Desk menu", nav_circ: "Loan desk", nav_members: "Patrons & cards", nav_holds: "Book holds",
    nav_copies: "Lost & damaged", nav_visits: "Guest book", nav_reads: "Read on the spot", nav_activities: "Activities",
    nav_kiosk: "Guest kiosk", nav_catalogue: "Catalogue", nav_stocktake: "Stock-take",
  });
  const nav = document.getElementById("desk-nav");
  if (!nav) return;
  if (!document.querySelector('link[href="/static/deskpages.css"]')) {   // the loan desk page does not load it itself
    const css = document.createElement("link");
    css.rel = "stylesheet"; css.href = "/static/deskpages.css";
    document.head.append(css);
  }
  const here = location.pathname.replace(/\/+$/, "") || "/";
  nav.setAttribute("data-t-label", "nav_label");
  nav.setAttribute("aria-label", P.t("nav_label"));
  nav.innerHTML = `<ul>${PAGES.map(([href, key]) => {
    const current = href.replace(/\/+$/, "") === here ? ' aria-current="page"' : "";
    return `<li><a href="${href}" data-t="${key}"${current}>${P.esc(P.t(key))}</a></li>`;
  }).join("")}</ul>`;
  const current = nav.querySelector("[aria-current]");   // on a phone, scroll the strip just enough to show it
  if (current && current.offsetLeft + current.offsetWidth > nav.clientWidth) nav.scrollLeft = current.offsetLeft - 8;
})();
