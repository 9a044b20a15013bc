-- Item status changes sent by circulation (loans, returns, lost and found), and a title's copies in one
-- library. Each change queues the (library, title) for the search index in the same statement.

-- name: set_statuses
WITH wanted AS (
    SELECT DISTINCT ON (barcode) barcode, status
    FROM unnest(:barcodes::text[], :statuses::text[]) WITH ORDINALITY AS c(barcode, status, n)
    ORDER BY barcode, n DESC
), changed AS (
    UPDATE catalog.items AS i SET status = w.status, updated_at = now()
    FROM wanted w
    WHERE i.barcode = w.barcode AND i.status IS DISTINCT FROM w.status
    RETURNING i.barcode, i.library_code, i.title_id, i.status
), queued AS (
    INSERT INTO catalog.search_outbox (library_code, title_id)
    SELECT DISTINCT library_code, title_id FROM changed
), audited AS (
    INSERT INTO catalog.audit_log (actor, action, library_code, target, detail)
    SELECT :actor, 'item.status', library_code, 'item:' || barcode, jsonb_build_object('status', status)
    FROM changed
)
SELECT (SELECT count(*) FROM changed) AS updated,
       ARRAY(SELECT w.barcode FROM wanted w
             WHERE NOT EXISTS (SELECT 1 FROM catalog.items i WHERE i.barcode = w.barcode)) AS unknown;

-- name: title_copies
SELECT t.id AS title_id, t.isbn13, t.local_code, t.title, t.ddc, t.category, t.audience, t.language,
       i.barcode, i.status, i.call_number
FROM catalog.titles t JOIN catalog.items i ON i.title_id = t.id
WHERE (t.isbn13 = :isbn13 OR t.local_code = :local_code) AND i.library_code = :library
ORDER BY i.barcode;
