-- Satchel schema v2: POP3 states that record doubt, and a per-account message size cap.
--
-- incomplete:  stored, but shorter than the server announced (a server that failed to dot-stuff);
--              kept on the server, never deleted by policy.
-- ambiguous:   the server listed this UIDL for more than one message; whatever it points at now
--              is fetched again and never deleted by policy until the UIDL is unique again.
-- recognised:  linked to a stored message by its headers and size after a UIDL reset; deleted
--              only after a full download proves the bytes are the ones stored.
CREATE TABLE pop_state_v2 (
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    uidl           TEXT    NOT NULL,
    size           INTEGER NOT NULL,
    first_seen     INTEGER NOT NULL,
    downloaded_at  INTEGER,
    state          TEXT    NOT NULL CHECK (state IN ('on_server', 'removed_from_server', 'headers_only',
                                                     'incomplete', 'ambiguous', 'recognised')),
    message_id     INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    PRIMARY KEY (account_id, uidl)
) WITHOUT ROWID;
INSERT INTO pop_state_v2 (account_id, uidl, size, first_seen, downloaded_at, state, message_id)
    SELECT account_id, uidl, size, first_seen, downloaded_at, state, message_id FROM pop_state;
DROP TABLE pop_state;
ALTER TABLE pop_state_v2 RENAME TO pop_state;
CREATE INDEX pop_state_message ON pop_state (message_id);

-- Largest message downloaded in full, in MiB (NULL: the default, 256 MiB); larger ones are kept
-- headers-only.
ALTER TABLE accounts ADD COLUMN max_message_mb INTEGER;
