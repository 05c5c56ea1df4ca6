//! The tax black box (GKS): a trait, a simulated box for tests, and a connector that runs an
//! external program for real use.
//!
//! The connector's contract: the program gets the invoice's UBL on standard input (and the
//! invoice number in `FACTUUR_INVOICE_NUMBER`, the attempt in `FACTUUR_ATTEMPT`); it prints the
//! VAT ticket on standard output and exits 0 when one is assigned, exits 75 (`EX_TEMPFAIL`) when
//! there is none yet; anything else (another exit status, a signal, no ticket after exit 0, the
//! time limit) is an error, which the ledger records and retries.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::reporting::{Answer, check_ticket};

/// The exit status with which a connector program says "no ticket yet".
pub const EXIT_NOT_YET: i32 = 75;

/// Most bytes read from a connector's standard output or error.
const MAX_OUTPUT: u64 = 64 * 1024;

/// One offer of an invoice to the black box.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// The invoice number.
    pub number: &'a str,
    /// The invoice as UBL (SI-UBL 2.0).
    pub ubl: &'a [u8],
    /// Now, by the injected clock.
    pub now: DateTime<Utc>,
    /// 1 for the invoice's first offer, and so on.
    pub attempt: u32,
}

/// A tax black box: takes an offer, answers with a ticket, "not yet", or an error. Answers
/// never panic and never hang beyond the box's own time limit.
pub trait BlackBox: Send {
    /// Offers one invoice.
    fn offer(&mut self, offer: &Offer<'_>) -> Answer;
    /// A short description for logs and history (`sim`, `exec:/usr/local/bin/gks`).
    fn describe(&self) -> String;
}

/// How the simulated black box misbehaves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimConfig {
    /// Seed of the (deterministic) randomness.
    pub seed: u64,
    /// Every offer takes this long (the box is slow); really slept.
    pub delay: Duration,
    /// Per mille of offers that fail with a connection error (the box is flaky).
    pub flaky: u16,
    /// Every offer fails (the box is down).
    pub down: bool,
    /// The first `late` offers of each invoice get "no ticket yet": the ticket comes late.
    pub late: u32,
    /// Per mille of assigned tickets whose reply is lost: the offer fails, and the next offer
    /// of that invoice gets the same ticket again (a duplicate answer).
    pub lost: u16,
}

impl SimConfig {
    /// Reads `sim` or `sim:KEY=VALUE,...` with keys `seed`, `delay` (milliseconds, or with a
    /// unit: `50ms`, `2s`), `flaky` and `lost` (per mille), `late` (offers), and the flag `down`.
    ///
    /// ```
    /// use factuur::lifecycle::SimConfig;
    /// let c = SimConfig::parse("sim:late=2,flaky=100,delay=5ms").unwrap();
    /// assert_eq!((c.late, c.flaky, c.delay.as_millis()), (2, 100, 5));
    /// assert!(SimConfig::parse("sim:flaky=2000").is_err());
    /// ```
    pub fn parse(spec: &str) -> Result<SimConfig, String> {
        let rest = match spec.strip_prefix("sim") {
            Some("") => return Ok(SimConfig::default()),
            Some(r) => r.strip_prefix(':').ok_or_else(|| bad_spec(spec))?,
            None => return Err(bad_spec(spec)),
        };
        let mut c = SimConfig::default();
        for item in rest.split(',').filter(|s| !s.is_empty()) {
            let (key, value) = item.split_once('=').unwrap_or((item, ""));
            let num = |v: &str| -> Result<u64, String> {
                v.parse()
                    .map_err(|_| format!("sim option {key}: {v:?} is not a whole number"))
            };
            let mille = |v: &str| -> Result<u16, String> {
                let n = num(v)?;
                u16::try_from(n)
                    .ok()
                    .filter(|n| *n <= 1000)
                    .ok_or_else(|| format!("sim option {key}: {n} is not per mille (0..=1000)"))
            };
            match key {
                "seed" => c.seed = num(value)?,
                "delay" => c.delay = parse_duration(value)?,
                "flaky" => c.flaky = mille(value)?,
                "lost" => c.lost = mille(value)?,
                "late" => {
                    c.late = u32::try_from(num(value)?)
                        .map_err(|_| format!("sim option late: {value} is too large"))?
                }
                "down" if value.is_empty() || value == "1" || value == "true" => c.down = true,
                _ => return Err(format!("unknown sim option {item:?}; {}", SIM_KEYS)),
            }
        }
        Ok(c)
    }
}

const SIM_KEYS: &str = "options: seed=N, delay=MS, flaky=PERMILLE, lost=PERMILLE, late=N, down";

fn bad_spec(spec: &str) -> String {
    format!("{spec:?} is not a simulated black box: sim or sim:KEY=VALUE,... ({SIM_KEYS})")
}

/// Reads a duration: a number of milliseconds, or a number with `ms`, `s`, `m` or `h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (digits, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "ms"), |i| t.split_at(i));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 300s, 5m, 250ms)"))?;
    let ms = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" | "min" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => None,
    }
    .ok_or_else(|| format!("{text:?} is not a duration (units: ms, s, m, h)"))?;
    Ok(Duration::from_millis(ms))
}

/// A simulated black box. Stateless and deterministic: its answers depend only on the
/// configuration, the invoice number and the attempt, so several processes (or a process that
/// was killed and started again) see the same box. The ticket of an invoice is always the same.
#[derive(Debug, Clone)]
pub struct SimBlackBox {
    config: SimConfig,
    offers: u64,
}

impl SimBlackBox {
    /// A box with this behaviour.
    pub fn new(config: SimConfig) -> SimBlackBox {
        SimBlackBox { config, offers: 0 }
    }

    /// Takes the box down or brings it up again.
    pub fn set_down(&mut self, down: bool) {
        self.config.down = down;
    }

    /// How many offers the box has had.
    pub fn offers(&self) -> u64 {
        self.offers
    }

    /// The ticket this box assigns to an invoice number.
    pub fn ticket_for(&self, number: &str) -> String {
        format!(
            "GKS-{:012X}",
            fnv(self.config.seed, number) & 0xFFFF_FFFF_FFFF
        )
    }

    fn roll(&self, number: &str, attempt: u32, salt: u64) -> u16 {
        let x = splitmix(fnv(self.config.seed ^ salt, number) ^ u64::from(attempt));
        (x % 1000) as u16
    }
}

impl BlackBox for SimBlackBox {
    fn offer(&mut self, offer: &Offer<'_>) -> Answer {
        self.offers += 1;
        if !self.config.delay.is_zero() {
            std::thread::sleep(self.config.delay);
        }
        if self.config.down {
            return Answer::Failed("the black box is down (simulated)".into());
        }
        if self.roll(offer.number, offer.attempt, 0x5EED_F1A4) < self.config.flaky {
            return Answer::Failed("connection reset by the black box (simulated)".into());
        }
        if offer.attempt <= self.config.late {
            return Answer::NotYet;
        }
        if self.roll(offer.number, offer.attempt, 0x1057_0000) < self.config.lost {
            return Answer::Failed(
                "the reply was lost after the black box assigned a ticket (simulated)".into(),
            );
        }
        Answer::Ticket(self.ticket_for(offer.number))
    }

    fn describe(&self) -> String {
        "sim".into()
    }
}

fn fnv(seed: u64, text: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The external-program connector: runs a configured program per offer (see the module
/// documentation for the contract), with a time limit.
#[derive(Debug, Clone)]
pub struct ExecBlackBox {
    program: PathBuf,
    args: Vec<OsString>,
    timeout: Duration,
}

impl ExecBlackBox {
    /// A connector running `program` with a time limit per offer.
    pub fn new(program: impl Into<PathBuf>, timeout: Duration) -> ExecBlackBox {
        ExecBlackBox {
            program: program.into(),
            args: Vec::new(),
            timeout,
        }
    }

    /// Arguments passed to the program on every offer.
    pub fn args<I, S>(mut self, args: I) -> ExecBlackBox
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }
}

/// Reads up to [`MAX_OUTPUT`] bytes from a pipe in a thread; the rest is drained and dropped.
fn collect(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut pipe).take(MAX_OUTPUT).read_to_end(&mut buf);
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        let _ = tx.send(buf);
    });
    rx
}

fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let start = text.char_indices().rev().nth(299).map_or(0, |(i, _)| i);
    text[start..].replace('\n', " | ")
}

impl BlackBox for ExecBlackBox {
    fn offer(&mut self, offer: &Offer<'_>) -> Answer {
        let name = self.program.display().to_string();
        let mut child = match Command::new(&self.program)
            .args(&self.args)
            .env("FACTUUR_INVOICE_NUMBER", offer.number)
            .env("FACTUUR_ATTEMPT", offer.attempt.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => return Answer::Failed(format!("cannot start {name}: {e}")),
        };
        let started = Instant::now();
        if let Some(mut stdin) = child.stdin.take() {
            let ubl = offer.ubl.to_vec();
            // A program that does not read its input must not block the offer.
            std::thread::spawn(move || {
                let _ = stdin.write_all(&ubl);
            });
        }
        let out = child.stdout.take().map(collect);
        let err = child.stderr.take().map(collect);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!(
                        "{name} did not answer within {} ms and was stopped",
                        self.timeout.as_millis()
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => break Err(format!("waiting for {name}: {e}")),
            }
        };
        // The pipes close when the program ends, unless it left a child holding them.
        let grace = Duration::from_millis(500);
        let read = |rx: Option<mpsc::Receiver<Vec<u8>>>| {
            rx.and_then(|rx| rx.recv_timeout(grace).ok())
                .unwrap_or_default()
        };
        let stdout = read(out);
        let stderr = read(err);
        let status = match status {
            Ok(s) => s,
            Err(e) => return Answer::Failed(e),
        };
        match status.code() {
            Some(0) => {
                let text = String::from_utf8_lossy(&stdout);
                let ticket = text.lines().next().unwrap_or("").trim();
                match check_ticket(ticket) {
                    Ok(()) => Answer::Ticket(ticket.to_owned()),
                    Err(e) => Answer::Failed(format!("{name} exited 0 but {e}")),
                }
            }
            Some(EXIT_NOT_YET) => Answer::NotYet,
            Some(code) => Answer::Failed(format!(
                "{name} exited with status {code}: {}",
                tail(&stderr)
            )),
            None => Answer::Failed(format!("{name} was ended by a signal ({status})")),
        }
    }

    fn describe(&self) -> String {
        format!("exec:{}", self.program.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(number: &str, attempt: u32) -> Offer<'_> {
        Offer {
            number,
            ubl: b"<Invoice/>",
            now: DateTime::from_timestamp_millis(0).unwrap(),
            attempt,
        }
    }

    #[test]
    fn sim_answers() {
        let mut b = SimBlackBox::new(SimConfig::default());
        let t = b.ticket_for("2026-00001");
        assert_eq!(b.offer(&offer("2026-00001", 1)), Answer::Ticket(t.clone()));
        assert_eq!(b.offer(&offer("2026-00001", 2)), Answer::Ticket(t));
        assert_ne!(b.ticket_for("2026-00001"), b.ticket_for("2026-00002"));

        let mut late = SimBlackBox::new(SimConfig::parse("sim:late=2").unwrap());
        assert_eq!(late.offer(&offer("A", 1)), Answer::NotYet);
        assert_eq!(late.offer(&offer("A", 2)), Answer::NotYet);
        assert!(matches!(late.offer(&offer("A", 3)), Answer::Ticket(_)));

        let mut down = SimBlackBox::new(SimConfig::parse("sim:down").unwrap());
        assert!(matches!(down.offer(&offer("A", 1)), Answer::Failed(_)));
        down.set_down(false);
        assert!(matches!(down.offer(&offer("A", 2)), Answer::Ticket(_)));
        assert_eq!(down.offers(), 2);

        let mut flaky = SimBlackBox::new(SimConfig::parse("sim:flaky=500,seed=3").unwrap());
        let failed = (1..=400)
            .filter(|a| matches!(flaky.offer(&offer("B", *a)), Answer::Failed(_)))
            .count();
        assert!((120..=280).contains(&failed), "{failed} of 400 failed");

        let mut lost = SimBlackBox::new(SimConfig::parse("sim:lost=1000").unwrap());
        assert!(matches!(lost.offer(&offer("C", 1)), Answer::Failed(e) if e.contains("lost")));
    }

    #[test]
    fn sim_specs() {
        assert_eq!(SimConfig::parse("sim").unwrap(), SimConfig::default());
        let c = SimConfig::parse("sim:seed=9,delay=2s,lost=10,down").unwrap();
        assert_eq!(c.seed, 9);
        assert_eq!(c.delay, Duration::from_secs(2));
        assert!(c.down);
        for bad in [
            "simx",
            "sim:",
            "sim:nope=1",
            "sim:late=x",
            "exec:foo",
            "sim;late=1",
        ] {
            if bad == "sim:" {
                assert!(SimConfig::parse(bad).is_ok());
                continue;
            }
            assert!(SimConfig::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("250").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5 weeks").is_err());
        assert!(parse_duration("").is_err());
    }

    fn script(name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("factuur-bb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn exec_contract() {
        let t = Duration::from_secs(10);
        // The ticket is derived from the input, so the UBL really went to standard input.
        let ok = script(
            "ok",
            "n=$(wc -c | tr -d ' '); echo \"T-$FACTUUR_INVOICE_NUMBER-$n\"",
        );
        assert_eq!(
            ExecBlackBox::new(&ok, t).offer(&offer("F1", 1)),
            Answer::Ticket("T-F1-10".into())
        );
        let not_yet = script("notyet", "cat >/dev/null; exit 75");
        assert_eq!(
            ExecBlackBox::new(&not_yet, t).offer(&offer("F1", 1)),
            Answer::NotYet
        );
        let fail = script("fail", "echo 'gks: refused' >&2; exit 3");
        match ExecBlackBox::new(&fail, t).offer(&offer("F1", 1)) {
            Answer::Failed(e) => {
                assert!(e.contains("status 3") && e.contains("gks: refused"), "{e}")
            }
            a => panic!("{a:?}"),
        }
        let empty = script("empty", "exit 0");
        assert!(matches!(
            ExecBlackBox::new(&empty, t).offer(&offer("F1", 1)),
            Answer::Failed(e) if e.contains("empty ticket")
        ));
        let slow = script("slow", "exec sleep 5");
        let started = Instant::now();
        assert!(matches!(
            ExecBlackBox::new(&slow, Duration::from_millis(200)).offer(&offer("F1", 1)),
            Answer::Failed(e) if e.contains("did not answer within 200 ms")
        ));
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(matches!(
            ExecBlackBox::new("/nonexistent/gks", t).offer(&offer("F1", 1)),
            Answer::Failed(e) if e.contains("cannot start")
        ));
        let args = script("args", "echo \"T-$1\"");
        assert_eq!(
            ExecBlackBox::new(&args, t)
                .args(["x"])
                .offer(&offer("F1", 1)),
            Answer::Ticket("T-x".into())
        );
    }
}
