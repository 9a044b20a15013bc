-- name: relay_lock
-- One relay at a time sends (keeps each copy's changes in order across processes).
SELECT pg_try_advisory_lock(7305061);

-- name: relay_unlock
SELECT pg_advisory_unlock(7305061);

-- name: outbox_batch
SELECT id, barcode, status FROM circulation.catalog_outbox ORDER BY id LIMIT $1;

-- name: outbox_sent
DELETE FROM circulation.catalog_outbox WHERE id = ANY($1::bigint[]);

-- name: outbox_failed
UPDATE circulation.catalog_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[]);

-- name: outbox_pending
SELECT count(*) FROM circulation.catalog_outbox;
