//! Invoice drafts: the JSON model without a number, from a directory of `*.json` files or a
//! JSON-lines file (one draft per line). A number in a draft is ignored: the run numbers.
//!
//! Drafts are read twice or three times rather than held: once to plan, once to render, once
//! to commit. So a run of any size keeps only a few hundred bytes per draft in memory.
//!
//! Each draft has a key: a digest of its content with the number left out. A production run
//! leaves out a draft whose key an earlier production run (still in the ledger) invoiced, so a
//! run repeated over the same window does not invoice twice; after a rollback the drafts are
//! available again.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Invoice;

use super::RunError;

/// Largest draft accepted, in bytes.
pub const MAX_DRAFT: u64 = 64 * 1024 * 1024;

/// A draft, read and keyed.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The invoice; its number is empty (the run numbers it).
    pub invoice: Invoice,
    /// The draft's key (32 hexadecimal digits; empty when read without it).
    pub key: String,
    /// CRC-32 of the draft's bytes as read (a cheap check that a draft read again is the same).
    pub crc: u32,
    /// The number the draft carried (ignored: the run numbers), empty if none.
    pub former_number: String,
}

impl Draft {
    /// Gives the invoice its number; a payment reference that repeated the draft's former
    /// number repeats the new one (so no output carries the ignored number).
    pub fn number(&mut self, number: &str) {
        for m in &mut self.invoice.payment_means {
            if !self.former_number.is_empty()
                && m.payment_id.as_deref() == Some(self.former_number.as_str())
            {
                m.payment_id = Some(number.to_owned());
            }
        }
        self.invoice.number = number.to_owned();
    }
}

/// Where drafts come from.
#[derive(Debug)]
pub enum Input {
    /// `*.json` files of a directory, by name.
    Dir(Vec<PathBuf>),
    /// One draft per line of a JSON-lines file: byte offset, length and line number.
    Lines {
        /// The file.
        path: PathBuf,
        /// It, open.
        file: File,
        /// Each draft's byte span and line.
        spans: Vec<(u64, u32, u32)>,
    },
}

impl Input {
    /// A directory (its `*.json` files, sorted by name), a JSON-lines file, or one `.json`
    /// file.
    pub fn open(path: &Path) -> Result<Input, RunError> {
        let io = |e: std::io::Error| RunError::Input {
            file: path.display().to_string(),
            message: e.to_string(),
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
                .collect();
            files.sort();
            return Ok(Input::Dir(files));
        }
        if path.extension().is_some_and(|e| e == "json") {
            return Ok(Input::Dir(vec![path.to_owned()]));
        }
        let file = File::open(path).map_err(io)?;
        let mut reader = BufReader::with_capacity(1 << 16, &file);
        let mut spans = Vec::new();
        let mut offset = 0u64;
        let mut line_no = 0u32;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            line_no += 1;
            if n as u64 > MAX_DRAFT {
                return Err(RunError::Input {
                    file: format!("{}:{line_no}", path.display()),
                    message: format!("the line is {n} bytes, more than a draft may have"),
                });
            }
            if buf.iter().any(|b| !b.is_ascii_whitespace()) {
                spans.push((offset, n as u32, line_no));
            }
            offset += n as u64;
        }
        Ok(Input::Lines {
            path: path.to_owned(),
            file,
            spans,
        })
    }

    /// How many drafts.
    pub fn len(&self) -> usize {
        match self {
            Input::Dir(f) => f.len(),
            Input::Lines { spans, .. } => spans.len(),
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where draft `i` comes from: the file's name, or `file:LINE`.
    pub fn source(&self, i: usize) -> String {
        match self {
            Input::Dir(f) => f[i]
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Input::Lines { path, spans, .. } => format!(
                "{}:{}",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                spans[i].2
            ),
        }
    }

    /// Reads and parses draft `i`, with its key.
    pub fn read(&self, i: usize) -> Result<Draft, RunError> {
        self.read_with(i, true)
    }

    /// Reads and parses draft `i` again, without computing its key (its CRC tells whether it
    /// changed).
    pub fn reread(&self, i: usize) -> Result<Draft, RunError> {
        self.read_with(i, false)
    }

    fn read_with(&self, i: usize, keyed: bool) -> Result<Draft, RunError> {
        let bytes = match self {
            Input::Dir(f) => {
                let p = &f[i];
                let io = |e: std::io::Error| RunError::Input {
                    file: p.display().to_string(),
                    message: e.to_string(),
                };
                if std::fs::metadata(p).map_err(io)?.len() > MAX_DRAFT {
                    return Err(RunError::Input {
                        file: p.display().to_string(),
                        message: "the file is larger than a draft may be".into(),
                    });
                }
                std::fs::read(p).map_err(io)?
            }
            Input::Lines { file, spans, path } => {
                let (off, len, _) = spans[i];
                let mut buf = vec![0; len as usize];
                file.read_exact_at(&mut buf, off)
                    .map_err(|e| RunError::Input {
                        file: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                buf
            }
        };
        parse_with(&bytes, keyed).map_err(|message| RunError::Input {
            file: self.source(i),
            message,
        })
    }
}

/// Parses a draft: the invoice JSON model, with or without a number (a number is replaced by
/// an empty one). Errors name line, column and path.
pub fn parse(bytes: &[u8]) -> Result<Draft, String> {
    parse_with(bytes, true)
}

fn parse_with(bytes: &[u8], keyed: bool) -> Result<Draft, String> {
    let mut invoice = match Invoice::from_json(bytes) {
        Ok(inv) => inv,
        Err(crate::Error::Json(j))
            if j.path == "$" && j.message.contains("missing field `number`") =>
        {
            Invoice::from_json(&with_number(bytes)).map_err(|e| e.to_string())?
        }
        Err(e) => return Err(e.to_string()),
    };
    let former_number = std::mem::take(&mut invoice.number);
    let key = if keyed { key(&invoice) } else { String::new() };
    Ok(Draft {
        invoice,
        key,
        crc: crc32fast::hash(bytes),
        former_number,
    })
}

/// The JSON with `"number":""` inserted as the first member of the top-level object, on the
/// same line (so the lines of later errors stay right).
fn with_number(bytes: &[u8]) -> Vec<u8> {
    let Some(open) = bytes.iter().position(|&b| b == b'{') else {
        return bytes.to_vec();
    };
    let rest = &bytes[open + 1..];
    let empty = rest
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'}');
    let mut out = Vec::with_capacity(bytes.len() + 16);
    out.extend_from_slice(&bytes[..=open]);
    out.extend_from_slice(if empty {
        b"\"number\":\"\"".as_slice()
    } else {
        b"\"number\":\"\",".as_slice()
    });
    out.extend_from_slice(rest);
    out
}

/// The key of an invoice's content with its number left out: the first 16 bytes of the SHA-256
/// of its compact JSON, in hexadecimal.
pub fn key(invoice: &Invoice) -> String {
    let json = if invoice.number.is_empty() {
        serde_json::to_vec(invoice)
    } else {
        let mut copy = invoice.clone();
        copy.number.clear();
        serde_json::to_vec(&copy)
    }
    .expect("an invoice always serialises");
    let digest = Sha256::digest(&json);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_and_without_number() {
        let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
        let a = parse(&json).unwrap();
        assert!(a.invoice.number.is_empty());
        let text = String::from_utf8(json.clone()).unwrap();
        let without = text.replacen("\"number\": \"2026-00017\",", "", 1);
        assert_ne!(without, text);
        let b = parse(without.as_bytes()).unwrap();
        assert_eq!(a.key, b.key);
        assert_eq!(a.key.len(), 32);
        let other = text.replacen("\"number\": \"2026-00017\"", "\"number\": \"X-1\"", 1);
        assert_eq!(parse(other.as_bytes()).unwrap().key, a.key);
        let changed = text.replacen("Bakkerij Jansen", "Bakkerij Janssen", 1);
        assert_ne!(parse(changed.as_bytes()).unwrap().key, a.key);
        // Errors keep their line.
        let broken = without.replacen(
            "\"issue_date\": \"2026-02-03\"",
            "\"issue_date\": \"2026-02-30\"",
            1,
        );
        let e = parse(broken.as_bytes()).unwrap_err();
        assert!(e.contains("line 3"), "{e}");
        assert_eq!(with_number(b" { }"), b" {\"number\":\"\" }");
    }

    #[test]
    fn a_payment_reference_repeating_the_former_number_follows_the_new_one() {
        let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
        let mut d = parse(&json).unwrap();
        assert_eq!(d.former_number, "2026-00017");
        d.number("TEST-0001");
        assert_eq!(d.invoice.number, "TEST-0001");
        assert_eq!(
            d.invoice.payment_means[0].payment_id.as_deref(),
            Some("TEST-0001")
        );
        // A reference of its own stays.
        let text = String::from_utf8(json).unwrap();
        let own = text.replacen(
            "\"payment_id\": \"2026-00017\"",
            "\"payment_id\": \"REF-9\"",
            1,
        );
        let mut d = parse(own.as_bytes()).unwrap();
        d.number("TEST-0001");
        assert_eq!(
            d.invoice.payment_means[0].payment_id.as_deref(),
            Some("REF-9")
        );
    }
}
