-- name: staff_user
SELECT username, password_hash, role, scope, active, token_version FROM circulation.staff_users
WHERE username = :username;

-- name: upsert_staff_user
INSERT INTO circulation.staff_users (username, password_hash, role, scope)
VALUES (:username, :password_hash, :role, :scope)
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
    scope = EXCLUDED.scope, active = true, token_version = circulation.staff_users.token_version + 1
RETURNING token_version;

-- name: claim_attempt
-- Take one log-in attempt for (user, client address), atomically: no row back means the pair is locked
-- (so 30 parallel guesses cannot all be checked). The attempt counts as a failure until `forgive` clears it;
-- from the :free_attempts-th attempt on, each one locks the pair for a doubling delay (:first_delay seconds,
-- at most :max_delay); a pair quiet for :forget_after seconds starts again from zero.
INSERT INTO circulation.login_throttle AS t (username, client, failures, last_failure)
VALUES (:username, :client, 1, now())
ON CONFLICT (username, client) DO UPDATE SET
    failures = CASE WHEN t.last_failure < now() - make_interval(secs => :forget_after) THEN 1
                    ELSE t.failures + 1 END,
    locked_until = CASE
        WHEN t.last_failure < now() - make_interval(secs => :forget_after) OR t.failures + 1 < :free_attempts
            THEN t.locked_until
        ELSE now() + make_interval(secs => least(:max_delay, :first_delay * 2 ^ (t.failures + 1 - :free_attempts)))
        END,
    last_failure = now()
WHERE t.locked_until <= now()
RETURNING failures;

-- name: retry_after
SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))::integer
FROM circulation.login_throttle WHERE username = :username AND client = :client;

-- name: forgive
DELETE FROM circulation.login_throttle WHERE username = :username AND client = :client;

-- name: audit
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
VALUES (:actor, :action, :library, :target, :detail);
