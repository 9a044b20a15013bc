-- name: staff_user
SELECT username, password_hash, role, scope, active FROM circulation.staff_users WHERE username = $1;

-- name: upsert_staff_user
INSERT INTO circulation.staff_users (username, password_hash, role, scope) VALUES ($1, $2, $3, $4)
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
    scope = EXCLUDED.scope, active = true;

-- name: recent_failures
SELECT count(*) FROM circulation.login_failures WHERE username = $1 AND at > now() - make_interval(secs => $2);

-- name: record_failure
INSERT INTO circulation.login_failures (username, client) VALUES ($1, $2);

-- name: clear_failures
DELETE FROM circulation.login_failures WHERE username = $1;

-- name: audit
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail) VALUES ($1, $2, $3, $4, $5);
