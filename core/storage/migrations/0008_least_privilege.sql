-- The audit trail is append-only for everyone but its owner: whatever grants the roles that
-- use the database received (default privileges give the application role UPDATE and DELETE
-- on every new table), only SELECT and INSERT remain on audit_log. Not being its owner, such
-- a role cannot disable its triggers either.
DO $$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
        FROM pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = 'audit_log'::regclass
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log FROM %s',
                       grantee_name);
    END LOOP;
END
$$;
