-- A device is busy exactly while a running task holds it, and the task's row says so
-- (leased_devices, 0017). The engine stops writing `busy` into the device's row at every grant:
-- the row keeps what a task cannot say (idle again with its count, paused, maintenance,
-- offline, its type and settings), and `device_states` shows the device as it is.
CREATE VIEW device_states AS
WITH held AS (
    SELECT DISTINCT ON (u.name) u.name, t.id AS task_id, t.started_at
    FROM tasks t CROSS JOIN LATERAL unnest(t.leased_devices) AS u(name)
    WHERE t.status = 'running'
    ORDER BY u.name, t.id
)
SELECT d.id, d.type,
       CASE WHEN h.task_id IS NULL THEN d.status ELSE 'busy' END AS status,
       CASE WHEN h.task_id IS NULL THEN d.current_task ELSE h.task_id END AS current_task,
       d.tasks_completed,
       greatest(d.updated_at, h.started_at) AS updated_at, -- greatest() skips a NULL
       d.config
FROM devices d LEFT JOIN held h ON h.name = d.id;

-- Rows written busy before this migration: the view answers for them; the row goes back to
-- what it is without its task.
UPDATE devices SET status = 'idle', current_task = NULL WHERE status = 'busy';
