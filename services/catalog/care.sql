-- Catalogue care: editing titles, classifying them, copies outside packages, withdrawal and damage, and the
-- feed of these changes that circulation follows.

-- name: title_for_update
SELECT id, isbn13, local_code, title, subtitle, authors, publisher, year, language, ddc, subjects, audience,
       category
FROM catalog.titles WHERE isbn13 = $1 OR local_code = $2
FOR UPDATE;

-- name: title_libraries
SELECT DISTINCT library_code FROM catalog.items WHERE title_id = $1 ORDER BY library_code;

-- name: update_title
UPDATE catalog.titles
SET title = $2, subtitle = $3, authors = $4, publisher = $5, year = $6, language = $7, ddc = $8,
    subjects = $9, audience = $10, category = $11, updated_at = now()
WHERE id = $1;

-- name: relabel_items
-- Every copy of a title carries the same call number; only the copies whose label changes are touched.
UPDATE catalog.items SET call_number = $2, updated_at = now()
WHERE title_id = $1 AND call_number IS DISTINCT FROM $2
RETURNING barcode;

-- name: enqueue_title_everywhere
INSERT INTO catalog.search_outbox (library_code, title_id)
SELECT DISTINCT library_code, title_id FROM catalog.items WHERE title_id = $1;

-- name: record_copy_change
INSERT INTO catalog.copy_changes (title_id, barcode) VALUES ($1, $2);

-- name: unclassified_titles
SELECT t.id, t.isbn13, t.local_code, t.isbn_display, t.title, t.subtitle, t.authors, t.language, t.category,
       t.subjects, count(*) AS copies, min(i.call_number) AS call_number, count(*) OVER () AS total
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.library_code = $1 AND t.ddc IS NULL AND i.status <> 'withdrawn'
GROUP BY t.id
ORDER BY t.title, t.id
LIMIT $2 OFFSET $3;

-- name: title_by_isbn
SELECT id, isbn13, local_code, title, authors, ddc FROM catalog.titles WHERE isbn13 = $1;

-- name: insert_title
INSERT INTO catalog.titles (isbn13, isbn_display, registration_group, title, subtitle, authors, publisher, year,
                            language, ddc, subjects, audience, category)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (isbn13) DO NOTHING
RETURNING id;

-- name: insert_copies
INSERT INTO catalog.items (barcode, title_id, library_code, call_number, acquired_on, source)
SELECT b, $2, $3, $4, $5, $6 FROM unnest($1::text[]) AS b;

-- name: item_for_update
SELECT barcode, library_code, title_id, status FROM catalog.items WHERE barcode = $1 FOR UPDATE;

-- name: set_condition
-- Guarded: the status read under the row lock is the one changed, and a copy on loan is never withdrawn.
UPDATE catalog.items SET status = $2, status_reason = $3, updated_at = now()
WHERE barcode = $1 AND status = $4 AND status <> 'on_loan'
RETURNING barcode;

-- name: copy_changes_page
SELECT id, title_id, barcode, at FROM catalog.copy_changes WHERE id > $1 ORDER BY id LIMIT $2;

-- name: copy_change_at
SELECT (SELECT at FROM catalog.copy_changes WHERE id = $1) AS after_at,
       (SELECT coalesce(max(id), 0) FROM catalog.copy_changes) AS last;

-- name: changed_copies
SELECT i.barcode, i.library_code, i.status, i.call_number, t.id AS title_id, t.isbn13, t.local_code, t.title,
       t.ddc, t.category, t.audience, t.language
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.title_id = ANY($1::bigint[]) OR i.barcode = ANY($2::text[])
ORDER BY i.barcode;
