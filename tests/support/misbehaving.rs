//! A POP3 server that misbehaves on purpose, the way real ones do: repeated or spaced UIDLs,
//! missing dot-stuffing, listings that disagree, impossible sizes, trickling and endless replies.
//!
//! Unlike the scripted server it keeps a mailbox across sessions (DELE takes effect at QUIT),
//! so a test can check what the server deleted against what the store holds.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest a session may wait for a command, and longest any reply may run.
const SESSION_LIMIT: Duration = Duration::from_mins(1);

/// One message in the server's mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerMail {
    /// Everything after the number on its UIDL line (may break RFC 1939 on purpose).
    pub uidl: String,
    /// The message as RETR sends it, before dot-stuffing.
    pub bytes: Vec<u8>,
    /// What LIST says its size is, when not its length.
    pub list_size: Option<String>,
    /// Left out of LIST.
    pub hidden_from_list: bool,
    /// Left out of UIDL.
    pub hidden_from_uidl: bool,
    /// RETR of it never ends: the body repeats until the client goes away.
    pub endless: bool,
}

impl ServerMail {
    /// A message under `uidl` with CRLF line ends.
    pub fn new(uidl: &str, bytes: &[u8]) -> Self {
        Self {
            uidl: uidl.to_owned(),
            bytes: bytes.to_vec(),
            list_size: None,
            hidden_from_list: false,
            hidden_from_uidl: false,
            endless: false,
        }
    }
}

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// Sends bodies without dot-stuffing, so a line holding only "." ends the message early.
    pub no_dot_stuffing: bool,
    /// Offers PIPELINING.
    pub pipelining: bool,
    /// Sends every reply one byte at a time with this pause between bytes.
    pub trickle: Option<Duration>,
}

#[derive(Debug, Default)]
struct Mailbox {
    messages: Vec<ServerMail>,
    deleted: Vec<ServerMail>,
    sessions: usize,
}

/// A running misbehaving server on 127.0.0.1.
pub struct MisbehavingServer {
    /// Its port.
    pub port: u16,
    mailbox: Arc<Mutex<Mailbox>>,
    faults: Arc<Mutex<Faults>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MisbehavingServer {
    /// Starts serving `messages` with `faults`, one session at a time.
    pub fn start(messages: Vec<ServerMail>, faults: Faults) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let mailbox = Arc::new(Mutex::new(Mailbox {
            messages,
            ..Mailbox::default()
        }));
        let faults = Arc::new(Mutex::new(faults));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (mailbox, faults, stop) = (mailbox.clone(), faults.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let faults = *lock(&faults);
                            serve(stream, &mailbox, faults, &stop);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            port,
            mailbox,
            faults,
            stop,
            thread: Some(thread),
        }
    }

    /// Messages the server deleted at a successful QUIT, in order.
    pub fn deleted(&self) -> Vec<ServerMail> {
        lock(&self.mailbox).deleted.clone()
    }

    /// Messages still on the server.
    pub fn remaining(&self) -> Vec<ServerMail> {
        lock(&self.mailbox).messages.clone()
    }

    /// Sessions served so far.
    pub fn sessions(&self) -> usize {
        lock(&self.mailbox).sessions
    }

    /// Changes the mailbox between sessions (new mail, another client's deletions, a reset).
    pub fn edit(&self, change: impl FnOnce(&mut Vec<ServerMail>)) {
        change(&mut lock(&self.mailbox).messages);
    }

    /// Changes the faults for the next sessions.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }
}

impl Drop for MisbehavingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Writes replies, one byte at a time when trickling; stops at the session limit.
struct Replies {
    stream: TcpStream,
    trickle: Option<Duration>,
    started: Instant,
}

impl Replies {
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self.trickle {
            None => self.stream.write_all(bytes),
            Some(pause) => {
                for byte in bytes {
                    if self.started.elapsed() > SESSION_LIMIT {
                        return Err(std::io::ErrorKind::TimedOut.into());
                    }
                    self.stream.write_all(&[*byte])?;
                    std::thread::sleep(pause);
                }
                Ok(())
            }
        }
    }
}

/// Dot-stuffs `bytes` (unless told not to) and adds the terminating line.
fn multiline(bytes: &[u8], stuff: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut at_line_start = true;
    for &byte in bytes {
        if stuff && at_line_start && byte == b'.' {
            out.push(b'.');
        }
        out.push(byte);
        at_line_start = byte == b'\n';
    }
    if !at_line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Header block and the first `lines` body lines.
fn top(bytes: &[u8], lines: usize) -> Vec<u8> {
    let header_end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |p| p + 4);
    let mut end = header_end;
    for _ in 0..lines {
        let Some(p) = bytes[end..].iter().position(|&b| b == b'\n') else {
            end = bytes.len();
            break;
        };
        end += p + 1;
    }
    bytes[..end].to_vec()
}

/// What one command makes the server do.
enum Answer {
    /// Send these bytes and wait for the next command.
    Reply(Vec<u8>),
    /// Start RETR of this message and never end it.
    Endless(usize),
    /// Apply the deletions, say goodbye and close.
    Quit,
}

/// One session's view of the mailbox: numbers are fixed at login, DELE marks.
struct Session {
    messages: Vec<ServerMail>,
    marked: Vec<bool>,
    faults: Faults,
}

impl Session {
    fn message(&self, arg: Option<&str>) -> Option<usize> {
        let n: usize = arg?.parse().ok()?;
        (1..=self.messages.len()).contains(&n).then(|| n - 1)
    }

    fn listing(&self, line: impl Fn(usize, &ServerMail) -> Option<String>) -> Vec<u8> {
        let mut text = String::from("+OK\r\n");
        for (i, mail) in self.messages.iter().enumerate() {
            if !self.marked[i]
                && let Some(entry) = line(i + 1, mail)
            {
                let _ = write!(text, "{entry}\r\n");
            }
        }
        text.push_str(".\r\n");
        text.into_bytes()
    }

    fn body(&self, bytes: &[u8]) -> Vec<u8> {
        let mut reply = b"+OK\r\n".to_vec();
        reply.extend(multiline(bytes, !self.faults.no_dot_stuffing));
        reply
    }

    fn answer(&mut self, line: &str) -> Answer {
        let mut words = line.split_ascii_whitespace();
        let command = words.next().unwrap_or("").to_ascii_uppercase();
        let arg = words.next();
        let no_such = || Answer::Reply(b"-ERR no such message\r\n".to_vec());
        Answer::Reply(match command.as_str() {
            "CAPA" => {
                let pipelining = if self.faults.pipelining {
                    "PIPELINING\r\n"
                } else {
                    ""
                };
                format!("+OK\r\nUSER\r\nUIDL\r\nTOP\r\n{pipelining}.\r\n").into_bytes()
            }
            "USER" | "PASS" | "NOOP" => b"+OK\r\n".to_vec(),
            "STAT" => {
                let size: usize = self.messages.iter().map(|m| m.bytes.len()).sum();
                format!("+OK {} {size}\r\n", self.messages.len()).into_bytes()
            }
            "LIST" => self.listing(|n, mail| {
                let size = mail
                    .list_size
                    .clone()
                    .unwrap_or(mail.bytes.len().to_string());
                (!mail.hidden_from_list).then(|| format!("{n} {size}"))
            }),
            "UIDL" => self
                .listing(|n, mail| (!mail.hidden_from_uidl).then(|| format!("{n} {}", mail.uidl))),
            "RETR" => match self.message(arg) {
                Some(i) if self.messages[i].endless => return Answer::Endless(i),
                Some(i) => self.body(&self.messages[i].bytes),
                None => return no_such(),
            },
            "TOP" => {
                let lines = words.next().and_then(|l| l.parse().ok()).unwrap_or(0);
                match self.message(arg) {
                    Some(i) => self.body(&top(&self.messages[i].bytes, lines)),
                    None => return no_such(),
                }
            }
            "DELE" => match self.message(arg) {
                Some(i) if !self.marked[i] => {
                    self.marked[i] = true;
                    b"+OK deleted\r\n".to_vec()
                }
                _ => return no_such(),
            },
            "RSET" => {
                self.marked.fill(false);
                b"+OK\r\n".to_vec()
            }
            "QUIT" => return Answer::Quit,
            _ => b"-ERR unknown command\r\n".to_vec(),
        })
    }
}

fn serve(stream: TcpStream, mailbox: &Mutex<Mailbox>, faults: Faults, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(SESSION_LIMIT));
    let _ = stream.set_write_timeout(Some(SESSION_LIMIT));
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reader);
    let mut out = Replies {
        stream,
        trickle: faults.trickle,
        started: Instant::now(),
    };
    let messages: Vec<ServerMail> = {
        let mut mailbox = lock(mailbox);
        mailbox.sessions += 1;
        mailbox.messages.clone()
    };
    let mut session = Session {
        marked: vec![false; messages.len()],
        messages,
        faults,
    };
    if out.send(b"+OK misbehaving POP3 ready\r\n").is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || stop.load(Ordering::Relaxed) {
            return;
        }
        match session.answer(&line) {
            Answer::Reply(bytes) => {
                if out.send(&bytes).is_err() {
                    return;
                }
            }
            Answer::Endless(i) => {
                let _ = out.send(b"+OK\r\n");
                let _ = out.send(&session.messages[i].bytes);
                let filler = b"X-Filler: abcdefghijklmnopqrstuvwxyz0123456789\r\n".repeat(1024);
                while !stop.load(Ordering::Relaxed) && out.started.elapsed() < SESSION_LIMIT {
                    if out.send(&filler).is_err() {
                        break;
                    }
                }
                return;
            }
            Answer::Quit => {
                let mut mailbox = lock(mailbox);
                for (mail, _) in session
                    .messages
                    .iter()
                    .zip(&session.marked)
                    .filter(|(_, m)| **m)
                {
                    if let Some(pos) = mailbox.messages.iter().position(|m| m == mail) {
                        let gone = mailbox.messages.remove(pos);
                        mailbox.deleted.push(gone);
                    }
                }
                drop(mailbox);
                let _ = out.send(b"+OK bye\r\n");
                return;
            }
        }
    }
}
