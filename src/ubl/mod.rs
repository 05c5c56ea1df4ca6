//! UBL 2.1 e-invoices: SI-UBL 2.0 (NLCIUS) and Peppol BIS Billing 3.0, written from and read into
//! the [`Invoice`](crate::Invoice) model.
//!
//! ```
//! use factuur::ubl::{self, Profile};
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = factuur::Invoice::from_json(&json).unwrap();
//! let xml = ubl::to_xml(&invoice, Profile::Nlcius).unwrap();
//! let back = ubl::from_xml(&xml).unwrap();
//! assert_eq!(back.number, invoice.number);
//! assert_eq!(back.totals().unwrap().payable, invoice.totals().unwrap().payable);
//! ```
//!
//! ## What is written where
//!
//! Every EN 16931 term the model holds is written in the place the UBL binding of EN 16931 gives
//! it, in the element order of the UBL 2.1 schema; amounts are the totals of
//! [`Totals`](crate::model::Totals). Three back-office terms have no EN 16931 term and travel as
//! supporting-document references (`cac:AdditionalDocumentReference`, which receivers show):
//! the work order (*werkbon*, description `Werkbon`), the tax black box's VAT ticket (description
//! `BTW-ticket`) and the customer's branch (*vestiging*, description `Vestiging` and its name;
//! its address is not carried). The back office's
//! own VAT codes are resolved to category and rate; the split of street, house number and
//! addition is joined into one address line and split again when read.
//!
//! Under [`Profile::Nlcius`] the writer leaves out what SI-UBL 2.0 asks senders not to use
//! (each would be a warning there): the payment means name, the account name, allowance and
//! charge reason codes, VAT exemption reason codes, the country subdivision, the third address
//! line, the legal form, and the BIC of SEPA payments. [`Profile::Peppol`] writes them.
//!
//! A document read from UBL keeps its own CustomizationID and ProfileID (a missing ProfileID
//! stays missing); a new one gets the profile's.

mod ns;
mod read;
mod scan;
mod tree;
mod write;

pub use ns::{
    CAC, CBC, CREDIT_NOTE, CUSTOMIZATION_NLCIUS, CUSTOMIZATION_PEPPOL, EXT, INVOICE,
    PROFILE_BILLING,
};
pub use read::{from_xml, to_invoice};
pub use tree::{Document, MAX_DEPTH, Node, Ns, parse};

/// The reference parser (quick-xml's reader) the fast [`parse`] is held to in differential tests
/// and fuzzing; not for use.
#[doc(hidden)]
pub use tree::reference::parse as parse_reference;
pub use write::{to_xml, to_xml_with};

/// Which specification a written document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// SI-UBL 2.0, the Dutch CIUS (NLCIUS) that Dutch receivers and InvoiceSharing expect.
    #[default]
    Nlcius,
    /// Peppol BIS Billing 3.0.
    Peppol,
}

impl Profile {
    /// The specification identifier (BT-24) written when the invoice does not carry its own.
    pub fn customization_id(self) -> &'static str {
        match self {
            Profile::Nlcius => CUSTOMIZATION_NLCIUS,
            Profile::Peppol => CUSTOMIZATION_PEPPOL,
        }
    }

    /// The business process (BT-23) written when the invoice does not carry its own.
    pub fn profile_id(self) -> &'static str {
        PROFILE_BILLING
    }

    /// The profile whose omissions suit a document that claims `customization_id`: SI-UBL for
    /// NLCIUS identifiers (and its G-account extension), Peppol for everything else.
    pub fn for_customization(customization_id: &str) -> Profile {
        if customization_id.contains("urn:fdc:nen.nl:nlcius")
            || customization_id.contains("urn:fdc:nen.nl:gaccount")
        {
            Profile::Nlcius
        } else {
            Profile::Peppol
        }
    }

    /// Parses `nlcius` (also `si-ubl`) or `peppol`.
    pub fn from_name(name: &str) -> Option<Profile> {
        match name.to_ascii_lowercase().as_str() {
            "nlcius" | "si-ubl" | "si-ubl-2.0" => Some(Profile::Nlcius),
            "peppol" | "peppol-bis3" => Some(Profile::Peppol),
            _ => None,
        }
    }
}

/// Why a UBL document could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UblError {
    /// Not well-formed XML.
    #[error("line {line}, column {column}: malformed XML: {message}")]
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the XML parser said.
        message: String,
    },
    /// A DOCTYPE: refused, so that no entity is ever declared or expanded.
    #[error(
        "line {line}, column {column}: a DOCTYPE is not allowed in an e-invoice (entities are never expanded)"
    )]
    Doctype {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A reference to an entity other than the five XML predefines.
    #[error(
        "line {line}, column {column}: reference to undeclared entity &{name}; (only &lt; &gt; &amp; &apos; &quot; and character references are allowed)"
    )]
    Entity {
        /// The entity name.
        name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Elements nested deeper than any real invoice.
    #[error("line {line}, column {column}: elements nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The root is not a UBL 2.x Invoice or CreditNote.
    #[error("not a UBL Invoice or CreditNote: the root element is {{{namespace}}}{name}")]
    NotUbl {
        /// Namespace of the root.
        namespace: String,
        /// Local name of the root.
        name: String,
    },
    /// A required element is missing or empty: when reading, in the document; when writing, in
    /// the invoice.
    #[error("{path}: required, but missing or empty")]
    Missing {
        /// Where: an element path such as `/Invoice/cbc:IssueDate` when reading, a JSON path such
        /// as `$.lines[2].item.name` when writing.
        path: String,
    },
    /// A value that is not what its element must hold.
    #[error("line {line}, column {column}: {path}: {message}: {value:?}")]
    Invalid {
        /// Where.
        path: String,
        /// The offending text.
        value: String,
        /// What it should be.
        message: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Text with a character XML 1.0 cannot carry.
    #[error("{element}: text contains character U+{code:04X}, which XML 1.0 cannot carry")]
    InvalidCharacter {
        /// The element it was to be written in.
        element: &'static str,
        /// The character's code point.
        code: u32,
    },
    /// The totals could not be computed.
    #[error(transparent)]
    Totals(#[from] crate::model::TotalsError),
}

impl UblError {
    /// Line and column in the source, for errors that have them.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            UblError::Xml { line, column, .. }
            | UblError::Doctype { line, column }
            | UblError::Entity { line, column, .. }
            | UblError::TooDeep { line, column, .. }
            | UblError::Invalid { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}
