-- Satchel schema v5: conversations.
--
-- Messages that name one another (Message-ID, In-Reply-To, References) are one conversation,
-- found as mail arrives: each id a stored message has or names is kept with the conversation it
-- belongs to, so a new message finds its conversation with a few key lookups, and a message
-- that links two conversations merges them. The order inside a conversation (who answers whom)
-- is worked out when it is shown (src/threading, JWZ's algorithm).
--
-- thread_id: the message's conversation (NULL until grouped: messages stored before v5 are
-- grouped in Rust when the store is next opened).
ALTER TABLE messages ADD COLUMN thread_id INTEGER;
CREATE INDEX messages_thread ON messages (thread_id);
-- A folder's messages in date order with their conversations and read state: the threaded
-- list reads only this.
DROP INDEX messages_folder_sort;
CREATE INDEX messages_folder_sort ON messages (folder_id, sort_key DESC, thread_id, seen);

-- Every Message-ID seen (a stored message's own, or one it names as an ancestor) and its
-- conversation. Ids of messages never stored stay: a late original still finds its answers.
CREATE TABLE thread_ids (
    message_id  TEXT    PRIMARY KEY,
    thread_id   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_ids_thread ON thread_ids (thread_id);
