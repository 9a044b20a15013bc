// The desk's durable memory in this browser (IndexedDB, so it survives a reload, a closed tab and a restarted
// laptop): the scans waiting to be sent, in scan order, each with the Idempotency-Key made when it was
// scanned; the refusals the server gave to scans sent later (conflicts, resolved one by one); and the
// members and copies this desk has seen, so a member can be chosen and a title named while offline. The
// server decides every rule when a scan reaches it; nothing here is trusted as the truth.
"use strict";
const DeskStore = window.DeskStore = (() => {
  const NAME = "pustaka-desk", VERSION = 1;
  let opening = null;

  function open() {
    return opening ||= new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("conflicts", { keyPath: "seq" });
        db.createObjectStore("members", { keyPath: "member_number" }).createIndex("library", "library");
        db.createObjectStore("items", { keyPath: "barcode" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }

  /** Run `work(stores)` in one transaction; resolves with its result once the transaction committed. */
  async function tx(names, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(names, mode);
      const stores = Object.fromEntries([].concat(names).map(n => [n, t.objectStore(n)]));
      let result;
      Promise.resolve(work(stores)).then(r => { result = r; }, reject);
      t.oncomplete = () => resolve(result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  }
  const req = r => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

  return {
    /** Keep a scan before anything is sent: it gets its place in the scan order (`seq`). */
    enqueue: entry => tx("queue", "readwrite", s => req(s.queue.add(entry))),
    queued: () => tx("queue", "readonly", s => req(s.queue.getAll())),
    update: entry => tx("queue", "readwrite", s => req(s.queue.put(entry))),
    done: seq => tx("queue", "readwrite", s => req(s.queue.delete(seq))),
    /** A scan the server refused after it had waited: out of the queue, into the conflicts, atomically. */
    conflict: (entry, problem) => tx(["queue", "conflicts"], "readwrite", s => {
      s.queue.delete(entry.seq);
      return req(s.conflicts.put({ ...entry, problem, refused_at: new Date().toISOString() }));
    }),
    conflicts: () => tx("conflicts", "readonly", s => req(s.conflicts.getAll())),
    resolve: seq => tx("conflicts", "readwrite", s => req(s.conflicts.delete(seq))),
    /** Send a conflict again (e.g. after the membership was renewed): back to the end of the queue. */
    retry: conflict => tx(["queue", "conflicts"], "readwrite", s => {
      s.conflicts.delete(conflict.seq);
      const { seq, problem, refused_at, ...entry } = conflict;
      return req(s.queue.add({ ...entry, retried_from: seq }));
    }),
    rememberMembers: list => tx("members", "readwrite", s => {
      list.forEach(m => s.members.put({ member_number: m.member_number, name: m.name, library: m.library,
        category: m.category, status: m.status, expires_on: m.expires_on, birth_year: m.birth_year,
        seen_at: new Date().toISOString() }));
    }),
    member: number => tx("members", "readonly", s => req(s.members.get(number))),
    /** Members of a library whose name contains every word typed (offline name search). */
    findMembers: async (library, text) => {
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      const all = await tx("members", "readonly", s => req(s.members.index("library").getAll(library)));
      return all.filter(m => words.every(w => m.name.toLowerCase().includes(w))).slice(0, 20);
    },
    rememberItems: list => tx("items", "readwrite", s => {
      list.forEach(i => s.items.put({ barcode: i.barcode, title: i.title, call_number: i.call_number || "" }));
    }),
    item: barcode => tx("items", "readonly", s => req(s.items.get(barcode))),
    /** On logout: members' names leave the device; waiting scans and conflicts stay until sent or resolved. */
    forgetMembers: () => tx("members", "readwrite", s => req(s.members.clear())),
  };
})();
