-- Cadence team server, schema version 1: the team, the ops applied once,
-- the commit-ordered change feed, and the do-not-contact list. Applied by
-- `cadence team init` as a superuser; never edit once shipped: add 002.
-- Tables and functions belong to the NOLOGIN role cadence_team; reps and
-- managers log in with their own roles (members of cadence_reps or
-- cadence_managers) and may only EXECUTE the functions granted below.

-- Roles belong to the whole cluster: another database's init may be making
-- them at the same moment.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['cadence_team', 'cadence_reps', 'cadence_managers'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
END $$;

CREATE SCHEMA team AUTHORIZATION cadence_team;
REVOKE ALL ON SCHEMA team FROM PUBLIC;

CREATE TABLE team.meta (key text PRIMARY KEY, value text NOT NULL);

-- One row per person: the login role their desktop uses.
CREATE TABLE team.reps (
    id       text PRIMARY KEY,
    db_role  name UNIQUE NOT NULL,
    manager  boolean NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- Every op a desktop pushed, by its UUID: a retry gets the stored result.
CREATE TABLE team.applied_ops (
    uid        uuid PRIMARY KEY,
    rep_id     text NOT NULL,
    kind       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    result     jsonb NOT NULL
);

-- The feed desktops pull by cursor. Writers take an advisory lock before
-- taking a number, so numbers are given in commit order and a reader that
-- asks for "after N" never skips a row committed late.
CREATE SEQUENCE team.changes_seq;
CREATE TABLE team.changes (
    seq  bigint PRIMARY KEY,
    at   timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    key  text NOT NULL,
    body jsonb NOT NULL
);

-- The do-not-contact list, add-wins: an entry is listed while any add of it
-- exists; a removal takes away only the adds it may (the rep's own; a
-- manager's, all).
CREATE TABLE team.dnc_adds (
    add_uid  uuid PRIMARY KEY,
    entry    text NOT NULL,
    rep_id   text NOT NULL,
    reason   text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dnc_adds_entry ON team.dnc_adds (entry);

ALTER TABLE team.meta OWNER TO cadence_team;
ALTER TABLE team.reps OWNER TO cadence_team;
ALTER TABLE team.applied_ops OWNER TO cadence_team;
ALTER SEQUENCE team.changes_seq OWNER TO cadence_team;
ALTER TABLE team.changes OWNER TO cadence_team;
ALTER TABLE team.dnc_adds OWNER TO cadence_team;

-- The caller, or an error a desktop can explain.
CREATE FUNCTION team.me() RETURNS team.reps
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE r team.reps;
BEGIN
    SELECT * INTO r FROM team.reps WHERE db_role = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the role % is not on this team (removed?)', session_user USING ERRCODE = '42501';
    END IF;
    RETURN r;
END $$;

CREATE FUNCTION team.feed(k text, feed_key text, feed_body jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE s bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7001);
    s := nextval('team.changes_seq');
    INSERT INTO team.changes (seq, kind, key, body) VALUES (s, k, feed_key, feed_body);
    PERFORM pg_notify('team_changes', s::text);
    RETURN s;
END $$;

CREATE FUNCTION team.schema_version() RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = team, pg_temp AS $$
    SELECT value::int FROM team.meta WHERE key = 'schema'
$$;

-- Ops from one desktop, each applied once: [{uid, kind, body}] -> [{uid, ok, why?, retry?}].
CREATE FUNCTION team.push(ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    op jsonb;
    out jsonb := '[]'::jsonb;
    res jsonb;
    prior jsonb;
    v_uid uuid;
    e text;
BEGIN
    FOR op IN SELECT value FROM jsonb_array_elements(ops) LOOP
        v_uid := (op->>'uid')::uuid;
        SELECT result INTO prior FROM team.applied_ops WHERE uid = v_uid;
        IF FOUND THEN
            out := out || jsonb_build_array(prior);
            CONTINUE;
        END IF;
        e := lower(btrim(op->'body'->>'entry'));
        IF op->>'kind' = 'dnc_add' THEN
            INSERT INTO team.dnc_adds (add_uid, entry, rep_id, reason) VALUES (v_uid, e, me.id, coalesce(op->'body'->>'reason', ''));
            PERFORM team.feed('dnc_add', e, jsonb_build_object('entry', e, 'reason', coalesce(op->'body'->>'reason', ''), 'rep', me.id));
            res := jsonb_build_object('uid', v_uid, 'ok', true);
        ELSIF op->>'kind' = 'dnc_remove' THEN
            IF me.manager THEN
                DELETE FROM team.dnc_adds WHERE entry = e;
            ELSE
                DELETE FROM team.dnc_adds WHERE entry = e AND rep_id = me.id;
            END IF;
            IF EXISTS (SELECT 1 FROM team.dnc_adds WHERE entry = e) THEN
                res := jsonb_build_object('uid', v_uid, 'ok', false,
                    'why', 'someone else on the team listed it too; only a manager can take it off the team list');
            ELSE
                PERFORM team.feed('dnc_remove', e, jsonb_build_object('entry', e, 'rep', me.id));
                res := jsonb_build_object('uid', v_uid, 'ok', true);
            END IF;
        ELSE
            -- Not recorded: a newer server may know it, so the desktop keeps it.
            out := out || jsonb_build_array(jsonb_build_object('uid', v_uid, 'ok', false, 'retry', true,
                'why', format('this team server does not know the operation "%s" yet: update it', op->>'kind')));
            CONTINUE;
        END IF;
        INSERT INTO team.applied_ops (uid, rep_id, kind, result) VALUES (v_uid, me.id, op->>'kind', res);
        out := out || jsonb_build_array(res);
    END LOOP;
    RETURN out;
END $$;

-- The feed after a cursor, in order.
CREATE FUNCTION team.pull(after bigint, lim int)
RETURNS TABLE (seq bigint, at timestamptz, kind text, key text, body jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = team, pg_temp AS $$
BEGIN
    PERFORM team.me();
    RETURN QUERY SELECT c.seq, c.at, c.kind, c.key, c.body FROM team.changes c
        WHERE c.seq > after ORDER BY c.seq LIMIT least(greatest(lim, 1), 5000);
END $$;

-- Whether an address may be mailed now, by the team's list.
CREATE FUNCTION team.may_send(address text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    a text := lower(btrim(address));
    d text := '@' || split_part(lower(btrim(address)), '@', 2);
    hit record;
BEGIN
    PERFORM team.me();
    SELECT entry, reason INTO hit FROM team.dnc_adds WHERE entry IN (a, d) ORDER BY added_at LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('ok', false, 'why', format('%s is on the team do-not-contact list (%s)', hit.entry, hit.reason));
    END IF;
    RETURN jsonb_build_object('ok', true);
END $$;

ALTER FUNCTION team.me() OWNER TO cadence_team;
ALTER FUNCTION team.feed(text, text, jsonb) OWNER TO cadence_team;
ALTER FUNCTION team.schema_version() OWNER TO cadence_team;
ALTER FUNCTION team.push(jsonb) OWNER TO cadence_team;
ALTER FUNCTION team.pull(bigint, int) OWNER TO cadence_team;
ALTER FUNCTION team.may_send(text) OWNER TO cadence_team;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA team FROM PUBLIC;
GRANT USAGE ON SCHEMA team TO cadence_reps, cadence_managers;
GRANT EXECUTE ON FUNCTION team.schema_version(), team.push(jsonb), team.pull(bigint, int), team.may_send(text)
    TO cadence_reps, cadence_managers;
