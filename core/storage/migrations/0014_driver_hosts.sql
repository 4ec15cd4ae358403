-- Driver hosts (docs/driver-hosts.md): the public half of each host's signing key. The
-- scheduler believes a report about a device only when the host the lab file assigns the
-- device to signed it. A host registers its key at its first start; a different key for a
-- registered name is refused, so the name cannot be taken over by registering again.
CREATE TABLE driver_host_keys (
    host          text PRIMARY KEY CONSTRAINT driver_host_keys_host_format
                  CHECK (host ~ '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$'),
    public_key    bytea NOT NULL CONSTRAINT driver_host_keys_key_size CHECK (length(public_key) = 32),
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- Least privilege (as 0010 for the schedulers' keys): the roles that use the database may
-- add a key and read them, never change or remove one; that is the owner's decision.
DO $$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
        FROM pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = 'driver_host_keys'::regclass
          AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON driver_host_keys FROM %s',
                       grantee_name);
    END LOOP;
END
$$;
