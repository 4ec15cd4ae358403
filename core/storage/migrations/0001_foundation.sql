-- alabos schema 1: the lab's state, the event outbox and the relay cursor.
CREATE TABLE device_types (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    description text NOT NULL DEFAULT ''
);

CREATE TABLE devices (
    id              text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
    type            text NOT NULL REFERENCES device_types (name),
    status          text NOT NULL CHECK (status IN ('offline','idle','busy','paused','maintenance','error')),
    current_task    bigint,
    tasks_completed bigint NOT NULL DEFAULT 0 CHECK (tasks_completed >= 0),
    config          jsonb NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workflows (
    id          bigint PRIMARY KEY CHECK (id > 0),
    template    text NOT NULL,
    status      text NOT NULL CHECK (status IN ('running','completed','failed','cancelled')),
    samples     bigint[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX workflows_active ON workflows (id) WHERE status = 'running';

CREATE TABLE samples (
    id          bigint PRIMARY KEY CHECK (id > 0),
    barcode     text NOT NULL UNIQUE CHECK (barcode <> ''),
    position    text CHECK (position IS NULL OR position ~ '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$'),
    workflow_id bigint REFERENCES workflows (id),
    metadata    jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
-- A position holds at most one sample, and a sample has one position column: a sample
-- can never be in two places.
CREATE UNIQUE INDEX samples_one_per_position ON samples (position) WHERE position IS NOT NULL;

CREATE TABLE tasks (
    id          bigint PRIMARY KEY CHECK (id > 0),
    workflow_id bigint NOT NULL REFERENCES workflows (id),
    name        text NOT NULL,
    device_type text NOT NULL DEFAULT '',
    device_id   text NOT NULL DEFAULT '',
    status      text NOT NULL CHECK (status IN ('waiting','ready','running','paused','completed','failed','cancelled')),
    priority    integer NOT NULL DEFAULT 50 CHECK (priority >= 0),
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    samples     bigint[] NOT NULL DEFAULT '{}',
    parameters  jsonb NOT NULL DEFAULT '{}',
    message     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz,
    UNIQUE (workflow_id, id),
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX tasks_status_created ON tasks (status, created_at DESC);
CREATE INDEX tasks_active ON tasks (priority DESC, id)
    WHERE status IN ('waiting','ready','running','paused');

-- Edges of a workflow's DAG; both ends must belong to the same workflow.
CREATE TABLE task_edges (
    workflow_id bigint NOT NULL,
    from_task   bigint NOT NULL,
    to_task     bigint NOT NULL,
    PRIMARY KEY (from_task, to_task),
    FOREIGN KEY (workflow_id, from_task) REFERENCES tasks (workflow_id, id),
    FOREIGN KEY (workflow_id, to_task) REFERENCES tasks (workflow_id, id),
    CHECK (from_task <> to_task)
);
CREATE INDEX task_edges_to ON task_edges (to_task);

-- Immutable facts; also the outbox the relay publishes to Kafka in id order.
CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    kind        text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_entity ON events (entity_id, created_at DESC);

CREATE TABLE relay_cursor (
    name          text PRIMARY KEY,
    last_event_id bigint NOT NULL CHECK (last_event_id >= 0)
);
