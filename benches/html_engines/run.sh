#!/usr/bin/env bash
# Issue 12's engine side: builds the Blitz prototype (its own target dir), renders the corpus
# (benches/html_engines/corpus.sh) with Blitz and with html2text, and prints the numbers.
# Everything runs under `nice -n 19`. Results go to $out (default target/satchel-bench/html-engines).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
corpus="$target/satchel-bench/html-corpus"
out=${HTML_ENGINES_OUT:-$target/satchel-bench/html-engines}
shots=${HTML_ENGINES_SHOTS:-$out/shots}
blitz_target=${BLITZ_TARGET_DIR:-/work/target-blitz}
nice -n 19 bash benches/html_engines/corpus.sh
mkdir -p "$out"
(cd benches/html_engines/blitz && CARGO_TARGET_DIR="$blitz_target" nice -n 19 cargo build --release --locked)
bin="$blitz_target/release"

# The whole corpus in one process: per-message timings (TSV) and the process's peak RSS.
nice -n 19 /usr/bin/time -v "$bin/blitz_render" "$corpus" > "$out/blitz.tsv" 2> "$out/blitz.stderr"
nice -n 19 /usr/bin/time -v "$bin/html2text_render" "$corpus" > "$out/html2text.tsv" 2> "$out/html2text.stderr"
for f in blitz html2text; do
    echo "== $f"
    grep -vE '^\s' "$out/$f.stderr" || true
    grep -E 'Maximum resident|Elapsed|User time|System time' "$out/$f.stderr"
done

# Peak RSS of one message per process (font collection included), for the biggest messages.
echo "== blitz, one message per process: number, peak RSS KiB, wall s"
for n in $(sort -t$'\t' -k4 -n -r "$corpus/index.tsv" | head -5 | cut -f1); do
    nice -n 19 /usr/bin/time -f "$n %M %e" "$bin/blitz_render" "$corpus" --only "$n" > /dev/null 2> "$out/one.stderr" || true
    tail -1 "$out/one.stderr"
done

# Screenshots: a newsletter with tables, a plain-ish list mail, one with cid: images, spam.
nice -n 19 "$bin/blitz_render" "$corpus" --only "${HTML_ENGINES_SHOT_LIST:-004,091,182,129}" --shots "$shots" > /dev/null
ls -l "$shots"
ls -l "$bin/blitz_render" "$bin/html2text_render"
strip -o "$out/blitz_render.stripped" "$bin/blitz_render"
strip -o "$out/html2text_render.stripped" "$bin/html2text_render"
ls -l "$out"/*.stripped
