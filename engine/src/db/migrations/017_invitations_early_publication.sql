-- Who may act on a joint task (fd2 issue, item 6). A task that includes another department's items or team entries
-- invites that department; its operator accepts or declines, and the draw is committed only once every partner
-- department taking part has accepted. Results of a draw become public after its window has closed, or earlier by a
-- leader's recorded decision.
CREATE TABLE task_invitations (
  task_id     VARCHAR NOT NULL,
  department  VARCHAR NOT NULL,                     -- the partner department invited (never the lead)
  status      VARCHAR NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
  invited_by  VARCHAR NOT NULL,
  invited_at  TIMESTAMPTZ NOT NULL,
  decided_by  VARCHAR,                              -- the partner's operator (or an admin) who answered
  decided_at  TIMESTAMPTZ,
  PRIMARY KEY (task_id, department)
);

-- Joint tasks created before invitations existed and not yet drawn: their partners are asked now, like a new task's.
INSERT INTO task_invitations (task_id, department, status, invited_by, invited_at)
SELECT t.id, d.department, 'pending', t.created_by, t.created_at
FROM tasks t, unnest(t.departments) AS d(department)
WHERE d.department <> t.lead_department
  AND NOT EXISTS (SELECT 1 FROM draws x WHERE x.task_id = t.id AND x.status <> 'voided');

-- A leader's decision to publish a draw's results before its window closes (one per draw, with the reason).
CREATE TABLE early_publications (
  draw_id     VARCHAR PRIMARY KEY,
  reason      VARCHAR NOT NULL,
  decided_by  VARCHAR NOT NULL,
  decided_at  TIMESTAMPTZ NOT NULL
);
