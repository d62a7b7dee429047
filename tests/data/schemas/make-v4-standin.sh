#!/bin/sh
# Writes v4.sqlite3 on the local-time branch only: a stand-in for the conversations branch's
# v4 store (its migration 04 is a placeholder here). Replace it with that branch's v4.sqlite3
# when merging, then write v5.sqlite3 again with make-v5.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cp "$here/v5.sqlite3" "$here/v4.sqlite3"
sqlite3 "$here/v4.sqlite3" "DROP TABLE date_repairs; PRAGMA user_version=4; VACUUM;"
