//! JSON input: exact decimals, unknown fields refused, errors that name path, line and column.

use std::fmt;

use serde::de::DeserializeOwned;

/// A JSON document that could not be read into the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where in the document, as a JSONPath such as `$.lines[2].quantity` (`$` for the root).
    pub path: String,
    /// 1-based line of the offending value (0 when the input ended early).
    pub line: usize,
    /// 1-based column of the offending value.
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}, at {}: {}",
            self.line, self.column, self.path, self.message
        )
    }
}

impl std::error::Error for JsonError {}

/// Reads `T` from JSON bytes. Trailing data after the value is an error.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        to_error(path, &inner)
    })?;
    de.end().map_err(|e| to_error("$".to_owned(), &e))?;
    Ok(value)
}

fn json_path(p: &str) -> String {
    match p {
        "." | "" => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

fn to_error(path: String, e: &serde_json::Error) -> JsonError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we report those as fields.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    JsonError {
        path,
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Serde helpers for optional bytes as standard base64 text.
pub(crate) mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_str(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| {
            // Line breaks and spaces are common in base64 copied from mail or XML.
            let clean: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            STANDARD
                .decode(clean.as_bytes())
                .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Invoice;

    #[test]
    fn error_names_path_line_and_column() {
        let json = b"{\n  \"number\": \"F1\",\n  \"issue_date\": \"2026-02-30\"\n}";
        let e = from_slice::<Invoice>(json).unwrap_err();
        assert_eq!(e.path, "$.issue_date");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("input is out of range") || e.message.contains("invalid"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
            "supplier": {"name": "A", "kvk_nummer": "1"}}"#;
        let e = from_slice::<Invoice>(json).unwrap_err();
        assert_eq!(e.path, "$.supplier.kvk_nummer");
        assert!(e.message.contains("unknown field"), "{}", e.message);
    }

    #[test]
    fn numbers_are_exact() {
        let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
            "supplier": {"name": "A"},
            "lines": [{"id": "1", "quantity": 0.1, "price": 12345678901234567.891, "item": {"name": "x"}}]}"#;
        let inv = from_slice::<Invoice>(json).unwrap();
        assert_eq!(inv.lines[0].quantity.to_string(), "0.1");
        assert_eq!(inv.lines[0].price.to_string(), "12345678901234567.891");
    }

    #[test]
    fn trailing_garbage_and_syntax_errors() {
        let e = from_slice::<Invoice>(b"{} x").unwrap_err();
        assert!(e.line >= 1);
        let e = from_slice::<Invoice>(b"{\"number\": ").unwrap_err();
        assert!(e.message.contains("EOF"), "{}", e.message);
        let e = from_slice::<Vec<u8>>(b"[1, 2,]").unwrap_err();
        assert_eq!((e.line, e.column), (1, 7));
    }

    #[test]
    fn base64_attachments() {
        let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
            "supplier": {"name": "A"},
            "attachments": [{"id": "a", "content": "aGFs\nbG8="}]}"#;
        let inv = from_slice::<Invoice>(json).unwrap();
        assert_eq!(inv.attachments[0].content.as_deref(), Some(&b"hallo"[..]));
        let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
            "supplier": {"name": "A"}, "attachments": [{"id": "a", "content": "!!"}]}"#;
        let e = from_slice::<Invoice>(json).unwrap_err();
        assert_eq!(e.path, "$.attachments[0].content");
    }
}
