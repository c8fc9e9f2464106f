-- The portal's search now runs on an index of published results held in memory by the server
-- (engine/src/publish/search-index.ts) and reads a page's rows by result id (the primary key). Nothing looks up
-- public_results by object_id any more, so 009's index would only cost each publication its upkeep.
DROP INDEX IF EXISTS public_results_object_id;
