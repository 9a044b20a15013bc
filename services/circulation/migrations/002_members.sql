-- Members (anggota) of a library, their printable numbers (a sequence per library) and import batches.
CREATE TABLE circulation.member_counters (
    library_code text PRIMARY KEY,
    last_number  integer NOT NULL
);

CREATE TABLE circulation.members (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_number  text NOT NULL UNIQUE CHECK (member_number ~ '^\d{10}(T\d+)?-\d{6,}$'),
    library_code   text NOT NULL CHECK (library_code ~ '^\d{2}\.\d{2}\.\d{2}\.\d{4}(-TBM\d+)?$'),
    name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    birth_year     smallint NOT NULL CHECK (birth_year BETWEEN 1900 AND 2200),
    gender         char(1) NOT NULL CHECK (gender IN ('L', 'P')),
    disability     boolean NOT NULL DEFAULT false,
    contact        text CHECK (length(contact) <= 200),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    suspended_reason text,
    registered_on  date NOT NULL,
    expires_on     date NOT NULL,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_on >= registered_on)
);
CREATE INDEX members_library_name ON circulation.members (library_code, lower(name));
