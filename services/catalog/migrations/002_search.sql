-- Search: wake the indexer when the outbox gets rows, and queue the changes that alter what a search shows
-- but that no statement queues itself: a title's metadata filled in by a later manifest, a library renamed,
-- a copy deleted. (The ingest queues new copies, and items.sql queues status changes in the same statement,
-- so the hot path of a loan or return inserts one outbox row, not two.)
-- Statement-level triggers with transition tables: one INSERT ... SELECT per statement, not one per row.

CREATE FUNCTION catalog.notify_search_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pustaka_search', 'outbox');  -- delivered at commit; duplicates in one transaction fold
    RETURN NULL;
END $$;

CREATE TRIGGER search_outbox_notify AFTER INSERT ON catalog.search_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.notify_search_outbox();

CREATE FUNCTION catalog.queue_item_deletions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog.search_outbox (library_code, title_id)
    SELECT DISTINCT library_code, title_id FROM old_items;
    RETURN NULL;
END $$;

CREATE TRIGGER items_search_delete AFTER DELETE ON catalog.items
    REFERENCING OLD TABLE AS old_items
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.queue_item_deletions();

CREATE FUNCTION catalog.queue_title_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog.search_outbox (library_code, title_id)
    SELECT DISTINCT i.library_code, i.title_id
    FROM old_titles o JOIN new_titles n ON n.id = o.id
    JOIN catalog.items i ON i.title_id = n.id
    WHERE (o.isbn13, o.local_code, o.isbn_display, o.title, o.subtitle, o.authors, o.publisher, o.year,
           o.language, o.ddc, o.category, o.audience)
          IS DISTINCT FROM
          (n.isbn13, n.local_code, n.isbn_display, n.title, n.subtitle, n.authors, n.publisher, n.year,
           n.language, n.ddc, n.category, n.audience);
    RETURN NULL;
END $$;

CREATE TRIGGER titles_search_update AFTER UPDATE ON catalog.titles
    REFERENCING OLD TABLE AS old_titles NEW TABLE AS new_titles
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.queue_title_changes();

CREATE FUNCTION catalog.queue_library_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog.search_outbox (library_code, title_id)
    SELECT DISTINCT i.library_code, i.title_id
    FROM old_libraries o JOIN new_libraries n ON n.code = o.code
    JOIN catalog.items i ON i.library_code = n.code
    WHERE (o.name, o.kecamatan_code, o.kecamatan) IS DISTINCT FROM (n.name, n.kecamatan_code, n.kecamatan);
    RETURN NULL;
END $$;

CREATE TRIGGER libraries_search_update AFTER UPDATE ON catalog.libraries
    REFERENCING OLD TABLE AS old_libraries NEW TABLE AS new_libraries
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.queue_library_changes();

-- A TRUNCATE fires no row triggers and empties the outbox too: tell the indexers to rebuild instead.
CREATE FUNCTION catalog.notify_search_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pustaka_search', 'reset');
    RETURN NULL;
END $$;

CREATE TRIGGER items_search_truncate AFTER TRUNCATE ON catalog.items
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.notify_search_reset();
