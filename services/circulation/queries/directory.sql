-- name: upsert_libraries
INSERT INTO circulation.stats_libraries AS l (code, name, kind, kecamatan, kecamatan_code, kabupaten,
                                               kabupaten_code, refreshed_at)
SELECT *, now() FROM unnest(:codes::text[], :names::text[], :kinds::text[], :kecamatans::text[],
                            :kecamatan_codes::text[], :kabupatens::text[], :kabupaten_codes::text[])
ON CONFLICT (code) DO UPDATE
SET name = excluded.name, kind = excluded.kind, kecamatan = excluded.kecamatan,
    kecamatan_code = excluded.kecamatan_code, kabupaten = excluded.kabupaten,
    kabupaten_code = excluded.kabupaten_code, refreshed_at = now();

-- name: libraries_stale
SELECT coalesce(max(refreshed_at) < now() - make_interval(secs => :max_age_seconds), true)
FROM circulation.stats_libraries;

-- name: stale_holdings
-- Every known library whose snapshot of :today was taken more than :max_age_seconds ago, or (:missing_too)
-- has none.
SELECT l.code FROM circulation.stats_libraries l
LEFT JOIN circulation.stats_holdings h ON h.library_code = l.code AND h.as_of = :today
WHERE (h.library_code IS NULL AND :missing_too) OR h.refreshed_at <= now() - make_interval(secs => :max_age_seconds)
ORDER BY l.code;

-- name: upsert_holdings
INSERT INTO circulation.stats_holdings AS h (library_code, as_of, items, titles, refreshed_at)
SELECT code, :today, items, titles, now()
FROM unnest(:libraries::text[], :items::int[], :titles::int[]) AS n(code, items, titles)
ON CONFLICT (library_code, as_of) DO UPDATE SET items = excluded.items, titles = excluded.titles,
                                                refreshed_at = now();

-- name: library_known
SELECT EXISTS (SELECT 1 FROM circulation.stats_libraries WHERE code = :code);

-- name: library_name
SELECT name FROM circulation.stats_libraries WHERE code = :code;
