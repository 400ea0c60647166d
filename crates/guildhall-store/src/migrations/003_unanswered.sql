-- Guildhall personal store, schema version 3: weak results are logged, not only empty ones.
-- `opened` is what the person did with a settled search's results: 1 they opened one within the
-- time the UI allows (30 seconds), 0 they searched again or left without opening any within it
-- (a settled search without a click), NULL not known (logged before version 3, or by a shell
-- that does not watch what happens next). A search is *unanswered* when it found nothing or was
-- settled without a click. As before, nothing in the log says who searched.
ALTER TABLE search_log ADD COLUMN opened INTEGER CHECK (opened IN (0, 1));
DROP INDEX search_log_zero_results;
CREATE INDEX search_log_unanswered ON search_log (at) WHERE result_count = 0 OR opened = 0;
