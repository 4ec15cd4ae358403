-- An audit trail nobody can rewrite unnoticed. Each row carries the SHA-256 of the previous
-- row's hash and its own content, so changing or removing a row breaks the chain from there
-- on; `alabos --verify-audit` recomputes it outside the database. The scheduler signs the
-- newest hash now and then (audit_anchors), so even a superuser who recomputes every later
-- hash cannot produce the signatures. Inserts are serialised by an advisory lock, and the
-- row id is taken under it, so id order is chain order.
ALTER TABLE audit_log
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash bytea,
    ADD CONSTRAINT audit_log_user_length CHECK (length(user_name) <= 200),
    ADD CONSTRAINT audit_log_host_length CHECK (length(host) <= 255),
    ADD CONSTRAINT audit_log_action_length CHECK (length(action) <= 100),
    ADD CONSTRAINT audit_log_entity_length CHECK (length(entity_type) <= 100 AND length(entity_id) <= 400);

-- The bytes a row's hash covers; --verify-audit builds the same text from the raw columns.
CREATE FUNCTION alabos_audit_row_text(id bigint, at timestamptz, user_name text, host text,
                                      action text, entity_type text, entity_id text,
                                      detail jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(E'\x1f', id::text,
                                to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                user_name, host, action, entity_type, entity_id, detail::text),
                      'UTF8')
$$;

CREATE FUNCTION alabos_audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(7355608, 1);
    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    SELECT a.hash INTO last FROM audit_log a ORDER BY a.id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || alabos_audit_row_text(NEW.id, NEW.at, NEW.user_name,
                       NEW.host, NEW.action, NEW.entity_type, NEW.entity_id, NEW.detail));
    RETURN NEW;
END
$$;

-- The rows written before this migration join the chain in id order.
DO $$
DECLARE
    r record;
    last bytea := '\x'::bytea;
BEGIN
    ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        UPDATE audit_log SET prev_hash = last,
               hash = sha256(last || alabos_audit_row_text(r.id, r.at, r.user_name, r.host,
                             r.action, r.entity_type, r.entity_id, r.detail))
         WHERE id = r.id RETURNING hash INTO last;
    END LOOP;
    ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
END
$$;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION alabos_audit_log_chain();

CREATE TABLE audit_anchors (
    audit_id    bigint PRIMARY KEY,
    hash        bytea NOT NULL,
    public_key  bytea NOT NULL CONSTRAINT audit_anchors_key_size CHECK (length(public_key) = 32),
    signature   bytea NOT NULL CONSTRAINT audit_anchors_signature_size CHECK (length(signature) = 64),
    signed_at   timestamptz NOT NULL DEFAULT now()
);

-- Like audit_log (0008): the roles that use the database may add anchors and keys and read
-- them, never change or remove them.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT DISTINCT c.relname,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee_name
        FROM pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid IN ('audit_anchors'::regclass, 'scheduler_keys'::regclass)
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON %I FROM %s',
                       target.relname, target.grantee_name);
    END LOOP;
END
$$;
