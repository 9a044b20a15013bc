-- name: sums
-- Additive counts of each group: whole months from the monthly rollup, other days from the daily one.
-- :dims lists the dimensions wanted ('' = totals); :by_library also splits them by library. LATERAL: each segment
-- is an index range scan, whatever the planner guesses of the unnest.
WITH seg AS (
    SELECT * FROM unnest(:groups::int[], :starts::date[], :ends::date[], :monthly::boolean[]) AS s(g, lo, hi, monthly)
), rows AS (
    SELECT s.g, r.*
    FROM seg s CROSS JOIN LATERAL (
        SELECT d.library_code, d.metric, d.dim, d.key, d.n FROM circulation.stats_daily d
        WHERE NOT s.monthly AND d.library_code = ANY(:libraries) AND d.dim = ANY(:dims) AND d.day BETWEEN s.lo AND s.hi
        UNION ALL
        SELECT m.library_code, m.metric, m.dim, m.key, m.n FROM circulation.stats_monthly m
        WHERE s.monthly AND m.library_code = ANY(:libraries) AND m.dim = ANY(:dims) AND m.month BETWEEN s.lo AND s.hi
    ) r
)
SELECT g, CASE WHEN :by_library AND dim = '' THEN library_code ELSE '' END AS library_code, metric, dim, key,
       sum(n)::bigint AS n
FROM rows GROUP BY 1, 2, 3, 4, 5;

-- name: borrowers
-- Distinct borrowers of each group in the :scopes; :split splits them by one fixed column ('' = no split,
-- 'scope' = by each of the :scopes). A whole year, month or a single day has one row per member: a plain
-- count. Other groups span several days, where a member may have a row each day: a distinct count.
WITH grp AS (  -- bpchar: the key's type
    SELECT * FROM unnest(:groups::int[], :kinds::bpchar[], :starts::date[], :ends::date[]) AS p(g, kind, lo, hi)
)
SELECT p.g, c.key, c.n FROM grp p CROSS JOIN LATERAL (
    SELECT CASE :split WHEN 'category' THEN x.category WHEN 'gender' THEN x.gender
                   WHEN 'scope' THEN x.scope_code ELSE '' END AS key, count(*) AS n
    FROM circulation.stats_borrowers x
    WHERE (p.kind <> 'd' OR p.lo = p.hi) AND x.kind = p.kind AND x.scope_code = ANY(:scopes)
      AND x.period BETWEEN p.lo AND p.hi
    GROUP BY 1
) c
UNION ALL
SELECT p.g, c.key, c.n FROM grp p CROSS JOIN LATERAL (
    SELECT CASE :split WHEN 'category' THEN x.category WHEN 'gender' THEN x.gender
                   WHEN 'scope' THEN x.scope_code ELSE '' END AS key, count(DISTINCT x.member_id) AS n
    FROM circulation.stats_borrowers x
    WHERE p.kind = 'd' AND p.lo < p.hi AND x.kind = p.kind AND x.scope_code = ANY(:scopes)
      AND x.period BETWEEN p.lo AND p.hi
    GROUP BY 1
) c;

-- name: not_yet_due
-- Open loans due today or later, by due day: neither late nor on time yet.
SELECT library_code, due_date, count(*) AS n FROM circulation.stats_loans
WHERE library_code = ANY(:libraries) AND NOT closed AND due_date BETWEEN :first_due AND :last_due
GROUP BY 1, 2;

-- name: titles_used
-- Per library, and for all of them (library_code NULL): each day a title was first lent up to :until, and
-- how many titles had been lent by the end of that day (a running count). One row per library.
SELECT library_code, array_agg(first_day ORDER BY first_day) AS days,
       array_agg(running ORDER BY first_day) AS running
FROM (
    SELECT library_code, first_day,
           (sum(count(*)) OVER (PARTITION BY library_code ORDER BY first_day))::bigint AS running
    FROM circulation.stats_titles_used
    WHERE library_code = ANY(:libraries) AND first_day <= :until
    GROUP BY GROUPING SETS ((library_code, first_day), (first_day))
) c
GROUP BY library_code;

-- name: members_valid
-- Members whose membership is valid on each group's last day; :split splits them by one fixed column
-- ('' = no split): library, category (their age that day) or gender.
WITH grp AS (SELECT * FROM unnest(:groups::int[], :ends::date[]) AS p(g, e))
SELECT p.g, CASE :split WHEN 'library' THEN m.library_code WHEN 'gender' THEN m.gender::text
                    WHEN 'category' THEN CASE
                        WHEN extract(year FROM p.e)::int - m.birth_year <= 12 THEN 'anak'
                        WHEN extract(year FROM p.e)::int - m.birth_year <= 17 THEN 'remaja'
                        WHEN extract(year FROM p.e)::int - m.birth_year <= 59 THEN 'dewasa' ELSE 'lansia' END
                    ELSE '' END AS key,
       count(*) AS n
FROM grp p JOIN circulation.members m
  ON m.library_code = ANY(:libraries) AND m.registered_on <= p.e AND m.expires_on >= p.e
GROUP BY 1, 2;

-- name: membership_changes
-- +n members on the day they registered, -n the day after their membership ends, up to :until, per key
-- (:split: '' = all, or library or gender): the members valid on a day are the running sum up to it.
SELECT key, day, sum(n)::bigint AS n FROM (
    SELECT CASE :split WHEN 'library' THEN library_code WHEN 'gender' THEN gender::text ELSE '' END AS key,
           registered_on AS day, 1 AS n
    FROM circulation.members WHERE library_code = ANY(:libraries) AND registered_on <= :until
    UNION ALL
    SELECT CASE :split WHEN 'library' THEN library_code WHEN 'gender' THEN gender::text ELSE '' END,
           expires_on + 1, -1
    FROM circulation.members WHERE library_code = ANY(:libraries) AND expires_on + 1 <= :until
) d GROUP BY 1, 2 ORDER BY 1, 2;

-- name: holdings
SELECT library_code, as_of, items, titles FROM circulation.stats_holdings
WHERE library_code = ANY(:libraries) ORDER BY library_code, as_of;

-- name: last_active
-- The last day each library lent a book or recorded visitors, up to a day.
SELECT library_code, max(day) AS last_day FROM circulation.stats_daily
WHERE library_code = ANY(:libraries) AND dim = '' AND metric IN ('loans', 'visits') AND n > 0 AND day <= :until
GROUP BY 1;

-- name: top_titles
-- The :top titles lent most in each group (whole months from the monthly table, other days from the daily).
WITH seg AS (
    SELECT * FROM unnest(:groups::int[], :starts::date[], :ends::date[], :monthly::boolean[]) AS s(g, lo, hi, monthly)
), counted AS (
    SELECT s.g, r.title_id, max(r.isbn13) AS isbn13, sum(r.loans)::bigint AS loans
    FROM seg s CROSS JOIN LATERAL (
        SELECT d.title_id, d.isbn13, d.loans FROM circulation.stats_title_daily d
        WHERE NOT s.monthly AND d.library_code = ANY(:libraries) AND d.day BETWEEN s.lo AND s.hi
        UNION ALL
        SELECT m.title_id, m.isbn13, m.loans FROM circulation.stats_title_monthly m
        WHERE s.monthly AND m.library_code = ANY(:libraries) AND m.month BETWEEN s.lo AND s.hi
    ) r
    GROUP BY 1, 2
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY g ORDER BY loans DESC, isbn13, title_id) AS rank FROM counted
)
SELECT g, title_id, isbn13, loans, rank FROM ranked WHERE rank <= :top ORDER BY g, rank;

-- name: title_names
-- Titles as the desk last saw them (the copy replica): statistics never ask the catalogue's tables.
SELECT DISTINCT ON (title_id) title_id, title FROM circulation.copies
WHERE title_id = ANY(:title_ids) ORDER BY title_id, seen_at DESC;

-- name: used_titles
-- Titles (ISBN-13 or local code) a library lent at least once up to a day, by the copy replica.
SELECT DISTINCT coalesce(c.isbn13, c.local_code) AS code
FROM circulation.stats_titles_used u JOIN circulation.copies c
  ON c.title_id = u.title_id AND c.library_code = u.library_code
WHERE u.library_code = :library AND u.first_day <= :until;
