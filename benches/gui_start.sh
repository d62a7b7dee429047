#!/usr/bin/env bash
# The desktop app in a real window (Xvfb, Mesa's software GL) on the 100,000-message store:
# time from process start to the first frame on screen, and resident memory after scrolling
# through the list. Needs (Debian): xvfb xdotool time. The store comes from
# `cargo bench --bench gui` (or `--bench store`); GUI_BENCH_STORE overrides its path.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${GUI_BENCH_STORE:-target/satchel-bench/store-100000}
runs=${GUI_BENCH_RUNS:-7}
for tool in Xvfb xdotool /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y xvfb xdotool time" >&2; exit 1; }
done
[ -f "$store/satchel.sqlite3" ] || { echo "no store at $store: run cargo bench --bench gui first" >&2; exit 1; }
nice -n 10 cargo build --release --bin satchel
satchel="${CARGO_TARGET_DIR:-target}/release/satchel"
work=$(mktemp -d)
Xvfb :93 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=:93 SATCHEL_NO_KEYRING=1 XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data"

times=()
for _ in $(seq "$runs"); do
    line=$(SATCHEL_EXIT_AFTER_FIRST_FRAME=1 "$satchel" --data-dir "$store" | grep "first frame")
    times+=("$(echo "$line" | grep -o '[0-9]*' | head -1)")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
echo "first frame on screen (page cache warm), $runs runs: ${times[*]} ms; median $median ms"

# Memory: open the window, scroll the 100,000-row list for a while, read the peak.
"$satchel" --data-dir "$store" &
app=$!
sleep 3
xdotool mousemove 500 400
for _ in $(seq 150); do xdotool click 5; done
for _ in $(seq 50); do xdotool key Down; done
sleep 1
peak=$(awk '/VmHWM/ {print $2}' "/proc/$app/status")
now=$(awk '/VmRSS/ {print $2}' "/proc/$app/status")
kill "$app"
wait "$app" 2>/dev/null || true
echo "resident memory after scrolling: peak $((peak / 1024)) MiB, now $((now / 1024)) MiB"
