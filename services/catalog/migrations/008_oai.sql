-- MARC21 exchange and the OAI-PMH provider.
-- * titles.subjects: MARC 650 subject headings (and a manifest's `Subjek` column).
-- * oai_records: one OAI item per (library, title), with the time its record last changed. A trigger keeps it
--   on every change that alters what the record says: a copy added, withdrawn or deleted, a call number
--   changed, the title's metadata, the library's name or kecamatan. A loan or a return changes nothing here
--   (the OAI record carries no availability), so the hot path of the desk pays only a trigger WHEN test.
-- * An item whose every copy is withdrawn or deleted stays as a deleted record (deletedRecord: persistent).
-- (006_care added the same column; kept here for databases migrated by an earlier build of this branch)
ALTER TABLE catalog.titles ADD COLUMN IF NOT EXISTS subjects text[] NOT NULL DEFAULT '{}';

CREATE TABLE catalog.oai_records (
    library_code text NOT NULL REFERENCES catalog.libraries (code),
    title_id     bigint NOT NULL REFERENCES catalog.titles (id),
    id           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    datestamp    timestamptz NOT NULL DEFAULT clock_timestamp(),
    deleted      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (library_code, title_id)
);
-- Harvests page by keyset over (datestamp, id), optionally within one library.
CREATE INDEX oai_records_changes ON catalog.oai_records (datestamp, id);
CREATE INDEX oai_records_library_changes ON catalog.oai_records (library_code, datestamp, id);
CREATE INDEX oai_records_title ON catalog.oai_records (title_id);  -- a title's change restamps its records

-- Stamp the given (library, title) pairs as changed now, deleted when no copy remains on the shelf list.
CREATE FUNCTION catalog.oai_touch(libraries text[], titles bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO catalog.oai_records AS r (library_code, title_id, datestamp, deleted)
    SELECT p.library_code, p.title_id, clock_timestamp(),
           NOT EXISTS (SELECT 1 FROM catalog.items i
                       WHERE i.library_code = p.library_code AND i.title_id = p.title_id
                         AND i.status <> 'withdrawn')
    FROM (SELECT DISTINCT library_code, title_id FROM unnest(libraries, titles) AS u(library_code, title_id)
          ORDER BY library_code, title_id) AS p
    ON CONFLICT (library_code, title_id) DO UPDATE SET datestamp = EXCLUDED.datestamp, deleted = EXCLUDED.deleted
$$;

CREATE FUNCTION catalog.oai_items_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalog.oai_touch(array_agg(library_code), array_agg(title_id)) FROM new_items;
    RETURN NULL;
END $$;

CREATE TRIGGER items_oai_insert AFTER INSERT ON catalog.items
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION catalog.oai_items_inserted();

CREATE FUNCTION catalog.oai_items_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalog.oai_touch(array_agg(library_code), array_agg(title_id)) FROM old_items;
    RETURN NULL;
END $$;

CREATE TRIGGER items_oai_delete AFTER DELETE ON catalog.items
    REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION catalog.oai_items_deleted();

CREATE FUNCTION catalog.oai_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalog.oai_touch(ARRAY[OLD.library_code, NEW.library_code], ARRAY[OLD.title_id, NEW.title_id]);
    RETURN NULL;
END $$;

CREATE TRIGGER items_oai_update AFTER UPDATE ON catalog.items FOR EACH ROW
    WHEN ((OLD.status = 'withdrawn') IS DISTINCT FROM (NEW.status = 'withdrawn')
          OR OLD.call_number IS DISTINCT FROM NEW.call_number OR OLD.barcode IS DISTINCT FROM NEW.barcode
          OR OLD.library_code IS DISTINCT FROM NEW.library_code OR OLD.title_id IS DISTINCT FROM NEW.title_id)
    EXECUTE FUNCTION catalog.oai_item_changed();

CREATE FUNCTION catalog.oai_titles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog.oai_records AS r SET datestamp = clock_timestamp()
    FROM old_titles o JOIN new_titles n ON n.id = o.id
    WHERE r.title_id = n.id
      AND (o.isbn13, o.local_code, o.title, o.subtitle, o.authors, o.publisher, o.year, o.language, o.ddc,
           o.category, o.subjects)
          IS DISTINCT FROM
          (n.isbn13, n.local_code, n.title, n.subtitle, n.authors, n.publisher, n.year, n.language, n.ddc,
           n.category, n.subjects);
    RETURN NULL;
END $$;

CREATE TRIGGER titles_oai_update AFTER UPDATE ON catalog.titles
    REFERENCING OLD TABLE AS old_titles NEW TABLE AS new_titles
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.oai_titles_changed();

CREATE FUNCTION catalog.oai_libraries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog.oai_records AS r SET datestamp = clock_timestamp()
    FROM old_libraries o JOIN new_libraries n ON n.code = o.code
    WHERE r.library_code = n.code
      AND (o.name, o.kecamatan_code) IS DISTINCT FROM (n.name, n.kecamatan_code);
    RETURN NULL;
END $$;

CREATE TRIGGER libraries_oai_update AFTER UPDATE ON catalog.libraries
    REFERENCING OLD TABLE AS old_libraries NEW TABLE AS new_libraries
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.oai_libraries_changed();

-- The catalogue as it stands: one record per (library, title) already held, stamped with its last change.
INSERT INTO catalog.oai_records (library_code, title_id, datestamp, deleted)
SELECT i.library_code, i.title_id, max(greatest(i.updated_at, t.updated_at)), bool_and(i.status = 'withdrawn')
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
GROUP BY i.library_code, i.title_id
ORDER BY i.library_code, i.title_id;
