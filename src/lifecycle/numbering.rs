//! Invoice numbers from a number series.
//!
//! A series has a format of literal text with two placeholders: `{year}` (the four-digit year in
//! which the number is given) and `{seq:N}` (the sequence number, zero-padded to at least N
//! digits). With `{year}` in the format the sequence starts again at 1 every year; without it,
//! it runs on for ever. The ledger hands out the sequence inside the transaction that stores the
//! invoice, so a series has no gaps: a voided invoice keeps its number, and a number that lapses
//! (a rolled-back run) is recorded as lapsed.
//!
//! ```
//! use factuur::lifecycle::SeriesFormat;
//! let f = SeriesFormat::parse("{year}-{seq:5}").unwrap();
//! assert_eq!(f.format(2026, 17), "2026-00017");
//! assert_eq!(f.period(2026), 2026);
//! let plain = SeriesFormat::parse("VF{seq:4}").unwrap();
//! assert_eq!(plain.format(2026, 3), "VF0003");
//! assert_eq!(plain.period(2026), 0);
//! ```

use std::fmt;

/// Most digits `{seq:N}` may ask for (an `i64` sequence has 19).
pub const MAX_DIGITS: u8 = 18;

/// A series format that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// No `{seq:N}`: every number would be the same.
    #[error("format {0:?} has no {{seq:N}}: every number needs the sequence")]
    NoSequence(String),
    /// `{seq:N}` more than once.
    #[error("format {0:?} has {{seq:N}} more than once")]
    TwoSequences(String),
    /// `{year}` more than once.
    #[error("format {0:?} has {{year}} more than once")]
    TwoYears(String),
    /// A placeholder factuur does not know, or an unbalanced brace.
    #[error(
        "format {format:?}: {what} at byte {at}; the placeholders are {{year}} and {{seq:N}} (N from 1 to 18)"
    )]
    Placeholder {
        /// The format.
        format: String,
        /// What is wrong.
        what: &'static str,
        /// Byte offset.
        at: usize,
    },
    /// Text that could end up ambiguous or unreadable in a number.
    #[error("format {0:?} contains a control character or whitespace other than a plain space")]
    BadCharacter(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Seq(u8),
}

/// A parsed series format such as `{year}-{seq:5}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFormat {
    text: String,
    parts: Vec<Part>,
}

impl SeriesFormat {
    /// Parses a format; see the module documentation.
    pub fn parse(text: &str) -> Result<SeriesFormat, FormatError> {
        if text
            .chars()
            .any(|c| c.is_control() || (c.is_whitespace() && c != ' '))
        {
            return Err(FormatError::BadCharacter(text.to_owned()));
        }
        let bad = |what, at| FormatError::Placeholder {
            format: text.to_owned(),
            what,
            at,
        };
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let close = rest.find('}').ok_or_else(|| bad("unclosed '{'", offset))?;
                    let inner = &rest[1..close];
                    let part = if inner == "year" {
                        Part::Year
                    } else if let Some(n) = inner.strip_prefix("seq:") {
                        let n: u8 = n
                            .parse()
                            .ok()
                            .filter(|n| (1..=MAX_DIGITS).contains(n))
                            .ok_or_else(|| bad("{seq:N} needs N from 1 to 18", offset))?;
                        Part::Seq(n)
                    } else {
                        return Err(bad("unknown placeholder", offset));
                    };
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(part);
                    offset += close + 1;
                    rest = &rest[close + 1..];
                }
                '}' => return Err(bad("'}' without '{'", offset)),
                c => {
                    literal.push(c);
                    offset += c.len_utf8();
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        let years = parts.iter().filter(|p| matches!(p, Part::Year)).count();
        match (seqs, years) {
            (0, _) => Err(FormatError::NoSequence(text.to_owned())),
            (2.., _) => Err(FormatError::TwoSequences(text.to_owned())),
            (_, 2..) => Err(FormatError::TwoYears(text.to_owned())),
            _ => Ok(SeriesFormat {
                text: text.to_owned(),
                parts,
            }),
        }
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the sequence starts again every year (the format has `{year}`).
    pub fn has_year(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Year))
    }

    /// The counter a number given in `year` comes from: the year itself when the format has
    /// `{year}`, otherwise 0 (one counter for ever).
    pub fn period(&self, year: i32) -> i32 {
        if self.has_year() { year } else { 0 }
    }

    /// The number with sequence `seq` given in `year`. A sequence wider than N digits is
    /// written in full, never cut.
    pub fn format(&self, year: i32, seq: u64) -> String {
        let mut out = String::with_capacity(self.text.len() + 8);
        for p in &self.parts {
            match p {
                Part::Literal(s) => out.push_str(s),
                Part::Year => out.push_str(&format!("{year:04}")),
                Part::Seq(n) => out.push_str(&format!("{seq:0width$}", width = *n as usize)),
            }
        }
        out
    }
}

impl fmt::Display for SeriesFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Checks an invoice number given by hand or kept from an import: not empty, no control
/// characters, no leading or trailing whitespace, at most 200 bytes.
pub fn check_number(number: &str) -> Result<(), String> {
    if number.is_empty() {
        return Err("the invoice number is empty".into());
    }
    if number.len() > 200 {
        return Err(format!(
            "the invoice number is {} bytes long; at most 200",
            number.len()
        ));
    }
    if number.trim() != number {
        return Err(format!(
            "the invoice number {number:?} starts or ends with whitespace"
        ));
    }
    if number.chars().any(char::is_control) {
        return Err(format!(
            "the invoice number {number:?} contains a control character"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let f = SeriesFormat::parse("{year}-{seq:5}").unwrap();
        assert_eq!(f.format(2026, 17), "2026-00017");
        assert_eq!(f.format(2026, 123_456), "2026-123456");
        assert!(f.has_year());
        let f = SeriesFormat::parse("F{seq:1}/{year}").unwrap();
        assert_eq!(f.format(2027, 9), "F9/2027");
        let f = SeriesFormat::parse("Factuur №{seq:3}").unwrap();
        assert_eq!(f.format(2026, 1), "Factuur №001");
        assert_eq!(f.period(2030), 0);
        assert_eq!(f.as_str(), "Factuur №{seq:3}");
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            SeriesFormat::parse("{year}"),
            Err(FormatError::NoSequence(_))
        ));
        assert!(matches!(
            SeriesFormat::parse("{seq:2}{seq:3}"),
            Err(FormatError::TwoSequences(_))
        ));
        assert!(matches!(
            SeriesFormat::parse("{year}{year}{seq:3}"),
            Err(FormatError::TwoYears(_))
        ));
        for bad in [
            "{seq:0}",
            "{seq:19}",
            "{seq:x}",
            "{seq}",
            "{month}{seq:2}",
            "{seq:2",
            "a}{seq:2}",
        ] {
            let e = SeriesFormat::parse(bad).unwrap_err();
            assert!(matches!(e, FormatError::Placeholder { .. }), "{bad}: {e}");
        }
        assert!(matches!(
            SeriesFormat::parse("A\t{seq:2}"),
            Err(FormatError::BadCharacter(_))
        ));
    }

    #[test]
    fn numbers() {
        assert!(check_number("2026-00017").is_ok());
        assert!(check_number("").is_err());
        assert!(check_number(" 1").is_err());
        assert!(check_number("a\nb").is_err());
        assert!(check_number(&"9".repeat(201)).is_err());
    }
}
