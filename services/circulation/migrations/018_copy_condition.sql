-- A copy found damaged at the desk (with the librarian's reason) and repaired again: circulation tells the
-- catalogue through the same outbox as loans, and the event log learns `item_damaged` and `item_repaired`.
-- The lists of allowed values are read from the constraints themselves, so values added by other
-- migrations are kept whatever they are.

-- Why the copy is in its status (e.g. "sampul sobek"), as the desk last recorded it; NULL otherwise.
ALTER TABLE circulation.copies ADD COLUMN status_reason text CHECK (length(status_reason) <= 500);

DO $$
DECLARE
    known text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conrelid = 'circulation.catalog_outbox'::regclass AND c.conname = 'catalog_outbox_status_check';
    ALTER TABLE circulation.catalog_outbox DROP CONSTRAINT catalog_outbox_status_check;
    EXECUTE format('ALTER TABLE circulation.catalog_outbox ADD CONSTRAINT catalog_outbox_status_check '
                   'CHECK (status = ANY (%L::text[]))',
                   (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(coalesce(known, '{}') || ARRAY['damaged']) AS t));

    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conrelid = 'circulation.events'::regclass AND c.conname = 'events_type_check';
    ALTER TABLE circulation.events DROP CONSTRAINT events_type_check;
    EXECUTE format('ALTER TABLE circulation.events ADD CONSTRAINT events_type_check CHECK (type = ANY (%L::text[]))',
                   (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(
                       coalesce(known, '{}') || ARRAY['item_damaged', 'item_repaired']) AS t));
END
$$;
