#!/usr/bin/env python3
"""Writes the charset and malformed-message fixtures in this folder (run once; output is committed)."""
import base64, os

HERE = os.path.dirname(os.path.abspath(__file__))

# (file stem, charset, text, transfer encoding)
CHARSETS = [
    ("iso-8859-1", "iso-8859-1", "Grüße aus Köln, señor. Ça va très bien.", "8bit"),
    ("iso-8859-2", "iso-8859-2", "Zażółć gęślą jaźń. Příliš žluťoučký kůň.", "quoted-printable"),
    ("iso-8859-15", "iso-8859-15", "Le prix est de 20 € œuvre.", "8bit"),
    ("windows-1252", "windows-1252", "“Smart quotes” — and an en–dash, 10 €.", "quoted-printable"),
    ("windows-1251", "windows-1251", "Привет, как дела? Всё хорошо.", "8bit"),
    ("windows-1250", "windows-1250", "Łódź i Kraków, ďakujem.", "base64"),
    ("koi8-r", "koi8-r", "Съешь же ещё этих мягких французских булок.", "8bit"),
    ("shift_jis", "shift_jis", "こんにちは、世界。日本語のメールです。", "base64"),
    ("iso-2022-jp", "iso-2022-jp", "お世話になっております。会議の件です。", "7bit"),
    ("gbk", "gbk", "你好，世界。这是一封中文邮件。", "base64"),
    ("big5", "big5", "您好，這是一封繁體中文郵件。", "base64"),
    ("euc-kr", "euc-kr", "안녕하세요. 한국어 메일입니다.", "base64"),
]


def qp(data: bytes) -> bytes:
    import quopri
    return quopri.encodestring(data)


def encode_body(data: bytes, cte: str) -> bytes:
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        return qp(data)
    return data


def encoded_word(text: str, charset: str) -> str:
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode())


def write(path, data: bytes):
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(data)


for stem, charset, text, cte in CHARSETS:
    subject = encoded_word(text[:12], charset)
    body = encode_body((text + "\n").encode(charset), cte)
    msg = (
        "From: =?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <jurgen@example.org>\n"
        "To: Test <test@example.com>\n"
        f"Subject: {subject}\n"
        "Date: Mon, 02 Jan 2023 10:00:00 +0100\n"
        f"Message-ID: <{stem}@example.org>\n"
        "MIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset={charset}\n"
        f"Content-Transfer-Encoding: {cte}\n\n"
    ).encode() + body
    write(f"charsets/{stem}.eml", msg)

# RFC 2231 continued, charset-tagged attachment name.
write("charsets/rfc2231-filename.eml", (
    "From: a@example.org\nTo: b@example.org\nSubject: =?iso-8859-1?Q?Re=3A_R=E9sum=E9?=\n"
    "Date: Tue, 03 Jan 2023 09:00:00 +0000\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n"
    "See the attached report.\n--b1\nContent-Type: application/pdf\n"
    "Content-Disposition: attachment;\n filename*0*=utf-8''Rapport%20ann%C3%BCel;\n filename*1=\".pdf\"\n"
    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b1--\n").encode())

# HTML only, with a link and a remote image that must never be fetched.
write("charsets/html-only.eml", (
    "From: News <news@example.org>\nTo: b@example.org\nSubject: Weekly news\n"
    "Date: Wed, 04 Jan 2023 09:00:00 +0000\nMIME-Version: 1.0\n"
    "Content-Type: text/html; charset=utf-8\n\n"
    "<html><body><h1>Hello</h1><p>Read <a href=\"https://example.org/story\">the story</a>.</p>"
    "<img src=\"https://tracker.example.org/pixel.gif\" alt=\"pixel\"></body></html>\n").encode())

# Malformed inputs: each must be stored with a best-effort summary.
write("malformed/truncated-multipart.eml", (
    "From: Cut Off <cut@example.org>\nSubject: Truncated\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"xyz\"\n\n--xyz\nContent-Type: text/plain\n\nThe first part arrived but th"
).encode())
write("malformed/8bit-headers.eml",
      b"From: Ren\xe9 Dupont <rene@example.org>\nSubject: Caf\xe9 cr\xe8me\nDate: not a date\n\nBody with 8-bit \xe9 bytes.\n")
# Latin-1 / Windows-1252 bytes written straight into headers (no RFC 2047), beside a UTF-8 one.
write("malformed/latin1-headers.eml",
      "From: Jo\u00e3o Gon\u00e7alves <joao@example.org>\n".encode("latin-1")
      + "To: Zo\u00eb <zoe@example.org>\n".encode("utf-8")
      + "Subject: Forma\u00e7\u00e3o \u201cavan\u00e7ada\u201d\n".encode("cp1252")
      + b"Date: Mon, 02 Jan 2023 10:00:00 +0000\nMIME-Version: 1.0\n"
      + b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
      + "Ol\u00e1, a forma\u00e7\u00e3o come\u00e7a amanh\u00e3.\n".encode("latin-1"))
write("malformed/no-headers.eml", b"Just some text without any header block.\nSecond line.\n")
write("malformed/binary.eml", bytes(range(256)) * 4)
write("malformed/empty.eml", b"")
write("malformed/bad-base64.eml", (
    "From: x@example.org\nSubject: Broken base64\nContent-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: base64\n\n!!!not*base64***\n").encode())
write("malformed/no-sender.eml", b"Subject: Nobody sent this\n\nHello.\n")
