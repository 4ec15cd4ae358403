-- alabos schema 3 (engine, issue 5): queue order, sample positions, resource leases,
-- operator prompts and run-time workflow templates.
ALTER TABLE tasks ADD COLUMN queue_rank bigint NOT NULL DEFAULT 0;

-- Exact hierarchical names; a parent is matched exactly, never by prefix.
CREATE TABLE sample_positions (
    name      text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$'),
    parent    text NOT NULL DEFAULT '',
    device_id text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sample_positions_parent ON sample_positions (parent);

-- What each running task holds; a resource is held by at most one task.
CREATE TABLE resource_leases (
    task_id    bigint NOT NULL REFERENCES tasks (id),
    kind       text NOT NULL CHECK (kind IN ('device','position')),
    name       text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name)
);
CREATE INDEX resource_leases_task ON resource_leases (task_id);

CREATE TABLE prompts (
    id          bigint PRIMARY KEY CHECK (id > 0),
    task_id     bigint REFERENCES tasks (id),
    device_id   text NOT NULL DEFAULT '',
    message     text NOT NULL,
    options     jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array'),
    status      text NOT NULL CHECK (status IN ('open','answered','expired','cancelled')),
    answer      text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT '',
    answered_by text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    answered_at timestamptz,
    CHECK (status <> 'answered' OR answer <> '')
);
CREATE INDEX prompts_open ON prompts (id) WHERE status = 'open';

-- Templates created at run time (the built-in ones ship as resources).
CREATE TABLE workflow_templates (
    name       text PRIMARY KEY CHECK (name <> ''),
    definition jsonb NOT NULL,
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
