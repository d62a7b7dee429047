//! An in-process POP3 server that follows a per-test script, for behaviour
//! Dovecot will not produce (drops, garbage, stalls, missing features).

use std::future::Future;
use std::time::Duration;

use satchel::pop3::{ConnectOptions, Credentials, Security};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::task::JoinHandle;

/// Upper bound for any single wait inside a script.
const SCRIPT_STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// The server side of one scripted connection.
pub struct ScriptConn {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl ScriptConn {
    /// Sends raw bytes.
    pub async fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("script send");
        self.writer.flush().await.expect("script flush");
    }

    /// Sends raw bytes; false once the client has gone (for servers that write forever).
    pub async fn try_send(&mut self, bytes: &[u8]) -> bool {
        self.writer.write_all(bytes).await.is_ok() && self.writer.flush().await.is_ok()
    }

    /// Sends `bytes` one at a time, `every` apart; false once the client has gone.
    pub async fn trickle(&mut self, bytes: &[u8], every: Duration) -> bool {
        for byte in bytes {
            if !self.try_send(std::slice::from_ref(byte)).await {
                return false;
            }
            tokio::time::sleep(every).await;
        }
        true
    }

    /// Reads one command line (without CRLF); empty string on EOF.
    pub async fn recv(&mut self) -> String {
        let mut line = String::new();
        tokio::time::timeout(SCRIPT_STEP_TIMEOUT, self.reader.read_line(&mut line))
            .await
            .expect("script waited too long for a command")
            .expect("script read");
        line.trim_end_matches(['\r', '\n']).to_string()
    }

    /// Reads one command and asserts it equals `expected`.
    pub async fn expect(&mut self, expected: &str) {
        let got = self.recv().await;
        assert_eq!(got, expected, "scripted server got an unexpected command");
    }

    /// Greeting, CAPA (`capa` lines, or -ERR if None), USER/PASS, CAPA again.
    pub async fn login(&mut self, capa: Option<&str>) {
        self.send(b"+OK scripted ready\r\n").await;
        self.answer_capa(capa).await;
        self.expect("USER alice").await;
        self.send(b"+OK\r\n").await;
        self.expect("PASS pw").await;
        self.send(b"+OK logged in\r\n").await;
        self.answer_capa(capa).await;
    }

    /// Answers one CAPA command.
    pub async fn answer_capa(&mut self, capa: Option<&str>) {
        self.expect("CAPA").await;
        match capa {
            Some(lines) => {
                let text = format!("+OK\r\n{lines}.\r\n");
                self.send(text.as_bytes()).await;
            }
            None => self.send(b"-ERR unknown command\r\n").await,
        }
    }

    /// Waits until the client closes the connection (bounded).
    pub async fn wait_closed(&mut self) {
        let mut sink = Vec::new();
        let _ = tokio::time::timeout(
            SCRIPT_STEP_TIMEOUT,
            tokio::io::AsyncReadExt::read_to_end(&mut self.reader, &mut sink),
        )
        .await;
    }
}

/// A listening scripted server; the script runs for the first connection.
pub struct ScriptedServer {
    /// Port on 127.0.0.1.
    pub port: u16,
    /// The script task; join it to surface script assertion failures.
    pub task: JoinHandle<()>,
}

impl ScriptedServer {
    /// Listens on 127.0.0.1:0 and runs `script` on the first connection.
    pub async fn start<F, Fut>(script: F) -> ScriptedServer
    where
        F: FnOnce(ScriptConn) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let task = tokio::spawn(async move {
            let accepted = tokio::time::timeout(SCRIPT_STEP_TIMEOUT, listener.accept()).await;
            let Ok(Ok((stream, _))) = accepted else {
                return;
            };
            let (read, writer) = stream.into_split();
            script(ScriptConn {
                reader: BufReader::new(read),
                writer,
            })
            .await;
        });
        ScriptedServer { port, task }
    }

    /// Plain-text options for alice/pw with short timeouts.
    pub fn options(&self) -> ConnectOptions {
        let mut opts = ConnectOptions::new("127.0.0.1", Credentials::password("alice", "pw"));
        opts.security = Security::PlainInsecure;
        opts.port = self.port;
        opts.connect_timeout = Duration::from_secs(5);
        opts.idle_timeout = Duration::from_secs(5);
        opts
    }

    /// Like [`ScriptedServer::start`], with `second` for the second connection.
    pub async fn start_two<F, Fut, G, Gut>(first: F, second: G) -> ScriptedServer
    where
        F: FnOnce(ScriptConn) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
        G: FnOnce(ScriptConn) -> Gut + Send + 'static,
        Gut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let task = tokio::spawn(async move {
            let Some(conn) = accept(&listener).await else {
                return;
            };
            first(conn).await;
            let Some(conn) = accept(&listener).await else {
                return;
            };
            second(conn).await;
        });
        ScriptedServer { port, task }
    }

    /// Waits for the script to finish and re-raises its panics.
    pub async fn finish(self) {
        tokio::time::timeout(SCRIPT_STEP_TIMEOUT * 2, self.task)
            .await
            .expect("script did not finish")
            .expect("script panicked");
    }
}

/// The next connection as a script's end, or `None` when none comes in time.
async fn accept(listener: &TcpListener) -> Option<ScriptConn> {
    let accepted = tokio::time::timeout(SCRIPT_STEP_TIMEOUT, listener.accept()).await;
    let Ok(Ok((stream, _))) = accepted else {
        return None;
    };
    let (read, writer) = stream.into_split();
    Some(ScriptConn {
        reader: BufReader::new(read),
        writer,
    })
}

/// CAPA lines of a typical server with pipelining.
pub const CAPA_FULL: &str = "TOP\r\nUIDL\r\nUSER\r\nPIPELINING\r\nRESP-CODES\r\n";
/// CAPA lines without pipelining or UIDL.
pub const CAPA_BARE: &str = "USER\r\nTOP\r\n";
