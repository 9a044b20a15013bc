-- The catalogue: libraries, aid packages, titles (by ISBN-13), items (copies), the review list of
-- rejected manifest rows, the search outbox and the audit log.
CREATE SCHEMA IF NOT EXISTS catalog;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE catalog.libraries (
    code            text PRIMARY KEY CHECK (code ~ '^\d{2}\.\d{2}\.\d{2}\.\d{4}(-TBM\d+)?$'),
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('desa', 'kelurahan', 'tbm')),
    village         text NOT NULL,
    kecamatan_code  text NOT NULL CHECK (kecamatan_code ~ '^\d{2}\.\d{2}\.\d{2}$'),
    kecamatan       text NOT NULL,
    kabupaten_code  text NOT NULL CHECK (kabupaten_code ~ '^\d{2}\.\d{2}$'),
    kabupaten       text NOT NULL,
    province        text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog.packages (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code      text NOT NULL REFERENCES catalog.libraries (code),
    program_year      smallint NOT NULL CHECK (program_year BETWEEN 2000 AND 2100),
    source_name       text NOT NULL,
    checksum          text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    received_on       date NOT NULL,
    rows              integer NOT NULL,
    accepted_rows     integer NOT NULL,
    titles            integer NOT NULL,
    items_created     integer NOT NULL,
    duplicates_merged integer NOT NULL,
    recovered_isbns   integer NOT NULL,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- The same file for the same library is one package: a retried ingest finds it instead of a twin.
    UNIQUE (library_code, checksum)
);

CREATE TABLE catalog.titles (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    isbn13             text UNIQUE CHECK (isbn13 ~ '^97[89]\d{10}$'),
    local_code         text UNIQUE,
    isbn_display       text,
    registration_group text,
    title              text NOT NULL CHECK (title <> ''),
    subtitle           text,
    authors            text[] NOT NULL DEFAULT '{}',
    publisher          text,
    year               smallint,
    language           text,
    ddc                text,
    category           text,
    audience           text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (isbn13 IS NOT NULL OR local_code IS NOT NULL)
);

CREATE SEQUENCE catalog.local_title_seq;
CREATE SEQUENCE catalog.item_number_seq;

CREATE TABLE catalog.items (
    barcode      text PRIMARY KEY CHECK (barcode ~ '^[0-9]{12}$'),
    title_id     bigint NOT NULL REFERENCES catalog.titles (id),
    library_code text NOT NULL REFERENCES catalog.libraries (code),
    package_id   bigint REFERENCES catalog.packages (id),
    call_number  text NOT NULL,
    status       text NOT NULL DEFAULT 'available'
                 CHECK (status IN ('available', 'on_loan', 'lost', 'damaged', 'withdrawn')),
    acquired_on  date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_library_status ON catalog.items (library_code, status);
CREATE INDEX items_title_library ON catalog.items (title_id, library_code);
CREATE INDEX items_package ON catalog.items (package_id);

-- Rows a manifest could not accept, kept with their raw values until a librarian fixes or accepts them.
CREATE TABLE catalog.rejections (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    package_id  bigint NOT NULL REFERENCES catalog.packages (id),
    row_number  integer NOT NULL,
    field       text NOT NULL,
    value       text NOT NULL,
    code        text NOT NULL,
    message     text NOT NULL,
    raw         jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fixed', 'accepted_local', 'dismissed')),
    resolved_by text,
    resolved_at timestamptz,
    UNIQUE (package_id, row_number)
);
CREATE INDEX rejections_open ON catalog.rejections (package_id) WHERE status = 'open';

-- Transactional outbox: every change to what a library holds of a title queues that (library, title)
-- for the search index in the same transaction; the indexer drains it.
CREATE TABLE catalog.search_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code text NOT NULL,
    title_id     bigint NOT NULL,
    enqueued_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog.audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    library_code text,
    target       text,
    detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON catalog.audit_log (at);

-- A POST retried with the same Idempotency-Key gets the first answer back; the answer is stored in the
-- same transaction as the change it reports.
CREATE TABLE catalog.idempotency_keys (
    actor       text NOT NULL,
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    fingerprint text NOT NULL,
    status      integer,
    body        bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, key)
);
