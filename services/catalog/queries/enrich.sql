-- name: titles_to_look_up
-- Titles missing a publisher or a year that were never looked up, or whose look-up failed long ago.
SELECT t.id, t.isbn13
FROM catalog.titles t
LEFT JOIN catalog.isbn_lookups l ON l.isbn13 = t.isbn13
WHERE t.isbn13 IS NOT NULL AND (t.publisher IS NULL OR t.year IS NULL)
  AND (l.isbn13 IS NULL OR (l.error IS NOT NULL AND l.looked_up_at < now() - interval '7 days'))
ORDER BY t.id
LIMIT :batch;

-- name: remember_lookup
INSERT INTO catalog.isbn_lookups (isbn13, service, found, metadata, error) VALUES (:isbn13, :service, :found, :metadata, :error)
ON CONFLICT (isbn13) DO UPDATE SET service = EXCLUDED.service, looked_up_at = now(), found = EXCLUDED.found,
    metadata = EXCLUDED.metadata, error = EXCLUDED.error;

-- name: fill_from_lookup
UPDATE catalog.titles SET publisher = COALESCE(publisher, :publisher), year = COALESCE(year, :year),
    language = COALESCE(language, :language), updated_at = now()
WHERE id = :title_id
  AND ((publisher IS NULL AND :publisher::text IS NOT NULL) OR (year IS NULL AND :year::smallint IS NOT NULL)
       OR (language IS NULL AND :language::text IS NOT NULL));

