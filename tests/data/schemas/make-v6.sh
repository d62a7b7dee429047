#!/bin/sh
# Writes v6.sqlite3: a store as Satchel with schema v6 leaves it (folders, flags, Trash, account,
# POP3 state, conversations, an Outbox message and a Drafts folder). Run once with the v6 binary; the file is committed and never regenerated later.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d)
satchel="${SATCHEL:-$here/../../../target/release/satchel} --data-dir $data"
$satchel import "$here/../charsets" "$here/../malformed" "$here/../dates" "$here/../threads"
$satchel folder create Work/Projects
$satchel move 3 --to Work/Projects
$satchel flag 1 --seen --flagged
$satchel move 2 --to Trash
sqlite3 "$data/satchel.sqlite3" "
  INSERT INTO accounts (name, email, host, created_at) VALUES ('legacy', 'me@example.org', 'pop.example.org', 1700000000);
  INSERT INTO folders (account_id, kind, name, created_at) VALUES (1, 'inbox', 'Inbox', 1700000000);
  INSERT INTO pop_state VALUES (1, 'UID-1', 345, 1700000000, 1700000001, 'on_server', 4);
  INSERT INTO pop_state VALUES (1, 'UID-2', 900, 1700000000, 1700000001, 'incomplete', 5);
  INSERT INTO pop_state VALUES (1, 'UID-3', 120, 1700000000, 1700000001, 'ambiguous', 6);
  INSERT INTO pop_state VALUES (1, 'UID-4', 450, 1700000000, 1700000001, 'recognised', 7);
  UPDATE accounts SET max_message_mb = 64 WHERE name = 'legacy';
  PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;"
echo "Queued while offline." | $satchel compose --account legacy --to bob@example.org --subject "Queued Jürgen" --body-stdin
sqlite3 "$data/satchel.sqlite3" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;"
cp "$data/satchel.sqlite3" "$here/v6.sqlite3"
rm -rf "$data"
