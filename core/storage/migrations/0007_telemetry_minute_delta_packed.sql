-- Rollup increments packed: one row per persister transaction, its increments in arrays,
-- instead of one row per (device, metric, minute) of the batch. With many devices and small
-- batches a transaction had nearly as many increments as readings, so the delta table took
-- about as many rows as telemetry itself, and the fold deleted them one by one again (WAL,
-- dead tuples, vacuum). Arrays cost one heap row per transaction; the fold unnests them.
-- What the old table holds is folded first. telemetry_minute plus this table stays exact.
SELECT alabos_fold_telemetry_minutes();
DROP FUNCTION alabos_fold_telemetry_minutes();
DROP TABLE telemetry_minute_delta;

-- Element i of every array is one increment; the writer validated the readings, so n >= 1,
-- min <= max and whole minutes hold (telemetry_minute's checks apply again at the fold).
CREATE TABLE telemetry_minute_delta (
    device_ids text[] NOT NULL,
    metrics    text[] NOT NULL,
    minutes    timestamptz[] NOT NULL,
    n          bigint[] NOT NULL,
    sum        double precision[] NOT NULL,
    min        double precision[] NOT NULL,
    max        double precision[] NOT NULL,
    CONSTRAINT telemetry_minute_delta_aligned CHECK (
        cardinality(device_ids) = cardinality(metrics)
        AND cardinality(device_ids) = cardinality(minutes)
        AND cardinality(device_ids) = cardinality(n)
        AND cardinality(device_ids) = cardinality(sum)
        AND cardinality(device_ids) = cardinality(min)
        AND cardinality(device_ids) = cardinality(max))
) WITH (toast_tuple_target = 8160); -- a typical transaction's arrays stay inline, uncompressed

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
    ), increments AS (
        SELECT i.* FROM taken,
            unnest(taken.device_ids, taken.metrics, taken.minutes, taken.n, taken.sum, taken.min,
                   taken.max) AS i(device_id, metric, minute, n, sum, min, max)
    ), summed AS (
        SELECT device_id, metric, minute, sum(n)::bigint AS n, sum(sum) AS sum, min(min) AS min,
               max(max) AS max, count(*) AS increments
        FROM increments GROUP BY device_id, metric, minute
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
