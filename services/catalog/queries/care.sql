-- Catalogue care: editing titles, classifying them, copies outside packages, withdrawal and damage, and the
-- feed of these changes that circulation follows.

-- name: title_for_update
SELECT id, isbn13, local_code, title, subtitle, authors, publisher, year, language, ddc, subjects, audience,
       category
FROM catalog.titles WHERE isbn13 = :isbn13 OR local_code = :local_code
FOR UPDATE;

-- name: title_libraries
SELECT DISTINCT library_code FROM catalog.items WHERE title_id = :title_id ORDER BY library_code;

-- name: update_title
UPDATE catalog.titles
SET title = :title, subtitle = :subtitle, authors = :authors, publisher = :publisher, year = :year,
    language = :language, ddc = :ddc, subjects = :subjects, audience = :audience, category = :category,
    updated_at = now()
WHERE id = :title_id;

-- name: relabel_items
-- Every copy of a title carries the same call number; only the copies whose label changes are touched.
UPDATE catalog.items SET call_number = :call_number, updated_at = now()
WHERE title_id = :title_id AND call_number IS DISTINCT FROM :call_number
RETURNING barcode;

-- name: enqueue_title_everywhere
INSERT INTO catalog.search_outbox (library_code, title_id)
SELECT DISTINCT library_code, title_id FROM catalog.items WHERE title_id = :title_id;

-- name: record_copy_change
INSERT INTO catalog.copy_changes (title_id, barcode) VALUES (:title_id, :barcode);

-- name: unclassified_titles
SELECT t.id, t.isbn13, t.local_code, t.isbn_display, t.title, t.subtitle, t.authors, t.language, t.category,
       t.subjects, count(*) AS copies, min(i.call_number) AS call_number, count(*) OVER () AS total
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.library_code = :library AND t.ddc IS NULL AND i.status <> 'withdrawn'
GROUP BY t.id
ORDER BY t.title, t.id
LIMIT :limit OFFSET :offset;

-- name: title_by_isbn
SELECT id, isbn13, local_code, title, authors, ddc FROM catalog.titles WHERE isbn13 = :isbn13;

-- name: insert_title
INSERT INTO catalog.titles (isbn13, isbn_display, registration_group, title, subtitle, authors, publisher, year,
                            language, ddc, subjects, audience, category)
VALUES (:isbn13, :isbn_display, :registration_group, :title, :subtitle, :authors, :publisher, :year, :language,
        :ddc, :subjects, :audience, :category)
ON CONFLICT (isbn13) DO NOTHING
RETURNING id;

-- name: insert_copies
INSERT INTO catalog.items (barcode, title_id, library_code, call_number, acquired_on, source)
SELECT b, :title_id, :library, :call_number, :acquired_on, :source FROM unnest(:barcodes::text[]) AS b;

-- name: item_for_update
SELECT barcode, library_code, title_id, status FROM catalog.items WHERE barcode = :barcode FOR UPDATE;

-- name: set_condition
-- Guarded: the status read under the row lock is the one changed, and a copy on loan is never withdrawn.
UPDATE catalog.items SET status = :status, status_reason = :reason, updated_at = now()
WHERE barcode = :barcode AND status = :status_before AND status <> 'on_loan'
RETURNING barcode;

-- name: copy_changes_page
SELECT id, title_id, barcode, at FROM catalog.copy_changes WHERE id > :after ORDER BY id LIMIT :limit;

-- name: copy_change_at
SELECT (SELECT at FROM catalog.copy_changes WHERE id = :after) AS after_at,
       (SELECT coalesce(max(id), 0) FROM catalog.copy_changes) AS last;

-- name: changed_copies
SELECT i.barcode, i.library_code, i.status, i.call_number, t.id AS title_id, t.isbn13, t.local_code, t.title,
       t.ddc, t.category, t.audience, t.language
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.title_id = ANY(:title_ids::bigint[]) OR i.barcode = ANY(:barcodes::text[])
ORDER BY i.barcode;
