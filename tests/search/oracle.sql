-- What the search suites expect, read straight from the catalogue tables (not through search/documents.sql).

-- name: held_titles
-- Every (library, title) with a copy that is not withdrawn or lost, with what a search shows of it.
SELECT i.library_code AS library, l.kecamatan_code AS kecamatan, t.id AS title_id, t.isbn13, t.title,
       coalesce(t.subtitle, '') AS subtitle, array_to_string(t.authors, ' ') AS authors,
       coalesce(t.publisher, '') AS publisher, t.category, t.language, t.audience, t.ddc, t.year,
       count(*) FILTER (WHERE i.status = 'available') AS available,
       count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS copies
FROM catalog.items i
JOIN catalog.titles t ON t.id = i.title_id
JOIN catalog.libraries l ON l.code = i.library_code
GROUP BY i.library_code, l.kecamatan_code, t.id
HAVING count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) > 0;

-- name: copies_of
SELECT i.barcode, i.status FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
WHERE i.library_code = $1 AND t.isbn13 = $2 ORDER BY i.barcode;
