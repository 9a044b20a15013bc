-- The SQL of a streamed ingest (services/catalog/ingest.py). The accepted rows of the manifest are staged
-- in a temporary table, chunk by chunk, so that rows of one ISBN are merged and titles sorted by ISBN in the
-- database rather than in the server's memory. Both tables go when the ingest ends (or its transaction does).

-- name: create_staging
CREATE TEMP TABLE ingest_rows (
    row_number   integer NOT NULL,
    isbn13       text NOT NULL,
    isbn_display text NOT NULL,
    registration_group text,
    title        text NOT NULL,
    subtitle     text,
    authors      text NOT NULL,
    publisher    text,
    year         smallint,
    language     text,
    ddc          text,
    category     text,
    audience     text,
    subjects     text NOT NULL,
    copies       integer NOT NULL,
    call_number  text NOT NULL
) ON COMMIT DROP;

-- name: merge_staging
-- One line per distinct ISBN: the metadata of its first row, the copies of all its rows.
CREATE TEMP TABLE ingest_titles ON COMMIT DROP AS
SELECT DISTINCT ON (isbn13) isbn13, isbn_display, registration_group, title, subtitle, authors, publisher, year,
       language, ddc, category, audience, subjects, call_number,
       sum(copies) OVER (PARTITION BY isbn13)::integer AS copies
FROM ingest_rows
ORDER BY isbn13, row_number;
ALTER TABLE ingest_titles ADD PRIMARY KEY (isbn13);

-- name: staging_totals
SELECT count(*) AS titles, coalesce(sum(copies), 0)::bigint AS items FROM ingest_titles;

-- name: staged_titles
-- A page of the merged titles in ISBN order (after the last ISBN of the previous page).
SELECT isbn13, isbn_display, registration_group, title, subtitle, authors, publisher, year, language, ddc,
       category, audience, subjects, call_number, copies
FROM ingest_titles
WHERE isbn13 > :after
ORDER BY isbn13
LIMIT :page_size;

-- name: drop_staging
DROP TABLE IF EXISTS ingest_rows, ingest_titles;
