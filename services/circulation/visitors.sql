-- name: visit_days
SELECT day, member_visits, non_member_visits, by_category, by_gender, tallies, updated_by, updated_at
FROM circulation.visit_days
WHERE library_code = $1 AND day BETWEEN $2 AND $3
ORDER BY day DESC;

-- name: member_facts
SELECT birth_year, gender FROM circulation.members WHERE member_number = $1;
