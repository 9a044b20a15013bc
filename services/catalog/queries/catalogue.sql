-- The catalogue's main queries: libraries, packages, titles, copies, the review list, the audit log.

-- name: library
SELECT code, name, kind, village, kecamatan_code, kecamatan, kabupaten_code, kabupaten, province
FROM catalog.libraries WHERE code = :code;

-- name: libraries
SELECT code, name, kind, village, kecamatan_code, kecamatan, kabupaten_code, kabupaten, province
FROM catalog.libraries ORDER BY code;

-- name: upsert_libraries
INSERT INTO catalog.libraries (code, name, kind, village, kecamatan_code, kecamatan, kabupaten_code,
                               kabupaten, province)
SELECT * FROM unnest(:code::text[], :name::text[], :kind::text[], :village::text[], :kecamatan_code::text[],
                     :kecamatan::text[], :kabupaten_code::text[], :kabupaten::text[], :province::text[])
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, village = EXCLUDED.village,
    kecamatan_code = EXCLUDED.kecamatan_code, kecamatan = EXCLUDED.kecamatan,
    kabupaten_code = EXCLUDED.kabupaten_code, kabupaten = EXCLUDED.kabupaten, province = EXCLUDED.province;

-- name: package_by_checksum
SELECT id FROM catalog.packages WHERE library_code = :library AND checksum = :checksum;

-- name: insert_package
INSERT INTO catalog.packages (library_code, program_year, source_name, checksum, received_on, rows,
                              accepted_rows, titles, items_created, duplicates_merged, recovered_isbns,
                              created_by)
VALUES (:library, :program_year, :source_name, :checksum, :received_on, :rows, :accepted_rows, :titles,
        :items_created, :duplicates_merged, :recovered_isbns, :created_by)
ON CONFLICT (library_code, checksum) DO NOTHING
RETURNING id;

-- name: insert_titles
-- Rows arrive sorted by ISBN so that concurrent ingests lock shared titles in the same order.
INSERT INTO catalog.titles (isbn13, isbn_display, registration_group, title, subtitle, authors, publisher,
                            year, language, ddc, category, audience, subjects)
SELECT t.isbn13, t.isbn_display, t.registration_group, t.title, t.subtitle,
       CASE WHEN t.authors = '' THEN '{}'::text[] ELSE string_to_array(t.authors, E'\x1f') END,
       t.publisher, t.year, t.language, t.ddc, t.category, t.audience,
       CASE WHEN t.subjects = '' THEN '{}'::text[] ELSE string_to_array(t.subjects, E'\x1f') END
FROM unnest(:isbn13::text[], :isbn_display::text[], :registration_group::text[], :title::text[],
            :subtitle::text[], :authors::text[], :publisher::text[], :year::smallint[], :language::text[],
            :ddc::text[], :category::text[], :audience::text[], :subjects::text[])
     AS t(isbn13, isbn_display, registration_group, title, subtitle, authors, publisher, year, language, ddc,
          category, audience, subjects)
ORDER BY t.isbn13
ON CONFLICT (isbn13) DO NOTHING;

-- name: fill_title_gaps
-- A later manifest may know what an earlier one left empty; it never overwrites what is known.
UPDATE catalog.titles AS t
SET publisher = COALESCE(t.publisher, u.publisher), year = COALESCE(t.year, u.year),
    language = COALESCE(t.language, u.language), ddc = COALESCE(t.ddc, u.ddc),
    category = COALESCE(t.category, u.category), audience = COALESCE(t.audience, u.audience),
    updated_at = now()
FROM unnest(:isbn13::text[], :publisher::text[], :year::smallint[], :language::text[], :ddc::text[],
            :category::text[], :audience::text[])
     AS u(isbn13, publisher, year, language, ddc, category, audience)
WHERE t.isbn13 = u.isbn13
  AND ((t.publisher IS NULL AND u.publisher IS NOT NULL) OR (t.year IS NULL AND u.year IS NOT NULL)
    OR (t.language IS NULL AND u.language IS NOT NULL) OR (t.ddc IS NULL AND u.ddc IS NOT NULL)
    OR (t.category IS NULL AND u.category IS NOT NULL) OR (t.audience IS NULL AND u.audience IS NOT NULL));

-- name: title_ids
SELECT id, isbn13 FROM catalog.titles WHERE isbn13 = ANY(:isbn13::text[]);

-- name: insert_local_title
INSERT INTO catalog.titles (local_code, title, subtitle, authors, publisher, year, language, ddc, category,
                            audience)
VALUES ('LOK' || lpad(nextval('catalog.local_title_seq')::text, 7, '0'), :title, :subtitle, :authors, :publisher,
        :year, :language, :ddc, :category, :audience)
RETURNING id, local_code;

-- name: reserve_item_numbers
SELECT nextval('catalog.item_number_seq') AS n FROM generate_series(1, :count);

-- name: enqueue_search
INSERT INTO catalog.search_outbox (library_code, title_id) SELECT :library, unnest(:title_ids::bigint[]);

-- name: audit
INSERT INTO catalog.audit_log (actor, action, library_code, target, detail) VALUES (:actor, :action, :library, :target, :detail);

-- name: package
SELECT p.id, p.library_code, p.program_year, p.source_name, p.checksum, p.received_on, p.rows,
       p.accepted_rows, p.titles, p.items_created, p.duplicates_merged, p.recovered_isbns, p.created_by,
       p.created_at,
       (SELECT count(*) FROM catalog.rejections r WHERE r.package_id = p.id AND r.status = 'open') AS open_rejections
FROM catalog.packages p WHERE p.id = :package_id;

-- name: packages_of_library
SELECT p.id, p.library_code, p.program_year, p.source_name, p.checksum, p.received_on, p.rows,
       p.accepted_rows, p.titles, p.items_created, p.duplicates_merged, p.recovered_isbns, p.created_by,
       p.created_at,
       (SELECT count(*) FROM catalog.rejections r WHERE r.package_id = p.id AND r.status = 'open') AS open_rejections
FROM catalog.packages p WHERE p.library_code = :library ORDER BY p.id;

-- name: package_rejections
SELECT id, package_id, row_number, field, value, code, message, raw, status, resolved_by, resolved_at
FROM catalog.rejections
WHERE package_id = :package_id AND (:status::text IS NULL OR status = :status)
ORDER BY row_number;

-- name: rejection_for_update
SELECT r.id, r.package_id, r.row_number, r.field, r.value, r.code, r.message, r.raw, r.status,
       r.resolved_by, r.resolved_at, p.library_code, p.received_on
FROM catalog.rejections r JOIN catalog.packages p ON p.id = r.package_id
WHERE r.id = :rejection_id AND r.package_id = :package_id
FOR UPDATE OF r;

-- name: resolve_rejection
UPDATE catalog.rejections SET status = :status, resolved_by = :actor, resolved_at = now(), raw = :raw
WHERE id = :rejection_id AND status = 'open'
RETURNING id;

-- name: library_items_page
SELECT i.barcode, t.isbn13, t.local_code, t.title, i.status, i.call_number, count(*) OVER () AS total
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.library_code = :library AND (:status::text IS NULL OR i.status = :status)
ORDER BY i.call_number, i.barcode
LIMIT :limit OFFSET :offset;

-- name: library_items_count
-- The total when the page asked for lies past the last item.
SELECT count(*) FROM catalog.items WHERE library_code = :library AND (:status::text IS NULL OR status = :status);

-- name: library_titles_page
SELECT t.id, t.isbn13, t.local_code, t.isbn_display, t.title, t.subtitle, t.authors, t.publisher, t.year,
       t.language, t.ddc, t.category, t.audience,
       count(*) AS copies, count(*) FILTER (WHERE i.status = 'available') AS available,
       min(i.call_number) AS call_number, count(*) OVER () AS total
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.library_code = :library
GROUP BY t.id
ORDER BY t.title, t.id
LIMIT :limit OFFSET :offset;

-- name: title_by_isbn
SELECT id, isbn13, local_code, isbn_display, registration_group, title, subtitle, authors, publisher, year,
       language, ddc, category, audience, subjects
FROM catalog.titles WHERE isbn13 = :isbn13 OR local_code = :local_code;

-- name: title_holdings
SELECT l.code AS library, l.name AS library_name, l.kecamatan, count(*) AS copies,
       count(*) FILTER (WHERE i.status = 'available') AS available, min(i.call_number) AS call_number
FROM catalog.items i JOIN catalog.libraries l ON l.code = i.library_code
WHERE i.title_id = :title_id AND i.status NOT IN ('withdrawn')
GROUP BY l.code ORDER BY l.code;

-- name: item_by_barcode
SELECT i.barcode, i.library_code, i.package_id, i.call_number, i.status, i.acquired_on, t.id AS title_id,
       t.isbn13, t.local_code, t.title, t.authors, t.ddc, t.category, t.audience, t.language
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.barcode = :barcode;
