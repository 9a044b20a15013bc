-- name: setting
SELECT kabupaten, lend_to_whole_kabupaten, updated_by, updated_at
FROM circulation.kabupaten_settings WHERE kabupaten = $1;

-- name: upsert_setting
WITH saved AS (
    INSERT INTO circulation.kabupaten_settings (kabupaten, lend_to_whole_kabupaten, updated_by)
    VALUES ($1, $2, $3)
    ON CONFLICT (kabupaten) DO UPDATE SET lend_to_whole_kabupaten = EXCLUDED.lend_to_whole_kabupaten,
        updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING kabupaten, lend_to_whole_kabupaten, updated_by, updated_at
), audit AS (
    INSERT INTO circulation.audit_log (actor, action, target, detail)
    SELECT $3, 'kabupaten.lending_area', 'kabupaten:' || $1, jsonb_build_object('lend_to_whole_kabupaten', $2)
)
SELECT * FROM saved;

-- name: whole_kabupaten
SELECT lend_to_whole_kabupaten FROM circulation.kabupaten_settings WHERE kabupaten = $1;
