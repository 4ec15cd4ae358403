-- alabos schema 25: a task or sample names a workflow that exists, checked once per statement.
-- The foreign keys checked it row by row, and each check took a KEY SHARE lock on the
-- workflow's row: a lock written into that row (a WAL record and a dirty page) for every new
-- task and sample, about a tenth of the time of the statements that submit and finish work.
-- The lock kept the workflow from being deleted or renumbered before the row naming it
-- committed. Workflows are the lab's history and nothing deletes them, so refusing that
-- outright gives the same guarantee without a lock: a workflow seen once stays.
ALTER TABLE tasks DROP CONSTRAINT tasks_workflow_id_fkey;
ALTER TABLE samples DROP CONSTRAINT samples_workflow_id_fkey;

-- Nested loops only: the plan is kept for the session, and one made while workflows was
-- small would otherwise be a hash join reading all of workflows for every statement later.
CREATE FUNCTION alabos_rows_name_known_workflows() RETURNS trigger LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    stray bigint;
BEGIN
    SELECT n.workflow_id INTO stray
    FROM new_rows n
    WHERE n.workflow_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM workflows w WHERE w.id = n.workflow_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a row of % names workflow %, which does not exist: violates "%"',
            TG_TABLE_NAME, stray, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
                  CONSTRAINT = TG_ARGV[0];
    END IF;
    RETURN NULL;
END
$$;
-- A task never changes its workflow (tasks_stay_in_their_workflow): inserts are enough.
CREATE TRIGGER tasks_in_known_workflows AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION alabos_rows_name_known_workflows('tasks_in_known_workflows');
CREATE TRIGGER samples_in_known_workflows_insert AFTER INSERT ON samples
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION alabos_rows_name_known_workflows('samples_in_known_workflows');
CREATE TRIGGER samples_in_known_workflows_update AFTER UPDATE ON samples
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION alabos_rows_name_known_workflows('samples_in_known_workflows');

CREATE FUNCTION alabos_workflows_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on workflows violates "workflows_are_kept": a workflow is never '
        'deleted or renumbered, tasks and samples name it', TG_OP
        USING ERRCODE = 'foreign_key_violation', TABLE = 'workflows',
              CONSTRAINT = 'workflows_are_kept';
END
$$;
CREATE TRIGGER workflows_are_kept_delete BEFORE DELETE ON workflows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_workflows_are_kept();
CREATE TRIGGER workflows_are_kept_truncate BEFORE TRUNCATE ON workflows
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_workflows_are_kept();
-- The writer's upsert never sets id, so this row trigger does not fire for it.
CREATE TRIGGER workflows_are_kept_renumber BEFORE UPDATE OF id ON workflows
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION alabos_workflows_are_kept();
