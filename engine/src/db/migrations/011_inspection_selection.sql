-- How each inspected object was selected, so that a model can learn from random draws with their known selection
-- probabilities (stratum quota / eligible count) and leave targeted and complaint-driven visits out of its fit.
-- selection: 'random' (a double-random draw: stratum, stratum_eligible and stratum_quota recorded with it),
-- 'targeted' (a special or campaign inspection chosen by people), 'complaint' (a check of a complaint or report);
-- NULL: not recorded. Results entered in Fairdraw carry none: their draw (task_ref) records its strata.
ALTER TABLE inspection_results ADD COLUMN selection VARCHAR;
ALTER TABLE inspection_results ADD COLUMN stratum VARCHAR;
ALTER TABLE inspection_results ADD COLUMN stratum_eligible BIGINT;
ALTER TABLE inspection_results ADD COLUMN stratum_quota BIGINT;
