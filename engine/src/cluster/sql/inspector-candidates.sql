-- Inspector candidates (protocol section 5): for each selected object of a run, the first $depth members of each
-- department's pool in ikey order, comma-joined (ids hold no comma), one column per department in team-spec order.
-- Each shard ranks the pools for the picks it holds.
SELECT id, $rankedPools
FROM $picks
WHERE run_id = $runId
FORMAT TabSeparatedRaw
