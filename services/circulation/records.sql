-- name: visit_day
SELECT member_visits, non_member_visits, by_category, by_gender, tallies
FROM circulation.visit_days WHERE library_code = $1 AND day = $2 FOR UPDATE;

-- name: save_visit_day
INSERT INTO circulation.visit_days AS v (library_code, day, member_visits, non_member_visits, by_category,
                                         by_gender, tallies, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, now())
ON CONFLICT (library_code, day) DO UPDATE
SET member_visits = excluded.member_visits, non_member_visits = excluded.non_member_visits,
    by_category = excluded.by_category, by_gender = excluded.by_gender, tallies = excluded.tallies,
    updated_by = excluded.updated_by, updated_at = now();

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
