//! POP3 client: connect, TLS/STLS, CAPA, auth, pipelined RETR streaming.
//!
//! Self-contained: nothing here uses the rest of the crate. The sync engine's
//! path is [`Session::connect`] → [`Session::messages`] → [`Session::fetch`]
//! with a [`MessageSink`] → [`Session::delete`] → [`Session::quit`].
//!
//! ```no_run
//! use satchel::pop3::{ConnectOptions, Credentials, DiscardSink, FetchRequest, Session};
//!
//! # async fn sync() -> Result<(), satchel::pop3::Pop3Error> {
//! let opts = ConnectOptions::new("pop.example.com", Credentials::password("me", "pw"));
//! let mut session = Session::connect(&opts).await?;
//! let listing = session.messages().await?; // number, size, uid
//! let wanted: Vec<FetchRequest> = listing
//!     .iter()
//!     .map(|m| FetchRequest { number: m.number, size: m.size })
//!     .collect();
//! let report = session.fetch(&wanted, &mut DiscardSink::default()).await?;
//! let fetched: Vec<u32> = wanted.iter().map(|r| r.number).collect();
//! let refused = session.delete(&fetched).await?; // takes effect at QUIT
//! session.quit().await?; // Ok: deletions committed
//! # let _ = (report, refused);
//! # Ok(())
//! # }
//! ```

mod auth;
mod body;
mod capabilities;
pub mod certinfo;
mod connect;
mod error;
mod listing;
mod login;
mod options;
mod pace;
mod pipeline;
pub mod reply;
mod session;
mod sink;
pub(crate) mod tls;
mod transport;
pub mod unstuff;
pub mod wire;

pub use capabilities::Capabilities;
pub use certinfo::{CertificateInfo, Distrust, Fingerprint, FingerprintParseError};
pub use error::{Pop3Error, SinkError};
pub use listing::{DIGEST_UID_PREFIX, Listing, ListingAnomaly};
pub use options::{
    AuthMethod, ConnectOptions, Credentials, DEFAULT_MAX_MESSAGE_SIZE, DeadlineRule,
    PipelineWindow, ProgressRule, Secret, Security,
};
pub use pipeline::{FetchReport, FetchRequest, Refusal};
pub use reply::{Reply, ResponseCode};
pub use session::{MailboxStat, MessageInfo, Session};
pub use sink::{DiscardSink, MessageSink};
pub use transport::Transport;
