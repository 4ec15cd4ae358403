-- alabos schema 21: two indexes every task paid for on each of its rows, made cheaper.
-- Entity ids compare bytewise: under the cluster's C.UTF-8 locale every comparison in the
-- entity index went through strcoll, and an id's order by locale means nothing to anyone.
-- Only the collation changes: the rows stay where they are, the index is built again.
ALTER TABLE events ALTER COLUMN entity_id TYPE text COLLATE "C";

-- (status, created_at) took three entries per task, one for each version written, and the
-- readers only ever want finished tasks, newest first: the console's recent finished tasks
-- and the schedule's step durations. A finished task now takes one entry, when it finishes.
DROP INDEX tasks_status_created;
CREATE INDEX tasks_finished ON tasks (finished_at DESC NULLS LAST)
    WHERE status IN ('completed', 'failed', 'cancelled');
