-- name: copies_replica
-- Every seeded copy in circulation's replica, as the desk would have seen it over the years.
INSERT INTO circulation.copies (barcode, library_code, title_id, isbn13, local_code, title, call_number, status,
                                catalog_status)
SELECT i.barcode, i.library_code, t.id, t.isbn13, t.local_code, t.title, i.call_number, 'available', 'available'
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id
ON CONFLICT DO NOTHING;

-- name: members
-- $1 members per library (the number's check digit is not needed: these members only fill the history).
INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, registered_on, expires_on,
                                 created_by)
SELECT replace(split_part(l.code, '-', 1), '.', '') || CASE WHEN l.code LIKE '%-TBM%' THEN 'T' || split_part(l.code, 'TBM', 2) ELSE '' END
       || '-9' || lpad(g::text, 5, '0'),
       l.code, 'Anggota Simulasi ' || g, 1950 + g % 65, CASE WHEN g % 2 = 0 THEN 'L' ELSE 'P' END,
       date '2020-01-01', date '2030-01-01', 'bench'
FROM catalog.libraries l CROSS JOIN generate_series(1, $1) g;

-- name: loans
-- $1 returned loans spread over five years, each a copy of a library lent to a member of that library.
WITH c AS (SELECT barcode, library_code, row_number() OVER (ORDER BY barcode) AS n FROM circulation.copies),
     nc AS (SELECT count(*) AS total FROM c),
     m AS (SELECT id, library_code, row_number() OVER (PARTITION BY library_code ORDER BY id) AS n,
                  count(*) OVER (PARTITION BY library_code) AS total FROM circulation.members)
INSERT INTO circulation.loans (barcode, library_code, member_id, status, loaned_at, due_date, closed_at, closed_reason,
                               late_days, created_by)
SELECT c.barcode, c.library_code, m.id, 'closed', t.at, (t.at + interval '14 days')::date,
       t.at + make_interval(days => (3 + g % 20)::int), 'returned', greatest(0, g % 20 - 11), 'bench'
FROM generate_series(1::bigint, $1::bigint) g
CROSS JOIN nc
JOIN c ON c.n = 1 + (g * 7919) % nc.total
JOIN m ON m.library_code = c.library_code AND m.n = 1 + g % m.total
CROSS JOIN LATERAL (SELECT timestamptz '2021-01-01 09:00+07' + make_interval(mins => ((g * 3) % (5 * 365 * 24 * 60))::int) AS at) t;
