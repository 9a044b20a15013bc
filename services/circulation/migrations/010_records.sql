-- Non-loan use, recorded at the desk: daily visitor tallies, titles read on the spot (baca di tempat) and
-- literacy/community activities. Each write also appends an event to circulation.events, which statistics
-- are computed from; these tables are the desk's own view (what was recorded, by whom, for which day).

-- One row per library and day: the running tally. A POST adds to it (a morning and an afternoon tally);
-- a POST with "correction": true replaces it, and the event carries the difference.
CREATE TABLE circulation.visit_days (
    library_code      text NOT NULL CHECK (library_code ~ '^\d{2}\.\d{2}\.\d{2}\.\d{4}(-TBM\d+)?$'),
    day               date NOT NULL,
    member_visits     integer NOT NULL CHECK (member_visits >= 0),
    non_member_visits integer NOT NULL CHECK (non_member_visits >= 0),
    by_category       jsonb NOT NULL DEFAULT '{}',
    by_gender         jsonb NOT NULL DEFAULT '{}',
    tallies           integer NOT NULL DEFAULT 1,
    updated_by        text NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_code, day)
);

CREATE TABLE circulation.onsite_reads (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code text NOT NULL,
    day          date NOT NULL,
    barcode      text,
    title_id     bigint,
    isbn13       text,
    title        text NOT NULL,
    ddc_class    text,
    audience     text,
    category     text,
    language     text,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX onsite_reads_library_day ON circulation.onsite_reads (library_code, day);

CREATE TABLE circulation.activities (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code text NOT NULL,
    day          date NOT NULL,
    title        text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    kind         text NOT NULL,
    participants integer NOT NULL CHECK (participants >= 0),
    partner      text,
    by_category  jsonb NOT NULL DEFAULT '{}',
    by_gender    jsonb NOT NULL DEFAULT '{}',
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_library_day ON circulation.activities (library_code, day);

-- The event log learns the new event types. The existing list is read from the constraint itself, so
-- types added by earlier migrations are kept whatever they are.
DO $$
DECLARE
    known text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conrelid = 'circulation.events'::regclass AND c.conname = 'events_type_check';
    ALTER TABLE circulation.events DROP CONSTRAINT events_type_check;
    EXECUTE format('ALTER TABLE circulation.events ADD CONSTRAINT events_type_check CHECK (type = ANY (%L::text[]))',
                   (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(
                       coalesce(known, '{}') || ARRAY['visits_recorded', 'read_onsite', 'activity_held']) AS t));
END
$$;
