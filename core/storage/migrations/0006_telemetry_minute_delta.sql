-- Minute rollups without an upsert per batch. At 100,000 readings/s an upsert of the rollup
-- rows in every persister transaction cost more than the COPY of the readings themselves (one
-- conflicting row per device and batch). The persister now appends the increments of its
-- batch here, in the transaction of the rows and offsets, by COPY into a table without
-- indexes; alabos_fold_telemetry_minutes() adds them to telemetry_minute about once a second.
-- telemetry_minute plus this table is always exact; telemetry_minute alone lags by at most
-- the fold interval.
-- The same columns and checks as telemetry_minute, without its key, index or partitions.
CREATE TABLE telemetry_minute_delta (LIKE telemetry_minute INCLUDING CONSTRAINTS);

-- Moves every committed increment into telemetry_minute in one transaction; returns how many
-- increments it folded. One folder at a time: a second caller returns 0 at once. Increments
-- committed while it runs stay for the next fold.
CREATE FUNCTION alabos_fold_telemetry_minutes() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(1634492770, 21332) THEN -- "alab", "TM"
        RETURN 0;
    END IF;
    WITH taken AS (
        DELETE FROM telemetry_minute_delta RETURNING *
    ), summed AS (
        SELECT device_id, metric, minute, sum(n)::bigint AS n, sum(sum) AS sum, min(min) AS min,
               max(max) AS max, count(*) AS increments
        FROM taken GROUP BY device_id, metric, minute
    ), upserted AS (
        INSERT INTO telemetry_minute AS t (device_id, metric, minute, n, sum, min, max)
        SELECT device_id, metric, minute, n, sum, min, max FROM summed
        ORDER BY device_id, metric, minute
        ON CONFLICT (device_id, metric, minute) DO UPDATE
        SET n = t.n + excluded.n, sum = t.sum + excluded.sum,
            min = least(t.min, excluded.min), max = greatest(t.max, excluded.max)
    )
    SELECT coalesce(sum(increments), 0) INTO folded FROM summed;
    RETURN folded;
END
$$;
