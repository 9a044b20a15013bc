-- name: libraries_in
-- The scope kind is matched against fixed literals: its value never becomes query text.
SELECT code, name, kind, kecamatan, kecamatan_code, kabupaten, kabupaten_code
FROM circulation.stats_libraries
WHERE (:kind = 'library' AND code = :code) OR (:kind = 'kecamatan' AND kecamatan_code = :code)
   OR (:kind = 'kabupaten' AND kabupaten_code = :code)
ORDER BY code;

-- name: snapshot_missing
-- Whether a library of the list has no holdings snapshot of :today taken in the last :fresh_seconds seconds.
SELECT EXISTS (SELECT 1 FROM unnest(:libraries::text[]) AS c(code)
               WHERE NOT EXISTS (SELECT 1 FROM circulation.stats_holdings h
                                 WHERE h.library_code = c.code AND h.as_of = :today
                                   AND h.refreshed_at > now() - make_interval(secs => :fresh_seconds)));

-- name: unfolded
-- Whether events wait above the rollups' watermark (max(id) is one step down the primary key).
SELECT coalesce(max(id), 0) > coalesce((SELECT last_id FROM circulation.stats_watermark WHERE id = 1), 0)
FROM circulation.events;
