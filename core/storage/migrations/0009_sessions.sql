-- Sign-in is checked by the scheduler, which opens sessions (kept in its memory). The users
-- table remembers failed attempts, so repeated failures lock an account for a while even
-- across restarts, and which accounts are demo accounts of a simulated lab.
ALTER TABLE users
    ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0 CONSTRAINT users_failed_sign_ins_non_negative CHECK (failed_sign_ins >= 0),
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN demo boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT users_display_name_length CHECK (length(display_name) <= 200),
    ADD CONSTRAINT users_password_hash_length CHECK (length(password_hash) <= 400);
-- The demo accounts an earlier version created (password: the user's name) are marked, so
-- they keep working only where a simulated lab runs.
UPDATE users SET demo = true
 WHERE name IN ('operator', 'technician', 'supervisor') AND display_name = 'Demo ' || name;

-- What this database was created for, decided by the first start that finds it empty:
-- 'simulation' (demo accounts allowed) or 'lab'.
CREATE TABLE lab_origin (
    singleton   boolean PRIMARY KEY DEFAULT true CONSTRAINT lab_origin_one_row CHECK (singleton),
    created_for text NOT NULL CONSTRAINT lab_origin_kind CHECK (created_for IN ('simulation', 'lab')),
    decided_at  timestamptz NOT NULL DEFAULT now()
);

-- The public halves of the keys schedulers sign state events and command replies with;
-- consoles on any host verify against them. Written at a scheduler's start.
CREATE TABLE scheduler_keys (
    public_key  bytea PRIMARY KEY CONSTRAINT scheduler_keys_size CHECK (length(public_key) = 32),
    host        text NOT NULL DEFAULT '' CONSTRAINT scheduler_keys_host_length CHECK (length(host) <= 255),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The running scheduler's key, so a console seals its sign-in to it.
ALTER TABLE scheduler_leader ADD COLUMN signing_key bytea
    CONSTRAINT scheduler_leader_signing_key_size CHECK (length(signing_key) = 32);
