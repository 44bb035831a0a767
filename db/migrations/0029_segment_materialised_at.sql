-- When a segment's membership was last evaluated, kept on the segment itself: an evaluation that
-- found no fan is an evaluation too (its members' evaluated_at cannot say so, having no rows).
ALTER TABLE fan_segments ADD COLUMN materialised_at timestamptz;
UPDATE fan_segments g
SET materialised_at = (SELECT max(m.evaluated_at) FROM fan_segment_members m
                       WHERE m.segment_id = g.id);

-- updated_at is when the definition changed, not when the membership was evaluated.
DROP TRIGGER touch_updated_at ON fan_segments;
CREATE TRIGGER touch_updated_at BEFORE UPDATE OF creator_id, name, description, rules, is_preset
    ON fan_segments FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();
