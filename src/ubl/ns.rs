//! UBL 2.1 namespaces and the specification identifiers of the profiles factuur writes.

/// Root namespace of a UBL Invoice.
pub const INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// Root namespace of a UBL CreditNote.
pub const CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// Common aggregate components (`cac:`).
pub const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// Common basic components (`cbc:`).
pub const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
/// Extension components (`ext:`).
pub const EXT: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";

/// SI-UBL 2.0: the Dutch CIUS of EN 16931 (NLCIUS).
pub const CUSTOMIZATION_NLCIUS: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0";
/// Peppol BIS Billing 3.0.
pub const CUSTOMIZATION_PEPPOL: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// The Peppol billing process, also used by SI-UBL 2.0 documents.
pub const PROFILE_BILLING: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
