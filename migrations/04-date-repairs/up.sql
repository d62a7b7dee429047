-- Satchel schema v5: re-dating mail that was stored under its download time.
--
-- Before v5 a message whose Date header was missing or malformed was dated when it was
-- downloaded, so old mail sat at the top of the list as "today". Satchel now falls back to the
-- newest Received header's date before the download. Every message dated exactly its download
-- time is a candidate: the store re-parses its raw bytes when it is next opened (in Rust; SQL
-- cannot read Received headers) and moves it, with its search-index document, under the right
-- date. A message whose Date header really says that moment keeps it.
--
-- moved_from: the sort key the message had before it was moved (set once the message row has
-- moved, until its index document has too; the index is another file, so the two commits are
-- not one).
CREATE TABLE date_repairs (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    moved_from  INTEGER
);
INSERT INTO date_repairs (message_id) SELECT id FROM messages WHERE date = received_at;
