-- Loans per title, for the top titles of a period: per library and day, and per library and month (whole
-- months of a long range are read from the monthly table), folded from the event log like the others.
CREATE TABLE circulation.stats_title_daily (
    library_code text NOT NULL,
    day          date NOT NULL,
    title_id     bigint NOT NULL,
    isbn13       text,
    loans        integer NOT NULL,
    PRIMARY KEY (library_code, day, title_id)
);
CREATE TABLE circulation.stats_title_monthly (
    library_code text NOT NULL,
    month        date NOT NULL,
    title_id     bigint NOT NULL,
    isbn13       text,
    loans        integer NOT NULL,
    PRIMARY KEY (library_code, month, title_id)
);
