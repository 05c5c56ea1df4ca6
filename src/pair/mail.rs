//! Delivery of pairs by e-mail: one RFC 5322 message per invoice to the upload address, with
//! the XML and the PDF attached under their pair names, written as `.eml` files and/or sent over
//! SMTP.
//!
//! A message is built entirely from its inputs (the date is given, the `Message-ID` and the MIME
//! boundary are derived from the files), so the same pair and settings give the same bytes.
//!
//! SMTP is spoken without TLS (factuur is built without a TLS stack): use it with a relay you
//! trust on the local machine or network, such as the back office's own mail server, which then
//! delivers onward over TLS.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Message, SmtpTransport, Transport};

use std::collections::BTreeMap;

use super::route::{Refusal, group};
use super::scan::{UblSummary, scan_ubl};
use super::{Pair, PairError, PairFiles, fnv1a, read_dir};
use crate::model::Kvk;

/// Why mail could not be prepared, written or sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailError {
    /// An address that is not a valid e-mail address.
    #[error("{what} {value:?} is not a valid e-mail address: {reason}")]
    Address {
        /// Which address (sender, upload address).
        what: &'static str,
        /// What was given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// The message could not be assembled.
    #[error("message for {base}: {reason}")]
    Build {
        /// The pair's base name.
        base: String,
        /// What went wrong.
        reason: String,
    },
    /// The pair folder could not be read.
    #[error(transparent)]
    Pair(#[from] PairError),
    /// The SMTP server could not be reached or refused a message.
    #[error("SMTP {server}: {reason} (message {base})")]
    Smtp {
        /// host:port.
        server: String,
        /// The pair whose message failed.
        base: String,
        /// What the server or the connection said.
        reason: String,
    },
}

/// Sender, recipient and date of the messages.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The sender (`From`), e.g. `facturen@devries-installatie.nl` or
    /// `De Vries <facturen@devries-installatie.nl>`.
    pub from: String,
    /// The upload address the service gave (`To`).
    pub to: String,
    /// The `Date` of the messages (the command line passes the current time).
    pub date: SystemTime,
}

/// One message ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The pair's base name (the `.eml` is named after it).
    pub base: String,
    /// The invoice number, as the XML says.
    pub number: String,
    /// The customer's KvK number the invoice is routed by.
    pub kvk: Kvk,
    /// The message as RFC 5322 bytes (CRLF line ends).
    pub eml: Vec<u8>,
    envelope: lettre::address::Envelope,
}

fn mailbox(what: &'static str, value: &str) -> Result<Mailbox, MailError> {
    value.parse::<Mailbox>().map_err(|e| MailError::Address {
        what,
        value: value.to_owned(),
        reason: e.to_string(),
    })
}

/// Builds the message for one pair, addressed to the upload address.
pub fn build(
    pair: &Pair,
    summary: &UblSummary,
    kvk: &Kvk,
    settings: &MailSettings,
) -> Result<Outgoing, MailError> {
    let from = mailbox("the sender", &settings.from)?;
    let to = mailbox("the upload address", &settings.to)?;
    let base = pair.files.base.clone();
    let number = summary.number.clone().unwrap_or_else(|| base.clone());
    let customer = summary.customer_name.as_deref().unwrap_or("?");
    let mut digest = pair.xml.clone();
    digest.extend_from_slice(&pair.pdf);
    let hash = fnv1a(&digest);
    let domain = from.email.domain().to_owned();
    let body = format!(
        "Factuur {number} aan {customer} (KvK {kvk}).\r\n\
         Bijlagen: {base}.xml (e-factuur, SI-UBL) en {base}.pdf (dezelfde factuur als PDF).\r\n\
         \r\n\
         Invoice {number} to {customer} (Chamber of Commerce {kvk}).\r\n\
         Attachments: {base}.xml (e-invoice, SI-UBL) and {base}.pdf (the same invoice as PDF).\r\n"
    );
    let build_err = |reason: String| MailError::Build {
        base: base.clone(),
        reason,
    };
    let xml_type = ContentType::parse("application/xml").map_err(|e| build_err(e.to_string()))?;
    let pdf_type = ContentType::parse("application/pdf").map_err(|e| build_err(e.to_string()))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(format!("Factuur {number}"))
        .date(settings.date)
        .message_id(Some(format!("<factuur.{base}.{hash:016x}@{domain}>")))
        .multipart(
            MultiPart::mixed()
                .boundary(format!("factuur-{hash:016x}"))
                .singlepart(SinglePart::plain(body))
                .singlepart(Attachment::new(format!("{base}.xml")).body(pair.xml.clone(), xml_type))
                .singlepart(
                    Attachment::new(format!("{base}.pdf")).body(pair.pdf.clone(), pdf_type),
                ),
        )
        .map_err(|e| build_err(e.to_string()))?;
    Ok(Outgoing {
        base: base.clone(),
        number,
        kvk: kvk.clone(),
        eml: message.formatted(),
        envelope: message.envelope().clone(),
    })
}

/// A pair folder routed and turned into messages.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Messages per customer KvK number (ascending), in base-name order within a group.
    pub groups: BTreeMap<String, Vec<Outgoing>>,
    /// Pairs that cannot be delivered, with the reason.
    pub refused: Vec<Refusal<PairFiles>>,
}

impl Prepared {
    /// Every message, group by group.
    pub fn messages(&self) -> impl Iterator<Item = &Outgoing> {
        self.groups.values().flatten()
    }
}

/// Reads every pair in `dir`, routes them by the customer's KvK number (from the XML) and
/// builds one message per routable invoice. Pairs whose XML is not a readable UBL invoice, or
/// whose customer has no KvK number, are refused with the reason.
pub fn prepare(dir: &Path, settings: &MailSettings) -> Result<Prepared, MailError> {
    // Check both addresses once, before any work.
    mailbox("the sender", &settings.from)?;
    mailbox("the upload address", &settings.to)?;
    let pairs = read_dir(dir)?;
    let scanned = pairs.into_iter().map(|p| {
        let s = scan_ubl(&p.xml)
            .map_err(|e| format!("{}: not a readable UBL invoice: {e}", p.files.xml.display()));
        (p, s)
    });
    let routing = group(scanned, |(pair, summary)| {
        let s = summary.as_ref().map_err(Clone::clone)?;
        s.customer_kvk.clone().ok_or_else(|| {
            format!(
                "{}: invoice {} to {}: the customer has no KvK number; InvoiceSharing finds the \
                 recipient by the customer's KvK number, so this invoice cannot be routed",
                pair.files.xml.display(),
                s.number.as_deref().unwrap_or("?"),
                s.customer_name.as_deref().unwrap_or("?"),
            )
        })
    });
    let mut out = Prepared {
        groups: BTreeMap::new(),
        refused: routing
            .refused
            .into_iter()
            .map(|r| Refusal {
                item: r.item.0.files,
                reason: r.reason,
            })
            .collect(),
    };
    for (key, items) in routing.groups {
        let mut messages = Vec::with_capacity(items.len());
        for (pair, summary) in items {
            // Grouped items always scanned fine and have a KvK number.
            if let Ok(summary) = summary
                && let Some(kvk) = &summary.customer_kvk
            {
                messages.push(build(&pair, &summary, kvk, settings)?);
            }
        }
        out.groups.insert(key, messages);
    }
    Ok(out)
}

/// Writes `<dir>/<base>.eml` atomically (temporary file, then rename) and returns its path.
pub fn write_eml(dir: &Path, message: &Outgoing) -> Result<PathBuf, MailError> {
    let path = dir.join(format!("{}.eml", message.base));
    super::write_atomic(&path, &message.eml)?;
    Ok(path)
}

/// An SMTP server to hand messages to (no TLS; see the module documentation).
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Host name or IP address.
    pub host: String,
    /// Port, usually 25 or 587.
    pub port: u16,
    /// Time limit per command.
    pub timeout: Duration,
}

impl Smtp {
    /// Parses `HOST:PORT` (or `HOST`, port 25; IPv6 as `[::1]:2525`).
    ///
    /// ```
    /// let s = factuur::pair::mail::Smtp::parse("127.0.0.1:2525").unwrap();
    /// assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 2525));
    /// assert!(factuur::pair::mail::Smtp::parse("host:notaport").is_err());
    /// ```
    pub fn parse(server: &str) -> Result<Smtp, String> {
        let (host, port) = if let Some(rest) = server.strip_prefix('[') {
            let (h, p) = rest
                .split_once(']')
                .ok_or_else(|| format!("{server:?}: missing ']' after the IPv6 address"))?;
            (h, p.strip_prefix(':'))
        } else {
            match server.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (server, None),
            }
        };
        if host.is_empty() {
            return Err(format!("{server:?}: no host"));
        }
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| format!("{server:?}: the port must be a number from 1 to 65535"))?,
            None => 25,
        };
        if port == 0 {
            return Err(format!("{server:?}: port 0 is not a port"));
        }
        Ok(Smtp {
            host: host.to_owned(),
            port,
            timeout: Duration::from_secs(60),
        })
    }

    /// Sends the messages over one connection, in order; stops at the first refusal and says
    /// which message it was (the ones before it were accepted).
    pub fn send(&self, messages: &[&Outgoing]) -> Result<(), MailError> {
        let server = format!("{}:{}", self.host, self.port);
        let transport = SmtpTransport::builder_dangerous(&self.host)
            .port(self.port)
            .hello_name(ClientId::Domain("localhost".into()))
            .timeout(Some(self.timeout))
            .build();
        for m in messages {
            transport
                .send_raw(&m.envelope, &m.eml)
                .map_err(|e| MailError::Smtp {
                    server: server.clone(),
                    base: m.base.clone(),
                    reason: e.to_string(),
                })?;
        }
        Ok(())
    }
}
