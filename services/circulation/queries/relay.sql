-- name: relay_lock
-- One relay at a time sends (keeps each copy's changes in order across processes).
SELECT pg_try_advisory_lock(7305061);

-- name: relay_wait_lock
-- The reconciliation waits for the relay's batch in flight, then keeps the relay out while it compares.
SELECT pg_advisory_lock(7305061);

-- name: relay_unlock
SELECT pg_advisory_unlock(7305061);

-- name: outbox_batch
SELECT id, barcode, status FROM circulation.catalog_outbox ORDER BY id LIMIT :batch;

-- name: outbox_sent
-- The catalogue has the sent statuses now: the replica remembers them (the last of each copy), and the rows go.
WITH sent AS (
    DELETE FROM circulation.catalog_outbox WHERE id = ANY(:ids::bigint[]) RETURNING id, barcode, status
), latest AS (
    SELECT DISTINCT ON (barcode) barcode, status FROM sent ORDER BY barcode, id DESC
)
UPDATE circulation.copies c SET catalog_status = latest.status FROM latest WHERE c.barcode = latest.barcode;

-- name: reconcile
-- After a crash or a lost message: every copy whose catalogue status (as last sent or seen) is not what
-- circulation's status says, and that has nothing waiting in the outbox, is queued to be sent again.
-- The catalogue owns damaged and withdrawn; a copy on the hold shelf is `available` there.
INSERT INTO circulation.catalog_outbox (barcode, status)
SELECT c.barcode, CASE c.status WHEN 'awaiting_pickup' THEN 'available' ELSE c.status END
FROM circulation.copies c
WHERE c.status NOT IN ('damaged', 'withdrawn')
  AND c.catalog_status IS DISTINCT FROM CASE c.status WHEN 'awaiting_pickup' THEN 'available' ELSE c.status END
  AND NOT EXISTS (SELECT 1 FROM circulation.catalog_outbox o WHERE o.barcode = c.barcode)
ORDER BY c.barcode;

-- name: outbox_failed
UPDATE circulation.catalog_outbox SET attempts = attempts + 1, last_error = :error WHERE id = ANY(:ids::bigint[]);

-- name: outbox_pending
SELECT count(*) FROM circulation.catalog_outbox;

-- name: replica_libraries
SELECT DISTINCT library_code FROM circulation.copies ORDER BY library_code;

-- name: note_catalog_statuses
-- What the catalogue says now, as read back from it (a copy with a change still to send will be overwritten
-- there anyway, so it is left alone).
UPDATE circulation.copies c SET catalog_status = u.status
FROM unnest(:barcodes::text[], :statuses::text[]) AS u(barcode, status)
WHERE c.barcode = u.barcode AND c.catalog_status IS DISTINCT FROM u.status
  AND NOT EXISTS (SELECT 1 FROM circulation.catalog_outbox o WHERE o.barcode = c.barcode);
