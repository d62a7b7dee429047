#!/usr/bin/env python3
"""Writes a large Maildir tree from the SpamAssassin public corpus, for benches/scale.sh.

usage: generate.py CORPUS_DATA_DIR OUT_DIR COUNT

CORPUS_DATA_DIR holds the corpus's folders (easy-ham-1, …, spam-2) of `NNNNN.<md5>.txt` files,
one raw message each, with an mbox `From ` first line (dropped here). OUT_DIR receives three
Maildir folders, Mail (60 %), Lists (30 %) and Archive (10 %), COUNT messages in all. Message
n is corpus message n mod 6,046 with its own Message-ID and a Date spread over ten years (newest
last), so every file is distinct and dates interleave; bodies are the real ones. About 70 % are
read, 3 % flagged and 8 % answered (Maildir flags in the file name). Deterministic: the same
COUNT writes the same bytes. Prints the total size of the files written.
"""

import os
import re
import sys

FOLDERS = [("Mail", 60), ("Lists", 30), ("Archive", 10)]
TEN_YEARS = 10 * 365 * 86400
START = 1_480_000_000  # late 2016
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER_LINE = re.compile(rb"^(Message-ID|Message-Id|Message-id|Date):[^\n]*\n(?:[ \t][^\n]*\n)*", re.M | re.I)


def corpus(data_dir):
    messages = []
    for group in sorted(os.listdir(data_dir)):
        folder = os.path.join(data_dir, group)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                raw = f.read()
            if raw.startswith(b"From "):
                raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
            head, sep, body = raw.partition(b"\n\n")
            if not sep:
                continue
            head = HEADER_LINE.sub(b"", head + b"\n")
            messages.append((head, body))
    if not messages:
        sys.exit(f"no messages under {data_dir}")
    return messages


def rfc2822(t):
    import time

    tm = time.gmtime(t)
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        DAYS[tm.tm_wday], tm.tm_mday, MONTHS[tm.tm_mon - 1], tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec
    )


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    data_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    messages = corpus(data_dir)
    for folder, _ in FOLDERS:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(out_dir, folder, sub), exist_ok=True)
    total = 0
    state = 0x9E3779B97F4A7C15
    for n in range(count):
        state ^= (state << 13) & 0xFFFFFFFFFFFFFFFF
        state ^= state >> 7
        state ^= (state << 17) & 0xFFFFFFFFFFFFFFFF
        roll = state % 100
        folder = FOLDERS[0][0] if roll < 60 else FOLDERS[1][0] if roll < 90 else FOLDERS[2][0]
        head, body = messages[n % len(messages)]
        date = START + (TEN_YEARS * n) // max(count, 1) + (state >> 40) % 3600
        raw = b"".join(
            [
                head,
                f"Message-ID: <scale-{n}@satchel.bench>\nDate: {rfc2822(date)}\n\n".encode(),
                body,
            ]
        )
        flags = ""
        if (state >> 8) % 100 < 3:
            flags += "F"
        if (state >> 16) % 100 < 8:
            flags += "R"
        if (state >> 24) % 100 < 70:
            flags += "S"
        name = f"{date}.scale{n}.bench:2,{flags}"
        with open(os.path.join(out_dir, folder, "cur", name), "wb") as f:
            f.write(raw)
        total += len(raw)
    print(total)


if __name__ == "__main__":
    main()
