-- A copy's way back to the shelf or to the hold shelf, shared by lending, holds and a copy's condition: the
-- copy locked, its status set (here and, through the outbox, in the catalogue), the queue's first member.

-- name: copy_for_update
SELECT c.barcode, c.library_code, c.title_id, c.isbn13, c.title, c.call_number, c.ddc_class, c.audience,
       c.category, c.language, c.status, h.member_id AS held_for
FROM circulation.copies c
LEFT JOIN circulation.holds h ON h.barcode = c.barcode AND h.status = 'open-awaiting-pickup'
WHERE c.barcode = :barcode
FOR UPDATE OF c;

-- name: set_copy_status
-- Circulation's status of a copy, and the catalogue's (through the outbox), in one statement.
WITH copy AS (UPDATE circulation.copies SET status = :status WHERE barcode = :barcode)
INSERT INTO circulation.catalog_outbox (barcode, status) VALUES (:barcode, :catalog_status);

-- name: next_hold
-- The first member in the queue for a title at a library; a hold another transaction is filling is skipped.
SELECT h.id, h.member_id, m.member_number, m.name, m.birth_year, m.gender, m.disability,
       m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.library_code = :library AND h.isbn13 = :isbn13 AND h.status = 'open-not-yet-filled'
ORDER BY h.placed_at, h.id
LIMIT 1
FOR UPDATE OF h SKIP LOCKED;

-- name: trap_hold
UPDATE circulation.holds SET status = 'open-awaiting-pickup', barcode = :barcode, awaiting_since = now(),
    pickup_by = :pickup_by
WHERE id = :hold_id AND status = 'open-not-yet-filled';

-- name: untrap_hold
-- The copy on the hold shelf was lost: the member goes back to waiting, at their place in the queue.
UPDATE circulation.holds SET status = 'open-not-yet-filled', barcode = NULL, awaiting_since = NULL,
    pickup_by = NULL
WHERE barcode = :barcode AND status = 'open-awaiting-pickup'
RETURNING id;
