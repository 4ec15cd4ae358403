-- alabos schema 20: the update triggers of tasks and workflows plan their join of the
-- transition tables (new and old rows, by id) for each statement.
-- PL/pgSQL plans a static query once per session and keeps the plan. A transition table has
-- no statistics, so the plan kept was the one made for the session's first, small statement:
-- a nested loop, and a group commit finishing 2,000 workflows then compared 4,000,000 pairs
-- (240 ms of a 270 ms statement; a group of tasks the same). EXECUTE plans the query each time
-- with the tables' real sizes (a hash join, about 30 ms for the same statement). JIT is off in
-- them: a rollup never gains from it, and a high estimate made it compile for 400 ms.
CREATE OR REPLACE FUNCTION alabos_tasks_updated() RETURNS trigger LANGUAGE plpgsql
SET jit = off AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE status IN ('completed', 'failed', 'cancelled')) THEN
        EXECUTE $query$
            SELECT alabos_rollup_finished_tasks(ARRAY(
                SELECT ROW(n.name, n.device_type, n.status, n.started_at,
                           n.finished_at)::alabos_finished_task
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE n.status IN ('completed', 'failed', 'cancelled')
                  AND o.status NOT IN ('completed', 'failed', 'cancelled')))
        $query$;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION alabos_workflows_updated() RETURNS trigger LANGUAGE plpgsql
SET jit = off AS $$
DECLARE finished workflows[];
BEGIN
    EXECUTE $query$
        SELECT ARRAY(SELECT n FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE n.status = 'completed' AND o.status <> 'completed')
    $query$ INTO finished;
    IF cardinality(finished) > 0 THEN
        PERFORM alabos_rollup_finished_workflows(finished);
    END IF;
    RETURN NULL;
END
$$;
