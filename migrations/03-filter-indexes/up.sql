-- Satchel schema v3: every search operator is answered from an index, newest first.
--
-- Read state is as often rare as common (new mail arrives unread), so both values are indexed
-- in date order: `is:unread` and `is:read` read the newest matches straight out of it.
CREATE INDEX messages_seen_sort ON messages (seen, sort_key);
-- Flags, replies and attachments are rare: a partial index lists just those messages.
CREATE INDEX messages_flagged_sort ON messages (sort_key) WHERE flagged = 1;
CREATE INDEX messages_answered_sort ON messages (sort_key) WHERE answered = 1;
CREATE INDEX messages_attachments_sort ON messages (sort_key) WHERE has_attachments = 1;
-- `larger:` and `smaller:` when few messages match.
CREATE INDEX messages_size ON messages (size);
-- Every filtered column in date order: a search whose filters each match many messages walks
-- this instead of the table (a few dozen bytes per message instead of the whole row).
CREATE INDEX messages_sort_filters ON messages
    (sort_key, seen, flagged, answered, has_attachments, size, account_id, folder_id);

-- Message and unread counts per folder, kept by triggers: the folder tree, the store's message
-- count and the check that the search index is complete read a few rows, not every message.
CREATE TABLE folder_counts (
    folder_id  INTEGER PRIMARY KEY,
    messages   INTEGER NOT NULL,
    unread     INTEGER NOT NULL
);
INSERT INTO folder_counts (folder_id, messages, unread)
    SELECT folder_id, count(*), count(*) FILTER (WHERE seen = 0) FROM messages GROUP BY folder_id;
CREATE TRIGGER folder_counts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO folder_counts (folder_id, messages, unread) VALUES (new.folder_id, 1, new.seen = 0)
    ON CONFLICT (folder_id) DO UPDATE SET messages = messages + 1, unread = unread + excluded.unread;
END;
CREATE TRIGGER folder_counts_delete AFTER DELETE ON messages BEGIN
    UPDATE folder_counts SET messages = messages - 1, unread = unread - (old.seen = 0)
    WHERE folder_id = old.folder_id;
END;
CREATE TRIGGER folder_counts_update AFTER UPDATE OF folder_id, seen ON messages
WHEN old.folder_id IS NOT new.folder_id OR old.seen IS NOT new.seen BEGIN
    UPDATE folder_counts SET messages = messages - 1, unread = unread - (old.seen = 0)
    WHERE folder_id = old.folder_id;
    INSERT INTO folder_counts (folder_id, messages, unread) VALUES (new.folder_id, 1, new.seen = 0)
    ON CONFLICT (folder_id) DO UPDATE SET messages = messages + 1, unread = unread + excluded.unread;
END;
CREATE TRIGGER folder_counts_folder_gone AFTER DELETE ON folders BEGIN
    DELETE FROM folder_counts WHERE folder_id = old.id;
END;
