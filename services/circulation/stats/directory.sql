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

-- name: libraries_in
-- The scope kind is matched against fixed literals: its value never becomes query text.
SELECT code, name, kind, kecamatan, kecamatan_code, kabupaten, kabupaten_code
FROM circulation.stats_libraries
WHERE ($1 = 'library' AND code = $2) OR ($1 = 'kecamatan' AND kecamatan_code = $2)
   OR ($1 = 'kabupaten' AND kabupaten_code = $2)
ORDER BY code;

-- name: stale_holdings
SELECT c.code FROM unnest($1::text[]) AS c(code)
WHERE NOT EXISTS (SELECT 1 FROM circulation.stats_holdings h
                  WHERE h.library_code = c.code AND h.as_of = $2
                    AND h.refreshed_at > now() - make_interval(secs => $3));

-- name: upsert_holding
INSERT INTO circulation.stats_holdings (library_code, as_of, items, titles, refreshed_at)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (library_code, as_of) DO UPDATE SET items = excluded.items, titles = excluded.titles,
                                                refreshed_at = now();

-- name: library_known
SELECT EXISTS (SELECT 1 FROM circulation.stats_libraries WHERE code = $1);

-- name: library_name
SELECT name FROM circulation.stats_libraries WHERE code = $1;
