-- Lending: the local replica of the catalogue's copies, loan policies and calendars, loans and holds.

-- What circulation knows of a copy, filled on first sight from the catalogue (GET /items/{barcode}) so
-- the desk keeps working while the catalogue is unreachable. `status` is circulation's own view;
-- `catalog_status` is what the catalogue said when the copy was last seen.
CREATE TABLE circulation.copies (
    barcode        text PRIMARY KEY,
    library_code   text NOT NULL,
    title_id       bigint,
    isbn13         text,
    local_code     text,
    title          text NOT NULL,
    call_number    text NOT NULL DEFAULT '',
    ddc            text,
    ddc_class      text,
    audience       text,
    category       text,
    language       text,
    status         text NOT NULL DEFAULT 'available'
                   CHECK (status IN ('available', 'on_loan', 'awaiting_pickup', 'lost', 'damaged', 'withdrawn')),
    catalog_status text NOT NULL,
    seen_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX copies_library_isbn ON circulation.copies (library_code, isbn13);

CREATE TABLE circulation.loan_policies (
    library_code     text NOT NULL,
    category         text NOT NULL CHECK (category IN ('anak', 'remaja', 'dewasa', 'lansia')),
    loan_days        smallint NOT NULL CHECK (loan_days BETWEEN 1 AND 365),
    max_open_loans   smallint NOT NULL CHECK (max_open_loans BETWEEN 0 AND 100),
    max_renewals     smallint NOT NULL CHECK (max_renewals BETWEEN 0 AND 20),
    holds_allowed    boolean NOT NULL,
    hold_pickup_days smallint NOT NULL CHECK (hold_pickup_days BETWEEN 1 AND 30),
    fines_enabled    boolean NOT NULL,
    fine_per_day     integer NOT NULL CHECK (fine_per_day >= 0),
    updated_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (library_code, category)
);

CREATE TABLE circulation.library_calendars (
    library_code    text PRIMARY KEY,
    closed_weekdays smallint[] NOT NULL CHECK (closed_weekdays <@ '{1,2,3,4,5,6,7}'::smallint[]),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE circulation.closed_dates (
    library_code text NOT NULL,
    closed_on    date NOT NULL,
    reason       text,
    PRIMARY KEY (library_code, closed_on)
);

CREATE TABLE circulation.loans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    barcode       text NOT NULL REFERENCES circulation.copies (barcode),
    library_code  text NOT NULL,
    member_id     bigint NOT NULL REFERENCES circulation.members (id),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    loaned_at     timestamptz NOT NULL DEFAULT now(),
    due_date      date NOT NULL,
    renewals      smallint NOT NULL DEFAULT 0,
    closed_at     timestamptz,
    closed_reason text CHECK (closed_reason IN ('returned', 'lost')),
    late_days     integer,
    fine          integer NOT NULL DEFAULT 0,
    created_by    text NOT NULL,
    CHECK ((status = 'open') = (closed_at IS NULL))
);
-- The rule that matters most: a copy is never on two open loans, whatever the code above does.
CREATE UNIQUE INDEX loans_one_open_per_copy ON circulation.loans (barcode) WHERE status = 'open';
CREATE INDEX loans_member_open ON circulation.loans (member_id, due_date) WHERE status = 'open';
CREATE INDEX loans_library_due_open ON circulation.loans (library_code, due_date) WHERE status = 'open';
CREATE INDEX loans_member_history ON circulation.loans (member_id, loaned_at DESC);

CREATE TABLE circulation.holds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_code  text NOT NULL,
    isbn13        text NOT NULL CHECK (isbn13 ~ '^97[89]\d{10}$'),
    title_id      bigint,
    title         text NOT NULL,
    ddc_class     text,
    audience      text,
    category      text,
    language      text,
    member_id     bigint NOT NULL REFERENCES circulation.members (id),
    status        text NOT NULL DEFAULT 'open-not-yet-filled'
                  CHECK (status IN ('open-not-yet-filled', 'open-awaiting-pickup', 'closed-filled',
                                    'closed-cancelled', 'closed-pickup-expired')),
    placed_at     timestamptz NOT NULL DEFAULT now(),
    barcode       text REFERENCES circulation.copies (barcode),
    awaiting_since timestamptz,
    pickup_by     date,
    closed_at     timestamptz,
    created_by    text NOT NULL,
    CHECK (status <> 'open-awaiting-pickup' OR (barcode IS NOT NULL AND pickup_by IS NOT NULL))
);
-- One open hold per member and title in a library; one hold waits on a copy at a time.
CREATE UNIQUE INDEX holds_one_open_per_member ON circulation.holds (member_id, library_code, isbn13)
    WHERE status IN ('open-not-yet-filled', 'open-awaiting-pickup');
CREATE UNIQUE INDEX holds_one_per_copy ON circulation.holds (barcode) WHERE status = 'open-awaiting-pickup';
CREATE INDEX holds_queue ON circulation.holds (library_code, isbn13, placed_at, id)
    WHERE status = 'open-not-yet-filled';
CREATE INDEX holds_pickup ON circulation.holds (pickup_by) WHERE status = 'open-awaiting-pickup';
