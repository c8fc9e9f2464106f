-- A task's public name (public plan lists, the portal, published results) beside its internal name, which may carry the
-- reason for a special task; and the regional alert a special task was raised from (its statistics, internal only).
ALTER TABLE tasks ADD COLUMN public_name VARCHAR;
UPDATE tasks SET public_name = name;
ALTER TABLE tasks ADD COLUMN alert_evidence JSON;
