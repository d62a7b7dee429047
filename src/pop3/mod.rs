//! POP3 client: connect, TLS/STLS, CAPA, auth, pipelined RETR streaming.
//!
//! Self-contained: nothing here uses the rest of the crate. The sync engine's
//! path is [`Session::connect`] → [`Session::messages`] → [`Session::fetch`]
//! with a [`MessageSink`] → [`Session::delete`] → [`Session::quit`].

mod auth;
mod capabilities;
pub mod certinfo;
mod connect;
mod error;
mod options;
mod pipeline;
pub mod reply;
mod session;
mod sink;
mod tls;
mod transport;
pub mod unstuff;
pub mod wire;

pub use capabilities::Capabilities;
pub use certinfo::{CertificateInfo, Fingerprint, FingerprintParseError};
pub use error::{Pop3Error, SinkError};
pub use options::{AuthMethod, ConnectOptions, Credentials, PipelineWindow, Secret, Security};
pub use pipeline::{FetchReport, FetchRequest, Refusal};
pub use reply::{Reply, ResponseCode};
pub use session::{MailboxStat, MessageInfo, Session};
pub use sink::{DiscardSink, MessageSink};
pub use transport::Transport;
