-- Catalogue care: subjects on titles, copies acquired outside aid packages (donation, purchase), the reason
-- of a withdrawal or damage, a feed of catalogue-made changes for circulation's replica, and stock-taking.

ALTER TABLE catalog.titles ADD COLUMN subjects text[] NOT NULL DEFAULT '{}';

ALTER TABLE catalog.items
    ADD COLUMN source text NOT NULL DEFAULT 'package' CHECK (source IN ('package', 'donation', 'purchase')),
    ADD COLUMN status_reason text;

-- Changes the catalogue makes to what circulation keeps of a copy (title facts, withdrawn, damaged, lost by
-- a stock-take). Circulation reads it in order (GET /copy-changes?after=) and refreshes the copies it has
-- seen; `barcode` NULL means every copy of the title.
CREATE TABLE catalog.copy_changes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id  bigint NOT NULL,
    barcode   text,
    at        timestamptz NOT NULL DEFAULT now()
);

-- Stock-taking (inventarisasi / stock opname): one open stock-take per library, enforced here.
CREATE TABLE catalog.stocktakes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code text NOT NULL REFERENCES catalog.libraries (code),
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished')),
    started_by   text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_by  text,
    finished_at  timestamptz,
    marked_lost  integer NOT NULL DEFAULT 0,
    CHECK ((status = 'finished') = (finished_at IS NOT NULL))
);
CREATE UNIQUE INDEX stocktakes_one_open_per_library ON catalog.stocktakes (library_code) WHERE status = 'open';

-- The snapshot taken at the start: the copies expected on the shelves and, apart, those on loan.
CREATE TABLE catalog.stocktake_expected (
    stocktake_id bigint NOT NULL REFERENCES catalog.stocktakes (id),
    barcode      text NOT NULL,
    status       text NOT NULL CHECK (status IN ('available', 'on_loan')),
    PRIMARY KEY (stocktake_id, barcode)
);

-- Every barcode scanned, once per stock-take (a second scan only counts `times`); `seq` keeps scan order
-- within a run (one librarian's shelf walk) for the mis-shelving rule.
CREATE TABLE catalog.stocktake_scans (
    stocktake_id bigint NOT NULL REFERENCES catalog.stocktakes (id),
    barcode      text NOT NULL,
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    run          text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('accepted', 'unexpected', 'unknown')),
    reason       text,
    times        integer NOT NULL DEFAULT 1,
    scanned_by   text NOT NULL,
    scanned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stocktake_id, barcode)
);

-- A finished stock-take keeps the report it ended with (later changes to the copies do not rewrite it).
ALTER TABLE catalog.stocktakes ADD COLUMN report jsonb;
