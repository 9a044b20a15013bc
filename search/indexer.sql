-- The search outbox, drained by the indexer.

-- name: try_lock
-- Only one indexer drains at a time (see indexer.py for why); held until the batch's transaction ends.
-- The batch also gives way to DDL and TRUNCATE: rather than wait for a table lock (and risk a deadlock
-- with a TRUNCATE that locks the catalogue tables in another order), it fails at once and is retried.
SELECT set_config('lock_timeout', '200ms', true), pg_try_advisory_xact_lock(:key) AS locked;

-- name: give_way
SELECT set_config('lock_timeout', '200ms', true);

-- name: lock
-- A rebuild waits for the running batch, then keeps every indexer out until the swap is done.
SELECT pg_advisory_lock(:key);

-- name: unlock
SELECT pg_advisory_unlock(:key);

-- name: claim_batch
SELECT id, library_code, title_id
FROM catalog.search_outbox
ORDER BY id
LIMIT :size
FOR UPDATE SKIP LOCKED;

-- name: delete_batch
DELETE FROM catalog.search_outbox WHERE id = ANY(:ids::bigint[]);

-- name: backlog
SELECT count(*) FROM catalog.search_outbox;

-- name: notify_done
SELECT pg_notify('pustaka_search_done', :payload);

-- name: request_reindex
SELECT pg_notify('pustaka_search', 'reindex');

-- name: embedded_listeners
-- Processes of this database that hold an embedded index (their listening connection is named so).
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND application_name = 'pustaka-search-embedded';

-- name: record_drain
-- In the drain's transaction: who drained last, up to which outbox row (search/persisted.py).
INSERT INTO catalog.search_index_state (drained_by, applied_through) VALUES (:drained_by, :applied_through)
ON CONFLICT (single) DO UPDATE SET drained_by = excluded.drained_by,
    applied_through = excluded.applied_through,
    updated_at = now();

-- name: last_drain
SELECT drained_by, applied_through FROM catalog.search_index_state;

-- name: databases
SELECT datname FROM pg_database;
