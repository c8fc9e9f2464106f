-- Risk engine: fitted model versions and the current score and tier of every active entity.

-- One row per fitted model; rows are only ever inserted, so every version stays with its metrics and author.
-- as_of: the data's reference date the model was fitted at (features use records dated on or before it).
-- params: feature bins with their weight of evidence, coefficients, intercept (engine/src/risk/scorecard.ts).
-- metrics: training figures and, when run, the backtest (auc, hitRateByTier {"A".."D"}, liftAt, daysEarlier).
-- cutoffs: how tiers were cut (target shares or score thresholds) and the score thresholds that resulted.
CREATE TABLE risk_models (
  version    INTEGER PRIMARY KEY,
  fitted_at  TIMESTAMPTZ NOT NULL,
  fitted_by  VARCHAR NOT NULL,
  method     VARCHAR NOT NULL,
  as_of      DATE NOT NULL,
  params     JSON NOT NULL,
  metrics    JSON NOT NULL,
  cutoffs    JSON NOT NULL
);

-- The current score of every active entity under the latest scored model: one row per entity.
-- score: predicted probability that an inspection finds a problem (0..1).
-- bin_code: the entity's bin of each model feature, 4 bits per feature in the model's feature order
--   (feature i's bin = (bin_code >> (4 * i)) & 15); with the model's params it gives each feature's
--   contribution without storing 18 M rows of JSON (see explain() in engine/src/risk/score.ts).
-- No PRIMARY KEY index: building an ART index over 18 M VARCHAR keys costs minutes here (measured
-- 10 s for 2 M rows); object_id is unique by construction (one row per objects.id) and a single-entity
-- lookup scans the table in well under a second.
CREATE TABLE risk_scores (
  object_id     VARCHAR NOT NULL,
  model_version INTEGER NOT NULL,
  score         DOUBLE NOT NULL,
  tier          VARCHAR NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
  bin_code      UBIGINT NOT NULL
);
