-- Revocable tokens: every token carries its user's token version; disabling a user, changing their role or
-- scope, or resetting their password bumps it, and both services refuse older tokens within seconds.
-- Log-in throttling: one counter row per (user, client address), bumped atomically.
ALTER TABLE circulation.staff_users ADD COLUMN token_version integer NOT NULL DEFAULT 1;

-- The one thing the catalogue asks of circulation's staff directory: is this token version still current?
-- (NULL: no such user, or disabled.) A function, so the catalogue never reads circulation's tables.
CREATE FUNCTION circulation.current_token_version(who text) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT token_version FROM circulation.staff_users WHERE username = who AND active
$$;

CREATE TABLE circulation.login_throttle (
    username     text NOT NULL,
    client       text NOT NULL,
    failures     integer NOT NULL DEFAULT 0,
    locked_until timestamptz NOT NULL DEFAULT '-infinity',
    last_failure timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, client)
);
