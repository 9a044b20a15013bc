-- name: libraries_in
-- The scope kind is matched against fixed literals: its value never becomes query text.
SELECT code, name, kind, kecamatan, kecamatan_code, kabupaten, kabupaten_code
FROM circulation.stats_libraries
WHERE ($1 = 'library' AND code = $2) OR ($1 = 'kecamatan' AND kecamatan_code = $2)
   OR ($1 = 'kabupaten' AND kabupaten_code = $2)
ORDER BY code;

-- name: snapshot_missing
-- Whether a library of the list has no holdings snapshot of today ($2) taken in the last $3 seconds.
SELECT EXISTS (SELECT 1 FROM unnest($1::text[]) AS c(code)
               WHERE NOT EXISTS (SELECT 1 FROM circulation.stats_holdings h
                                 WHERE h.library_code = c.code AND h.as_of = $2
                                   AND h.refreshed_at > now() - make_interval(secs => $3)));

-- name: unfolded
-- Whether events wait above the rollups' watermark (max(id) is one step down the primary key).
SELECT coalesce(max(id), 0) > coalesce((SELECT last_id FROM circulation.stats_watermark WHERE id = 1), 0)
FROM circulation.events;
