-- name: enable
SELECT set_config('pustaka.simulate', 'on', true);

-- name: restamp_events
-- The events this transaction wrote through a use case get the simulated moment and are marked simulated.
UPDATE circulation.events SET at = :at, simulated = true WHERE xmin = pg_current_xact_id()::xid;

-- name: restamp_loan_out
UPDATE circulation.loans SET loaned_at = :at WHERE id = :loan_id;

-- name: restamp_loan_back
UPDATE circulation.loans SET closed_at = :at WHERE id = :loan_id;

-- name: copy_facts
SELECT barcode, title_id, isbn13, title, ddc_class, audience, category, language
FROM circulation.copies WHERE library_code = :library ORDER BY barcode;

-- name: any_simulated
-- Whether a simulated history was loaded already.
SELECT exists (SELECT 1 FROM circulation.events WHERE simulated);
