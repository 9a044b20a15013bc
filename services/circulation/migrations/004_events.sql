-- The append-only event log that statistics are computed from, and the outbox of item status changes
-- for the catalogue.

-- One row per change. It carries who/what/when/where, the member's category, gender and disability as
-- of the event (never name, number or contact: the member is linked by internal id only), and a
-- snapshot of the copy's title facts, so statistics need no join with another service.
CREATE TABLE circulation.events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                timestamptz NOT NULL DEFAULT now(),
    type              text NOT NULL CHECK (type IN (
                          'checked_out', 'checked_in', 'renewed', 'hold_placed', 'hold_cancelled',
                          'hold_awaiting_pickup', 'hold_filled', 'hold_expired', 'member_registered',
                          'member_updated', 'member_suspended', 'member_reinstated', 'membership_renewed',
                          'item_lost', 'item_found')),
    actor             text NOT NULL,
    library_code      text NOT NULL,
    member_id         bigint,
    member_category   text CHECK (member_category IN ('anak', 'remaja', 'dewasa', 'lansia')),
    member_gender     char(1) CHECK (member_gender IN ('L', 'P')),
    member_disability boolean,
    member_library    text,
    loan_id           bigint,
    hold_id           bigint,
    barcode           text,
    title_id          bigint,
    isbn13            text,
    ddc_class         text,
    audience          text,
    category          text,
    language          text,
    due_date          date,
    late_days         integer,
    simulated         boolean NOT NULL DEFAULT false,
    detail            jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_library_type_at ON circulation.events (library_code, type, at);
CREATE INDEX events_type_at ON circulation.events (type, at);
CREATE INDEX events_title ON circulation.events (title_id) WHERE title_id IS NOT NULL;

CREATE FUNCTION circulation.events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'circulation.events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON circulation.events
    FOR EACH ROW EXECUTE FUNCTION circulation.events_are_append_only();

-- Item status changes for the catalogue, written in the same transaction as the loan or return and sent
-- by a background relay with retries: a catalogue that is down delays them, never loses them.
CREATE TABLE circulation.catalog_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    barcode     text NOT NULL,
    status      text NOT NULL CHECK (status IN ('available', 'on_loan', 'lost')),
    enqueued_at timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text
);
