-- What the commands enforce (SampleRegistrar), the database enforces too: no text that
-- reaches an event is unbounded, so nothing in the outbox is too large to publish.
ALTER TABLE samples
    ADD CONSTRAINT samples_barcode_length CHECK (length(barcode) <= 64) NOT VALID,
    ADD CONSTRAINT samples_metadata_size CHECK (length(metadata::text) <= 16384) NOT VALID;
