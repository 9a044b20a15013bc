-- name: transactions
-- The desk's work of one library in one Jakarta day (:start <= at < :end), newest first, from the event log.
-- Simulated history is left out: the desk shows what was done at the desk.
SELECT e.at, e.type, e.barcode, c.title, c.call_number, m.member_number, m.name AS member_name, e.due_date,
       e.late_days, e.actor
FROM circulation.events e
LEFT JOIN circulation.copies c ON c.barcode = e.barcode
LEFT JOIN circulation.members m ON m.id = e.member_id
WHERE e.library_code = :library AND e.at >= :start AND e.at < :end AND NOT e.simulated
  AND e.type IN ('checked_out', 'checked_in', 'renewed', 'item_lost', 'item_found')
ORDER BY e.at DESC, e.id DESC
LIMIT :max_rows;

-- name: summary
-- One library's day in figures: event counts in the Jakarta day, and the day's visitor tally, reads on the
-- spot and activities, which are recorded per day.
SELECT count(*) FILTER (WHERE e.type = 'checked_out') AS loans,
       count(*) FILTER (WHERE e.type = 'checked_in') AS returns,
       count(*) FILTER (WHERE e.type = 'renewed') AS renewals,
       count(*) FILTER (WHERE e.type = 'member_registered') AS new_members,
       coalesce((SELECT member_visits FROM circulation.visit_days WHERE library_code = :library AND day = :day), 0)
           AS member_visits,
       coalesce((SELECT non_member_visits FROM circulation.visit_days WHERE library_code = :library AND day = :day), 0)
           AS non_member_visits,
       (SELECT count(*) FROM circulation.onsite_reads WHERE library_code = :library AND day = :day) AS reads_onsite,
       (SELECT count(*) FROM circulation.activities WHERE library_code = :library AND day = :day) AS activities,
       (SELECT coalesce(sum(participants), 0) FROM circulation.activities WHERE library_code = :library AND day = :day)
           AS activity_participants
FROM circulation.events e
WHERE e.library_code = :library AND e.at >= :start AND e.at < :end AND NOT e.simulated
  AND e.type IN ('checked_out', 'checked_in', 'renewed', 'member_registered');
