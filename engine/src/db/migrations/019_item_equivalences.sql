-- Items of different departments declared equivalent (结果互认): a recent result of one counts for the other, so a draw
-- for one item skips an entity another department checked for its equivalent within the burden window. Maintained by
-- admins, every change audited. A pair is stored once, codes in ascending order, and holds both ways.
CREATE TABLE item_equivalences (
  item_a       VARCHAR NOT NULL,
  item_b       VARCHAR NOT NULL,
  reason       VARCHAR NOT NULL,
  declared_by  VARCHAR NOT NULL,
  declared_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (item_a, item_b),
  CHECK (item_a < item_b)
);
