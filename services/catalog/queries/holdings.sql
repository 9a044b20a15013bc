-- name: holdings
-- Copies held (not lost, not withdrawn) and titles of each library asked for, in one pass.
SELECT l.code AS library,
       count(i.barcode) FILTER (WHERE i.status NOT IN ('lost', 'withdrawn')) AS items,
       count(DISTINCT i.title_id) AS titles
FROM unnest(:libraries::text[]) AS l(code)
LEFT JOIN catalog.items i ON i.library_code = l.code
GROUP BY l.code
ORDER BY l.code;
