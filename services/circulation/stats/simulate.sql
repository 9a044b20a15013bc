-- name: enable
SELECT set_config('pustaka.simulate', 'on', true);

-- name: restamp_events
-- The events this transaction wrote through a use case get the simulated moment and are marked simulated.
UPDATE circulation.events SET at = $1, simulated = true WHERE xmin = pg_current_xact_id()::xid;

-- name: restamp_loan_out
UPDATE circulation.loans SET loaned_at = $2 WHERE id = $1;

-- name: restamp_loan_back
UPDATE circulation.loans SET closed_at = $2 WHERE id = $1;

-- name: copy_facts
SELECT barcode, title_id, isbn13, title, ddc_class, audience, category, language
FROM circulation.copies WHERE library_code = $1 ORDER BY barcode;
