-- OAI-PMH and MARC export: records of (library, title) pairs by keyset over (datestamp, id), and their copies.

-- name: earliest
SELECT min(datestamp) FROM catalog.oai_records;

-- name: now
SELECT clock_timestamp();

-- name: custom_plans
-- The page queries filter by optional set arguments (`$1 IS NULL OR ...`): a generic plan made for all of
-- them scans far more than the plan for the arguments at hand (measured: 50-100 ms instead of 0.3 ms).
SET LOCAL plan_cache_mode = force_custom_plan;

-- name: records_page
-- $1 library, $2 kecamatan, $3 DDC LIKE pattern (NULL: no filter), $4 from (inclusive), $5 upper bound
-- (exclusive), $6/$7 keyset position after which to continue, $8 page size.
SELECT r.id, r.library_code, r.title_id, r.datestamp, r.deleted, t.isbn13, t.local_code, t.title, t.subtitle,
       t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, l.name AS library_name, l.kecamatan_code
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE ($1::text IS NULL OR r.library_code = $1)
  AND ($2::text IS NULL OR l.kecamatan_code = $2)
  AND ($3::text IS NULL OR t.ddc LIKE $3)
  AND r.datestamp >= $4 AND r.datestamp < $5
  AND (r.datestamp, r.id) > ($6, $7)
ORDER BY r.datestamp, r.id
LIMIT $8;

-- name: records_count
SELECT count(*)
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE ($1::text IS NULL OR r.library_code = $1)
  AND ($2::text IS NULL OR l.kecamatan_code = $2)
  AND ($3::text IS NULL OR t.ddc LIKE $3)
  AND r.datestamp >= $4 AND r.datestamp < $5;

-- name: record_by_key
SELECT r.id, r.library_code, r.title_id, r.datestamp, r.deleted, t.isbn13, t.local_code, t.title, t.subtitle,
       t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, l.name AS library_name, l.kecamatan_code
FROM catalog.oai_records r
JOIN catalog.titles t ON t.id = r.title_id
JOIN catalog.libraries l ON l.code = r.library_code
WHERE r.library_code = $1 AND (t.isbn13 = $2 OR t.local_code = $2);

-- name: copies_of
-- The copies on each (library, title) pair's list, withdrawn ones left out.
SELECT i.library_code, i.title_id, i.barcode, i.call_number
FROM catalog.items i
JOIN unnest($1::text[], $2::bigint[]) AS p(library_code, title_id)
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
WHERE r.library_code = $1 AND NOT r.deleted
ORDER BY t.title, t.id;
