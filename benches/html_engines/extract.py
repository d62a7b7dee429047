#!/usr/bin/env python3
"""Writes the HTML mail corpus for Satchel issue 12's engine comparison.

usage: extract.py OUT SPAMASSASSIN_DATA TALON_FIXTURES MAIL_PARSER_MAILS

Picks messages that have a text/html part, in a fixed order (sorted file names, so the
corpus is the same on every run): ham first (hard-ham: newsletters and commercial mail;
easy-ham: mailing lists), then spam; then the test fixtures of two PyPI packages: talon
(replies written by real clients: Gmail, Outlook, Apple Mail...) and mail-parser (real spam
and phishing samples, some malformed). For each: OUT/NNN.eml (the whole message, bytes as
found) and OUT/NNN.html (the first text/html part, transfer encoding and charset decoded,
written as UTF-8). OUT/index.tsv lists number, source, original file, HTML bytes, cid:
references, subject.
"""

import email
import email.header
import email.policy
import hashlib
import os
import sys

# How many of each SpamAssassin folder, in this order (ham first).
SPAMASSASSIN = [("hard-ham-1", 85), ("easy-ham-1", 35), ("easy-ham-2", 25), ("spam-1", 20), ("spam-2", 25)]


def html_part(message):
    """The decoded text of the first text/html part, or None."""
    for part in message.walk():
        if part.get_content_type() != "text/html" or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        charset = part.get_content_charset() or "latin-1"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("latin-1", errors="replace")
    return None


def subject(message):
    raw = message.get("Subject", "")
    try:
        value = str(email.header.make_header(email.header.decode_header(raw)))
    except (ValueError, LookupError, UnicodeError):  # a malformed encoded word: keep it raw
        value = str(raw)
    return " ".join(value.split())[:80]


def main():
    out, spamassassin, talon, mail_parser = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    seen = set()
    rows = []

    def add(source, path, raw):
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        html = html_part(message)
        if html is None or len(html.strip()) < 40:
            return False
        digest = hashlib.sha256(html.encode("utf-8", errors="replace")).hexdigest()
        if digest in seen:
            return False
        seen.add(digest)
        number = f"{len(rows) + 1:03d}"
        with open(os.path.join(out, number + ".eml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(out, number + ".html"), "w", encoding="utf-8", errors="replace") as f:
            f.write(html)
        cids = html.lower().count("cid:")
        rows.append((number, source, path, str(len(html.encode("utf-8", errors="replace"))), str(cids), subject(message)))
        return True

    for folder, wanted in SPAMASSASSIN:
        directory = os.path.join(spamassassin, folder)
        taken = 0
        for name in sorted(os.listdir(directory)):
            if taken == wanted:
                break
            with open(os.path.join(directory, name), "rb") as f:
                raw = f.read()
            if add("spamassassin/" + folder, name, raw):
                taken += 1

    # talon: whole replies from real clients, and bare HTML replies wrapped in a minimal message.
    replies = os.path.join(talon, "standard_replies")
    for name in sorted(os.listdir(replies)):
        if name.endswith(".eml"):
            with open(os.path.join(replies, name), "rb") as f:
                add("talon/standard_replies", name, f.read())
    for directory in ("html_replies", ""):
        base = os.path.join(talon, directory)
        for name in sorted(os.listdir(base)):
            if not name.endswith(".html"):
                continue
            with open(os.path.join(base, name), "rb") as f:
                body = f.read()
            raw = (b"From: talon fixture <fixture@example.invalid>\r\nSubject: talon "
                   + name.encode() + b"\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
                   + b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body)
            add("talon/" + (directory or "fixtures"), name, raw)

    # mail-parser: real spam and phishing samples, some malformed on purpose.
    for name in sorted(os.listdir(mail_parser)):
        with open(os.path.join(mail_parser, name), "rb") as f:
            add("mail-parser/tests/mails", name, f.read())

    with open(os.path.join(out, "index.tsv"), "w", encoding="utf-8") as f:
        f.write("number\tsource\tfile\thtml_bytes\tcid_refs\tsubject\n")
        for row in rows:
            f.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
    print(f"{len(rows)} messages in {out}")


if __name__ == "__main__":
    main()
