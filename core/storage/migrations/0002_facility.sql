-- alabos schema 2: a facility. Day-partitioned events and telemetry (retention drops whole
-- partitions), the persister's offsets, per-minute rollups maintained as data arrives (the
-- console's charts never scan raw rows), users, an append-only audit log, alarms.

-- Partition helpers ----------------------------------------------------------------------
-- Day partitions are named PARENT_pYYYYMMDD and cover one UTC day; PARENT_default catches
-- rows outside every day partition (a device clock years off) so no write is ever refused.

-- Every day partition of a parent with its UTC day; the retention code reads this.
CREATE FUNCTION alabos_day_partitions(parent regclass)
RETURNS TABLE (partition_name text, day date)
LANGUAGE sql STABLE AS $$
    SELECT c.relname::text, to_date(right(c.relname, 8), 'YYYYMMDD')
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent AND c.relname ~ '_p[0-9]{8}$'
    ORDER BY 2
$$;

-- Creates the day partitions of first_day..last_day that do not exist yet; rows of those
-- days already in the default partition move into the new one. Returns how many it made.
CREATE FUNCTION alabos_ensure_day_partitions(parent regclass, first_day date, last_day date)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    parent_name text := (SELECT relname FROM pg_class WHERE oid = parent);
    default_name text := parent_name || '_default';
    key_column text;
    part text;
    lo timestamptz;
    hi timestamptz;
    stranded boolean;
    made integer := 0;
BEGIN
    IF last_day - first_day > 3660 THEN
        RAISE EXCEPTION 'alabos_ensure_day_partitions: % days is more than ten years', last_day - first_day;
    END IF;
    SELECT a.attname INTO key_column
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent;
    FOR d IN 0 .. (last_day - first_day) LOOP
        part := parent_name || '_p' || to_char(first_day + d, 'YYYYMMDD');
        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
        lo := (first_day + d)::timestamp AT TIME ZONE 'UTC';
        hi := lo + interval '1 day';
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)',
                       default_name, key_column, key_column)
            INTO stranded USING lo, hi;
        IF stranded THEN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           part, parent_name);
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) '
                           'INSERT INTO %I SELECT * FROM moved',
                           default_name, key_column, key_column, part) USING lo, hi;
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           parent_name, part, lo, hi);
        ELSE
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           part, parent_name, lo, hi);
        END IF;
        made := made + 1;
    END LOOP;
    RETURN made;
END
$$;

-- Events: partitioned by day, same id sequence, existing rows kept ----------------------
ALTER TABLE events RENAME TO events_v1;
ALTER INDEX events_entity RENAME TO events_v1_entity;
ALTER TABLE events_v1 RENAME CONSTRAINT events_pkey TO events_v1_pkey;

CREATE TABLE events (
    id          bigint NOT NULL DEFAULT nextval('events_id_seq'),
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    kind        text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
CREATE INDEX events_entity ON events (entity_id, created_at DESC);
CREATE TABLE events_default PARTITION OF events DEFAULT;

SELECT alabos_ensure_day_partitions('events', d, d)
FROM (SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date AS d FROM events_v1) days
WHERE d BETWEEN (now() AT TIME ZONE 'UTC')::date - 3660 AND (now() AT TIME ZONE 'UTC')::date + 366;
SELECT alabos_ensure_day_partitions('events', (now() AT TIME ZONE 'UTC')::date - 1,
                                    (now() AT TIME ZONE 'UTC')::date + 7);
INSERT INTO events SELECT id, entity_type, entity_id, kind, payload, created_at FROM events_v1;
DROP TABLE events_v1;

-- Telemetry: raw readings by day, rejected readings kept with the reason -----------------
CREATE TABLE telemetry (
    device_id text NOT NULL,
    metric    text NOT NULL,
    value     double precision NOT NULL,
    at        timestamptz NOT NULL,
    CONSTRAINT telemetry_value_finite CHECK (value NOT IN ('NaN', 'Infinity', '-Infinity'))
) PARTITION BY RANGE (at);
CREATE INDEX telemetry_device_metric_at ON telemetry (device_id, metric, at);
CREATE TABLE telemetry_default PARTITION OF telemetry DEFAULT;
SELECT alabos_ensure_day_partitions('telemetry', (now() AT TIME ZONE 'UTC')::date - 1,
                                    (now() AT TIME ZONE 'UTC')::date + 7);

-- Readings the persister could not store as telemetry (empty device, NaN...): kept, not lost.
CREATE TABLE telemetry_rejected (
    id          bigserial PRIMARY KEY,
    consumer    text NOT NULL,
    reading     jsonb NOT NULL,
    reason      text NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now()
);

-- Per consumer and partition: the next offset to read. Written in the same transaction as
-- the rows it covers, so a replay after a crash changes nothing.
CREATE TABLE telemetry_offsets (
    consumer    text NOT NULL CHECK (consumer <> ''),
    topic       text NOT NULL CHECK (topic <> ''),
    partition   integer NOT NULL CONSTRAINT telemetry_offsets_partition_check CHECK (partition >= 0),
    next_offset bigint NOT NULL CONSTRAINT telemetry_offsets_offset_check CHECK (next_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition)
);

-- Per device, metric and minute; maintained by the persister in the transaction of the rows.
CREATE TABLE telemetry_minute (
    device_id text NOT NULL,
    metric    text NOT NULL,
    minute    timestamptz NOT NULL,
    n         bigint NOT NULL CHECK (n > 0),
    sum       double precision NOT NULL,
    min       double precision NOT NULL,
    max       double precision NOT NULL,
    PRIMARY KEY (device_id, metric, minute),
    CONSTRAINT telemetry_minute_whole_minute CHECK (minute = date_trunc('minute', minute)),
    CONSTRAINT telemetry_minute_min_le_max CHECK (min <= max)
) PARTITION BY RANGE (minute);
CREATE TABLE telemetry_minute_default PARTITION OF telemetry_minute DEFAULT;
SELECT alabos_ensure_day_partitions('telemetry_minute', (now() AT TIME ZONE 'UTC')::date - 1,
                                    (now() AT TIME ZONE 'UTC')::date + 7);

-- Lab rollups, maintained by triggers on tasks and workflows -----------------------------
CREATE TABLE lab_minute (
    minute              timestamptz PRIMARY KEY,
    tasks_completed     integer NOT NULL DEFAULT 0 CHECK (tasks_completed >= 0),
    tasks_failed        integer NOT NULL DEFAULT 0 CHECK (tasks_failed >= 0),
    tasks_cancelled     integer NOT NULL DEFAULT 0 CHECK (tasks_cancelled >= 0),
    workflows_completed integer NOT NULL DEFAULT 0 CHECK (workflows_completed >= 0),
    samples_completed   integer NOT NULL DEFAULT 0 CHECK (samples_completed >= 0),
    -- sampled by the housekeeping timer: tasks waiting or ready, tasks running
    queue_depth         integer CHECK (queue_depth >= 0),
    tasks_running       integer CHECK (tasks_running >= 0),
    CONSTRAINT lab_minute_whole_minute CHECK (minute = date_trunc('minute', minute))
);

-- Busy device-seconds of each device type per minute (a task's run split over the minutes it
-- spans) and the number of devices of the type (sampled): utilisation without raw rows.
CREATE TABLE device_type_minute (
    minute       timestamptz NOT NULL,
    device_type  text NOT NULL,
    busy_seconds double precision NOT NULL DEFAULT 0 CHECK (busy_seconds >= 0),
    devices      integer CHECK (devices >= 0),
    PRIMARY KEY (minute, device_type),
    CONSTRAINT device_type_minute_whole_minute CHECK (minute = date_trunc('minute', minute))
);

-- Task run durations: bucket k holds durations in [2^(k/4), 2^((k+1)/4)) seconds.
CREATE TABLE task_duration_minute (
    minute    timestamptz NOT NULL,
    task_name text NOT NULL,
    bucket    integer NOT NULL,
    n         integer NOT NULL CHECK (n > 0),
    PRIMARY KEY (minute, task_name, bucket),
    CONSTRAINT task_duration_minute_whole_minute CHECK (minute = date_trunc('minute', minute))
);

CREATE FUNCTION alabos_rollup_finished_tasks(finished tasks[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO lab_minute AS l (minute, tasks_completed, tasks_failed, tasks_cancelled)
    SELECT date_trunc('minute', coalesce(t.finished_at, now())),
           count(*) FILTER (WHERE t.status = 'completed'),
           count(*) FILTER (WHERE t.status = 'failed'),
           count(*) FILTER (WHERE t.status = 'cancelled')
    FROM unnest(finished) t GROUP BY 1
    ON CONFLICT (minute) DO UPDATE SET
        tasks_completed = l.tasks_completed + excluded.tasks_completed,
        tasks_failed = l.tasks_failed + excluded.tasks_failed,
        tasks_cancelled = l.tasks_cancelled + excluded.tasks_cancelled;

    INSERT INTO device_type_minute AS d (minute, device_type, busy_seconds)
    SELECT m, t.device_type,
           sum(extract(epoch FROM least(t.finished_at, m + interval '1 minute') - greatest(t.started_at, m)))
    FROM unnest(finished) t,
         generate_series(date_trunc('minute', t.started_at), t.finished_at, interval '1 minute') m
    WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL AND t.device_type <> ''
      AND t.finished_at > m
    GROUP BY 1, 2
    ON CONFLICT (minute, device_type) DO UPDATE SET busy_seconds = d.busy_seconds + excluded.busy_seconds;

    INSERT INTO task_duration_minute AS h (minute, task_name, bucket, n)
    SELECT date_trunc('minute', t.finished_at), t.name,
           floor(4 * log(2, greatest(extract(epoch FROM t.finished_at - t.started_at), 0.01)::numeric))::integer,
           count(*)
    FROM unnest(finished) t
    WHERE t.status = 'completed' AND t.started_at IS NOT NULL AND t.finished_at IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT (minute, task_name, bucket) DO UPDATE SET n = h.n + excluded.n;
$$;

-- Statement triggers with transition tables: one rollup per group commit, not one per row.
CREATE FUNCTION alabos_tasks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE finished tasks[];
BEGIN
    finished := ARRAY(SELECT n FROM new_rows n WHERE n.status IN ('completed', 'failed', 'cancelled'));
    IF cardinality(finished) > 0 THEN
        PERFORM alabos_rollup_finished_tasks(finished);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION alabos_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE finished tasks[];
BEGIN
    finished := ARRAY(SELECT n FROM new_rows n JOIN old_rows o ON o.id = n.id
                      WHERE n.status IN ('completed', 'failed', 'cancelled')
                        AND o.status NOT IN ('completed', 'failed', 'cancelled'));
    IF cardinality(finished) > 0 THEN
        PERFORM alabos_rollup_finished_tasks(finished);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_rollup_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_tasks_inserted();
CREATE TRIGGER tasks_rollup_update AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_tasks_updated();

CREATE FUNCTION alabos_rollup_finished_workflows(finished workflows[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO lab_minute AS l (minute, workflows_completed, samples_completed)
    SELECT date_trunc('minute', coalesce(w.finished_at, now())), count(*), sum(cardinality(w.samples))
    FROM unnest(finished) w GROUP BY 1
    ON CONFLICT (minute) DO UPDATE SET
        workflows_completed = l.workflows_completed + excluded.workflows_completed,
        samples_completed = l.samples_completed + excluded.samples_completed;
$$;
CREATE FUNCTION alabos_workflows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE finished workflows[];
BEGIN
    finished := ARRAY(SELECT n FROM new_rows n WHERE n.status = 'completed');
    IF cardinality(finished) > 0 THEN
        PERFORM alabos_rollup_finished_workflows(finished);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION alabos_workflows_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE finished workflows[];
BEGIN
    finished := ARRAY(SELECT n FROM new_rows n JOIN old_rows o ON o.id = n.id
                      WHERE n.status = 'completed' AND o.status <> 'completed');
    IF cardinality(finished) > 0 THEN
        PERFORM alabos_rollup_finished_workflows(finished);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER workflows_rollup_insert AFTER INSERT ON workflows REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_workflows_inserted();
CREATE TRIGGER workflows_rollup_update AFTER UPDATE ON workflows
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_workflows_updated();

-- Users and the audit log ---------------------------------------------------------------
CREATE TABLE users (
    name          text PRIMARY KEY CONSTRAINT users_name_format CHECK (name ~ '^[a-z][a-z0-9_.-]{0,62}$'),
    display_name  text NOT NULL DEFAULT '',
    role          text NOT NULL CONSTRAINT users_role_check
                  CHECK (role IN ('operator', 'technician', 'supervisor', 'admin')),
    -- NULL: no password set yet; the console makes the user choose one at first sign-in.
    password_hash text CONSTRAINT users_password_hash_not_empty CHECK (password_hash <> ''),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO users (name, display_name, role) VALUES ('admin', 'Administrator', 'admin');

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_name   text NOT NULL CONSTRAINT audit_log_user_not_empty CHECK (user_name <> ''),
    host        text NOT NULL DEFAULT '',
    action      text NOT NULL CONSTRAINT audit_log_action_not_empty CHECK (action <> ''),
    entity_type text NOT NULL DEFAULT '',
    entity_id   text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_entity ON audit_log (entity_id, at DESC);
CREATE FUNCTION alabos_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION alabos_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_audit_log_append_only();

-- Alarms --------------------------------------------------------------------------------
CREATE TABLE alarm_rules (
    device_type  text NOT NULL,
    metric       text NOT NULL,
    low_alarm    double precision,
    low_warning  double precision,
    high_warning double precision,
    high_alarm   double precision,
    enabled      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (device_type, metric),
    CONSTRAINT alarm_rules_has_a_limit
        CHECK (num_nonnulls(low_alarm, low_warning, high_warning, high_alarm) > 0),
    CONSTRAINT alarm_rules_limits_ordered CHECK (
        coalesce(low_alarm, '-Infinity') <= coalesce(low_warning, low_alarm, '-Infinity')
        AND coalesce(low_warning, low_alarm, '-Infinity') < coalesce(high_warning, high_alarm, 'Infinity')
        AND coalesce(high_warning, high_alarm, 'Infinity') <= coalesce(high_alarm, 'Infinity'))
);

CREATE TABLE alarms (
    id              bigserial PRIMARY KEY,
    source          text NOT NULL CONSTRAINT alarms_source_not_empty CHECK (source <> ''),
    device_id       text NOT NULL DEFAULT '',
    metric          text NOT NULL DEFAULT '',
    severity        text NOT NULL CONSTRAINT alarms_severity_check
                    CHECK (severity IN ('warning', 'alarm', 'critical')),
    state           text NOT NULL DEFAULT 'active' CONSTRAINT alarms_state_check
                    CHECK (state IN ('active', 'acknowledged', 'shelved', 'cleared')),
    message         text NOT NULL DEFAULT '',
    raised_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_by text,
    acknowledged_at timestamptz,
    shelved_until   timestamptz,
    shelved_by      text,
    cleared_at      timestamptz,
    CONSTRAINT alarms_acknowledged_needs_who_and_when
        CHECK (state <> 'acknowledged' OR (acknowledged_by IS NOT NULL AND acknowledged_at IS NOT NULL)),
    CONSTRAINT alarms_shelved_needs_who_and_until
        CHECK (state <> 'shelved' OR (shelved_by IS NOT NULL AND shelved_until IS NOT NULL)),
    CONSTRAINT alarms_cleared_needs_time CHECK ((state = 'cleared') = (cleared_at IS NOT NULL)),
    CONSTRAINT alarms_acknowledged_after_raised CHECK (acknowledged_at IS NULL OR acknowledged_at >= raised_at),
    CONSTRAINT alarms_cleared_after_raised CHECK (cleared_at IS NULL OR cleared_at >= raised_at),
    CONSTRAINT alarms_shelved_until_after_raised CHECK (shelved_until IS NULL OR shelved_until > raised_at)
);
-- One open alarm per source, device and metric: a condition raised twice is one alarm.
CREATE UNIQUE INDEX alarms_one_open_per_condition ON alarms (source, device_id, metric)
    WHERE state <> 'cleared';
CREATE INDEX alarms_open ON alarms (raised_at DESC) WHERE state <> 'cleared';
CREATE INDEX alarms_device ON alarms (device_id, raised_at DESC);
