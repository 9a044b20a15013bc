-- name: next_member_numbers
-- Reserve `count` numbers of a library's sequence; the row lock orders concurrent registrations.
INSERT INTO circulation.member_counters AS c (library_code, last_number) VALUES (:library, :count)
ON CONFLICT (library_code) DO UPDATE SET last_number = c.last_number + :count
RETURNING last_number;

-- name: insert_member
INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, disability, contact,
                                 registered_on, expires_on, created_by)
VALUES (:member_number, :library, :name, :birth_year, :gender, :disability, :contact, :registered_on, :expires_on,
        :actor)
RETURNING id, member_number, library_code, name, birth_year, gender, disability, contact, status,
          suspended_reason, registered_on, expires_on;

-- name: insert_members
INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, disability, contact,
                                 registered_on, expires_on, created_by)
SELECT m.member_number, :library, m.name, m.birth_year, m.gender, m.disability, m.contact, :registered_on,
       :expires_on, :actor
FROM unnest(:member_numbers::text[], :names::text[], :birth_years::smallint[], :genders::text[],
            :disabilities::boolean[], :contacts::text[])
     WITH ORDINALITY AS m(member_number, name, birth_year, gender, disability, contact, n)
ORDER BY m.n
RETURNING id, member_number, birth_year, gender, disability;

-- name: member_for_update
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on
FROM circulation.members WHERE member_number = :member_number FOR UPDATE;

-- name: update_member
UPDATE circulation.members SET name = :name, birth_year = :birth_year, gender = :gender, disability = :disability,
    contact = :contact, status = :status, suspended_reason = :suspended_reason, expires_on = :expires_on,
    updated_at = now()
WHERE id = :id
RETURNING id, member_number, library_code, name, birth_year, gender, disability, contact, status,
          suspended_reason, registered_on, expires_on;
