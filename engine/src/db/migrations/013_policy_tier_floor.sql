-- A floor under every tier's ratio (basis points, default 1%): every entity keeps a known, non-zero chance of being
-- drawn, so that a model can learn from the draws about every tier, however low its risk (positivity). Saved
-- versions before this one had no floor and take the default.
ALTER TABLE sampling_policies ADD COLUMN tier_floor_bp INTEGER DEFAULT 100;
