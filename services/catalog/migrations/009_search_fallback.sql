-- Search from PostgreSQL while the search engine cannot be reached (search/fallback.py): a title's
-- searchable words folded like the engines fold them (lower case, no diacritics), under a trigram index
-- for typo-tolerant word similarity. And how far each embedded index has applied the outbox, so that an
-- index kept on disk is reused at start only when it is current (search/persisted.py): one row, the last
-- drain (who drained, up to which outbox row).

CREATE FUNCTION catalog.search_words(title text, subtitle text, authors text[], publisher text, category text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary,
                 concat_ws(' ', title, subtitle, array_to_string(authors, ' '), publisher, category)));

CREATE INDEX titles_search_words ON catalog.titles
    USING gin (catalog.search_words(title, subtitle, authors, publisher, category) gin_trgm_ops);

CREATE TABLE catalog.search_index_state (
    single           boolean PRIMARY KEY DEFAULT true CHECK (single),
    drained_by       text NOT NULL,
    applied_through  bigint NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
