-- name: record
-- One event (statistics) and one audit row (accountability) for one change, in one round trip.
WITH event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library, loan_id, hold_id, barcode, title_id,
                                    isbn13, ddc_class, audience, category, language, due_date, late_days, detail)
    VALUES (:type, :actor, :library, :member_id, :member_category, :member_gender, :member_disability,
            :member_library, :loan_id, :hold_id, :barcode, :title_id, :isbn13, :ddc_class, :audience, :category,
            :language, :due_date, :late_days, :detail::jsonb)
    RETURNING id
)
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
SELECT :actor, :type, :library, :target, :detail::jsonb FROM event;

-- name: record_registrations
-- Many member_registered events and audit rows at once (a member list import).
WITH event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library)
    SELECT 'member_registered', :actor, :library, m.id, m.category, m.gender, m.disability, :library
    FROM unnest(:member_ids::bigint[], :categories::text[], :genders::text[], :disabilities::boolean[])
         AS m(id, category, gender, disability)
    RETURNING member_id
)
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
SELECT :actor, 'member_registered', :library, 'member:' || member_id, jsonb_build_object('import', :source::text)
FROM event;
