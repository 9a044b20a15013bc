-- name: policy_and_calendar
-- The policy of one member category in one library and the library's calendar; NULLs mean the defaults.
SELECT p.loan_days, p.max_open_loans, p.max_renewals, p.holds_allowed, p.hold_pickup_days, p.fines_enabled,
       p.fine_per_day, c.closed_weekdays,
       ARRAY(SELECT d.closed_on FROM circulation.closed_dates d
             WHERE d.library_code = :library AND d.closed_on >= :today ORDER BY d.closed_on) AS closed_dates
FROM (SELECT 1) AS one
LEFT JOIN circulation.loan_policies p ON p.library_code = :library AND p.category = :category
LEFT JOIN circulation.library_calendars c ON c.library_code = :library;

-- name: policies_of_library
SELECT category, loan_days, max_open_loans, max_renewals, holds_allowed, hold_pickup_days, fines_enabled,
       fine_per_day
FROM circulation.loan_policies WHERE library_code = :library;

-- name: calendar_of_library
SELECT (SELECT closed_weekdays FROM circulation.library_calendars WHERE library_code = :library) AS closed_weekdays,
       ARRAY(SELECT d.closed_on FROM circulation.closed_dates d
             WHERE d.library_code = :library AND d.closed_on >= :today ORDER BY d.closed_on) AS closed_dates;

-- name: upsert_policy
INSERT INTO circulation.loan_policies (library_code, category, loan_days, max_open_loans, max_renewals,
                                       holds_allowed, hold_pickup_days, fines_enabled, fine_per_day, updated_by)
VALUES (:library, :category, :loan_days, :max_open_loans, :max_renewals, :holds_allowed, :hold_pickup_days,
        :fines_enabled, :fine_per_day, :actor)
ON CONFLICT (library_code, category) DO UPDATE SET loan_days = EXCLUDED.loan_days,
    max_open_loans = EXCLUDED.max_open_loans, max_renewals = EXCLUDED.max_renewals,
    holds_allowed = EXCLUDED.holds_allowed, hold_pickup_days = EXCLUDED.hold_pickup_days,
    fines_enabled = EXCLUDED.fines_enabled, fine_per_day = EXCLUDED.fine_per_day,
    updated_by = EXCLUDED.updated_by, updated_at = now();

-- name: upsert_calendar
INSERT INTO circulation.library_calendars (library_code, closed_weekdays, updated_by)
VALUES (:library, :closed_weekdays, :actor)
ON CONFLICT (library_code) DO UPDATE SET closed_weekdays = EXCLUDED.closed_weekdays,
    updated_by = EXCLUDED.updated_by, updated_at = now();

-- name: delete_closed_dates_from
DELETE FROM circulation.closed_dates WHERE library_code = :library AND closed_on >= :today;

-- name: insert_closed_dates
INSERT INTO circulation.closed_dates (library_code, closed_on, reason)
SELECT :library, d.closed_on, d.reason FROM unnest(:dates::date[], :reasons::text[]) AS d(closed_on, reason)
WHERE d.closed_on >= :today
ON CONFLICT (library_code, closed_on) DO UPDATE SET reason = EXCLUDED.reason;

-- name: audit
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
VALUES (:actor, :action, :library, :target, :detail::jsonb);
