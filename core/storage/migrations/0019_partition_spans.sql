-- Partitions of any span that divides a UTC day, from ten minutes to a day. A lab that keeps
-- events or readings for hours, not days, needs partitions shorter than its window, or
-- retention (which drops whole partitions) cannot hold its size.
-- A day partition is still named PARENT_pYYYYMMDD; a shorter one PARENT_pYYYYMMDD_HHMM after
-- the UTC start of its slot.

-- Every range partition of a parent with its bounds, read from the catalogue, not the name.
CREATE FUNCTION alabos_partitions(parent regclass)
RETURNS TABLE (partition_name text, lo timestamptz, hi timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT name, m[1]::timestamptz, m[2]::timestamptz
    FROM (
        SELECT c.relname::text AS name,
               regexp_match(pg_get_expr(c.relpartbound, c.oid),
                            '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$') AS m
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent
    ) bounds
    WHERE m IS NOT NULL
    ORDER BY 2
$$;

-- Creates the partitions of `span` for every slot from the one holding first_at to the one
-- holding last_at, or of the part of a slot that partitions of another span leave uncovered;
-- rows of a new partition caught by the default partition move into it. An empty partition longer than `span` that has not begun yet, or
-- is the current one, is replaced by slots of `span`, so a finer span takes effect at once
-- on a fresh database and from the next empty partition on a running one. Returns how many
-- partitions it made.
CREATE FUNCTION alabos_ensure_partitions(parent regclass, first_at timestamptz,
                                         last_at timestamptz, span interval)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    parent_name text := (SELECT relname FROM pg_class WHERE oid = parent);
    default_name text := parent_name || '_default';
    span_s double precision := extract(epoch FROM span);
    origin constant timestamptz := '2000-01-01 00:00+00';
    key_column text;
    old record;
    gap record;
    fill_from timestamptz := first_at;
    part text;
    slot_lo timestamptz;
    slot_hi timestamptz;
    stranded boolean;
    is_empty boolean;
    locked boolean := false;
    made integer := 0;
BEGIN
    IF span_s < 600 OR span_s > 86400 OR 86400 % span_s::integer <> 0
       OR span_s <> span_s::integer THEN
        RAISE EXCEPTION 'alabos_ensure_partitions: a span of % does not divide a day into '
                        'slots of ten minutes or more', span;
    END IF;
    IF extract(epoch FROM last_at - first_at) / span_s > 20000 THEN
        RAISE EXCEPTION 'alabos_ensure_partitions: % to % is more than 20000 slots of %',
                        first_at, last_at, span;
    END IF;
    SELECT a.attname INTO key_column
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent;

    -- Coarser empty partitions from the current slot on make way for the finer span. The
    -- parent is locked first so that no row can arrive between the check and the drop.
    FOR old IN SELECT * FROM alabos_partitions(parent) p
               WHERE p.hi - p.lo > span AND p.hi > now() AND p.hi > first_at LOOP
        IF NOT locked THEN
            EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', parent_name);
            locked := true;
        END IF;
        EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I)', old.partition_name) INTO is_empty;
        IF is_empty THEN
            EXECUTE format('DROP TABLE %I', old.partition_name);
            -- What it covered before first_at is covered again below, by slots of `span`.
            fill_from := least(fill_from, old.lo);
        END IF;
    END LOOP;

    slot_lo := date_bin(span, fill_from, origin);
    WHILE slot_lo <= last_at LOOP
        slot_hi := slot_lo + span;
        -- What no partition covers of this slot: all of it, or the rest beside partitions of
        -- an earlier, finer span, so that changing the span never leaves a gap.
        FOR gap IN
            WITH covered AS (
                SELECT greatest(p.lo, slot_lo) AS c_lo, least(p.hi, slot_hi) AS c_hi
                FROM alabos_partitions(parent) p WHERE p.lo < slot_hi AND p.hi > slot_lo)
            SELECT g_lo, g_hi FROM (
                SELECT coalesce(lag(c_hi) OVER (ORDER BY c_lo), slot_lo) AS g_lo, c_lo AS g_hi
                FROM covered
                UNION ALL
                SELECT coalesce(max(c_hi), slot_lo), slot_hi FROM covered) g
            WHERE g_lo < g_hi
        LOOP
            part := parent_name || '_p' ||
                    CASE WHEN gap.g_hi - gap.g_lo = interval '1 day'
                              AND gap.g_lo = date_bin(interval '1 day', gap.g_lo, origin)
                         THEN to_char(gap.g_lo AT TIME ZONE 'UTC', 'YYYYMMDD')
                         ELSE to_char(gap.g_lo AT TIME ZONE 'UTC', 'YYYYMMDD_HH24MI') END;
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)',
                           default_name, key_column, key_column)
                INTO stranded USING gap.g_lo, gap.g_hi;
            IF stranded THEN
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                               part, parent_name);
                EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) '
                               'INSERT INTO %I SELECT * FROM moved',
                               default_name, key_column, key_column, part) USING gap.g_lo, gap.g_hi;
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                               parent_name, part, gap.g_lo, gap.g_hi);
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                               part, parent_name, gap.g_lo, gap.g_hi);
            END IF;
            made := made + 1;
        END LOOP;
        slot_lo := slot_hi;
    END LOOP;
    RETURN made;
END
$$;

-- Day partitions stay what they were: slots of a day.
CREATE OR REPLACE FUNCTION alabos_ensure_day_partitions(parent regclass, first_day date,
                                                        last_day date)
RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    IF last_day - first_day > 3660 THEN
        RAISE EXCEPTION 'alabos_ensure_day_partitions: % days is more than ten years', last_day - first_day;
    END IF;
    RETURN alabos_ensure_partitions(parent, first_day::timestamp AT TIME ZONE 'UTC',
                                    last_day::timestamp AT TIME ZONE 'UTC', interval '1 day');
END
$$;
