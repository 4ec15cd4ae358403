-- Fencing a scheduler that lost its lock. Each process that takes the scheduler lock raises
-- the epoch; the storage writer's every transaction holds the leader row FOR SHARE and
-- checks its own epoch, so a new leader's raise waits for the old one's last transaction
-- and every later one of the old leader is refused.
ALTER TABLE scheduler_leader ADD COLUMN epoch bigint NOT NULL DEFAULT 0;

-- The last group transaction each writer run committed: when the connection dies during
-- COMMIT, the writer reads it back to know whether the group went in (never twice).
CREATE TABLE writer_progress (
    run        uuid PRIMARY KEY,
    last_group bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
