-- A copy found damaged at the desk (with the librarian's reason) and repaired again: circulation tells the
-- catalogue through the same outbox as loans, and the event log learns `item_damaged` and `item_repaired`.
-- The lists of allowed values are read from the constraints themselves (PostgreSQL shows them either as
-- ARRAY['a'::text, ...] or as '{a,...}'::text[]), so values added by other migrations are kept.

-- Why the copy is in its status (e.g. "sampul sobek"), as the desk last recorded it; NULL otherwise. And
-- when the desk itself last marked it damaged or repaired: a catalogue answer asked before that moment (one
-- that left before the change reached the catalogue) must not undo it (see copies.sql).
ALTER TABLE circulation.copies ADD COLUMN status_reason text CHECK (length(status_reason) <= 500);
ALTER TABLE circulation.copies ADD COLUMN status_at timestamptz;

CREATE FUNCTION pg_temp.allowed_values(tbl regclass, name text) RETURNS text[] LANGUAGE sql AS $$
    SELECT ARRAY(SELECT m[1] FROM regexp_matches(d.def, '''([a-z_]+)''', 'g') AS m)
           || coalesce(string_to_array(substring(d.def FROM '''\{([a-z_,]+)\}'''), ','), '{}')
    FROM (SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
          WHERE c.conrelid = tbl AND c.conname = name) AS d
$$;

DO $$
BEGIN
    EXECUTE format('ALTER TABLE circulation.catalog_outbox ADD CONSTRAINT catalog_outbox_status_check_new '
                   'CHECK (status = ANY (%L::text[]))',
                   (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(
                       pg_temp.allowed_values('circulation.catalog_outbox', 'catalog_outbox_status_check')
                       || ARRAY['damaged']) AS t));
    ALTER TABLE circulation.catalog_outbox DROP CONSTRAINT catalog_outbox_status_check;
    ALTER TABLE circulation.catalog_outbox RENAME CONSTRAINT catalog_outbox_status_check_new
        TO catalog_outbox_status_check;

    EXECUTE format('ALTER TABLE circulation.events ADD CONSTRAINT events_type_check_new CHECK (type = ANY (%L::text[]))',
                   (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(
                       pg_temp.allowed_values('circulation.events', 'events_type_check')
                       || ARRAY['item_damaged', 'item_repaired']) AS t));
    ALTER TABLE circulation.events DROP CONSTRAINT events_type_check;
    ALTER TABLE circulation.events RENAME CONSTRAINT events_type_check_new TO events_type_check;
END
$$;
