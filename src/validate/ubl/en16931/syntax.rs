//! EN 16931's syntax binding for UBL: the UBL elements and attributes the standard has no place
//! for (`UBL-CR-*`). Most are a plain path that should not exist ([`super::forbidden`], generated
//! from the rule table); the few with a condition are written out here.

use crate::ubl::{Node, Ns};
use crate::validate::{Message, Severity};

use super::forbidden::FORBIDDEN;
use crate::validate::ubl::Cx;

/// One step of a path from the root element.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    /// A child element.
    Child(Ns, &'static str),
    /// An element anywhere in the document (`//` before the step).
    Desc(Ns, &'static str),
    /// An attribute of the element reached.
    Attr(&'static str),
    /// An attribute of any element of the document (`//@name`).
    AnyAttr(&'static str),
}

/// A rule saying that none of `paths` should exist.
#[derive(Debug)]
pub(crate) struct Forbidden {
    pub id: &'static str,
    pub severity: Severity,
    /// The paths as the rule writes them, shown with the finding.
    pub what: &'static str,
    /// Alternative paths from the root element.
    pub paths: &'static [&'static [Step]],
}

const LEFT_OUT: Message = Message {
    nl: "EN 16931 heeft geen plaats voor dit UBL-element of -attribuut (het pad staat bij de melding): verwijder het uit het document; een ontvanger mag het negeren.",
    en: "EN 16931 has no place for this UBL element or attribute (the path is shown with the finding): remove it from the document; a receiver may ignore it.",
};

const UBL_VERSION: Message = Message {
    nl: "De UBL-versie is niet 2.1: zet cbc:UBLVersionID op 2.1, of laat het weg.",
    en: "The UBL version is not 2.1: set cbc:UBLVersionID to 2.1, or leave it out.",
};

const DUE_DATE: Message = Message {
    nl: "Een factuur geeft de vervaldatum bij de betaalwijze: verplaats die van cac:PaymentMeans/cbc:PaymentDueDate naar cbc:DueDate van de factuur.",
    en: "An invoice gives its due date in the payment means: move it from cac:PaymentMeans/cbc:PaymentDueDate to cbc:DueDate of the invoice.",
};

const INVOICED_OBJECT: Message = Message {
    nl: "Een verwijzing naar een gefactureerd object (documentsoort 130) heeft een bijlage of omschrijving: verwijder cac:Attachment en cbc:DocumentDescription eruit, en geef de bijlage een eigen cac:AdditionalDocumentReference.",
    en: "A reference to an invoiced object (document type 130) carries an attachment or a description: remove cac:Attachment and cbc:DocumentDescription from it, and give the attachment its own cac:AdditionalDocumentReference.",
};

/// Rules written out below rather than generated.
const HAND: [&str; 5] = [
    "UBL-CR-002",
    "UBL-CR-412",
    "UBL-CR-665",
    "UBL-CR-666",
    "UBL-CR-673",
];

pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    FORBIDDEN.iter().map(|f| f.id).chain(HAND)
}

/// The id and message of every rule, as [`run`] reports them.
pub(crate) fn messages() -> impl Iterator<Item = (&'static str, Message)> {
    let hand = [
        UBL_VERSION,
        DUE_DATE,
        LEFT_OUT,
        INVOICED_OBJECT,
        INVOICED_OBJECT,
    ];
    FORBIDDEN
        .iter()
        .map(|f| (f.id, LEFT_OUT))
        .chain(HAND.into_iter().zip(hand))
}

pub(crate) fn run(cx: &mut Cx<'_, '_>, index: &Index) {
    let root = cx.root;
    // The rules' context is the root element of an Invoice or a CreditNote only.
    if !matches!(root.ns(), Ns::Invoice | Ns::CreditNote)
        || !matches!(root.name(), "Invoice" | "CreditNote")
    {
        return;
    }
    let rules = &index.rules;
    let mut fired = vec![false; rules.len()];
    index.root.walk(root, &mut fired);
    // The `//` paths start at every element of that name, and `//@x` asks whether any element
    // has the attribute: both come from the document's name index.
    let doc = root.document();
    for (ns, name, trie) in &index.desc {
        for n in doc.elements(*ns, name) {
            trie.walk(n, &mut fired);
        }
    }
    for &(attr, rule) in &index.any_attr {
        if doc.has_attribute(attr) {
            fired[rule] = true;
        }
    }
    let references: Vec<Node<'_>> = doc
        .elements(Ns::Cac, "AdditionalDocumentReference")
        .collect();
    let references = |keep: fn(Option<&str>) -> bool| {
        references.iter().copied().filter(move |r| {
            let mut codes = r.all(Ns::Cbc, "DocumentTypeCode").peekable();
            if codes.peek().is_none() {
                keep(None)
            } else {
                codes.any(|c| keep(Some(c.text())))
            }
        })
    };
    let invoice = root.name() == "Invoice";
    let hand = [
        (
            "UBL-CR-002",
            Severity::Warning,
            // `not(cbc:UBLVersionID) or cbc:UBLVersionID = '2.1'`: some version says 2.1.
            root.child(Ns::Cbc, "UBLVersionID").is_some()
                && !root.all(Ns::Cbc, "UBLVersionID").any(|v| v.text() == "2.1"),
            UBL_VERSION,
        ),
        (
            "UBL-CR-412",
            Severity::Warning,
            invoice
                && root
                    .all(Ns::Cac, "PaymentMeans")
                    .any(|m| m.child(Ns::Cbc, "PaymentDueDate").is_some()),
            DUE_DATE,
        ),
        (
            "UBL-CR-665",
            Severity::Warning,
            references(|code| code != Some("130"))
                .any(|r| r.all(Ns::Cbc, "ID").any(|id| id.attr("schemeID").is_some())),
            LEFT_OUT,
        ),
        (
            "UBL-CR-666",
            Severity::Fatal,
            references(|code| code == Some("130"))
                .any(|r| r.child(Ns::Cac, "Attachment").is_some()),
            INVOICED_OBJECT,
        ),
        (
            "UBL-CR-673",
            Severity::Fatal,
            references(|code| code == Some("130"))
                .any(|r| r.child(Ns::Cbc, "DocumentDescription").is_some()),
            INVOICED_OBJECT,
        ),
    ];
    // In rule-id order, as the official report lists them: each hand-written rule after the
    // generated ones that sort before it.
    let emit = |cx: &mut Cx<'_, '_>, range: std::ops::Range<usize>| {
        for k in range.filter(|&k| fired[k]) {
            let f = rules[k];
            // The path as this document has it: an invoice's lines or a credit note's.
            let line = if invoice {
                "cac:InvoiceLine"
            } else {
                "cac:CreditNoteLine"
            };
            let what = f.what.replace("(cac:InvoiceLine|cac:CreditNoteLine)", line);
            cx.fail(f.id, f.severity, root, Some(what), LEFT_OUT);
        }
    };
    let mut start = 0;
    for ((id, severity, failed, message), at) in hand.into_iter().zip(index.hand_at) {
        emit(cx, start..at);
        start = at;
        if failed {
            cx.fail(id, severity, root, hand_value(id, root), message);
        }
    }
    emit(cx, start..rules.len());
}

/// What a failed hand-written rule shows: the value or the element to take out.
fn hand_value(id: &str, root: Node<'_>) -> Option<String> {
    let first = |parent: &str, child: &str| {
        root.all(Ns::Cac, parent)
            .find_map(|p| p.child(Ns::Cbc, child))
            .map(|v| v.text().to_owned())
    };
    match id {
        "UBL-CR-002" => root
            .all(Ns::Cbc, "UBLVersionID")
            .next()
            .map(|v| crate::validate::ubl::shown("cbc:UBLVersionID", v.text())),
        "UBL-CR-412" => first("PaymentMeans", "PaymentDueDate")
            .map(|v| crate::validate::ubl::shown("cac:PaymentMeans/cbc:PaymentDueDate", &v)),
        "UBL-CR-665" => root
            .all(Ns::Cac, "AdditionalDocumentReference")
            .filter(|r| {
                !r.all(Ns::Cbc, "DocumentTypeCode")
                    .any(|c| c.text() == "130")
            })
            .flat_map(|r| r.all(Ns::Cbc, "ID"))
            .find_map(|id| id.attr("schemeID"))
            .map(|s| {
                crate::validate::ubl::shown("cac:AdditionalDocumentReference/cbc:ID/@schemeID", s)
            }),
        "UBL-CR-666" => Some("cac:AdditionalDocumentReference/cac:Attachment".to_owned()),
        "UBL-CR-673" => Some("cac:AdditionalDocumentReference/cbc:DocumentDescription".to_owned()),
        _ => None,
    }
}

/// The generated paths merged into tries, built once per version: the document is then walked
/// along the paths that exist in it, instead of once per rule.
pub(crate) struct Index {
    /// The rules, in id order: [`FORBIDDEN`] as the version has it.
    rules: Vec<&'static Forbidden>,
    /// Paths from the root element.
    root: Trie,
    /// Paths starting anywhere (`//x/...`): the first step's element, and a trie of the rest of
    /// the path from it.
    desc: Vec<(Ns, &'static str, Trie)>,
    /// `//@name`: the attribute anywhere.
    any_attr: Vec<(&'static str, usize)>,
    /// Where each hand-written rule goes among the generated ones, to report in id order.
    hand_at: [usize; HAND.len()],
}

#[derive(Default)]
struct Trie {
    /// Rules whose path ends at this element.
    fire: Vec<usize>,
    /// Rules whose path ends at an attribute of this element.
    attrs: Vec<(&'static str, usize)>,
    /// Child elements on some path, sorted by [`key`] for binary search.
    kids: Vec<(&'static str, Ns, Trie)>,
}

impl Trie {
    fn add(&mut self, path: &[Step], rule: usize) {
        match path.split_first() {
            None => self.fire.push(rule),
            Some((Step::Attr(a), _)) => self.attrs.push((a, rule)),
            Some((Step::Child(ns, name) | Step::Desc(ns, name), rest)) => {
                let at = match self
                    .kids
                    .binary_search_by(|k| key(k.0, k.1).cmp(&key(name, *ns)))
                {
                    Ok(at) => at,
                    Err(at) => {
                        self.kids.insert(at, (name, *ns, Trie::default()));
                        at
                    }
                };
                self.kids[at].2.add(rest, rule);
            }
            // The generator writes `//@x` only as a whole path.
            Some((Step::AnyAttr(_), _)) => {}
        }
    }

    fn walk(&self, node: Node<'_>, fired: &mut [bool]) {
        for &r in &self.fire {
            fired[r] = true;
        }
        for &(a, r) in &self.attrs {
            if node.attr(a).is_some() {
                fired[r] = true;
            }
        }
        if self.kids.is_empty() {
            return;
        }
        for child in node.children() {
            let (name, ns) = (child.name(), child.ns());
            if let Ok(at) = self
                .kids
                .binary_search_by(|k| key(k.0, k.1).cmp(&key(name, ns)))
            {
                self.kids[at].2.walk(child, fired);
            }
        }
    }
}

/// The order of a trie's children: by name length first, so most comparisons end before
/// comparing any bytes.
fn key(name: &str, ns: Ns) -> (usize, u8, &str) {
    (name.len(), ns as u8, name)
}

impl Index {
    /// The index of [`FORBIDDEN`], with the rules another version writes otherwise in
    /// `replaced` (by id).
    pub(crate) fn build(replaced: &[&'static Forbidden]) -> Index {
        let rules: Vec<&'static Forbidden> = FORBIDDEN
            .iter()
            .map(|f| replaced.iter().copied().find(|r| r.id == f.id).unwrap_or(f))
            .collect();
        for r in replaced {
            assert!(
                FORBIDDEN.iter().any(|f| f.id == r.id),
                "{} replaces no rule",
                r.id
            );
        }
        let mut index = Index {
            hand_at: HAND.map(|id| rules.partition_point(|f| f.id < id)),
            rules,
            root: Trie::default(),
            desc: Vec::new(),
            any_attr: Vec::new(),
        };
        for (rule, f) in index.rules.clone().into_iter().enumerate() {
            for path in f.paths {
                match path.split_first() {
                    Some((Step::Desc(ns, name), rest)) => {
                        let at = match index.desc.iter().position(|d| d.0 == *ns && d.1 == *name) {
                            Some(at) => at,
                            None => {
                                index.desc.push((*ns, name, Trie::default()));
                                index.desc.len() - 1
                            }
                        };
                        index.desc[at].2.add(rest, rule);
                    }
                    Some((Step::AnyAttr(a), _)) => index.any_attr.push((a, rule)),
                    _ => index.root.add(path, rule),
                }
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">"#;

    fn prefix(ns: Ns) -> &'static str {
        match ns {
            Ns::Cbc => "cbc",
            Ns::Cac => "cac",
            _ => "ext",
        }
    }

    /// A document holding exactly `path`.
    fn with(path: &[Step]) -> String {
        let mut open = String::new();
        let mut close = Vec::new();
        for (k, step) in path.iter().enumerate() {
            let attr = match path.get(k + 1) {
                Some(Step::Attr(a)) => format!(r#" {a}="x""#),
                _ => String::new(),
            };
            match *step {
                Step::Child(ns, name) | Step::Desc(ns, name) => {
                    let tag = format!("{}:{name}", prefix(ns));
                    open.push_str(&format!("<{tag}{attr}>"));
                    close.push(format!("</{tag}>"));
                }
                Step::Attr(_) => {}
                Step::AnyAttr(a) => {
                    open.push_str(&format!(r#"<cbc:InvoicedQuantity {a}="x">1"#));
                    close.push("</cbc:InvoicedQuantity>".into());
                }
            }
        }
        close.reverse();
        format!("{HEAD}{open}{}</Invoice>", close.concat())
    }

    fn rules(xml: &str) -> Vec<&'static str> {
        let doc = crate::ubl::parse(xml.as_bytes()).expect("well-formed");
        crate::validate::ubl::validate(&doc)
            .findings
            .iter()
            .map(|f| f.rule)
            .filter(|r| r.starts_with("UBL-CR-"))
            .collect()
    }

    #[test]
    fn every_generated_path_fires_its_rule_on_the_root() {
        assert!(rules(&format!("{HEAD}</Invoice>")).is_empty());
        for f in FORBIDDEN {
            for path in f.paths {
                let xml = with(path);
                assert!(
                    rules(&xml).contains(&f.id),
                    "{} does not fire on {xml}",
                    f.id
                );
            }
        }
        let doc = crate::ubl::parse(with(FORBIDDEN[0].paths[0]).as_bytes()).unwrap();
        let report = crate::validate::ubl::validate(&doc);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == FORBIDDEN[0].id)
            .expect("the rule fires");
        assert_eq!(f.location.path, "/Invoice[1]");
        assert_eq!(f.location.source.map(|s| s.line), Some(1));
    }

    #[test]
    fn hand_written_rules() {
        let v = |inner: &str| rules(&format!("{HEAD}{inner}</Invoice>"));
        assert_eq!(
            v("<cbc:UBLVersionID>2.1</cbc:UBLVersionID>"),
            Vec::<&str>::new()
        );
        assert_eq!(
            v("<cbc:UBLVersionID>2.0</cbc:UBLVersionID>"),
            ["UBL-CR-002"]
        );
        let due = "<cac:PaymentMeans><cbc:PaymentDueDate>2026-01-01</cbc:PaymentDueDate></cac:PaymentMeans>";
        assert_eq!(v(due), ["UBL-CR-412"]);
        let cn = format!(
            "{}{due}</CreditNote>",
            HEAD.replace("<Invoice", "<CreditNote")
                .replace("xsd:Invoice-2", "xsd:CreditNote-2")
        );
        assert!(rules(&cn).is_empty(), "a credit note may say it");
        let adr = |code: &str, inner: &str| {
            v(&format!(
                "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"x\">1</cbc:ID>{code}{inner}</cac:AdditionalDocumentReference>"
            ))
        };
        assert_eq!(adr("", ""), ["UBL-CR-665"]);
        assert_eq!(
            adr("<cbc:DocumentTypeCode>916</cbc:DocumentTypeCode>", ""),
            ["UBL-CR-665"]
        );
        assert!(adr("<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>", "").is_empty());
        assert_eq!(
            adr(
                "<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>",
                "<cbc:DocumentDescription>x</cbc:DocumentDescription><cac:Attachment/>"
            ),
            ["UBL-CR-666", "UBL-CR-673"]
        );
    }
}
