-- Online ISBN look-ups (only when PUSTAKA_ISBN_LOOKUP names a service): the answer of each look-up is
-- kept, so an ISBN is asked for once, and ingest itself never waits on the network.
CREATE TABLE catalog.isbn_lookups (
    isbn13       text PRIMARY KEY,
    service      text NOT NULL,
    looked_up_at timestamptz NOT NULL DEFAULT now(),
    found        boolean NOT NULL,
    metadata     jsonb,
    error        text
);
