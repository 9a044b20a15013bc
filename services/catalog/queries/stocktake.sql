-- Stock-taking: the snapshot, the scans and the report's facts.

-- name: start
INSERT INTO catalog.stocktakes (library_code, started_by) VALUES (:library, :actor)
RETURNING id, library_code, status, started_at;

-- name: open_stocktake
SELECT id, started_at, started_by FROM catalog.stocktakes WHERE library_code = :library AND status = 'open';

-- name: snapshot
WITH taken AS (
    INSERT INTO catalog.stocktake_expected (stocktake_id, barcode, status)
    SELECT :stocktake_id, barcode, status FROM catalog.items
    WHERE library_code = :library AND status IN ('available', 'on_loan')
    RETURNING status
)
SELECT count(*) FILTER (WHERE status = 'available') AS expected,
       count(*) FILTER (WHERE status = 'on_loan') AS on_loan
FROM taken;

-- name: stocktake
SELECT s.id, s.library_code, s.status, s.started_by, s.started_at, s.finished_by, s.finished_at, s.marked_lost,
       s.report,
       (SELECT count(*) FROM catalog.stocktake_expected e WHERE e.stocktake_id = s.id AND e.status = 'available')
           AS expected,
       (SELECT count(*) FROM catalog.stocktake_expected e WHERE e.stocktake_id = s.id AND e.status = 'on_loan')
           AS expected_on_loan
FROM catalog.stocktakes s WHERE s.id = :stocktake_id;

-- name: lock_for_scans
-- Scans share the lock, so several librarians scan at once; finishing takes it exclusively.
SELECT id, library_code, status FROM catalog.stocktakes WHERE id = :stocktake_id FOR SHARE;

-- name: lock_for_finish
SELECT id, library_code, status FROM catalog.stocktakes WHERE id = :stocktake_id FOR UPDATE;

-- name: items_by_barcode
SELECT barcode, library_code, status FROM catalog.items WHERE barcode = ANY(:barcodes::text[]);

-- name: record_scans
-- One row per barcode per stock-take; a barcode scanned again only counts `times` (and is reported).
INSERT INTO catalog.stocktake_scans AS s (stocktake_id, barcode, run, kind, reason, times, scanned_by)
SELECT :stocktake_id, u.barcode, :run, u.kind, u.reason, u.times, :actor
FROM unnest(:barcodes::text[], :kinds::text[], :reasons::text[], :times::int[]) WITH ORDINALITY AS u(barcode, kind, reason, times, n)
ORDER BY u.n
ON CONFLICT (stocktake_id, barcode) DO UPDATE SET times = s.times + EXCLUDED.times
RETURNING s.barcode, (xmax = 0) AS first_time;

-- name: expected_copies
-- The snapshot, plus the library's copies added since the stock-take started; with each copy's state now.
SELECT i.barcode, i.call_number, i.status AS status_now, coalesce(e.status, 'available') AS expected_as,
       e.barcode IS NULL AS added_during, t.title,
       EXISTS (SELECT 1 FROM catalog.stocktake_scans s
               WHERE s.stocktake_id = :stocktake_id AND s.barcode = i.barcode AND s.kind = 'accepted') AS scanned
FROM catalog.items i
JOIN catalog.titles t ON t.id = i.title_id
LEFT JOIN catalog.stocktake_expected e ON e.stocktake_id = :stocktake_id AND e.barcode = i.barcode
WHERE i.library_code = :library
  AND (e.barcode IS NOT NULL OR (i.created_at >= :started_at AND i.status IN ('available', 'on_loan')))
ORDER BY i.call_number, i.barcode;

-- name: scans
SELECT s.barcode, s.run, s.kind, s.reason, s.times, s.scanned_by, i.library_code, i.call_number, t.title
FROM catalog.stocktake_scans s
LEFT JOIN catalog.items i ON i.barcode = s.barcode
LEFT JOIN catalog.titles t ON t.id = i.title_id
WHERE s.stocktake_id = :stocktake_id
ORDER BY s.run, s.seq;

-- name: mark_lost
WITH lost AS (
    UPDATE catalog.items SET status = 'lost', status_reason = :reason, updated_at = now()
    WHERE barcode = ANY(:barcodes::text[]) AND library_code = :library AND status = 'available'
    RETURNING barcode, title_id
), queued AS (
    INSERT INTO catalog.search_outbox (library_code, title_id) SELECT DISTINCT :library, title_id FROM lost
), fed AS (
    INSERT INTO catalog.copy_changes (title_id, barcode) SELECT title_id, barcode FROM lost
)
SELECT barcode FROM lost ORDER BY barcode;

-- name: finish
UPDATE catalog.stocktakes
SET status = 'finished', finished_by = :actor, finished_at = now(), marked_lost = :marked_lost, report = :report
WHERE id = :stocktake_id AND status = 'open'
RETURNING finished_at;

-- name: library_stocktakes
SELECT id, status, started_at, started_by, finished_at FROM catalog.stocktakes
WHERE library_code = :library ORDER BY id DESC LIMIT 50;
