-- name: titles_to_look_up
-- Titles missing a publisher or a year that were never looked up, or whose look-up failed long ago.
SELECT t.id, t.isbn13
FROM catalog.titles t
LEFT JOIN catalog.isbn_lookups l ON l.isbn13 = t.isbn13
WHERE t.isbn13 IS NOT NULL AND (t.publisher IS NULL OR t.year IS NULL)
  AND (l.isbn13 IS NULL OR (l.error IS NOT NULL AND l.looked_up_at < now() - interval '7 days'))
ORDER BY t.id
LIMIT $1;

-- name: remember_lookup
INSERT INTO catalog.isbn_lookups (isbn13, service, found, metadata, error) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (isbn13) DO UPDATE SET service = EXCLUDED.service, looked_up_at = now(), found = EXCLUDED.found,
    metadata = EXCLUDED.metadata, error = EXCLUDED.error;

-- name: fill_from_lookup
UPDATE catalog.titles SET publisher = COALESCE(publisher, $2), year = COALESCE(year, $3),
    language = COALESCE(language, $4), updated_at = now()
WHERE id = $1 AND ((publisher IS NULL AND $2::text IS NOT NULL) OR (year IS NULL AND $3::smallint IS NOT NULL)
                   OR (language IS NULL AND $4::text IS NOT NULL));

