-- name: refresh_seen_copies
-- Copies the catalogue changed, applied to the copies this desk has seen (others are fetched on first
-- sight anyway). Title facts and call number are taken over; of the status, what the catalogue owns:
-- withdrawn, damaged, and lost when the catalogue wrote the copy off (a stock-take) while the desk has
-- it on the shelf. A copy on loan or awaiting pickup keeps circulation's status.
UPDATE circulation.copies AS c SET
    title_id = u.title_id, isbn13 = u.isbn13, local_code = u.local_code, title = u.title,
    call_number = u.call_number, ddc = u.ddc, ddc_class = u.ddc_class, audience = u.audience,
    category = u.category, language = u.language, catalog_status = u.catalog_status, seen_at = now(),
    status = CASE
        WHEN c.status = 'available' AND u.catalog_status IN ('lost', 'damaged', 'withdrawn') THEN u.catalog_status
        WHEN c.status IN ('damaged', 'withdrawn') AND u.catalog_status NOT IN ('damaged', 'withdrawn')
            THEN 'available'
        ELSE c.status END
FROM unnest(:barcodes::text[], :title_ids::bigint[], :isbn13s::text[], :local_codes::text[], :titles::text[],
            :call_numbers::text[], :ddcs::text[], :ddc_classes::text[], :audiences::text[], :categories::text[],
            :languages::text[], :catalog_statuses::text[])
     AS u(barcode, title_id, isbn13, local_code, title, call_number, ddc, ddc_class, audience, category,
          language, catalog_status)
WHERE c.barcode = u.barcode;
