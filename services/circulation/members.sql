-- name: next_member_numbers
-- Reserve `$2` numbers of a library's sequence; the row lock orders concurrent registrations.
INSERT INTO circulation.member_counters AS c (library_code, last_number) VALUES ($1, $2)
ON CONFLICT (library_code) DO UPDATE SET last_number = c.last_number + $2
RETURNING last_number;

-- name: insert_member
INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, disability, contact,
                                 registered_on, expires_on, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id, member_number, library_code, name, birth_year, gender, disability, contact, status,
          suspended_reason, registered_on, expires_on;

-- name: insert_members
INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, disability, contact,
                                 registered_on, expires_on, created_by)
SELECT m.member_number, $1, m.name, m.birth_year, m.gender, m.disability, m.contact, $2, $3, $4
FROM unnest($5::text[], $6::text[], $7::smallint[], $8::text[], $9::boolean[], $10::text[])
     WITH ORDINALITY AS m(member_number, name, birth_year, gender, disability, contact, n)
ORDER BY m.n
RETURNING id, member_number, birth_year, gender, disability;

-- name: member_for_update
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on
FROM circulation.members WHERE member_number = $1 FOR UPDATE;

-- name: update_member
UPDATE circulation.members SET name = $2, birth_year = $3, gender = $4, disability = $5, contact = $6,
    status = $7, suspended_reason = $8, expires_on = $9, updated_at = now()
WHERE id = $1
RETURNING id, member_number, library_code, name, birth_year, gender, disability, contact, status,
          suspended_reason, registered_on, expires_on;
