-- Placeholder on the local-time branch only: schema v4 is the conversations migration, written
-- on another branch. Delete this folder when merging that one (migration ids must be
-- consecutive, and 05 follows it). It changes nothing.
CREATE TABLE placeholder_v4 (unused INTEGER);
DROP TABLE placeholder_v4;
