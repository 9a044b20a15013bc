-- OAI-PMH and MARC export: records of (library, title) pairs by keyset over (datestamp, id), and their copies.

-- name: earliest
SELECT min(datestamp) FROM catalog.oai_records;

-- name: now
SELECT clock_timestamp();

-- name: custom_plans
-- The page queries filter by optional set arguments (`:library IS NULL OR ...`): a generic plan made for all of
-- them scans far more than the plan for the arguments at hand (measured: 50-100 ms instead of 0.3 ms).
SET LOCAL plan_cache_mode = force_custom_plan;

-- name: records_page
-- The set's library, kecamatan and DDC LIKE pattern (each NULL: no filter), `since` (inclusive) and `before`
-- (exclusive), the keyset position (after_stamp, after_id) after which to continue, and the page size.
SELECT r.id, r.library_code, r.title_id, r.datestamp, r.deleted, t.isbn13, t.local_code, t.title, t.subtitle,
       t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, l.name AS library_name, l.kecamatan_code
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE (:library::text IS NULL OR r.library_code = :library)
  AND (:kecamatan::text IS NULL OR l.kecamatan_code = :kecamatan)
  AND (:ddc_like::text IS NULL OR t.ddc LIKE :ddc_like)
  AND r.datestamp >= :since AND r.datestamp < :before
  AND (r.datestamp, r.id) > (:after_stamp, :after_id)
ORDER BY r.datestamp, r.id
LIMIT :page_size;

-- name: records_count
SELECT count(*)
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE (:library::text IS NULL OR r.library_code = :library)
  AND (:kecamatan::text IS NULL OR l.kecamatan_code = :kecamatan)
  AND (:ddc_like::text IS NULL OR t.ddc LIKE :ddc_like)
  AND r.datestamp >= :since AND r.datestamp < :before;

-- name: record_by_key
SELECT r.id, r.library_code, r.title_id, r.datestamp, r.deleted, t.isbn13, t.local_code, t.title, t.subtitle,
       t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, l.name AS library_name, l.kecamatan_code
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE r.library_code = :library AND (t.isbn13 = :key OR t.local_code = :key);

-- name: copies_of
-- The copies on each (library, title) pair's list, withdrawn ones left out.
SELECT i.library_code, i.title_id, i.barcode, i.call_number
FROM catalog.items i
JOIN unnest(:libraries::text[], :title_ids::bigint[]) AS p(library_code, title_id)
  ON i.library_code = p.library_code AND i.title_id = p.title_id
WHERE i.status <> 'withdrawn'
ORDER BY i.library_code, i.title_id, i.barcode;

-- name: set_libraries
SELECT code, name, kecamatan_code, kecamatan FROM catalog.libraries ORDER BY code;

-- name: library_holdings
-- Export: every title a library holds (withdrawn copies left out), in title order.
SELECT r.id, r.library_code, r.title_id, r.datestamp, r.deleted, t.isbn13, t.local_code, t.title, t.subtitle,
       t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, l.name AS library_name, l.kecamatan_code
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE r.library_code = :library AND NOT r.deleted
ORDER BY t.title, t.id;
