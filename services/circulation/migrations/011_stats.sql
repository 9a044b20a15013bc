-- Statistics rollups, folded incrementally from circulation.events by an id watermark.
--
-- An event id is taken when a row is inserted, but a transaction with a lower id may commit after one
-- with a higher id. So that a drain never moves the watermark past an event still to be committed, every
-- statement that inserts events first takes a shared advisory lock for its transaction; a drain takes the
-- same lock exclusively for an instant (it waits for the writers in flight, which are short) and reads
-- the highest id then: every event up to it is committed. Nothing is folded twice (the watermark row is
-- locked by the drain), and rebuilding (truncate, watermark 0, drain) gives the same rows: tests check it.
CREATE FUNCTION circulation.events_writer_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1398030676);  -- 'STAT'
    RETURN NULL;
END
$$;
CREATE TRIGGER events_writer_lock BEFORE INSERT ON circulation.events
    FOR EACH STATEMENT EXECUTE FUNCTION circulation.events_writer_lock();

CREATE TABLE circulation.stats_watermark (
    id        smallint PRIMARY KEY CHECK (id = 1),
    last_id   bigint NOT NULL,
    folded    bigint NOT NULL DEFAULT 0,
    folded_at timestamptz
);
INSERT INTO circulation.stats_watermark (id, last_id) VALUES (1, 0);

-- Additive counts per library, day (Asia/Jakarta), metric and breakdown dimension ('' = the total).
CREATE TABLE circulation.stats_daily (
    library_code text NOT NULL,
    dim          text NOT NULL,
    day          date NOT NULL,
    metric       text NOT NULL,
    key          text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (library_code, dim, day, metric, key)
);
-- The same per calendar month (month = its first day): whole months of a long range are read from here.
CREATE TABLE circulation.stats_monthly (
    library_code text NOT NULL,
    dim          text NOT NULL,
    month        date NOT NULL,
    metric       text NOT NULL,
    key          text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (library_code, dim, month, metric, key)
);

-- Distinct borrowers cannot be added up across days or libraries: one row per member and day, month and
-- year ('d', 'm', 'y') in which they borrowed, for the library and also for its kecamatan and kabupaten
-- (codes are prefixes of the library code), so a scope's distinct borrowers are a plain count. Category
-- and gender are those of the member's first loan there.
CREATE TABLE circulation.stats_borrowers (
    kind       char(1) NOT NULL CHECK (kind IN ('d', 'm', 'y')),
    scope_code text NOT NULL,
    period     date NOT NULL,
    member_id  bigint NOT NULL,
    category   text,
    gender     text,
    PRIMARY KEY (kind, scope_code, period, member_id)
);

-- The current due date and outcome of each loan, so a renewal moves the loan to its new due day.
CREATE TABLE circulation.stats_loans (
    loan_id      bigint PRIMARY KEY,
    library_code text NOT NULL,
    due_date     date,
    closed       boolean NOT NULL DEFAULT false,
    on_time      boolean NOT NULL DEFAULT false
);
CREATE INDEX stats_loans_open_due ON circulation.stats_loans (library_code, due_date) WHERE NOT closed;

-- The first day each title was lent by each library (titles_used_pct).
CREATE TABLE circulation.stats_titles_used (
    library_code text NOT NULL,
    title_id     bigint NOT NULL,
    first_day    date NOT NULL,
    PRIMARY KEY (library_code, title_id)
);

-- The catalogue's libraries and holdings as last read over HTTP (circulation never reads catalog.*):
-- one snapshot row per library and day, so collection_items is the count at the end of the range.
CREATE TABLE circulation.stats_libraries (
    code           text PRIMARY KEY,
    name           text NOT NULL,
    kind           text NOT NULL,
    kecamatan      text NOT NULL,
    kecamatan_code text NOT NULL,
    kabupaten      text NOT NULL,
    kabupaten_code text NOT NULL,
    refreshed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stats_libraries_kecamatan ON circulation.stats_libraries (kecamatan_code);
CREATE INDEX stats_libraries_kabupaten ON circulation.stats_libraries (kabupaten_code);

CREATE TABLE circulation.stats_holdings (
    library_code text NOT NULL,
    as_of        date NOT NULL,
    items        integer NOT NULL,
    titles       integer NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_code, as_of)
);
