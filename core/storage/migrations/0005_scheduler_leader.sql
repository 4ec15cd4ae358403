-- Who runs the scheduler. The scheduler holds a session-level PostgreSQL advisory lock on a
-- dedicated connection (core/storage/schedulerlease.cpp); this row says who it is, for the
-- consoles' status bars and so a console can find the scheduler's Kafka bootstrap. The row
-- alone proves nothing: a holder that died leaves it behind; pg_locks tells whether the lock
-- is still held.
CREATE TABLE scheduler_leader (
    singleton       boolean PRIMARY KEY DEFAULT true CONSTRAINT scheduler_leader_one_row CHECK (singleton),
    host            text NOT NULL,
    pid             bigint NOT NULL CHECK (pid > 0),
    since           timestamptz NOT NULL DEFAULT now(),
    kafka_bootstrap text NOT NULL DEFAULT ''
);
