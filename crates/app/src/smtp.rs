//! The SMTP sender: lettre's protocol client over pooled connections that send without delay.
//!
//! lettre's own pooled transport opens its sockets with Nagle's algorithm on. It writes the
//! end-of-data line apart from the message, so that line waits for the receiver to ACK the
//! message, and receivers delay ACKs (about 40 ms on Linux): one connection then sends at most
//! about 25 messages a second. Here the sockets set TCP_NODELAY and lettre speaks SMTP on them.
//! Implicit TLS (`smtps://`) stays on lettre's transport: lettre can only wrap a socket it
//! opened itself in TLS before the greeting.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

/// Why a message was not sent: `permanent` when the server refused it for good (5xx).
#[derive(Debug)]
pub(crate) struct Refused {
    pub permanent: bool,
    pub reason: String,
}

impl From<lettre::transport::smtp::Error> for Refused {
    fn from(e: lettre::transport::smtp::Error) -> Refused {
        Refused {
            permanent: e.is_permanent(),
            reason: e.to_string(),
        }
    }
}

fn io_error(e: std::io::Error) -> Refused {
    Refused {
        permanent: false,
        reason: format!("connection: {e}"),
    }
}

/// A connection idle longer than this is checked with NOOP before it carries a message, as
/// servers close idle sessions; a burst reuses its connections without the extra round trip.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);
/// A connection idle longer than this is closed rather than checked.
const CLOSE_AFTER_IDLE: Duration = Duration::from_secs(60);

/// How a plain `smtp://` connection is encrypted.
enum StartTls {
    /// No `tls=` in the URL: a local relay, unencrypted.
    Off,
    /// `tls=opportunistic`: STARTTLS when the server offers it.
    IfOffered(TlsParameters),
    /// `tls=required`: STARTTLS or no connection.
    Required(TlsParameters),
}

/// Where to send and how: read from `HUIKE_SMTP_URL`.
struct Server {
    host: String,
    port: u16,
    starttls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

/// Sends mail: over our own kept connections, or for `smtps://` over lettre's transport.
pub(crate) enum SmtpSender {
    Pooled(Box<Pool>),
    /// `smtps://`: lettre's pooled transport (implicit TLS).
    Lettre(lettre::AsyncSmtpTransport<lettre::Tokio1Executor>),
}

/// Up to `max_idle` kept connections to one server; more are opened when all are busy.
pub(crate) struct Pool {
    server: Server,
    timeout: Duration,
    max_idle: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl SmtpSender {
    /// Reads the URL (`smtp://[user:pass@]host[:port][/hello-name][?tls=required|opportunistic]`
    /// or `smtps://…`); the error says what is wrong with it.
    pub(crate) fn new(url: &str, timeout: Duration, max_idle: usize) -> Result<SmtpSender, String> {
        let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
        if parsed.scheme() == "smtps" {
            let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
                .map_err(|e| e.to_string())?
                .timeout(Some(timeout))
                .pool_config(
                    lettre::transport::smtp::PoolConfig::new()
                        .max_size(u32::try_from(max_idle).unwrap_or(u32::MAX).max(1)),
                )
                .build();
            return Ok(SmtpSender::Lettre(transport));
        }
        if parsed.scheme() != "smtp" {
            return Err(format!(
                "unknown scheme {}: use smtp:// or smtps://",
                parsed.scheme()
            ));
        }
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone()).map_err(|e| e.to_string());
        let (starttls, default_port) = match tls.as_deref() {
            None => (StartTls::Off, 25),
            Some("required") => (StartTls::Required(params()?), 587),
            Some("opportunistic") => (StartTls::IfOffered(params()?), 587),
            Some(other) => {
                return Err(format!(
                    "tls={other} is not known: use tls=required or tls=opportunistic"
                ));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|e| e.to_string())
        };
        let credentials = match parsed.password() {
            Some(password) => Some(Credentials::new(
                decode(parsed.username())?,
                decode(password)?,
            )),
            None => None,
        };
        let name = parsed.path().trim_matches('/');
        let hello = if name.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(name.to_string())
        };
        Ok(SmtpSender::Pooled(Box::new(Pool {
            server: Server {
                host,
                port: parsed.port().unwrap_or(default_port),
                starttls,
                credentials,
                hello,
            },
            timeout,
            max_idle: max_idle.max(1),
            idle: Mutex::new(Vec::new()),
        })))
    }

    /// Sends one message.
    pub(crate) async fn send(&self, message: lettre::Message) -> Result<(), Refused> {
        match self {
            SmtpSender::Pooled(pool) => pool.send(message).await,
            SmtpSender::Lettre(transport) => {
                use lettre::AsyncTransport;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(Refused::from)
            }
        }
    }
}

impl Pool {
    /// Sends one message; a connection that carried it cleanly is kept for the next.
    async fn send(&self, message: lettre::Message) -> Result<(), Refused> {
        let envelope: Envelope = message.envelope().clone();
        let bytes = message.formatted();
        let mut conn = match take_idle(&self.idle).await {
            Some(conn) => conn,
            None => connect(&self.server, self.timeout).await?,
        };
        let sent = with_timeout(self.timeout, async {
            conn.send(&envelope, &bytes).await?;
            Ok(())
        })
        .await;
        if sent.is_ok() && !conn.has_broken() {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < self.max_idle {
                idle.push((conn, Instant::now()));
            }
        }
        // A refused or broken session is not reused: it may stand in the middle of a
        // transaction. (Dropping the connection closes its socket.)
        sent
    }
}

/// The most recently used idle connection that still answers.
async fn take_idle(
    idle: &Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
) -> Option<AsyncSmtpConnection> {
    loop {
        let (mut conn, since) = idle.lock().unwrap_or_else(|p| p.into_inner()).pop()?;
        let idle_for = since.elapsed();
        if idle_for < CHECK_AFTER_IDLE
            || (idle_for < CLOSE_AFTER_IDLE
                && tokio::time::timeout(CHECK_AFTER_IDLE * 5, conn.test_connected())
                    .await
                    .unwrap_or(false))
        {
            return Some(conn);
        }
        // Dropped without QUIT: a server that has gone silent would leave QUIT waiting.
    }
}

async fn with_timeout<T>(
    timeout: Duration,
    work: impl std::future::Future<Output = Result<T, Refused>>,
) -> Result<T, Refused> {
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or_else(|_| {
            Err(Refused {
                permanent: false,
                reason: format!(
                    "the SMTP server did not answer within {} s",
                    timeout.as_secs()
                ),
            })
        })
}

/// Opens a session: TCP without delay, greeting and EHLO, STARTTLS and AUTH as configured.
/// A server refusing the session (a wrong password, no STARTTLS) refuses no message for good:
/// once the setting is mended, the message should still go.
async fn connect(server: &Server, timeout: Duration) -> Result<AsyncSmtpConnection, Refused> {
    let session = with_timeout(timeout, async {
        let stream = tokio::net::TcpStream::connect((server.host.as_str(), server.port))
            .await
            .map_err(io_error)?;
        stream.set_nodelay(true).map_err(io_error)?;
        let mut conn =
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &server.hello).await?;
        match &server.starttls {
            StartTls::Required(params) => conn.starttls(params.clone(), &server.hello).await?,
            StartTls::IfOffered(params) if conn.can_starttls() => {
                conn.starttls(params.clone(), &server.hello).await?
            }
            StartTls::IfOffered(_) | StartTls::Off => {}
        }
        if let Some(credentials) = &server.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(conn)
    })
    .await;
    session.map_err(|e| Refused {
        permanent: false,
        reason: e.reason,
    })
}
