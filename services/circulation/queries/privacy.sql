-- name: enable
SELECT set_config('pustaka.anonymise', 'on', true);

-- name: unlink_loans
-- Returned (or lost) loans closed before the cut-off day (Asia/Jakarta) lose their member.
UPDATE circulation.loans SET member_id = NULL
WHERE status = 'closed' AND member_id IS NOT NULL
  AND closed_at < (:cutoff::date::timestamp AT TIME ZONE 'Asia/Jakarta')
RETURNING id;

-- name: unlink_events
UPDATE circulation.events SET member_id = NULL
WHERE loan_id = ANY(:loan_ids::bigint[]) AND member_id IS NOT NULL;

-- name: seal_borrowers
-- Borrower rows of periods ended before the cut-off get anonymous ids (unique, so counts are unchanged).
UPDATE circulation.stats_borrowers SET member_id = -nextval('circulation.stats_anonymous_ids')
WHERE member_id > 0 AND circulation.stats_period_end(kind, period) < :cutoff;

-- name: set_sealed
UPDATE circulation.stats_watermark SET sealed_before = greatest(coalesce(sealed_before, :cutoff), :cutoff)
WHERE id = 1;

-- name: record_run
WITH run AS (
    INSERT INTO circulation.anonymisation_runs (actor, returned_before, loans, events, borrower_rows)
    VALUES (:actor, :cutoff, :loans, :events, :borrower_rows) RETURNING id
)
INSERT INTO circulation.audit_log (actor, action, target, detail)
SELECT :actor, 'loans_anonymised', 'anonymisation:' || id,
       jsonb_build_object('returned_before', :cutoff::date, 'loans', :loans::int, 'events', :events::int,
                          'borrower_rows', :borrower_rows::int)
FROM run;
