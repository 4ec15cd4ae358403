-- What a running task holds (its devices and sample positions) is stored on the task's own
-- row, written with the version that starts it, instead of one resource_leases row per
-- resource inserted at the grant and deleted at the release. A task that is not running holds
-- nothing, whatever its row says; the engine keeps one holder per resource (docs/engine.md).
ALTER TABLE tasks ADD COLUMN leased_devices text[] NOT NULL DEFAULT '{}',
                  ADD COLUMN leased_positions text[] NOT NULL DEFAULT '{}';

-- Leases of tasks running now move onto their rows.
UPDATE tasks t
SET leased_devices = coalesce(l.devices, '{}'), leased_positions = coalesce(l.positions, '{}')
FROM (SELECT task_id,
             array_agg(name ORDER BY granted_at, name) FILTER (WHERE kind = 'device') AS devices,
             array_agg(name ORDER BY granted_at, name) FILTER (WHERE kind = 'position')
                 AS positions
      FROM resource_leases GROUP BY task_id) l
WHERE t.id = l.task_id AND t.status = 'running';

DROP TABLE resource_leases;

-- The same question as before, answered from the running tasks: who holds what.
CREATE VIEW resource_leases AS
    SELECT t.id AS task_id, 'device'::text AS kind, d.name
    FROM tasks t CROSS JOIN LATERAL unnest(t.leased_devices) AS d(name)
    WHERE t.status = 'running'
    UNION ALL
    SELECT t.id, 'position'::text, p.name
    FROM tasks t CROSS JOIN LATERAL unnest(t.leased_positions) AS p(name)
    WHERE t.status = 'running';
