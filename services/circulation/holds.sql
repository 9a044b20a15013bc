-- name: next_hold
-- The first member in the queue for a title at a library; a hold another transaction is filling is skipped.
SELECT h.id, h.member_id, m.member_number, m.name, m.birth_year, m.gender, m.disability,
       m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.library_code = $1 AND h.isbn13 = $2 AND h.status = 'open-not-yet-filled'
ORDER BY h.placed_at, h.id
LIMIT 1
FOR UPDATE OF h SKIP LOCKED;

-- name: trap_hold
UPDATE circulation.holds SET status = 'open-awaiting-pickup', barcode = $2, awaiting_since = now(), pickup_by = $3
WHERE id = $1 AND status = 'open-not-yet-filled';

-- name: set_copy_status
-- Circulation's status of a copy, and the catalogue's (through the outbox), in one statement.
WITH copy AS (UPDATE circulation.copies SET status = $2 WHERE barcode = $1)
INSERT INTO circulation.catalog_outbox (barcode, status) VALUES ($1, $3);

-- name: copies_of_title_for_update
SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language, status
FROM circulation.copies WHERE library_code = $1 AND isbn13 = $2
ORDER BY barcode
FOR UPDATE;

-- name: title_on_loan_to
SELECT EXISTS (SELECT 1 FROM circulation.loans l JOIN circulation.copies c ON c.barcode = l.barcode
               WHERE l.member_id = $1 AND l.status = 'open' AND c.library_code = $2 AND c.isbn13 = $3);

-- name: insert_hold
INSERT INTO circulation.holds (library_code, isbn13, title_id, title, ddc_class, audience, category, language,
                               member_id, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id, placed_at;

-- name: queue_position
SELECT count(*) FROM circulation.holds
WHERE library_code = $1 AND isbn13 = $2 AND status = 'open-not-yet-filled' AND (placed_at, id) <= ($3, $4);

-- name: hold
SELECT h.id, h.library_code, h.isbn13, h.title_id, h.title, h.ddc_class, h.audience, h.category, h.language,
       h.member_id, h.status, h.placed_at, h.barcode, h.pickup_by, m.member_number, m.name, m.birth_year,
       m.gender, m.disability, m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.id = $1;

-- name: hold_for_update
SELECT h.id, h.library_code, h.isbn13, h.title_id, h.title, h.ddc_class, h.audience, h.category, h.language,
       h.member_id, h.status, h.placed_at, h.barcode, h.pickup_by, m.member_number, m.name, m.birth_year,
       m.gender, m.disability, m.library_code AS member_library
FROM circulation.holds h JOIN circulation.members m ON m.id = h.member_id
WHERE h.id = $1
FOR UPDATE OF h;

-- name: close_hold
-- Only an open hold closes; no row back means another transaction closed it first.
UPDATE circulation.holds SET status = $2, closed_at = now()
WHERE id = $1 AND status IN ('open-not-yet-filled', 'open-awaiting-pickup')
RETURNING id;

-- name: untrap_hold
-- The copy on the hold shelf was lost: the member goes back to waiting, at their place in the queue.
UPDATE circulation.holds SET status = 'open-not-yet-filled', barcode = NULL, awaiting_since = NULL,
    pickup_by = NULL
WHERE barcode = $1 AND status = 'open-awaiting-pickup'
RETURNING id;

-- name: expired_pickups
SELECT id, barcode FROM circulation.holds
WHERE status = 'open-awaiting-pickup' AND pickup_by < $1
ORDER BY barcode;

-- name: copy_for_update
SELECT c.barcode, c.library_code, c.title_id, c.isbn13, c.title, c.call_number, c.ddc_class, c.audience,
       c.category, c.language, c.status, h.member_id AS held_for
FROM circulation.copies c
LEFT JOIN circulation.holds h ON h.barcode = c.barcode AND h.status = 'open-awaiting-pickup'
WHERE c.barcode = $1
FOR UPDATE OF c;
