-- name: mark_damaged
-- Guarded: only a copy on the shelf or on the hold shelf is set aside as damaged; the catalogue hears of it
-- through the outbox in the same statement. No row: the copy's status changed since it was read.
WITH copy AS (
    UPDATE circulation.copies SET status = 'damaged', status_reason = :reason, status_at = clock_timestamp()
    WHERE barcode = :barcode AND status IN ('available', 'awaiting_pickup')
    RETURNING barcode
)
INSERT INTO circulation.catalog_outbox (barcode, status) SELECT barcode, 'damaged' FROM copy
RETURNING barcode;

-- name: repaired
UPDATE circulation.copies SET status_reason = NULL, status_at = clock_timestamp() WHERE barcode = :barcode;

-- name: damaged_copies
SELECT barcode, title, call_number, isbn13, status, status_reason AS reason, seen_at
FROM circulation.copies
WHERE library_code = :library AND status = ANY(:statuses::text[])
ORDER BY title, barcode
LIMIT 500;
