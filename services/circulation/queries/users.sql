-- Staff accounts as the admin manages them. Every change bumps the token version: the user's tokens
-- stop working within seconds (pustaka/revocation.py).

-- name: users
SELECT username, role, scope, active, created_at FROM circulation.staff_users ORDER BY username;

-- name: user
SELECT username, role, scope, active, created_at FROM circulation.staff_users WHERE username = :username;

-- name: user_for_update
SELECT username, role, scope, active FROM circulation.staff_users WHERE username = :username FOR UPDATE;

-- name: set_active
UPDATE circulation.staff_users SET active = :active, token_version = token_version + 1
WHERE username = :username
RETURNING username, role, scope, active, created_at;

-- name: set_scope
UPDATE circulation.staff_users SET scope = :scope, token_version = token_version + 1
WHERE username = :username
RETURNING username, role, scope, active, created_at;

-- name: set_password
UPDATE circulation.staff_users SET password_hash = :password_hash, token_version = token_version + 1
WHERE username = :username
RETURNING username, role, scope, active, created_at;

-- name: audit
INSERT INTO circulation.audit_log (actor, action, library_code, target, detail)
VALUES (:actor, :action, :library, :target, :detail);
