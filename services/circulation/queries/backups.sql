-- name: record_backup
INSERT INTO circulation.backups (kind, file_name, bytes, sha256, seconds, mirrored)
VALUES (:kind, :file_name, :bytes, :sha256, :seconds, :mirrored);

-- name: latest_backup
SELECT taken_at, kind, file_name, bytes, mirrored, extract(epoch FROM now() - taken_at)::float8 / 3600 AS age_hours
FROM circulation.backups ORDER BY taken_at DESC LIMIT 1;
