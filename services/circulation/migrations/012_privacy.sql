-- Privacy: the link between a member and a loan returned long ago can be removed (UU 27/2022 on personal
-- data protection: keep personal data no longer than needed) without changing any statistic.

-- A returned loan may lose its member; an open loan never does.
ALTER TABLE circulation.loans ALTER COLUMN member_id DROP NOT NULL;
ALTER TABLE circulation.loans ADD CONSTRAINT loans_open_have_a_member CHECK (status = 'closed' OR member_id IS NOT NULL);

-- The event log stays append-only, with two exceptions, each declared by a transaction-local setting:
-- an anonymisation run (pustaka.anonymise) may set member_id to NULL and change nothing else; the
-- simulator (pustaka.simulate) may restamp `at` and mark `simulated` on the rows its own transaction just
-- wrote through the real use cases (which stamp now()), and change nothing else.
CREATE OR REPLACE FUNCTION circulation.events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('pustaka.anonymise', true) = 'on' AND NEW.member_id IS NULL
       AND (to_jsonb(NEW) - 'member_id') = (to_jsonb(OLD) - 'member_id') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('pustaka.simulate', true) = 'on' AND NEW.simulated
       AND (to_jsonb(NEW) - 'at' - 'simulated') = (to_jsonb(OLD) - 'at' - 'simulated') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'circulation.events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Borrower rows of periods that ended before `sealed_before` carry anonymous ids: a rebuild keeps them
-- and folds borrowers only into later periods, so distinct borrower counts survive anonymisation.
ALTER TABLE circulation.stats_watermark ADD COLUMN sealed_before date;
CREATE SEQUENCE circulation.stats_anonymous_ids;

CREATE TABLE circulation.anonymisation_runs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ran_at         timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    returned_before date NOT NULL,
    loans          integer NOT NULL,
    events         integer NOT NULL,
    borrower_rows  integer NOT NULL
);

-- The last day of a borrower row's period: a day, a month (from its first day) or a year.
CREATE FUNCTION circulation.stats_period_end(kind char(1), period date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE kind
    WHEN 'd' THEN period
    WHEN 'm' THEN (period + interval '1 month' - interval '1 day')::date
    ELSE (period + interval '1 year' - interval '1 day')::date END;
