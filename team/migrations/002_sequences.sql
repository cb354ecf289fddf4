-- Cadence team server, schema version 2: the shared sequence library. A
-- manager publishes a sequence file as a new, immutable version, with a
-- compare-and-set on the version number; a version can be retired (it takes
-- no new enrollments) but never changed. Desktops receive versions through
-- the feed.

CREATE TABLE team.sequences (
    slug         text NOT NULL,
    version      int NOT NULL,
    name         text NOT NULL,
    source       text NOT NULL,
    sha256       text NOT NULL,
    published_by text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz,
    PRIMARY KEY (slug, version)
);
ALTER TABLE team.sequences OWNER TO cadence_team;

CREATE FUNCTION team.sequences_immutable() RETURNS trigger
LANGUAGE plpgsql SET search_path = team, pg_temp AS $$
BEGIN
    IF NEW.slug IS DISTINCT FROM OLD.slug OR NEW.version IS DISTINCT FROM OLD.version OR NEW.source IS DISTINCT FROM OLD.source
       OR NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.name IS DISTINCT FROM OLD.name THEN
        RAISE EXCEPTION 'a published version never changes: publish a new one';
    END IF;
    RETURN NEW;
END $$;
ALTER FUNCTION team.sequences_immutable() OWNER TO cadence_team;
CREATE TRIGGER sequences_immutable BEFORE UPDATE ON team.sequences FOR EACH ROW EXECUTE FUNCTION team.sequences_immutable();

-- Publishes version expected + 1 of a slug, if the newest is still `expected`.
CREATE FUNCTION team.publish(p_slug text, expected int, p_name text, p_source text, p_sha text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE
    me team.reps := team.me();
    cur int;
BEGIN
    IF NOT me.manager THEN
        RAISE EXCEPTION 'only a manager publishes team sequences' USING ERRCODE = '42501';
    END IF;
    PERFORM pg_advisory_xact_lock(7002, hashtext(p_slug));
    SELECT coalesce(max(version), 0) INTO cur FROM team.sequences WHERE slug = p_slug;
    IF cur <> expected THEN
        RETURN jsonb_build_object('ok', false, 'current', cur,
            'why', format('%s is at version %s on the team, not %s: someone published since; sync, compare and publish again', p_slug, cur, expected));
    END IF;
    INSERT INTO team.sequences (slug, version, name, source, sha256, published_by) VALUES (p_slug, cur + 1, p_name, p_source, p_sha, me.id);
    PERFORM team.feed('sequence_published', p_slug, jsonb_build_object('slug', p_slug, 'version', cur + 1, 'name', p_name,
        'source', p_source, 'sha256', p_sha, 'by', me.id));
    RETURN jsonb_build_object('ok', true, 'version', cur + 1);
END $$;

-- Retires a version: it takes no new enrollments; running ones keep it.
CREATE FUNCTION team.retire(p_slug text, p_version int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = team, pg_temp AS $$
DECLARE me team.reps := team.me();
BEGIN
    IF NOT me.manager THEN
        RAISE EXCEPTION 'only a manager retires team sequences' USING ERRCODE = '42501';
    END IF;
    UPDATE team.sequences SET retired_at = coalesce(retired_at, now()) WHERE slug = p_slug AND version = p_version;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('ok', false, 'why', format('%s has no version %s on the team', p_slug, p_version));
    END IF;
    PERFORM team.feed('sequence_retired', p_slug, jsonb_build_object('slug', p_slug, 'version', p_version, 'by', me.id));
    RETURN jsonb_build_object('ok', true);
END $$;

ALTER FUNCTION team.publish(text, int, text, text, text) OWNER TO cadence_team;
ALTER FUNCTION team.retire(text, int) OWNER TO cadence_team;
REVOKE EXECUTE ON FUNCTION team.publish(text, int, text, text, text), team.retire(text, int), team.sequences_immutable() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION team.publish(text, int, text, text, text), team.retire(text, int) TO cadence_managers;
