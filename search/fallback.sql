-- Search from PostgreSQL while the engine is away (search/fallback.py). :words is the folded query
-- text ('' for none); the other parameters are the validated filters, NULL for none. The documents are the
-- same as documents.sql builds: one per (library, title) with a copy that is not withdrawn or lost.

-- name: matching
-- Not a query by itself: the `docs` CTE that `page` and `facets` follow (search/fallback.py joins them).
WITH matched AS (
    SELECT t.id, CASE WHEN :words = '' THEN 0
                      ELSE word_similarity(:words, catalog.search_words(t.title, t.subtitle, t.authors,
                                                                        t.publisher, t.category)) END AS score
    FROM catalog.titles t
    WHERE (:words = '' OR :words <% catalog.search_words(t.title, t.subtitle, t.authors, t.publisher, t.category))
      AND (:isbn13::text IS NULL OR t.isbn13 = :isbn13)
      AND (:language::text IS NULL OR lower(t.language) = lower(:language))
      AND (:audience::text IS NULL OR lower(t.audience) = lower(:audience))
      AND (:category::text IS NULL OR lower(t.category) = lower(:category))
      AND (:ddc_class::text IS NULL OR CASE WHEN t.ddc ~ '^[0-9]' THEN left(t.ddc, 1) || '00' END = :ddc_class)
      AND (:year_from::int IS NULL OR t.year >= :year_from)
      AND (:year_to::int IS NULL OR t.year <= :year_to)
), docs AS (
    SELECT l.code AS library, l.name AS library_name, l.kecamatan_code AS kecamatan,
           l.kecamatan AS kecamatan_name, t.id AS title_id, t.isbn13, t.isbn_display, t.local_code, t.title,
           t.subtitle, t.authors, t.publisher, t.year, t.language, t.ddc, t.category, t.audience, m.score,
           count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS copies,
           count(*) FILTER (WHERE i.status = 'available') AS available,
           min(i.call_number) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) AS call_number
    FROM matched m
    JOIN catalog.titles t ON t.id = m.id
    JOIN catalog.items i ON i.title_id = m.id
    JOIN catalog.libraries l ON l.code = i.library_code
    WHERE (:library::text IS NULL OR i.library_code = :library)
      AND (:kecamatan::text IS NULL OR l.kecamatan_code = :kecamatan)
    GROUP BY l.code, t.id, m.score
    HAVING count(*) FILTER (WHERE i.status NOT IN ('withdrawn', 'lost')) > 0
       AND (:available::boolean IS NULL OR (count(*) FILTER (WHERE i.status = 'available') > 0) = :available)
)

-- name: page
-- The order is one of search/fallback.py's fixed ORDER BY clauses, appended after this.
SELECT *, count(*) OVER () AS total FROM docs

-- name: facets
SELECT library, kecamatan, on_shelf, language, audience, category, ddc_class, year::text AS year,
       count(*) AS n
FROM (SELECT library, kecamatan, available > 0 AS on_shelf, language, audience, category,
             CASE WHEN ddc ~ '^[0-9]' THEN left(ddc, 1) || '00' END AS ddc_class, year
      FROM docs) d
GROUP BY GROUPING SETS ((library), (kecamatan), (on_shelf), (language), (audience), (category), (ddc_class),
                        (year))

-- name: grouped_page
-- With no library chosen: one row per title (its documents share the title's words, score and year). The
-- order is one of search/fallback.py's fixed ORDER BY clauses, appended after this.
SELECT *, count(*) OVER () AS total
FROM (SELECT title_id, max(score) AS score, min(year) AS year, min(title) AS title FROM docs GROUP BY title_id) t

-- name: holdings
-- The documents of one page's titles (search/fallback.py makes one grouped hit of each title's).
SELECT * FROM docs WHERE title_id = ANY(:title_ids::bigint[])

-- name: grouped_facets
-- Grouped facets, as search/grouping.py counts them: libraries and kecamatan once per holding, whether a
-- copy is on a shelf and the title facts once per title.
SELECT library, kecamatan, on_shelf, language, audience, category, ddc_class, year::text AS year,
       count(*) AS n
FROM (SELECT library, kecamatan, NULL::boolean AS on_shelf, NULL::text AS language, NULL::text AS audience,
             NULL::text AS category, NULL::text AS ddc_class, NULL::int AS year
      FROM docs
      UNION ALL
      SELECT NULL, NULL, bool_or(available > 0), min(language), min(audience), min(category),
             min(CASE WHEN ddc ~ '^[0-9]' THEN left(ddc, 1) || '00' END), min(year)
      FROM docs
      GROUP BY title_id) d
GROUP BY GROUPING SETS ((library), (kecamatan), (on_shelf), (language), (audience), (category), (ddc_class),
                        (year))
