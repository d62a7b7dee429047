#!/usr/bin/env bash
# Reproduces the POP3 benchmark: Satchel's client vs mpop on one Dovecot mailbox.
# Needs (Debian): dovecot-pop3d mpop openssl time. Runs as root or as a user
# that may start Dovecot. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dovecot mpop openssl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y dovecot-pop3d mpop openssl time" >&2; exit 1; }
done
nice -n 10 cargo build --release --example pop3_fetch
nice -n 10 cargo bench --bench pop3_vs_mpop
