-- The objects a draw left out because other departments' recognised results covered every item of its checklist
-- (item_equivalences; draw/sql/eligibility.sql), recorded at commit: coverage counts them as covered by recognition,
-- apart from the objects drawn.
CREATE TABLE draw_recognised (
  draw_id   VARCHAR NOT NULL,
  object_id VARCHAR NOT NULL,
  PRIMARY KEY (draw_id, object_id)
);
