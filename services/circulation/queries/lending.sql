-- name: checkout_facts
-- Everything a check-out decides on, in one round trip: the copy and the member (both locked: the copy first,
-- the order every use case locks in; the member's scan waits for the copy through the InitPlan), the
-- member's open and overdue loans, the library's policies and calendar. No row: the copy is not in the replica.
WITH copy AS (
    SELECT barcode, library_code, isbn13, title, call_number, status FROM circulation.copies
    WHERE barcode = :barcode FOR UPDATE
), member AS (
    SELECT id, name, library_code, birth_year, gender, disability, status, expires_on FROM circulation.members
    WHERE member_number = :member_number AND (SELECT count(*) FROM copy) >= 0 FOR UPDATE
)
SELECT copy.barcode, copy.library_code, copy.isbn13, copy.title, copy.call_number, copy.status,
       (SELECT h.member_id FROM circulation.holds h
        WHERE h.barcode = copy.barcode AND h.status = 'open-awaiting-pickup') AS held_for,
       open_loan.member_id AS loan_member, open_loan.due_date AS loan_due,
       member.id AS member_id, member.name AS member_name, member.library_code AS member_library,
       member.birth_year, member.gender,
       member.disability, member.status AS member_status, member.expires_on,
       (SELECT count(*) FROM circulation.loans l WHERE l.member_id = member.id AND l.status = 'open') AS open_loans,
       EXISTS (SELECT 1 FROM circulation.loans l
               WHERE l.member_id = member.id AND l.status = 'open' AND l.due_date < :today) AS has_overdue,
       (SELECT json_agg(p) FROM circulation.loan_policies p WHERE p.library_code = copy.library_code) AS policies,
       (SELECT closed_weekdays FROM circulation.library_calendars WHERE library_code = copy.library_code)
           AS closed_weekdays,
       ARRAY(SELECT d.closed_on FROM circulation.closed_dates d
             WHERE d.library_code = copy.library_code AND d.closed_on >= :today ORDER BY d.closed_on) AS closed_dates,
       COALESCE((SELECT s.lend_to_whole_kabupaten FROM circulation.kabupaten_settings s
                 WHERE s.kabupaten = left(copy.library_code, 5)), false) AS whole_kabupaten
FROM copy LEFT JOIN member ON true
LEFT JOIN circulation.loans open_loan ON open_loan.barcode = copy.barcode AND open_loan.status = 'open';

-- name: lend
-- The loan, the copy's status, the catalogue's outbox, the member's own hold on the title (filled), and
-- the journal (event + audit), in one statement.
WITH loan AS (
    INSERT INTO circulation.loans (barcode, library_code, member_id, due_date, created_by)
    VALUES (:barcode, :library, :member_id, :due_date, :actor)
    RETURNING id, loaned_at
), copy AS (
    UPDATE circulation.copies SET status = 'on_loan' WHERE barcode = :barcode
    RETURNING title_id, isbn13, ddc_class, audience, category, language
), outbox AS (
    INSERT INTO circulation.catalog_outbox (barcode, status) VALUES (:barcode, 'on_loan')
), filled AS (
    UPDATE circulation.holds h SET status = 'closed-filled', closed_at = now()
    FROM copy
    WHERE h.member_id = :member_id AND h.library_code = :library AND h.isbn13 = copy.isbn13
      AND h.status IN ('open-not-yet-filled', 'open-awaiting-pickup')
    RETURNING h.id, h.barcode
), event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library, loan_id, barcode, title_id, isbn13,
                                    ddc_class, audience, category, language, due_date)
    SELECT 'checked_out', :actor, :library, :member_id, :member_category, m.gender, m.disability, m.library_code,
           loan.id, :barcode, copy.title_id, copy.isbn13, copy.ddc_class, copy.audience, copy.category,
           copy.language, :due_date
    FROM loan, copy, circulation.members m WHERE m.id = :member_id
), audit AS (
    INSERT INTO circulation.audit_log (actor, action, library_code, target)
    SELECT :actor, 'checked_out', :library, 'loan:' || loan.id FROM loan
)
SELECT loan.id, loan.loaned_at, filled.id AS hold_id, filled.barcode AS hold_barcode
FROM loan LEFT JOIN filled ON true;

-- name: return_facts
-- Everything a check-in decides on, in one round trip: the copy (locked), its open loan and borrower, the
-- library's policies, and whether someone waits for the title. No row: the copy is not in the replica.
WITH copy AS (
    SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language, status
    FROM circulation.copies WHERE barcode = :barcode FOR UPDATE
)
SELECT copy.*, l.id AS loan_id, l.due_date, l.member_id, m.member_number, m.name AS member_name, m.birth_year,
       m.gender, m.disability,
       m.library_code AS member_library,
       (SELECT json_agg(p) FROM circulation.loan_policies p WHERE p.library_code = copy.library_code) AS policies,
       EXISTS (SELECT 1 FROM circulation.holds h WHERE h.library_code = copy.library_code
               AND h.isbn13 = copy.isbn13 AND h.status = 'open-not-yet-filled') AS hold_waiting
FROM copy
LEFT JOIN circulation.loans l ON l.barcode = copy.barcode AND l.status = 'open'
LEFT JOIN circulation.members m ON m.id = l.member_id;

-- name: give_back
-- Close the loan and journal it; when nobody waits for the title the copy goes back on the shelf here too.
-- Only an open loan closes: a desk that read the loan before another desk's return committed closes
-- nothing, writes nothing and gets no row back (the facts query's join reads the statement's snapshot).
WITH closed AS (
    UPDATE circulation.loans SET status = 'closed', closed_at = now(), closed_reason = 'returned',
        late_days = :late_days, fine = :fine
    WHERE id = :loan_id AND status = 'open'
    RETURNING closed_at, member_id, due_date
), shelved AS (
    UPDATE circulation.copies SET status = 'available'
    WHERE barcode = :barcode AND :shelve::boolean AND EXISTS (SELECT 1 FROM closed)
), outbox AS (
    INSERT INTO circulation.catalog_outbox (barcode, status)
    SELECT :barcode, 'available' FROM closed WHERE :shelve::boolean
), event AS (
    INSERT INTO circulation.events (type, actor, library_code, member_id, member_category, member_gender,
                                    member_disability, member_library, loan_id, barcode, title_id, isbn13,
                                    ddc_class, audience, category, language, due_date, late_days, detail)
    SELECT 'checked_in', :actor, c.library_code, closed.member_id, :member_category, m.gender, m.disability,
           m.library_code, :loan_id, :barcode,
           c.title_id, c.isbn13, c.ddc_class, c.audience, c.category, c.language, closed.due_date, :late_days,
           jsonb_build_object('fine', :fine::integer)
    FROM closed, circulation.copies c, circulation.members m WHERE c.barcode = :barcode AND m.id = closed.member_id
), audit AS (
    INSERT INTO circulation.audit_log (actor, action, library_code, target)
    SELECT :actor, 'checked_in', c.library_code, 'loan:' || :loan_id
    FROM closed, circulation.copies c WHERE c.barcode = :barcode
)
SELECT closed_at FROM closed;

-- name: loan_for_return
SELECT c.barcode, c.library_code, c.title_id, c.isbn13, c.title, c.ddc_class, c.audience, c.category,
       c.language, c.status, l.id AS loan_id, l.due_date, l.member_id, m.member_number, m.name AS member_name,
       m.birth_year, m.gender, m.disability, m.library_code AS member_library
FROM circulation.copies c
LEFT JOIN circulation.loans l ON l.barcode = c.barcode AND l.status = 'open'
LEFT JOIN circulation.members m ON m.id = l.member_id
WHERE c.barcode = :barcode
FOR UPDATE OF c;

-- name: close_loan
UPDATE circulation.loans SET status = 'closed', closed_at = now(), closed_reason = :reason, late_days = :late_days,
    fine = :fine
WHERE id = :loan_id AND status = 'open'
RETURNING closed_at;

-- name: loan_for_renewal
SELECT l.id, l.status, l.due_date, l.renewals, l.barcode, l.library_code, c.title_id, c.isbn13, c.title,
       c.ddc_class, c.audience, c.category, c.language, m.id AS member_id, m.member_number, m.name AS member_name,
       m.birth_year,
       m.gender, m.disability, m.status AS member_status, m.expires_on, m.library_code AS member_library,
       EXISTS (SELECT 1 FROM circulation.holds h
               WHERE h.library_code = l.library_code AND h.isbn13 = c.isbn13
                 AND h.status = 'open-not-yet-filled') AS hold_waiting
FROM circulation.loans l
JOIN circulation.copies c ON c.barcode = l.barcode
JOIN circulation.members m ON m.id = l.member_id
WHERE l.id = :loan_id
FOR UPDATE OF l;

-- name: renew_loan
-- Guarded like every state change: only an open loan with the renewals it was judged on is renewed.
UPDATE circulation.loans SET due_date = :due_date, renewals = renewals + 1
WHERE id = :loan_id AND status = 'open' AND renewals = :renewals
RETURNING renewals;

-- name: open_loan_of_copy
-- The open loan of a copy (renewal by barcode), or the copy's status when it has none.
SELECT c.status, l.id AS loan_id
FROM circulation.copies c LEFT JOIN circulation.loans l ON l.barcode = c.barcode AND l.status = 'open'
WHERE c.barcode = :barcode;
