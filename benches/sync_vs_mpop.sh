#!/usr/bin/env bash
# Reproduces the sync benchmark: `satchel sync` vs mpop on the same Dovecot mailboxes.
# Needs (Debian): dovecot-pop3d mpop openssl time. Runs as root or as a user
# that may start Dovecot. Prints a Markdown table (per-run times on stderr).
# SYNC_BENCH_RUNS (default 5), SYNC_BENCH_NOOP_MESSAGES (default 20000) and SYNC_BENCH_ONLY (run only
# the cases whose name contains it, e.g. `large`) adjust it.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dovecot mpop openssl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y dovecot-pop3d mpop openssl time" >&2; exit 1; }
done
nice -n 10 cargo build --release --bin satchel
nice -n 10 cargo bench --bench sync_vs_mpop
