-- Satchel schema v1. Pragmas (WAL, foreign keys, synchronous) are set per connection, not here.

-- POP3 accounts and their retention policies. Passwords are never stored here.
CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name         TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    host                 TEXT    NOT NULL DEFAULT '',
    port                 INTEGER NOT NULL DEFAULT 995,
    security             TEXT    NOT NULL DEFAULT 'tls'  CHECK (security IN ('tls', 'starttls', 'plain')),
    username             TEXT    NOT NULL DEFAULT '',
    auth_method          TEXT    NOT NULL DEFAULT 'auto',
    pinned_fingerprint   TEXT,
    keep_on_server       INTEGER NOT NULL DEFAULT 1,
    remove_after_days    INTEGER,
    remove_when_deleted  INTEGER NOT NULL DEFAULT 0,
    size_limit_kb        INTEGER,
    check_every_minutes  INTEGER,
    created_at           INTEGER NOT NULL
);

-- Folders: one Inbox per account, one local Trash, and user folders that nest.
CREATE TABLE folders (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES folders(id),
    account_id  INTEGER REFERENCES accounts(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('inbox', 'trash', 'user')),
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX folders_unique_name ON folders (ifnull(parent_id, 0), ifnull(account_id, 0), name COLLATE NOCASE);
CREATE UNIQUE INDEX folders_one_trash ON folders (kind) WHERE kind = 'trash';

-- Summary columns only: list queries never touch the raw bytes.
-- sort_key = (date << 20) | n orders messages newest-first by date with no sort step, and is the
-- full-text index's rowid, so "newest 200 hits" streams straight out of the index.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    sort_key         INTEGER NOT NULL UNIQUE,
    folder_id        INTEGER NOT NULL REFERENCES folders(id),
    account_id       INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    raw_sha256       BLOB    NOT NULL,
    date             INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    from_name        TEXT    NOT NULL,
    from_addr        TEXT    NOT NULL,
    to_addrs         TEXT    NOT NULL,
    cc_addrs         TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    message_id       TEXT,
    in_reply_to      TEXT,
    refs             TEXT,
    size             INTEGER NOT NULL,
    has_attachments  INTEGER NOT NULL DEFAULT 0,
    snippet          TEXT    NOT NULL,
    seen             INTEGER NOT NULL DEFAULT 0,
    flagged          INTEGER NOT NULL DEFAULT 0,
    answered         INTEGER NOT NULL DEFAULT 0,
    headers_only     INTEGER NOT NULL DEFAULT 0,
    trashed_from     INTEGER REFERENCES folders(id) ON DELETE SET NULL
);
CREATE INDEX messages_folder_sort ON messages (folder_id, sort_key DESC);
CREATE INDEX messages_folder_seen ON messages (folder_id, seen);
CREATE INDEX messages_sha256 ON messages (raw_sha256);
CREATE INDEX messages_message_id ON messages (message_id);

-- Byte-exact raw message, kept apart from the summary row; zstd-compressed when worth it.
CREATE TABLE message_raw (
    message_id   INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    raw_bytes    BLOB NOT NULL,
    compression  TEXT NOT NULL CHECK (compression IN ('none', 'zstd'))
);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    mime_type   TEXT    NOT NULL,
    size        INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

-- Per-account POP3 state: what the server holds and what we did with it.
CREATE TABLE pop_state (
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    uidl           TEXT    NOT NULL,
    size           INTEGER NOT NULL,
    first_seen     INTEGER NOT NULL,
    downloaded_at  INTEGER,
    state          TEXT    NOT NULL CHECK (state IN ('on_server', 'removed_from_server', 'headers_only')),
    message_id     INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    PRIMARY KEY (account_id, uidl)
) WITHOUT ROWID;
CREATE INDEX pop_state_message ON pop_state (message_id);

-- The full-text index lives in a separate, rebuildable file (see src/store/index.rs).

INSERT INTO folders (parent_id, account_id, kind, name, created_at) VALUES (NULL, NULL, 'trash', 'Trash', unixepoch());
