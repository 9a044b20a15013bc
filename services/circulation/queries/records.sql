-- name: open_visit_day
-- The day's tally exists (empty) before it is locked: two desks or kiosks counting a day's first visitors
-- at once then both wait for the same row instead of both starting from nothing.
INSERT INTO circulation.visit_days (library_code, day, member_visits, non_member_visits, tallies, updated_by)
VALUES (:library, :day, 0, 0, 0, :actor)
ON CONFLICT (library_code, day) DO NOTHING;

-- name: visit_day
SELECT member_visits, non_member_visits, by_category::text, by_gender::text, tallies
FROM circulation.visit_days WHERE library_code = :library AND day = :day FOR UPDATE;

-- name: save_visit_day
-- Guarded: only the tally as it was read (:tallies_before counts so far) is replaced; no row means it changed
-- meanwhile.
UPDATE circulation.visit_days
SET member_visits = :member_visits, non_member_visits = :non_member_visits, by_category = :by_category::jsonb,
    by_gender = :by_gender::jsonb, tallies = :tallies, updated_by = :actor, updated_at = now()
WHERE library_code = :library AND day = :day AND tallies = :tallies_before
RETURNING tallies;

-- name: copy_facts
SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language
FROM circulation.copies WHERE barcode = :barcode;

-- name: insert_read
INSERT INTO circulation.onsite_reads (library_code, day, barcode, title_id, isbn13, title, ddc_class, audience,
                                      category, language, recorded_by)
VALUES (:library, :day, :barcode, :title_id, :isbn13, :title, :ddc_class, :audience, :category, :language, :actor)
RETURNING id;

-- name: insert_activity
INSERT INTO circulation.activities (library_code, day, title, kind, participants, partner, by_category,
                                    by_gender, recorded_by)
VALUES (:library, :day, :title, :kind, :participants, :partner, :by_category::jsonb, :by_gender::jsonb, :actor)
RETURNING id;
