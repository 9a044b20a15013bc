-- The copies to print labels for: a package's (or some of them), or chosen copies of one library.

-- name: package_copies
-- One row per copy asked for; the package's library even when no copy matches (then barcode is NULL).
SELECT i.barcode, i.call_number, t.title, l.name AS library_name, p.library_code
FROM catalog.packages p
JOIN catalog.libraries l ON l.code = p.library_code
LEFT JOIN catalog.items i ON i.package_id = p.id AND (:barcodes::text[] IS NULL OR i.barcode = ANY(:barcodes::text[]))
LEFT JOIN catalog.titles t ON t.id = i.title_id
WHERE p.id = :package_id
ORDER BY i.call_number, i.barcode;

-- name: library_copies
SELECT i.barcode, i.call_number, t.title, l.name AS library_name
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id JOIN catalog.libraries l ON l.code = i.library_code
WHERE i.library_code = :library AND i.barcode = ANY(:barcodes::text[])
ORDER BY i.call_number, i.barcode;
