-- The read side: loans, overdue lists and hold queues for the desk.

-- name: member_by_number
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on
FROM circulation.members WHERE member_number = $1;

-- name: members_of_library
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on, count(*) OVER () AS total
FROM circulation.members
WHERE library_code = $1 AND ($2::text IS NULL OR lower(name) LIKE '%' || lower($2) || '%' OR member_number = $2)
ORDER BY lower(name), id
LIMIT $3 OFFSET $4;

-- name: loans
SELECT l.id, l.barcode, c.title, c.call_number, m.member_number, l.library_code, l.loaned_at, l.due_date,
       l.renewals, l.status, l.closed_at, l.closed_reason, l.late_days, l.fine
FROM circulation.loans l
JOIN circulation.copies c ON c.barcode = l.barcode
JOIN circulation.members m ON m.id = l.member_id
WHERE ($1::bigint IS NULL OR l.id = $1) AND ($2::bigint IS NULL OR l.member_id = $2)
  AND ($3::text IS NULL OR l.status = $3)
ORDER BY l.loaned_at DESC, l.id DESC
LIMIT $4;

-- name: overdue
SELECT l.id, l.barcode, c.title, c.call_number, l.due_date, $2::date - l.due_date AS days_overdue,
       m.member_number,
       -- a member of another library (lending across a kabupaten): their details stay with their library
       CASE WHEN m.library_code = l.library_code THEN m.name END AS name,
       CASE WHEN m.library_code = l.library_code THEN m.contact END AS contact
FROM circulation.loans l
JOIN circulation.copies c ON c.barcode = l.barcode
JOIN circulation.members m ON m.id = l.member_id
WHERE l.library_code = $1 AND l.status = 'open' AND l.due_date < $2
ORDER BY l.due_date, l.id;

-- name: holds_of_library
SELECT h.id, h.library_code, h.isbn13, h.title, m.member_number, m.name, h.status, h.placed_at, h.barcode, h.pickup_by,
       CASE WHEN h.status = 'open-not-yet-filled' THEN
           (SELECT count(*) FROM circulation.holds q
            WHERE q.library_code = h.library_code AND q.isbn13 = h.isbn13 AND q.status = 'open-not-yet-filled'
              AND (q.placed_at, q.id) <= (h.placed_at, h.id))
       END AS position
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE ($1::text IS NULL OR h.library_code = $1) AND ($2::text IS NULL OR h.status = $2) AND ($3::bigint IS NULL OR h.member_id = $3)
ORDER BY h.isbn13, h.placed_at, h.id;

-- name: copy_state
SELECT c.barcode, c.library_code, c.title, c.call_number, c.isbn13, c.status, c.catalog_status, c.seen_at,
       l.id AS loan_id, l.due_date, h.id AS hold_id, h.pickup_by
FROM circulation.copies c
LEFT JOIN circulation.loans l ON l.barcode = c.barcode AND l.status = 'open'
LEFT JOIN circulation.holds h ON h.barcode = c.barcode AND h.status = 'open-awaiting-pickup'
WHERE c.barcode = $1;
