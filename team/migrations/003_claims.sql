-- Cadence team server, schema version 3: account ownership. An account is
-- a company's domain (or a whole address at a free-mail domain); one rep
-- holds it at a time, with a lease renewed while their enrollments run
-- there, and an epoch that grows each time it changes hands, so a desktop
-- that has not heard of a change cannot mail the account (may_send).

CREATE TABLE team.claims (
    account     text PRIMARY KEY,
    holder      text NOT NULL,
    epoch       bigint NOT NULL,
    lease_until timestamptz NOT NULL,
    released    boolean NOT NULL DEFAULT false
);
ALTER TABLE team.claims OWNER TO cadence_team;

-- Claims (or renews) an account for the caller, for `days`: won when it is
-- free, theirs already, released, or its lease has run out. Linearizable:
-- one row, one statement.
CREATE FUNCTION team.claim(p_account text, p_days int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    a text := lower(btrim(p_account));
    won team.claims;
    other team.claims;
BEGIN
    INSERT INTO team.claims AS c (account, holder, epoch, lease_until)
        VALUES (a, me.id, 1, now() + make_interval(days => greatest(p_days, 1)))
    ON CONFLICT (account) DO UPDATE
        SET holder = me.id,
            epoch = CASE WHEN c.holder = me.id AND NOT c.released THEN c.epoch ELSE c.epoch + 1 END,
            lease_until = now() + make_interval(days => greatest(p_days, 1)),
            released = false
        WHERE c.holder = me.id OR c.released OR c.lease_until < now()
    RETURNING * INTO won;
    IF won.account IS NULL THEN
        SELECT * INTO other FROM team.claims WHERE account = a;
        RETURN jsonb_build_object('ok', false, 'holder', other.holder, 'epoch', other.epoch,
            'why', format('account owned by %s', other.holder));
    END IF;
    PERFORM team.feed('claimed', a, jsonb_build_object('account', a, 'holder', me.id, 'epoch', won.epoch, 'lease_until', won.lease_until));
    RETURN jsonb_build_object('ok', true, 'holder', me.id, 'epoch', won.epoch, 'lease_until', won.lease_until);
END $$;

-- Gives an account back (its holder) or takes it from anyone (a manager).
CREATE FUNCTION team.release(p_account text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    a text := lower(btrim(p_account));
    c team.claims;
BEGIN
    UPDATE team.claims SET released = true, epoch = epoch + 1
        WHERE account = a AND NOT released AND (holder = me.id OR me.manager) RETURNING * INTO c;
    IF c.account IS NULL THEN
        RETURN jsonb_build_object('ok', false, 'why', format('%s is not yours to release', a));
    END IF;
    PERFORM team.feed('claimed', a, jsonb_build_object('account', a, 'holder', NULL, 'epoch', c.epoch));
    RETURN jsonb_build_object('ok', true, 'epoch', c.epoch);
END $$;

-- A manager hands an account to another rep: the epoch grows, so the old
-- holder's desktop cannot mail it, and its enrollments there pause.
CREATE FUNCTION team.reassign(p_account text, p_to text, p_days int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    a text := lower(btrim(p_account));
    c team.claims;
BEGIN
    IF NOT me.manager THEN
        RAISE EXCEPTION 'only a manager reassigns accounts' USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM team.reps WHERE id = p_to) THEN
        RETURN jsonb_build_object('ok', false, 'why', format('%s is not on the team', p_to));
    END IF;
    INSERT INTO team.claims AS x (account, holder, epoch, lease_until)
        VALUES (a, p_to, 1, now() + make_interval(days => greatest(p_days, 1)))
    ON CONFLICT (account) DO UPDATE SET holder = p_to, epoch = x.epoch + 1, released = false,
        lease_until = now() + make_interval(days => greatest(p_days, 1))
    RETURNING * INTO c;
    PERFORM team.feed('claimed', a, jsonb_build_object('account', a, 'holder', p_to, 'epoch', c.epoch, 'lease_until', c.lease_until));
    RETURN jsonb_build_object('ok', true, 'holder', p_to, 'epoch', c.epoch);
END $$;

-- may_send, with fencing: an address at an account another rep holds (a
-- live lease) is refused, whatever the caller's desktop believes.
CREATE OR REPLACE FUNCTION team.may_send(address text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    a text := lower(btrim(address));
    domain text := split_part(lower(btrim(address)), '@', 2);
    d text := '@' || split_part(lower(btrim(address)), '@', 2);
    hit record;
    owner team.claims;
BEGIN
    SELECT entry, reason INTO hit FROM team.dnc_adds WHERE entry IN (a, d) ORDER BY added_at LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('ok', false, 'why', format('%s is on the team do-not-contact list (%s)', hit.entry, hit.reason));
    END IF;
    SELECT * INTO owner FROM team.claims WHERE account IN (domain, a) AND NOT released AND lease_until > now() AND holder <> me.id LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('ok', false, 'why', format('account owned by %s', owner.holder));
    END IF;
    RETURN jsonb_build_object('ok', true);
END $$;

ALTER FUNCTION team.claim(text, int) OWNER TO cadence_team;
ALTER FUNCTION team.release(text) OWNER TO cadence_team;
ALTER FUNCTION team.reassign(text, text, int) OWNER TO cadence_team;
ALTER FUNCTION team.may_send(text) OWNER TO cadence_team;
REVOKE EXECUTE ON FUNCTION team.claim(text, int), team.release(text), team.reassign(text, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION team.claim(text, int), team.release(text) TO cadence_reps, cadence_managers;
GRANT EXECUTE ON FUNCTION team.reassign(text, text, int) TO cadence_managers;
