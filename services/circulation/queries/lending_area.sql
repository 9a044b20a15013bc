-- name: setting
SELECT kabupaten, lend_to_whole_kabupaten, updated_by, updated_at
FROM circulation.kabupaten_settings WHERE kabupaten = :kabupaten;

-- name: upsert_setting
WITH saved AS (
    INSERT INTO circulation.kabupaten_settings (kabupaten, lend_to_whole_kabupaten, updated_by)
    VALUES (:kabupaten, :whole, :actor)
    ON CONFLICT (kabupaten) DO UPDATE SET lend_to_whole_kabupaten = EXCLUDED.lend_to_whole_kabupaten,
        updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING kabupaten, lend_to_whole_kabupaten, updated_by, updated_at
), audit AS (
    INSERT INTO circulation.audit_log (actor, action, target, detail)
    SELECT :actor, 'kabupaten.lending_area', 'kabupaten:' || :kabupaten,
           jsonb_build_object('lend_to_whole_kabupaten', :whole)
)
SELECT * FROM saved;

-- name: whole_kabupaten
SELECT lend_to_whole_kabupaten FROM circulation.kabupaten_settings WHERE kabupaten = :kabupaten;
