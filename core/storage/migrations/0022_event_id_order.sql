-- alabos schema 22: event ids become visible in the order they were taken.
-- The relay publishes the events above its cursor in id order and then moves the cursor past
-- them, so an event whose transaction commits after one with a higher id would never be
-- published. Any two transactions can insert events (the storage writer, a sample deletion, a
-- second console, anyone's SQL): each statement that inserts into events first takes this
-- lock, before its rows take their ids, and holds it until its transaction ends. Once per
-- statement, so the writer's COPY of a whole group pays it once.
CREATE FUNCTION alabos_events_in_id_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7355608, 2);
    RETURN NULL;
END
$$;
CREATE TRIGGER events_in_id_order BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION alabos_events_in_id_order();
