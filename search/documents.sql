-- Search documents: one per (library, title) that the library holds, built from the catalogue's current
-- state. `copies` counts the copies on the shelf or out (not withdrawn, not lost); a pair with no such copy
-- has no document.

-- name: documents_for_pairs
-- The documents of the given (library, title) pairs, in one query; pairs with no copies left are absent.
WITH pairs AS (
    SELECT DISTINCT p.library_code, p.title_id
    FROM unnest(:libraries::text[], :title_ids::bigint[]) AS p(library_code, title_id)
)
SELECT l.code AS library, l.name AS library_name, l.kecamatan_code AS kecamatan, l.kecamatan AS kecamatan_name,
       t.id AS title_id, t.isbn13, t.isbn_display, t.local_code, t.title, t.subtitle, t.authors, t.publisher,
       t.year, t.language, t.ddc, t.category, t.audience,
       count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS copies,
       count(*) FILTER (WHERE i.status = 'available') AS available,
       min(i.call_number) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS call_number
FROM pairs p
JOIN catalog.items i ON i.library_code = p.library_code AND i.title_id = p.title_id
JOIN catalog.titles t ON t.id = p.title_id
JOIN catalog.libraries l ON l.code = p.library_code
GROUP BY l.code, t.id
HAVING count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) > 0;

-- name: all_documents
-- Every document, for a rebuild; read through a cursor inside one REPEATABLE READ transaction.
SELECT l.code AS library, l.name AS library_name, l.kecamatan_code AS kecamatan, l.kecamatan AS kecamatan_name,
       t.id AS title_id, t.isbn13, t.isbn_display, t.local_code, t.title, t.subtitle, t.authors, t.publisher,
       t.year, t.language, t.ddc, t.category, t.audience,
       count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS copies,
       count(*) FILTER (WHERE i.status = 'available') AS available,
       min(i.call_number) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS call_number
FROM catalog.items i
JOIN catalog.titles t ON t.id = i.title_id
JOIN catalog.libraries l ON l.code = i.library_code
GROUP BY l.code, t.id
HAVING count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) > 0
ORDER BY l.code, t.id;

-- name: count_documents
SELECT count(*) FROM (
    SELECT 1 FROM catalog.items i
    WHERE i.status NOT IN ('withdrawn', 'lost')
    GROUP BY i.library_code, i.title_id
) held;
