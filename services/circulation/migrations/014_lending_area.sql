-- Where a library's members may borrow: by default only at their own library; a kabupaten may let its
-- libraries lend to members of any library in it (member contacts stay with the member's own library).
CREATE TABLE circulation.kabupaten_settings (
    kabupaten               text PRIMARY KEY CHECK (kabupaten ~ '^\d{2}\.\d{2}$'),
    lend_to_whole_kabupaten boolean NOT NULL DEFAULT false,
    updated_by              text NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
);
