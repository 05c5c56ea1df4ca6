//! What the rules' XPath operations mean, on the parsed document: child paths, XPath's
//! whitespace, `normalize-space`, general comparisons of untyped values with numbers and
//! booleans. Only what the implemented rules use, each with the official meaning.

use std::borrow::Cow;

use crate::ubl::{Node, Ns};

/// A path of child steps, like `cac:Party/cac:PostalAddress`.
pub(crate) type Path<'p> = &'p [(Ns, &'p str)];

/// Every node reached from `node` along `path`, in document order.
pub(crate) fn select<'d>(node: Node<'d>, path: Path<'_>) -> Vec<Node<'d>> {
    let mut now = vec![node];
    for &(ns, name) in path {
        let mut next = Vec::new();
        for n in &now {
            next.extend(n.all(ns, name));
        }
        if next.is_empty() {
            return next;
        }
        now = next;
    }
    now
}

/// `exists(path)`.
pub(crate) fn exists(node: Node<'_>, path: Path<'_>) -> bool {
    match path.split_first() {
        None => true,
        Some((&(ns, name), rest)) => node.all(ns, name).any(|c| exists(c, rest)),
    }
}

/// The first node along `path`. Where XPath needs a single value and finds several, the
/// official tool stops with an error; such documents are not judged by value here, so the
/// first one stands in.
pub(crate) fn first<'d>(node: Node<'d>, path: Path<'_>) -> Option<Node<'d>> {
    match path.split_first() {
        None => Some(node),
        Some((&(ns, name), rest)) => node.all(ns, name).find_map(|c| first(c, rest)),
    }
}

/// An element's string value: its text, and that of the elements below it.
pub(crate) fn string<'d>(node: Node<'d>) -> Cow<'d, str> {
    let mut below = node.descendants().peekable();
    if below.peek().is_none() {
        // A leaf, as values are: its own text.
        return Cow::Borrowed(node.text());
    }
    let mut s = node.text().to_owned();
    for d in below {
        s.push_str(d.text());
    }
    Cow::Owned(s)
}

/// XML whitespace trimmed from both ends (what `normalize-space` does to a single word).
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_xml_space)
}

/// `normalize-space(path) = token` from `node`, for a token without whitespace.
pub(crate) fn normalized_is(node: Node<'_>, path: Path<'_>, token: &str) -> bool {
    first(node, path).is_some_and(|n| trim(&string(n)) == token)
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `normalize-space(s) != ''`: something other than XML whitespace.
pub(crate) fn has_content(s: &str) -> bool {
    s.chars().any(|c| !is_xml_space(c))
}

/// `normalize-space(s)`.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_xml_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `normalize-space(path) != ''` from `node`.
pub(crate) fn filled(node: Node<'_>, path: Path<'_>) -> bool {
    first(node, path).is_some_and(|n| has_content(&string(n)))
}

/// `normalize-space(path)` from `node` (empty when there is no such node).
pub(crate) fn normalized(node: Node<'_>, path: Path<'_>) -> String {
    first(node, path).map_or_else(String::new, |n| normalize(&string(n)))
}

/// An untyped value cast to `xs:boolean`: `true`, `false`, `1` or `0` around whitespace.
pub(crate) fn boolean(s: &str) -> Option<bool> {
    match s.trim_matches(is_xml_space) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `[cbc:ChargeIndicator = true()]` (or `false()`): some indicator child with that value.
pub(crate) fn charge_indicator_is(node: Node<'_>, value: bool) -> bool {
    node.all(Ns::Cbc, "ChargeIndicator")
        .any(|c| boolean(&string(c)) == Some(value))
}

/// An untyped value cast to `xs:double`, for comparisons with numbers.
pub(crate) fn double(s: &str) -> Option<f64> {
    let t = s.trim_matches(is_xml_space);
    match t {
        "INF" | "+INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        // Rust also reads `inf`, `infinity` and `nan`, which XPath does not.
        _ if t
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E')) =>
        {
            None
        }
        _ => t.parse().ok(),
    }
}

/// `(path) >= 0`: some node along the path holds a number not below zero.
pub(crate) fn any_not_negative(node: Node<'_>, path: Path<'_>) -> bool {
    select(node, path)
        .into_iter()
        .any(|n| double(&string(n)).is_some_and(|v| v >= 0.0))
}

/// `[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']` on a tax category.
pub(crate) fn vat_scheme(category: Node<'_>) -> bool {
    // Upper-casing cannot turn anything but `v`, `a` and `t` into `VAT`.
    category.all(Ns::Cac, "TaxScheme").any(|s| {
        s.child(Ns::Cbc, "ID")
            .is_some_and(|id| trim(&string(id)).eq_ignore_ascii_case("VAT"))
    })
}

/// `string-length(substring-after(path, '.')) <= 2`: at most two decimals written.
pub(crate) fn at_most_two_decimals(node: Node<'_>, path: Path<'_>) -> bool {
    first(node, path).is_none_or(|n| {
        let s = string(n);
        s.split_once('.')
            .is_none_or(|(_, after)| after.chars().count() <= 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xpath_values() {
        assert_eq!(normalize("  a \t b\n"), "a b");
        assert!(!has_content(" \t\r\n"));
        assert!(has_content("\u{a0}"), "only XML whitespace is space");
        assert_eq!(boolean(" false "), Some(false));
        assert_eq!(boolean("False"), None);
        assert_eq!(double(" 1e3 "), Some(1000.0));
        assert_eq!(double("-INF"), Some(f64::NEG_INFINITY));
        assert_eq!(double("inf"), None);
        assert_eq!(double("1,5"), None);
    }
}
