-- name: has_admin
SELECT exists (SELECT 1 FROM circulation.staff_users WHERE role = 'admin');
