-- name: member_for_card
SELECT member_number, name, library_code, expires_on FROM circulation.members WHERE member_number = :number;

-- name: members_for_cards
-- The members named (in the order asked), or every active member of the library when none is named.
SELECT m.member_number, m.name, m.library_code, m.expires_on
FROM circulation.members m
LEFT JOIN unnest(:numbers::text[]) WITH ORDINALITY AS w(number, n) ON w.number = m.member_number
WHERE CASE WHEN :numbers::text[] IS NULL THEN m.library_code = :library AND m.status = 'active'
           ELSE w.number IS NOT NULL END
ORDER BY w.n, lower(m.name), m.id
LIMIT :max_cards;
