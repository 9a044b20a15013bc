-- name: open_visit_day
-- The day's tally exists (empty) before it is locked: two desks or kiosks counting a day's first visitors
-- at once then both wait for the same row instead of both starting from nothing.
INSERT INTO circulation.visit_days (library_code, day, member_visits, non_member_visits, tallies, updated_by)
VALUES ($1, $2, 0, 0, 0, $3)
ON CONFLICT (library_code, day) DO NOTHING;

-- name: visit_day
SELECT member_visits, non_member_visits, by_category, by_gender, tallies
FROM circulation.visit_days WHERE library_code = $1 AND day = $2 FOR UPDATE;

-- name: save_visit_day
-- Guarded: only the tally as it was read ($9 tallies so far) is replaced; no row means it changed meanwhile.
UPDATE circulation.visit_days
SET member_visits = $3, non_member_visits = $4, by_category = $5::jsonb, by_gender = $6::jsonb, tallies = $7,
    updated_by = $8, updated_at = now()
WHERE library_code = $1 AND day = $2 AND tallies = $9
RETURNING tallies;

-- name: copy_facts
SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language
FROM circulation.copies WHERE barcode = $1;

-- name: insert_read
INSERT INTO circulation.onsite_reads (library_code, day, barcode, title_id, isbn13, title, ddc_class, audience,
                                      category, language, recorded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id, recorded_at;

-- name: insert_activity
INSERT INTO circulation.activities (library_code, day, title, kind, participants, partner, by_category,
                                    by_gender, recorded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)
RETURNING id, recorded_at;
