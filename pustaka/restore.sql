-- name: holdings
-- What a database holds, to name what a restore would replace (NULL where a table does not exist yet).
SELECT
    CASE WHEN to_regclass('catalog.libraries') IS NOT NULL THEN (SELECT count(*) FROM catalog.libraries) END AS libraries,
    CASE WHEN to_regclass('catalog.items') IS NOT NULL THEN (SELECT count(*) FROM catalog.items) END AS copies,
    CASE WHEN to_regclass('circulation.members') IS NOT NULL THEN (SELECT count(*) FROM circulation.members) END AS members,
    CASE WHEN to_regclass('circulation.loans') IS NOT NULL THEN (SELECT count(*) FROM circulation.loans) END AS loans,
    CASE WHEN to_regclass('circulation.staff_users') IS NOT NULL THEN (SELECT count(*) FROM circulation.staff_users) END AS staff;

-- name: other_sessions
SELECT coalesce(nullif(application_name, ''), 'pid ' || pid) AS who FROM pg_stat_activity
WHERE datname = :database AND pid <> pg_backend_pid() ORDER BY 1;

-- name: database_exists
SELECT exists (SELECT 1 FROM pg_database WHERE datname = :database);
