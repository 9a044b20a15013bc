-- name: staff_user
SELECT username, password_hash, role, scope, active, token_version FROM circulation.staff_users WHERE username = $1;

-- name: upsert_staff_user
INSERT INTO circulation.staff_users (username, password_hash, role, scope) VALUES ($1, $2, $3, $4)
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
    scope = EXCLUDED.scope, active = true, token_version = circulation.staff_users.token_version + 1
RETURNING token_version;

-- name: claim_attempt
-- Take one log-in attempt for (user, client address), atomically: no row back means the pair is locked
-- (so 30 parallel guesses cannot all be checked). The attempt counts as a failure until `forgive` clears it;
-- from the $3-th attempt on, each one locks the pair for a doubling delay ($4 seconds, at most $5); a pair
-- quiet for $6 seconds starts again from zero.
INSERT INTO circulation.login_throttle AS t (username, client, failures, last_failure)
VALUES ($1, $2, 1, now())
ON CONFLICT (username, client) DO UPDATE SET
    failures = CASE WHEN t.last_failure < now() - make_interval(secs => $6) THEN 1 ELSE t.failures + 1 END,
    locked_until = CASE
        WHEN t.last_failure < now() - make_interval(secs => $6) OR t.failures + 1 < $3 THEN t.locked_until
        ELSE now() + make_interval(secs => least($5, $4 * 2 ^ (t.failures + 1 - $3))) END,
    last_failure = now()
WHERE t.locked_until <= now()
RETURNING failures;

-- name: retry_after
SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))::integer
FROM circulation.login_throttle WHERE username = $1 AND client = $2;

-- name: forgive
DELETE FROM circulation.login_throttle WHERE username = $1 AND client = $2;

-- name: audit
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail) VALUES ($1, $2, $3, $4, $5);
