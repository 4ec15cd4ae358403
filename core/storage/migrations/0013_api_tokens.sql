-- API tokens (core/security/apitokens.h): created by a user in the console for a program that
-- calls the REST API as that user. Only the BLAKE2b-256 hash of the token's secret is kept;
-- the token itself is shown once and never stored. A token is never deleted, only revoked,
-- so the audit trail's token ids always name a row.
CREATE TABLE api_tokens (
    id           text PRIMARY KEY CONSTRAINT api_tokens_id_format CHECK (id ~ '^[A-Za-z0-9_-]{12}$'),
    user_name    text NOT NULL REFERENCES users (name),
    name         text NOT NULL CONSTRAINT api_tokens_name_length
                 CHECK (length(btrim(name)) > 0 AND length(name) <= 100),
    secret_hash  bytea NOT NULL CONSTRAINT api_tokens_secret_hash_size CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoked_by   text CONSTRAINT api_tokens_revoked_by_length CHECK (length(revoked_by) <= 200),
    last_used_at timestamptz,
    CONSTRAINT api_tokens_expiry_within_a_year
        CHECK (expires_at > created_at AND expires_at <= created_at + interval '366 days'),
    CONSTRAINT api_tokens_revoked_needs_who_and_when CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- A revocation is final: no UPDATE takes it back or changes what the token is.
CREATE FUNCTION alabos_api_tokens_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
        RAISE EXCEPTION 'api_tokens: a revoked token stays revoked';
    END IF;
    IF NEW.id <> OLD.id OR NEW.user_name <> OLD.user_name OR NEW.secret_hash <> OLD.secret_hash
       OR NEW.created_at <> OLD.created_at OR NEW.expires_at <> OLD.expires_at THEN
        RAISE EXCEPTION 'api_tokens: only the revocation and the last use of a token change';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER api_tokens_guard BEFORE UPDATE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION alabos_api_tokens_guard();

-- Least privilege (as 0008 for the audit trail). The application role verifies tokens, so it
-- must read secret_hash: the hashes of 256-bit random secrets reveal nothing a reader could
-- turn back into a token, so reading them is no risk. It inserts new tokens and records
-- revocations and last uses; it never deletes a token (the record outlives its revocation)
-- and never rewrites the rest of a row, whatever default privileges granted.
DO $$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
        FROM pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = 'api_tokens'::regclass
          AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON api_tokens FROM %s',
                       grantee_name);
        EXECUTE format('GRANT UPDATE (revoked_at, revoked_by, last_used_at) ON api_tokens TO %s',
                       grantee_name);
    END LOOP;
END
$$;
