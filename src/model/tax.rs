//! VAT (BTW): the EN 16931 VAT categories and the back office's VAT code table.
//!
//! A back office enters a *VAT code* and a *VAT percentage* on every invoice line. The code is
//! looked up in a [`VatCodeTable`], which says which EN 16931 category and rate it stands for;
//! the seed error check compares the entered percentage with the code's.

use std::fmt;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// VAT category code (UNCL 5305 subset used by EN 16931, BT-118 / BT-151).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum VatCategory {
    /// Standard rate (in the Netherlands 21 % or 9 %).
    S,
    /// Zero rated goods.
    Z,
    /// Exempt from VAT (*vrijgesteld*).
    E,
    /// VAT reverse charge (*btw verlegd*).
    AE,
    /// Intra-community supply within the EU (*intracommunautaire levering*).
    K,
    /// Free export outside the EU.
    G,
    /// Services outside the scope of VAT.
    O,
    /// Canary Islands general indirect tax (IGIC).
    L,
    /// Tax for production, services and importation in Ceuta and Melilla (IPSI).
    M,
    /// Italian split payment: VAT charged, paid by the buyer to the tax authority.
    B,
}

impl VatCategory {
    /// All categories, in code order.
    pub const ALL: [VatCategory; 10] = [
        VatCategory::S,
        VatCategory::Z,
        VatCategory::E,
        VatCategory::AE,
        VatCategory::K,
        VatCategory::G,
        VatCategory::O,
        VatCategory::L,
        VatCategory::M,
        VatCategory::B,
    ];

    /// The UNCL 5305 code, as written in UBL.
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::S => "S",
            VatCategory::Z => "Z",
            VatCategory::E => "E",
            VatCategory::AE => "AE",
            VatCategory::K => "K",
            VatCategory::G => "G",
            VatCategory::O => "O",
            VatCategory::L => "L",
            VatCategory::M => "M",
            VatCategory::B => "B",
        }
    }

    /// Parses a UNCL 5305 code as EN 16931 uses it.
    pub fn from_code(code: &str) -> Option<VatCategory> {
        VatCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether VAT is charged in this category (a VAT amount other than zero is possible).
    pub fn is_taxed(self) -> bool {
        matches!(
            self,
            VatCategory::S | VatCategory::L | VatCategory::M | VatCategory::B
        )
    }

    /// Whether EN 16931 wants a VAT exemption reason (BT-120 or BT-121) for this category.
    pub fn needs_exemption_reason(self) -> bool {
        matches!(
            self,
            VatCategory::E | VatCategory::AE | VatCategory::K | VatCategory::G | VatCategory::O
        )
    }

    /// Whether the category carries a VAT rate at all (category O, outside scope, has none).
    pub fn has_rate(self) -> bool {
        self != VatCategory::O
    }
}

impl fmt::Display for VatCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Byte equality for short codes, inline: lengths first, then bytes, with no `memcmp` call
/// (which costs more than comparing a four-letter code).
#[inline]
pub(crate) fn same_code(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// One entry of a [`VatCodeTable`]: what a back office's VAT code means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VatCode {
    /// The code as entered on invoice lines, e.g. `HOOG`. Matched exactly (case-sensitive).
    pub code: String,
    /// The EN 16931 VAT category the code stands for.
    pub category: VatCategory,
    /// The VAT percentage of the code (0 for categories without VAT).
    #[schemars(with = "crate::model::DecimalRepr")]
    pub percentage: Decimal,
    /// A human description, e.g. `BTW hoog tarief`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Default exemption reason text (BT-120) for lines with this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
    /// Default exemption reason code (BT-121, VATEX list) for lines with this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason_code: Option<String>,
}

/// A back office's VAT codes: code → category and percentage.
///
/// Lookups are binary searches over a sorted vector: no hashing, no allocation, which keeps the
/// seed error check (which looks up every line) fast.
///
/// ```
/// use factuur::model::{VatCategory, VatCodeTable};
/// let table = VatCodeTable::dutch_default();
/// let hoog = table.get("HOOG").unwrap();
/// assert_eq!(hoog.category, VatCategory::S);
/// assert_eq!(hoog.percentage.to_string(), "21");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VatCodeTable {
    codes: Vec<VatCode>,
}

/// An error building a [`VatCodeTable`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VatTableError {
    /// The same code appears twice.
    #[error("VAT code {0:?} appears more than once in the table")]
    Duplicate(String),
    /// A code is the empty string.
    #[error("a VAT code in the table is empty")]
    Empty,
    /// A percentage below 0 or above 100.
    #[error("VAT code {code:?} has percentage {percentage}, outside 0..=100")]
    Percentage {
        /// The offending code.
        code: String,
        /// Its percentage.
        percentage: Decimal,
    },
    /// A category without VAT with a percentage other than 0.
    #[error(
        "VAT code {code:?} is category {category}, which has no VAT, but percentage {percentage}"
    )]
    UntaxedWithRate {
        /// The offending code.
        code: String,
        /// Its category.
        category: VatCategory,
        /// Its percentage.
        percentage: Decimal,
    },
}

impl VatCodeTable {
    /// Builds a table, refusing duplicate or empty codes and impossible percentages.
    pub fn new(mut codes: Vec<VatCode>) -> Result<VatCodeTable, VatTableError> {
        codes.sort_by(|a, b| a.code.cmp(&b.code));
        for pair in codes.windows(2) {
            if pair[0].code == pair[1].code {
                return Err(VatTableError::Duplicate(pair[0].code.clone()));
            }
        }
        for c in &codes {
            if c.code.is_empty() {
                return Err(VatTableError::Empty);
            }
            if c.percentage < Decimal::ZERO || c.percentage > Decimal::ONE_HUNDRED {
                return Err(VatTableError::Percentage {
                    code: c.code.clone(),
                    percentage: c.percentage,
                });
            }
            if !c.category.is_taxed() && !c.percentage.is_zero() {
                return Err(VatTableError::UntaxedWithRate {
                    code: c.code.clone(),
                    category: c.category,
                    percentage: c.percentage,
                });
            }
        }
        Ok(VatCodeTable { codes })
    }

    /// The Dutch default table.
    ///
    /// | code | category | % | meaning |
    /// |---|---|---|---|
    /// | `HOOG` | S | 21 | standard rate |
    /// | `LAAG` | S | 9 | reduced rate |
    /// | `NUL` | Z | 0 | zero rated |
    /// | `VRIJ` | E | 0 | exempt |
    /// | `VERLEGD` | AE | 0 | reverse charge |
    /// | `ICP` | K | 0 | intra-EU supply |
    /// | `EXPORT` | G | 0 | export outside the EU |
    /// | `BUITEN` | O | 0 | outside the scope of VAT |
    pub fn dutch_default() -> VatCodeTable {
        fn code(
            code: &str,
            category: VatCategory,
            percentage: i64,
            description: &str,
            reason: Option<(&str, &str)>,
        ) -> VatCode {
            VatCode {
                code: code.to_owned(),
                category,
                percentage: Decimal::from(percentage),
                description: Some(description.to_owned()),
                exemption_reason: reason.map(|r| r.1.to_owned()),
                exemption_reason_code: reason.map(|r| r.0.to_owned()),
            }
        }
        use VatCategory::*;
        let codes = vec![
            code("HOOG", S, 21, "BTW hoog tarief", None),
            code("LAAG", S, 9, "BTW laag tarief", None),
            code("NUL", Z, 0, "BTW 0 %", None),
            code(
                "VRIJ",
                E,
                0,
                "Vrijgesteld van BTW",
                Some(("VATEX-EU-132", "Vrijgesteld van BTW")),
            ),
            code(
                "VERLEGD",
                AE,
                0,
                "BTW verlegd",
                Some(("VATEX-EU-AE", "BTW verlegd")),
            ),
            code(
                "ICP",
                K,
                0,
                "Intracommunautaire levering",
                Some(("VATEX-EU-IC", "Intracommunautaire levering")),
            ),
            code(
                "EXPORT",
                G,
                0,
                "Export buiten de EU",
                Some(("VATEX-EU-G", "Export buiten de EU")),
            ),
            code(
                "BUITEN",
                O,
                0,
                "Buiten de reikwijdte van de BTW",
                Some(("VATEX-EU-O", "Niet onderworpen aan BTW")),
            ),
        ];
        VatCodeTable::new(codes).expect("the built-in table is valid")
    }

    /// Looks a code up: a scan for the small tables back offices have, a binary search for
    /// large ones.
    #[inline]
    pub fn get(&self, code: &str) -> Option<&VatCode> {
        if self.codes.len() <= 16 {
            return self.codes.iter().find(|c| same_code(&c.code, code));
        }
        self.codes
            .binary_search_by(|c| c.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.codes[i])
    }

    /// Every code, sorted by code.
    pub fn codes(&self) -> &[VatCode] {
        &self.codes
    }

    /// Reads a table from JSON: an array of [`VatCode`] objects.
    pub fn from_json(bytes: &[u8]) -> Result<VatCodeTable, crate::Error> {
        let codes: Vec<VatCode> = crate::model::json::from_slice(bytes)?;
        Ok(VatCodeTable::new(codes)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_lookups() {
        let t = VatCodeTable::dutch_default();
        assert_eq!(t.get("LAAG").unwrap().percentage, Decimal::from(9));
        assert_eq!(t.get("VERLEGD").unwrap().category, VatCategory::AE);
        assert!(t.get("hoog").is_none());
        assert!(t.get("").is_none());
        assert_eq!(t.codes().len(), 8);
    }

    #[test]
    fn large_tables_use_the_binary_search() {
        let codes: Vec<VatCode> = (0..40)
            .map(|i| VatCode {
                code: format!("C{i:02}"),
                category: VatCategory::S,
                percentage: Decimal::from(i % 30),
                description: None,
                exemption_reason: None,
                exemption_reason_code: None,
            })
            .collect();
        let t = VatCodeTable::new(codes).unwrap();
        assert_eq!(t.get("C37").unwrap().percentage, Decimal::from(7));
        assert!(t.get("C40").is_none());
        assert!(t.get("C3").is_none());
    }

    #[test]
    fn table_refuses_nonsense() {
        let c = |code: &str, cat, p: i64| VatCode {
            code: code.into(),
            category: cat,
            percentage: Decimal::from(p),
            description: None,
            exemption_reason: None,
            exemption_reason_code: None,
        };
        assert!(matches!(
            VatCodeTable::new(vec![c("A", VatCategory::S, 21), c("A", VatCategory::S, 9)]),
            Err(VatTableError::Duplicate(_))
        ));
        assert!(VatCodeTable::new(vec![c("A", VatCategory::S, 101)]).is_err());
        assert!(VatCodeTable::new(vec![c("A", VatCategory::E, 9)]).is_err());
        assert!(VatCodeTable::new(vec![c("", VatCategory::S, 9)]).is_err());
    }

    #[test]
    fn category_codes_round_trip() {
        for c in VatCategory::ALL {
            assert_eq!(VatCategory::from_code(c.code()), Some(c));
        }
        assert_eq!(VatCategory::from_code("X"), None);
    }
}
