-- alabos schema 24: a task is found by its id alone.
-- The unique (workflow_id, id) pair existed only as the target of the edges' foreign keys,
-- and every version of every task paid an entry and a uniqueness check in it. The edges now
-- point at task ids; that both ends belong to the edge's workflow is checked once per
-- statement that writes edges, and a task never moves to another workflow.
ALTER TABLE task_edges
    DROP CONSTRAINT task_edges_workflow_id_from_task_fkey,
    DROP CONSTRAINT task_edges_workflow_id_to_task_fkey,
    ADD CONSTRAINT task_edges_from_task_fkey FOREIGN KEY (from_task) REFERENCES tasks (id),
    ADD CONSTRAINT task_edges_to_task_fkey FOREIGN KEY (to_task) REFERENCES tasks (id);
ALTER TABLE tasks DROP CONSTRAINT tasks_workflow_id_id_key;

CREATE FUNCTION alabos_task_edges_in_their_workflow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stray record;
BEGIN
    SELECT e.workflow_id, e.from_task, e.to_task INTO stray
    FROM new_rows e
    JOIN tasks f ON f.id = e.from_task
    JOIN tasks t ON t.id = e.to_task
    WHERE f.workflow_id <> e.workflow_id OR t.workflow_id <> e.workflow_id
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the edge % -> % of workflow % violates "task_edges_in_their_workflow": '
            'one of its tasks belongs to another workflow',
            stray.from_task, stray.to_task, stray.workflow_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'task_edges',
                  CONSTRAINT = 'task_edges_in_their_workflow';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER task_edges_in_their_workflow_insert AFTER INSERT ON task_edges
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_task_edges_in_their_workflow();
CREATE TRIGGER task_edges_in_their_workflow_update AFTER UPDATE ON task_edges
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_task_edges_in_their_workflow();

-- Evaluated in the trigger's WHEN clause, without calling a function, for rows that change it.
CREATE FUNCTION alabos_task_stays_in_its_workflow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moving task % from workflow % to workflow % violates '
        '"tasks_stay_in_their_workflow"',
        OLD.id, OLD.workflow_id, NEW.workflow_id
        USING ERRCODE = 'check_violation', TABLE = 'tasks',
              CONSTRAINT = 'tasks_stay_in_their_workflow';
END
$$;
CREATE TRIGGER tasks_stay_in_their_workflow BEFORE UPDATE OF workflow_id ON tasks
    FOR EACH ROW WHEN (OLD.workflow_id IS DISTINCT FROM NEW.workflow_id)
    EXECUTE FUNCTION alabos_task_stays_in_its_workflow();
