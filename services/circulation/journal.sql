-- name: record
-- One event (statistics) and one audit row (accountability) for one change, in one round trip.
WITH event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library, loan_id, hold_id, barcode, title_id,
                                    isbn13, ddc_class, audience, category, language, due_date, late_days, detail)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb)
    RETURNING id
)
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
SELECT $2, $1, $3, $21, $20::jsonb FROM event;

-- name: record_registrations
-- Many member_registered events and audit rows at once (a member list import).
WITH event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library)
    SELECT 'member_registered', $1, $2, m.id, m.category, m.gender, m.disability, $2
    FROM unnest($3::bigint[], $4::text[], $5::text[], $6::boolean[]) AS m(id, category, gender, disability)
    RETURNING member_id
)
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
SELECT $1, 'member_registered', $2, 'member:' || member_id, jsonb_build_object('import', $7::text) FROM event;
