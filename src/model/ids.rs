//! Identifiers of parties: KvK and OIN numbers, electronic addresses, scheme-qualified ids.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// ISO/IEC 6523 scheme of the Dutch Chamber of Commerce (KvK) number.
pub const SCHEME_KVK: &str = "0106";
/// ISO/IEC 6523 scheme of the Dutch government organisation number (OIN).
pub const SCHEME_OIN: &str = "0190";

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Not the right number of digits, or not only digits.
    #[error("{kind} must be exactly {digits} digits, got {value:?}")]
    Digits {
        /// What kind of number.
        kind: &'static str,
        /// How many digits it must have.
        digits: usize,
        /// What was given.
        value: String,
    },
}

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

macro_rules! digit_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $digits:literal, $pattern:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses the number, which must be exactly the right count of ASCII digits.
            pub fn new(value: impl Into<String>) -> Result<$name, IdError> {
                let value = value.into();
                if all_digits(&value, $digits) {
                    Ok($name(value))
                } else {
                    Err(IdError::Digits { kind: $kind, digits: $digits, value })
                }
            }

            /// The digits.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<$name, IdError> {
                $name::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": concat!($kind, ": exactly ", stringify!($digits), " digits")
                })
            }
        }
    };
}

digit_id!(
    /// Dutch Chamber of Commerce number (*KvK-nummer*): 8 digits. Written in UBL as a legal entity
    /// id with scheme `0106`; InvoiceSharing routes invoices to the customer by it.
    ///
    /// ```
    /// use factuur::model::Kvk;
    /// assert!(Kvk::new("58070036").is_ok());
    /// assert!(Kvk::new("5807003").is_err());
    /// ```
    Kvk, "KvK number", 8, "^[0-9]{8}$"
);

digit_id!(
    /// Dutch government organisation identification number (OIN): 20 digits, scheme `0190`.
    Oin, "OIN", 20, "^[0-9]{20}$"
);

/// An identifier with an optional scheme, e.g. a foreign company registration
/// (`{"id": "0123456789", "scheme": "0208"}`) or a GLN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemedId {
    /// The identifier itself.
    pub id: String,
    /// The scheme (ISO/IEC 6523 ICD code such as `0208`, or another list the context names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

impl SchemedId {
    /// An id with a scheme.
    pub fn new(id: impl Into<String>, scheme: impl Into<String>) -> SchemedId {
        SchemedId {
            id: id.into(),
            scheme: Some(scheme.into()),
        }
    }
}

/// An electronic address (BT-34 / BT-49): where the Peppol network or another e-invoicing network
/// delivers, with its EAS scheme (`0106` KvK, `0190` OIN, `9944` Dutch VAT, `0088` GLN, `EM` e-mail,
/// …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The address, e.g. the KvK number.
    pub id: String,
    /// The EAS scheme code.
    pub scheme: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvk_and_oin_formats() {
        assert!(Kvk::new("12345678").is_ok());
        assert!(Kvk::new("1234567a").is_err());
        assert!(Kvk::new("123456789").is_err());
        assert!(Oin::new("00000001003214345000").is_ok());
        assert!(Oin::new("0000000100321434500").is_err());
        let e = Kvk::new("12").unwrap_err();
        assert_eq!(
            e.to_string(),
            "KvK number must be exactly 8 digits, got \"12\""
        );
    }

    #[test]
    fn kvk_json() {
        let k: Kvk = serde_json::from_str("\"58070036\"").unwrap();
        assert_eq!(k.as_str(), "58070036");
        assert!(serde_json::from_str::<Kvk>("\"x\"").is_err());
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"58070036\"");
    }
}
