-- name: visit_days
SELECT day, member_visits, non_member_visits, by_category, by_gender, tallies, updated_by, updated_at
FROM circulation.visit_days
WHERE library_code = $1 AND day BETWEEN $2 AND $3
ORDER BY day DESC;

-- name: member_facts
SELECT birth_year, gender FROM circulation.members WHERE member_number = $1;

-- name: reads_of_day
SELECT id, day, barcode, isbn13, title, recorded_by, recorded_at
FROM circulation.onsite_reads WHERE library_code = $1 AND day = $2
ORDER BY recorded_at DESC, id DESC
LIMIT 500;

-- name: activities_between
SELECT id, day, title, kind, participants, partner, by_category, by_gender, recorded_by
FROM circulation.activities WHERE library_code = $1 AND day BETWEEN $2 AND $3
ORDER BY day DESC, id DESC
LIMIT 500;
