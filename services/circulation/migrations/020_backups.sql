-- Backups made of this database (`pustaka backup`, and the automatic ones of `pustaka up`): when, where,
-- how big. The desk and the dashboard warn when the newest is older than two days.
CREATE TABLE circulation.backups (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at   timestamptz NOT NULL DEFAULT now(),
    kind       text        NOT NULL CHECK (kind IN ('manual', 'daily', 'after_ingest', 'first')),
    file_name  text        NOT NULL,
    bytes      bigint      NOT NULL CHECK (bytes > 0),
    sha256     text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    seconds    real        NOT NULL,
    mirrored   boolean     NOT NULL DEFAULT false
);
CREATE INDEX backups_taken_at ON circulation.backups (taken_at DESC);
