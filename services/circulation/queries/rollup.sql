-- name: lock_watermark
-- One drain at a time.
SELECT last_id FROM circulation.stats_watermark WHERE id = 1 FOR UPDATE;

-- name: watermark
SELECT last_id FROM circulation.stats_watermark WHERE id = 1;

-- name: create_watermark
INSERT INTO circulation.stats_watermark (id, last_id) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- name: newer
-- Whether events above the id :after exist (max(id) is one step down the primary key, whatever plan a
-- prepared statement settles on)
SELECT coalesce(max(id), 0) > :after FROM circulation.events;

-- name: wait_for_writers
-- Every transaction that inserted events and still runs holds the shared lock: wait for them, then the
-- highest id is a safe watermark.
SELECT pg_advisory_lock(1398030676);

-- name: release_writers
SELECT pg_advisory_unlock(1398030676);

-- name: highest
SELECT coalesce(max(id), 0) FROM circulation.events;

-- name: stage_batch
CREATE TEMP TABLE stats_batch ON COMMIT DROP AS
SELECT e.*, coalesce((e.detail->>'date')::date, (e.at AT TIME ZONE 'Asia/Jakarta')::date) AS day
FROM circulation.events e
WHERE e.id > :low AND e.id <= :high;

-- name: stage_delta
-- The additive counts of the batch: one row per library, day, metric and breakdown key.
CREATE TEMP TABLE stats_delta ON COMMIT DROP AS
SELECT b.library_code, x.dim, b.day, x.metric, x.key, x.n::bigint AS n
FROM stats_batch b
CROSS JOIN LATERAL (
    SELECT m.metric, v.dim, v.key, 1 AS n
    FROM (VALUES (CASE b.type WHEN 'checked_out' THEN 'loans' WHEN 'renewed' THEN 'renewals'
                              WHEN 'checked_in' THEN 'returns' WHEN 'read_onsite' THEN 'reads_onsite' END)) m(metric),
         (VALUES ('', ''), ('category', b.member_category), ('gender', b.member_gender::text),
                 ('disability', CASE b.member_disability WHEN true THEN 'ya' WHEN false THEN 'tidak' END),
                 ('ddc_class', b.ddc_class), ('audience', b.audience), ('title_category', b.category),
                 ('language', b.language)) v(dim, key)
    WHERE m.metric IS NOT NULL AND v.key IS NOT NULL
    UNION ALL
    SELECT 'new_members', v.dim, v.key, 1
    FROM (VALUES ('', ''), ('category', b.member_category), ('gender', b.member_gender::text),
                 ('disability', CASE b.member_disability WHEN true THEN 'ya' WHEN false THEN 'tidak' END)) v(dim, key)
    WHERE b.type = 'member_registered' AND v.key IS NOT NULL
    UNION ALL
    SELECT v.metric, '', '', v.n
    FROM (VALUES ('visits', (b.detail->>'member_visits')::int + (b.detail->>'non_member_visits')::int),
                 ('member_visits', (b.detail->>'member_visits')::int),
                 ('non_member_visits', (b.detail->>'non_member_visits')::int)) v(metric, n)
    WHERE b.type = 'visits_recorded'
    UNION ALL
    SELECT 'activities', '', '', 1 WHERE b.type = 'activity_held'
    UNION ALL
    SELECT 'activity_participants', '', '', (b.detail->>'participants')::int WHERE b.type = 'activity_held'
    UNION ALL
    SELECT CASE b.type WHEN 'visits_recorded' THEN 'visits' ELSE 'activity_participants' END,
           'category', kv.key, kv.value::int
    FROM jsonb_each_text(CASE WHEN b.type IN ('visits_recorded', 'activity_held')
                              THEN coalesce(b.detail->'by_category', '{}') ELSE '{}' END) kv
    UNION ALL
    SELECT CASE b.type WHEN 'visits_recorded' THEN 'visits' ELSE 'activity_participants' END,
           'gender', kv.key, kv.value::int
    FROM jsonb_each_text(CASE WHEN b.type IN ('visits_recorded', 'activity_held')
                              THEN coalesce(b.detail->'by_gender', '{}') ELSE '{}' END) kv
    UNION ALL
    SELECT 'simulated_events', '', '', 1 WHERE b.simulated
) x;

-- name: stage_loans
-- Each loan the batch touched: its latest due date and how it closed, merged with what was known.
CREATE TEMP TABLE stats_touched ON COMMIT DROP AS
WITH due AS (
    SELECT DISTINCT ON (loan_id) loan_id, library_code, due_date
    FROM stats_batch WHERE type IN ('checked_out', 'renewed') AND loan_id IS NOT NULL AND due_date IS NOT NULL
    ORDER BY loan_id, id DESC
), closing AS (
    SELECT DISTINCT ON (loan_id) loan_id, library_code, due_date, type, day,
           coalesce(late_days, greatest(0, day - due_date)) AS late_days
    FROM stats_batch WHERE type IN ('checked_in', 'item_lost') AND loan_id IS NOT NULL
    ORDER BY loan_id, id DESC
)
SELECT coalesce(d.loan_id, c.loan_id) AS loan_id,
       coalesce(d.library_code, c.library_code) AS library_code,
       coalesce(d.due_date, s.due_date, c.due_date) AS due_date,
       coalesce(s.closed, false) OR c.loan_id IS NOT NULL AS closed,
       CASE WHEN c.loan_id IS NOT NULL THEN c.type = 'checked_in' AND c.late_days = 0
            ELSE coalesce(s.on_time, false) END AS on_time,
       s.loan_id IS NOT NULL AS known, s.due_date AS old_due, coalesce(s.on_time, false) AS old_on_time
FROM due d FULL JOIN closing c ON c.loan_id = d.loan_id
LEFT JOIN circulation.stats_loans s ON s.loan_id = coalesce(d.loan_id, c.loan_id);

-- name: delta_loans
-- Loans due per due day, and those returned on time: take the old contribution out, put the new one in.
INSERT INTO stats_delta (library_code, dim, day, metric, key, n)
SELECT library_code, '', old_due, 'loans_due', '', -1 FROM stats_touched WHERE known AND old_due IS NOT NULL
UNION ALL
SELECT library_code, '', old_due, 'loans_due_on_time', '', -1
FROM stats_touched WHERE known AND old_due IS NOT NULL AND old_on_time
UNION ALL
SELECT library_code, '', due_date, 'loans_due', '', 1 FROM stats_touched WHERE due_date IS NOT NULL
UNION ALL
SELECT library_code, '', due_date, 'loans_due_on_time', '', 1
FROM stats_touched WHERE due_date IS NOT NULL AND closed AND on_time;

-- name: upsert_loans
INSERT INTO circulation.stats_loans AS s (loan_id, library_code, due_date, closed, on_time)
SELECT loan_id, library_code, due_date, closed, on_time FROM stats_touched
ON CONFLICT (loan_id) DO UPDATE
SET due_date = excluded.due_date, closed = excluded.closed, on_time = excluded.on_time;

-- name: fold_daily
INSERT INTO circulation.stats_daily AS d (library_code, dim, day, metric, key, n)
SELECT library_code, dim, day, metric, key, sum(n) FROM stats_delta GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (library_code, dim, day, metric, key) DO UPDATE SET n = d.n + excluded.n;

-- name: fold_monthly
INSERT INTO circulation.stats_monthly AS d (library_code, dim, month, metric, key, n)
SELECT library_code, dim, date_trunc('month', day)::date, metric, key, sum(n) FROM stats_delta
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (library_code, dim, month, metric, key) DO UPDATE SET n = d.n + excluded.n;

-- name: fold_borrowers
INSERT INTO circulation.stats_borrowers (kind, scope_code, period, member_id, category, gender)
SELECT DISTINCT ON (k.kind, s.code, k.period, b.member_id)
       k.kind, s.code, k.period, b.member_id, b.member_category, b.member_gender
FROM stats_batch b
CROSS JOIN LATERAL (VALUES ('d', b.day), ('m', date_trunc('month', b.day)::date),
                           ('y', date_trunc('year', b.day)::date)) k(kind, period)
CROSS JOIN LATERAL (VALUES (b.library_code), (left(b.library_code, 8)), (left(b.library_code, 5))) s(code)
WHERE b.type = 'checked_out' AND b.member_id IS NOT NULL
  AND circulation.stats_period_end(k.kind, k.period) >= coalesce(
      (SELECT sealed_before FROM circulation.stats_watermark WHERE id = 1), '-infinity'::date)
ORDER BY k.kind, s.code, k.period, b.member_id, b.id
ON CONFLICT DO NOTHING;

-- name: fold_titles_used
INSERT INTO circulation.stats_titles_used AS t (library_code, title_id, first_day)
SELECT library_code, title_id, min(day) FROM stats_batch
WHERE type = 'checked_out' AND title_id IS NOT NULL GROUP BY 1, 2
ON CONFLICT (library_code, title_id) DO UPDATE SET first_day = least(t.first_day, excluded.first_day);

-- name: fold_title_daily
INSERT INTO circulation.stats_title_daily AS t (library_code, day, title_id, isbn13, loans)
SELECT library_code, day, title_id, max(isbn13), count(*) FROM stats_batch
WHERE type = 'checked_out' AND title_id IS NOT NULL GROUP BY 1, 2, 3
ON CONFLICT (library_code, day, title_id) DO UPDATE SET loans = t.loans + excluded.loans;

-- name: fold_title_monthly
INSERT INTO circulation.stats_title_monthly AS t (library_code, month, title_id, isbn13, loans)
SELECT library_code, date_trunc('month', day)::date, title_id, max(isbn13), count(*) FROM stats_batch
WHERE type = 'checked_out' AND title_id IS NOT NULL GROUP BY 1, 2, 3
ON CONFLICT (library_code, month, title_id) DO UPDATE SET loans = t.loans + excluded.loans;

-- name: advance
UPDATE circulation.stats_watermark SET last_id = :last_id, folded = folded + :folded, folded_at = now() WHERE id = 1;

-- name: clear
-- Borrower rows of sealed (anonymised) periods stay: their members cannot be told apart any more.
TRUNCATE circulation.stats_daily, circulation.stats_monthly, circulation.stats_loans, circulation.stats_titles_used,
         circulation.stats_title_daily, circulation.stats_title_monthly;
DELETE FROM circulation.stats_borrowers
WHERE circulation.stats_period_end(kind, period) >= coalesce(
    (SELECT sealed_before FROM circulation.stats_watermark WHERE id = 1), '-infinity'::date);

-- name: reset_watermark
UPDATE circulation.stats_watermark SET last_id = 0, folded = 0, folded_at = NULL WHERE id = 1;

-- name: drop_stage
-- (dropped explicitly too: inside an outer transaction ON COMMIT DROP would wait for its end)
DROP TABLE stats_batch, stats_delta, stats_touched;

-- name: backlog
-- How many events wait to be folded (an estimate from ids: rolled-back inserts leave gaps).
SELECT coalesce(max(id), 0) - coalesce((SELECT last_id FROM circulation.stats_watermark WHERE id = 1), 0)
FROM circulation.events;
