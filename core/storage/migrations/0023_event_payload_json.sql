-- alabos schema 23: an event's payload is stored as the JSON text it was written as.
-- jsonb parsed every payload into its binary form on the way in (keys sorted, every number a
-- numeric) and printed it again on the way out to the relay, and nothing queries inside
-- payloads at a rate that needs it: readers take the whole text, or one field with ->>.
-- The json type checks that the text is valid JSON and keeps it as given. The rows are
-- rewritten once, each as the text jsonb printed.
ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json;
