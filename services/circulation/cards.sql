-- name: members_for_cards
-- The members named (in the order asked), or every active member of the library when none is named.
SELECT m.member_number, m.name, m.library_code, m.expires_on
FROM circulation.members m
LEFT JOIN unnest($2::text[]) WITH ORDINALITY AS w(number, n) ON w.number = m.member_number
WHERE CASE WHEN $2::text[] IS NULL THEN m.library_code = $1 AND m.status = 'active'
           ELSE w.number IS NOT NULL END
ORDER BY w.n, lower(m.name), m.id
LIMIT $3;

-- name: library_name
SELECT name FROM circulation.stats_libraries WHERE code = $1;
