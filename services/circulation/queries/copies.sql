-- name: copy
SELECT barcode, library_code, title_id, isbn13, title, status, seen_at > now() - make_interval(secs => :fresh_seconds) AS fresh
FROM circulation.copies WHERE barcode = :barcode;

-- name: upsert_copies
-- Fill or refresh the replica. Circulation owns on_loan / awaiting_pickup / lost; damaged is set by either
-- side and withdrawn by the catalogue, so only those (and their end) are taken over from it.
INSERT INTO circulation.copies AS c (barcode, library_code, title_id, isbn13, local_code, title, call_number, ddc,
                                     ddc_class, audience, category, language, status, catalog_status)
SELECT u.barcode, u.library_code, u.title_id, u.isbn13, u.local_code, u.title, u.call_number, u.ddc,
       u.ddc_class, u.audience, u.category, u.language,
       CASE WHEN u.catalog_status IN ('lost', 'damaged', 'withdrawn') THEN u.catalog_status ELSE 'available' END,
       u.catalog_status
FROM unnest(:barcodes::text[], :libraries::text[], :title_ids::bigint[], :isbn13s::text[], :local_codes::text[],
            :titles::text[], :call_numbers::text[], :ddcs::text[], :ddc_classes::text[], :audiences::text[],
            :categories::text[], :languages::text[], :catalog_statuses::text[])
     AS u(barcode, library_code, title_id, isbn13, local_code, title, call_number, ddc, ddc_class, audience,
          category, language, catalog_status)
ORDER BY u.barcode
ON CONFLICT (barcode) DO UPDATE SET
    title_id = EXCLUDED.title_id, isbn13 = EXCLUDED.isbn13, local_code = EXCLUDED.local_code,
    title = EXCLUDED.title, call_number = EXCLUDED.call_number, ddc = EXCLUDED.ddc,
    ddc_class = EXCLUDED.ddc_class, audience = EXCLUDED.audience, category = EXCLUDED.category,
    language = EXCLUDED.language, catalog_status = EXCLUDED.catalog_status, seen_at = now(),
    status = CASE
        -- a change of the desk's own still on its way to the catalogue, or made after this answer may have
        -- been asked (a look-up gives up after 5 s): the catalogue's answer is older, the desk's status stays
        WHEN EXISTS (SELECT 1 FROM circulation.catalog_outbox o WHERE o.barcode = c.barcode)
             OR c.status_at > now() - interval '1 minute' THEN c.status
        WHEN c.status = 'available' AND EXCLUDED.catalog_status IN ('damaged', 'withdrawn') THEN EXCLUDED.catalog_status
        WHEN c.status IN ('damaged', 'withdrawn') AND EXCLUDED.catalog_status NOT IN ('damaged', 'withdrawn')
            THEN 'available'
        ELSE c.status END;

-- name: copies_of_title
SELECT barcode, library_code, title_id, isbn13, title, ddc_class, audience, category, language, status
FROM circulation.copies WHERE library_code = :library AND isbn13 = :isbn13 ORDER BY barcode;
