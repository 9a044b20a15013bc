-- name: upsert_libraries
INSERT INTO circulation.stats_libraries AS l (code, name, kind, kecamatan, kecamatan_code, kabupaten,
                                               kabupaten_code, refreshed_at)
SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
ON CONFLICT (code) DO UPDATE
SET name = excluded.name, kind = excluded.kind, kecamatan = excluded.kecamatan,
    kecamatan_code = excluded.kecamatan_code, kabupaten = excluded.kabupaten,
    kabupaten_code = excluded.kabupaten_code, refreshed_at = now();

-- name: libraries_stale
SELECT coalesce(max(refreshed_at) < now() - make_interval(secs => $1), true) FROM circulation.stats_libraries;

-- name: stale_holdings
-- Every known library whose snapshot of today ($1) was taken more than $2 seconds ago, or ($3) has none.
SELECT l.code FROM circulation.stats_libraries l
LEFT JOIN circulation.stats_holdings h ON h.library_code = l.code AND h.as_of = $1
WHERE (h.library_code IS NULL AND $3) OR h.refreshed_at <= now() - make_interval(secs => $2)
ORDER BY l.code;

-- name: upsert_holdings
INSERT INTO circulation.stats_holdings AS h (library_code, as_of, items, titles, refreshed_at)
SELECT code, $2, items, titles, now() FROM unnest($1::text[], $3::int[], $4::int[]) AS n(code, items, titles)
ON CONFLICT (library_code, as_of) DO UPDATE SET items = excluded.items, titles = excluded.titles,
                                                refreshed_at = now();

-- name: library_known
SELECT EXISTS (SELECT 1 FROM circulation.stats_libraries WHERE code = $1);

-- name: library_name
SELECT name FROM circulation.stats_libraries WHERE code = $1;
