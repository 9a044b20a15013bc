-- name: tables
-- Every table of the system's state: both services' schemas and the migrations ledger.
SELECT n.nspname || '.' || c.relname AS name, format('%I.%I', n.nspname, c.relname) AS quoted
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('catalog', 'circulation', 'public')
ORDER BY 1;

-- name: table_state
-- Rows and an order-independent digest of one table; {table} is a name quoted by the `tables` query.
SELECT count(*) AS rows, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS digest FROM {table} t;

-- name: has_ledger
SELECT to_regclass('public.schema_migrations') IS NOT NULL;

-- name: has_backup_record
SELECT to_regclass('circulation.backups') IS NOT NULL;

-- name: migrations
SELECT component || '/' || lpad(version::text, 3, '0') FROM public.schema_migrations ORDER BY component, version;

-- name: export_snapshot
SELECT pg_export_snapshot();

-- name: server_version
SHOW server_version;
