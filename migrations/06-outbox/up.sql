-- Satchel schema v6: answering mail. Identities, SMTP settings, the Drafts / Outbox / Sent
-- folders and the queue of messages waiting to be sent.

-- Who the account writes as, and how it submits mail (RFC 6409 submission).
-- smtp_username '' means "the POP3 username"; the SMTP password, when none is saved for
-- "NAME/smtp", is the POP3 one.
ALTER TABLE accounts ADD COLUMN identity_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN signature TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN smtp_host TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN smtp_port INTEGER NOT NULL DEFAULT 587 CHECK (smtp_port BETWEEN 1 AND 65535);
ALTER TABLE accounts ADD COLUMN smtp_security TEXT NOT NULL DEFAULT 'starttls'
    CHECK (smtp_security IN ('tls', 'starttls', 'plain'));
ALTER TABLE accounts ADD COLUMN smtp_username TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN smtp_auth TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE accounts ADD COLUMN smtp_pinned_fingerprint TEXT;

-- Drafts, Outbox and Sent are top-level local folders (kind 'user' in `folders`) with a role;
-- each role names at most one folder, made the first time it is needed.
CREATE TABLE folder_roles (
    role        TEXT    PRIMARY KEY CHECK (role IN ('drafts', 'outbox', 'sent')),
    folder_id   INTEGER NOT NULL UNIQUE REFERENCES folders(id)
);

-- Messages in the Outbox waiting for the SMTP server. The message itself (the bytes to send,
-- Bcc included: it is removed on the way out) is an ordinary row of `messages`.
--   queued     : to be sent at the next chance.
--   sending    : a session is sending it now; found at start after a crash, it is queued again
--                (the server cannot have accepted it: the final dot was not yet written).
--   uncertain  : the final dot was written and no answer came: the server may have it. Never
--                sent again without the user saying so.
--   failed     : the server refused it for good (5xx); last_error says why.
CREATE TABLE outgoing (
    message_id    INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    envelope_from TEXT    NOT NULL,
    recipients    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'uncertain', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    queued_at     INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX outgoing_account ON outgoing (account_id, state);
