-- The highest journal export id when a production run committed: the exports recorded after
-- it are those with a higher id (the database's order, not the clocks of its clients).
ALTER TABLE runs ADD COLUMN exports_before INTEGER;
