-- name: newest_package
-- The newest aid package: a new one means an ingest happened, which is worth a backup at once.
SELECT coalesce(max(id), 0) FROM catalog.packages;

-- name: last_backup_at
SELECT CASE WHEN to_regclass('circulation.backups') IS NOT NULL
            THEN (SELECT max(taken_at) FROM circulation.backups) END;
