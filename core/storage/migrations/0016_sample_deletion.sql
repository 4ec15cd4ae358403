-- Deleted samples (sample.delete): the row stays, because events, tasks and the audit trail
-- name it; a deleted sample has left its position and the live views, and its barcode stays
-- taken. Who deleted it and why are on the row and in its sample.deleted event.
ALTER TABLE samples
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN deleted_by text CONSTRAINT samples_deleted_by_length CHECK (length(deleted_by) <= 200),
    ADD COLUMN deleted_reason text
        CONSTRAINT samples_deleted_reason_length CHECK (length(deleted_reason) <= 500),
    ADD CONSTRAINT samples_deleted_whole
        CHECK ((deleted_at IS NULL) = (deleted_by IS NULL) AND
               (deleted_at IS NULL) = (deleted_reason IS NULL));
