-- Electronic signatures (SECURITY.md, "Electronic signatures"): which operator command kinds
-- need one, and the reasons (meanings) a signer chooses from. Changed only by the
-- signature.policy command (an administrator's), which replaces both lists and writes its
-- audit_log row in the same transaction. The signatures themselves are not here: each one is
-- stored with its command, in the command's audit_log row and event.
CREATE TABLE signature_required_kinds (
    kind       text PRIMARY KEY CONSTRAINT signature_required_kinds_kind_format
               CHECK (kind ~ '^[a-z][a-z.]{0,63}$'),
    changed_by text NOT NULL CONSTRAINT signature_required_kinds_changed_by_length
               CHECK (length(changed_by) <= 200),
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signature_reasons (
    position   int PRIMARY KEY CONSTRAINT signature_reasons_position_range
               CHECK (position >= 0 AND position < 20),
    reason     text NOT NULL UNIQUE CONSTRAINT signature_reasons_reason_length
               CHECK (length(btrim(reason)) > 0 AND length(reason) <= 100),
    changed_by text NOT NULL CONSTRAINT signature_reasons_changed_by_length
               CHECK (length(changed_by) <= 200),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- The same words as SignaturePolicy::defaults(); no kind needs a signature until an
-- administrator says so.
INSERT INTO signature_reasons (position, reason, changed_by) VALUES
    (0, 'Approved', 'alabos'),
    (1, 'Reviewed', 'alabos'),
    (2, 'Corrected an error', 'alabos'),
    (3, 'Cancelled on request', 'alabos');

-- Least privilege: the application role reads the policy and replaces it (DELETE and INSERT
-- in one transaction, with the audit row); it never alters a row in place or truncates,
-- so a change is always a whole new policy whose audit row says who made it.
DO $$
DECLARE
    grantee_name text;
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['signature_required_kinds', 'signature_reasons'] LOOP
        FOR grantee_name IN
            SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
            FROM pg_class c
            CROSS JOIN LATERAL aclexplode(c.relacl) a
            LEFT JOIN pg_roles r ON r.oid = a.grantee
            WHERE c.oid = table_name::regclass
              AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('REVOKE UPDATE, TRUNCATE, TRIGGER, REFERENCES ON %I FROM %s',
                           table_name, grantee_name);
        END LOOP;
    END LOOP;
END
$$;
