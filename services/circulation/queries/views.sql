-- The read side: loans, overdue lists and hold queues for the desk. Columns are named as the answers name them.

-- name: member_by_number
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on
FROM circulation.members WHERE member_number = :member_number;

-- name: members_of_library
SELECT id, member_number, library_code, name, birth_year, gender, disability, contact, status, suspended_reason,
       registered_on, expires_on, count(*) OVER () AS total
FROM circulation.members
WHERE library_code = :library
  AND (:search::text IS NULL OR lower(name) LIKE '%' || lower(:search) || '%' OR member_number = :search)
ORDER BY lower(name), id
LIMIT :limit OFFSET :offset;

-- name: loans
SELECT l.id AS loan_id, l.barcode AS item_barcode, c.title, c.call_number, m.member_number,
       l.library_code AS library, l.loaned_at, l.due_date, l.renewals, l.status, l.closed_at, l.closed_reason,
       l.late_days, l.fine
FROM circulation.loans l
JOIN circulation.copies c ON c.barcode = l.barcode
JOIN circulation.members m ON m.id = l.member_id
WHERE (:loan_id::bigint IS NULL OR l.id = :loan_id) AND (:member_id::bigint IS NULL OR l.member_id = :member_id)
  AND (:status::text IS NULL OR l.status = :status)
ORDER BY l.loaned_at DESC, l.id DESC
LIMIT :limit;

-- name: overdue
SELECT l.id AS loan_id, l.barcode AS item_barcode, c.title, c.call_number, l.due_date,
       :today::date - l.due_date AS days_overdue, m.member_number,
       -- a member of another library (lending across a kabupaten): their details stay with their library
       CASE WHEN m.library_code = l.library_code THEN m.name END AS name,
       CASE WHEN m.library_code = l.library_code THEN m.contact END AS contact
FROM circulation.loans l
JOIN circulation.copies c ON c.barcode = l.barcode
JOIN circulation.members m ON m.id = l.member_id
WHERE l.library_code = :library AND l.status = 'open' AND l.due_date < :today
ORDER BY l.due_date, l.id;

-- name: holds_of_library
SELECT h.id AS hold_id, h.library_code AS library, h.isbn13, h.title, m.member_number, m.name AS member_name,
       h.status, h.placed_at, h.barcode AS item_barcode, h.pickup_by,
       CASE WHEN h.status = 'open-not-yet-filled' THEN
           (SELECT count(*) FROM circulation.holds q
            WHERE q.library_code = h.library_code AND q.isbn13 = h.isbn13 AND q.status = 'open-not-yet-filled'
              AND (q.placed_at, q.id) <= (h.placed_at, h.id))
       END AS position
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE (:library::text IS NULL OR h.library_code = :library) AND (:status::text IS NULL OR h.status = :status)
  AND (:member_id::bigint IS NULL OR h.member_id = :member_id)
ORDER BY h.isbn13, h.placed_at, h.id;

-- name: copy_state
SELECT c.barcode, c.library_code AS library, c.title, c.call_number, c.isbn13, c.status, c.catalog_status,
       c.seen_at, l.id AS loan_id, l.due_date, h.id AS hold_id, h.pickup_by
FROM circulation.copies c
LEFT JOIN circulation.loans l ON l.barcode = c.barcode AND l.status = 'open'
LEFT JOIN circulation.holds h ON h.barcode = c.barcode AND h.status = 'open-awaiting-pickup'
WHERE c.barcode = :barcode;
