//! A deterministic, realistic mail corpus for benchmarks: plain, multipart/alternative,
//! HTML-only newsletters, replies with quotes, several charsets, attachments of all sizes.

#![expect(
    clippy::too_many_lines,
    clippy::similar_names,
    clippy::format_collect,
    reason = "benchmark fixture generator: one long recipe reads best in one place"
)]

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Small, fast, deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low)
    }
    /// Zipf-like pick: small indices far more often, as words in real text.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

const COMMON: &str = "the of and to a in is it you that he was for on are with as I his they be at one have this from or \
had by hot word but what some we can out other were all there when up use your how said an each she which do their time \
if will way about many then them write would like so these her long make thing see him two has look more day could go come \
did number sound no most people my over know water than call first who may down side been now find any new work part take \
get place made live where after back little only round man year came show every good me give our under name very through \
just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does \
set three want air well also play small end put home read hand port large spell add even land here must big high such follow \
act why ask men change went light kind off need house picture try us again animal point mother world near build self earth \
father head stand own page should country found answer school grow study still learn plant cover food sun four between state \
keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while press close \
night real life few north meeting report budget invoice project schedule deadline contract review proposal client customer \
agenda quarterly forecast revenue shipment delivery payment account password update release version server backup holiday \
conference travel flight hotel dinner lunch weekend family birthday party photos recipe garden football concert ticket";

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ter", "son", "va", "rin", "del", "pho", "gra", "nu", "sto", "bel", "cor",
    "xi", "fen", "tra", "qua", "mon", "zel", "pri", "du", "sha", "ven",
];
const NAMES: [&str; 24] = [
    "Alice Martin",
    "Bob Schmidt",
    "Carol Nguyen",
    "David Okafor",
    "Eva Lindqvist",
    "Frank Moreau",
    "Grace Kim",
    "Hiro Tanaka",
    "Ingrid Berg",
    "José García",
    "Katarzyna Nowak",
    "Liam O'Brien",
    "Mia Rossi",
    "Noah Cohen",
    "Olga Petrova",
    "Pierre Dubois",
    "Quinn Taylor",
    "Rosa Álvarez",
    "Sven Olsen",
    "Tomás Horák",
    "Uma Patel",
    "Victor Hugo",
    "Wen Li",
    "Zoë Müller",
];
const DOMAINS: [&str; 8] = [
    "example.com",
    "example.org",
    "mail.example.net",
    "corp.example",
    "uni.example.edu",
    "shop.example",
    "news.example",
    "dev.example.io",
];

/// The corpus vocabulary: common words first, then a long tail of made-up words.
pub fn vocabulary() -> Vec<String> {
    let mut words: Vec<String> = COMMON.split_whitespace().map(str::to_owned).collect();
    let mut rng = Rng::new(7);
    while words.len() < 20_000 {
        let syllables = rng.range(2, 5);
        let word: String = (0..syllables)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        words.push(word);
    }
    words
}

fn sentence(rng: &mut Rng, vocab: &[String]) -> String {
    let count = rng.range(5, 18);
    let mut text = String::new();
    for index in 0..count {
        let word = &vocab[rng.zipf(vocab.len())];
        if index == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

fn paragraphs(rng: &mut Rng, vocab: &[String], bytes: usize) -> Vec<String> {
    let mut paras = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut para = String::new();
        for _ in 0..rng.range(2, 6) {
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&sentence(rng, vocab));
        }
        total += para.len() + 2;
        paras.push(para);
    }
    paras
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        if line_len + word.len() + 1 > width && line_len > 0 {
            out.push_str("\r\n");
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

fn base64(data: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 57 * 2 + 4);
    for (index, chunk) in data.chunks(3).enumerate() {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        if index % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out
}

fn address(rng: &mut Rng) -> (String, String) {
    let name = NAMES[rng.below(NAMES.len())];
    let local: String = name
        .split(' ')
        .next()
        .unwrap_or("x")
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    (
        name.to_owned(),
        format!(
            "{local}{}@{}",
            rng.below(50),
            DOMAINS[rng.below(DOMAINS.len())]
        ),
    )
}

fn encode_name(name: &str) -> String {
    if name.is_ascii() {
        format!("\"{name}\"")
    } else {
        let mut encoded = String::from("=?utf-8?Q?");
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() {
                encoded.push(byte as char);
            } else if byte == b' ' {
                encoded.push('_');
            } else {
                let _ = write!(encoded, "={byte:02X}");
            }
        }
        encoded.push_str("?=");
        encoded
    }
}

/// The Message-ID of message `index`.
fn message_id(index: usize) -> String {
    format!("<{index}.bench@{}>", DOMAINS[index % DOMAINS.len()])
}

/// One message, numbered `index`, dated around 2015–2024 in order.
pub fn message(index: usize, total: usize, rng: &mut Rng, vocab: &[String]) -> Vec<u8> {
    let kind = rng.below(100);
    let (from_name, from_addr) = address(rng);
    let (to_name, to_addr) = address(rng);
    let date = 1_420_070_400 + (index as i64) * (315_360_000 / total.max(1) as i64);
    let subject_words: Vec<&str> = (0..rng.range(2, 8))
        .map(|_| vocab[rng.zipf(vocab.len())].as_str())
        .collect();
    let subject = subject_words.join(" ");
    let subject = if kind.is_multiple_of(3) {
        format!("Re: {subject}")
    } else {
        subject
    };
    let mut head = String::new();
    let (mx, relay) = (rng.below(9), rng.below(250));
    // Drawn as before ids were predictable, so every other byte of the corpus stays the same.
    let _former_id_nonce = rng.next();
    let _ = write!(
        head,
        "Return-Path: <{from_addr}>\r\nReceived: from mx{mx}.example.net (mx.example.net [192.0.2.{relay}])\r\n\tby mail.example.com with ESMTPS id {index:x}\r\n\tfor <{to_addr}>; {}\r\n\
         From: {} <{from_addr}>\r\nTo: {} <{to_addr}>\r\nSubject: {subject}\r\nDate: {}\r\nMessage-ID: {}\r\nMIME-Version: 1.0\r\n",
        rfc2822(date),
        encode_name(&from_name),
        encode_name(&to_name),
        rfc2822(date),
        message_id(index),
    );
    if kind.is_multiple_of(4) {
        // An answer to message index/2 (itself perhaps an answer): conversations of 1 to ~17
        // messages, as a mailbox holds them.
        let parent = message_id(index / 2);
        let _ = write!(
            head,
            "Cc: {}\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\n",
            address(rng).1,
        );
    }
    let text_size = match rng.below(10) {
        0..=5 => rng.range(300, 2_500),
        6..=8 => rng.range(2_500, 8_000),
        _ => rng.range(8_000, 30_000),
    };
    let paras = paragraphs(rng, vocab, text_size);
    let mut plain: String = paras
        .iter()
        .map(|p| wrap(p, 72))
        .collect::<Vec<_>>()
        .join("\r\n\r\n");
    if kind.is_multiple_of(3) {
        let quoted: String = paragraphs(rng, vocab, 600)
            .iter()
            .map(|p| {
                wrap(p, 70)
                    .lines()
                    .map(|l| format!("> {l}\r\n"))
                    .collect::<String>()
            })
            .collect();
        plain = format!(
            "{plain}\r\n\r\nOn {}, {from_name} wrote:\r\n{quoted}",
            rfc2822(date - 3600)
        );
    }
    let mut body = String::new();
    match kind {
        // Plain text, UTF-8 8bit.
        0..=44 => {
            head.push_str(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
            );
            body.push_str(&plain);
            body.push_str("\r\n");
        }
        // Plain text, ISO-8859-1 quoted-printable.
        45..=54 => {
            head.push_str("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n");
            body.push_str(&plain.replace("e ", "=E9 "));
            body.push_str("\r\n");
        }
        // multipart/alternative: text + HTML.
        55..=79 => {
            head.push_str("Content-Type: multipart/alternative; boundary=\"alt-b\"\r\n");
            let html: String = paras
                .iter()
                .map(|p| format!("<p style=\"margin:0 0 1em 0;font-family:Arial\">{p}</p>\r\n"))
                .collect();
            let _ = write!(
                body,
                "--alt-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n--alt-b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>{html}</body></html>\r\n--alt-b--\r\n"
            );
        }
        // HTML-only newsletter with links and tracking images.
        80..=89 => {
            head.push_str("Content-Type: text/html; charset=utf-8\r\n");
            body.push_str("<html><head><style>p{color:#333}</style></head><body><table width=\"600\"><tr><td>\r\n");
            for (i, p) in paras.iter().enumerate() {
                let _ = write!(
                    body,
                    "<p>{p} <a href=\"https://news.example/item/{index}/{i}\">Read more</a></p>\r\n"
                );
            }
            body.push_str("<img src=\"https://tracker.example/p.gif\" width=\"1\" height=\"1\"></td></tr></table></body></html>\r\n");
        }
        // Attachments: mostly documents of tens of KB, sometimes a few MB.
        _ => {
            head.push_str("Content-Type: multipart/mixed; boundary=\"mix-b\"\r\n");
            let size = if kind >= 98 {
                rng.range(600_000, 1_500_000)
            } else {
                rng.range(20_000, 150_000)
            };
            let data: Vec<u8> = (0..size).map(|_| rng.next() as u8).collect();
            let name = format!("{}-{}.pdf", vocab[rng.zipf(vocab.len())], index);
            let _ = write!(
                body,
                "--mix-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n--mix-b\r\nContent-Type: application/pdf; name=\"{name}\"\r\n\
                 Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--mix-b--\r\n",
                base64(&data)
            );
        }
    }
    let mut raw = head.into_bytes();
    raw.extend_from_slice(b"\r\n");
    raw.extend_from_slice(body.as_bytes());
    raw
}

fn rfc2822(unix: i64) -> String {
    satchel::dates::timestamp(unix)
        .strftime("%a, %-d %b %Y %H:%M:%S +0000")
        .to_string()
}

/// Writes `count` messages into `dir/cur` (once; reused when complete). Returns the total raw bytes.
pub fn ensure_maildir(dir: &Path, count: usize) -> u64 {
    let marker = dir.join(format!(".complete-{count}"));
    let cur = dir.join("cur");
    if marker.exists() {
        return fs::read_to_string(&marker)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
    }
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(&cur).expect("create corpus dir");
    let vocab = vocabulary();
    let mut rng = Rng::new(42);
    let mut total = 0u64;
    for index in 0..count {
        let raw = message(index, count, &mut rng, &vocab);
        total += raw.len() as u64;
        let path: PathBuf = cur.join(format!(
            "{:010}.bench:2,{}",
            index,
            if index.is_multiple_of(3) { "" } else { "S" }
        ));
        let mut file = fs::File::create(&path).expect("create message");
        file.write_all(&raw).expect("write message");
    }
    fs::write(&marker, total.to_string()).expect("marker");
    total
}
