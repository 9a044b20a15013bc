-- Holds: the queue for a title at a library, placed, cancelled and expired.

-- name: member_for_hold
-- The member placing a hold, locked as a check-out locks its borrower.
SELECT m.id, m.member_number, m.name, m.library_code, m.birth_year, m.gender, m.disability, m.status,
       m.expires_on
FROM circulation.members m WHERE m.member_number = :member_number
FOR UPDATE OF m;

-- name: copies_of_title_for_update
SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language, status
FROM circulation.copies WHERE library_code = :library AND isbn13 = :isbn13
ORDER BY barcode
FOR UPDATE;

-- name: title_on_loan_to
SELECT EXISTS (SELECT 1 FROM circulation.loans l JOIN circulation.copies c ON c.barcode = l.barcode
               WHERE l.member_id = :member_id AND l.status = 'open' AND c.library_code = :library
                 AND c.isbn13 = :isbn13);

-- name: insert_hold
INSERT INTO circulation.holds (library_code, isbn13, title_id, title, ddc_class, audience, category, language,
                               member_id, created_by)
VALUES (:library, :isbn13, :title_id, :title, :ddc_class, :audience, :category, :language, :member_id, :actor)
RETURNING id, placed_at;

-- name: queue_position
SELECT count(*) FROM circulation.holds
WHERE library_code = :library AND isbn13 = :isbn13 AND status = 'open-not-yet-filled'
  AND (placed_at, id) <= (:placed_at, :hold_id);

-- name: hold
SELECT h.id, h.library_code, h.isbn13, h.title_id, h.title, h.ddc_class, h.audience, h.category, h.language,
       h.member_id, h.status, h.placed_at, h.barcode, h.pickup_by, m.member_number, m.name, m.birth_year,
       m.gender, m.disability, m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.id = :hold_id;

-- name: hold_for_update
SELECT h.id, h.library_code, h.isbn13, h.title_id, h.title, h.ddc_class, h.audience, h.category, h.language,
       h.member_id, h.status, h.placed_at, h.barcode, h.pickup_by, m.member_number, m.name, m.birth_year,
       m.gender, m.disability, m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.id = :hold_id
FOR UPDATE OF h;

-- name: close_hold
-- Only an open hold closes; no row back means another transaction closed it first.
UPDATE circulation.holds SET status = :status, closed_at = now()
WHERE id = :hold_id AND status IN ('open-not-yet-filled', 'open-awaiting-pickup')
RETURNING id;

-- name: expired_pickups
SELECT id, barcode FROM circulation.holds
WHERE status = 'open-awaiting-pickup' AND pickup_by < :today
ORDER BY barcode;
