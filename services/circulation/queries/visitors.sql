-- name: visit_days
SELECT day, member_visits, non_member_visits, by_category::text, by_gender::text, tallies, updated_by, updated_at
FROM circulation.visit_days
WHERE library_code = :library AND day BETWEEN :first AND :last
ORDER BY day DESC;

-- name: member_facts
SELECT birth_year, gender FROM circulation.members WHERE member_number = :member_number;

-- name: reads_of_day
SELECT id, day, barcode, isbn13, title, recorded_by, recorded_at
FROM circulation.onsite_reads WHERE library_code = :library AND day = :day
ORDER BY recorded_at DESC, id DESC
LIMIT 500;

-- name: activities_between
SELECT id, day, title, kind, participants, partner, by_category::text, by_gender::text, recorded_by
FROM circulation.activities WHERE library_code = :library AND day BETWEEN :first AND :last
ORDER BY day DESC, id DESC
LIMIT 500;
