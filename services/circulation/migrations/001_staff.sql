-- Staff accounts (login issues a token both services accept), failed-login tracking and the audit log.
CREATE SCHEMA IF NOT EXISTS circulation;

CREATE TABLE circulation.staff_users (
    username      text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'district', 'librarian')),
    scope         text,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'admin') = (scope IS NULL))
);

CREATE TABLE circulation.login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username  text NOT NULL,
    client    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_recent ON circulation.login_failures (username, at);

CREATE TABLE circulation.audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    library_code text,
    target       text,
    detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX circulation_audit_log_at ON circulation.audit_log (at);

CREATE TABLE circulation.idempotency_keys (
    actor       text NOT NULL,
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    fingerprint text NOT NULL,
    status      integer,
    body        bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, key)
);
