//! What the rules' XPath operations mean, on the parsed document: child paths, XPath's
//! whitespace, `normalize-space`, general comparisons of untyped values with numbers and
//! booleans. Only what the implemented rules use, each with the official meaning.
//!
//! Where XPath needs one value and a path finds several, or casts a value that is no number or
//! no boolean, the official tool stops with an error: these helpers note such a value
//! ([`super::unjudged`]) and go on with what XPath would have used had it not stopped (the
//! first value; no match), so a rule set still reports everything else.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::ubl::{Node, Ns};

use super::unjudged::{Cause, Judged, NotJudged, record};

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

/// The node along `path` where XPath needs at most one (`normalize-space(path)`,
/// `xs:decimal(path)`): none, the one, or, where there are several, why the official rules
/// cannot evaluate it (at the second).
pub(crate) fn single<'d>(node: Node<'d>, path: Path<'_>) -> Judged<Option<Node<'d>>> {
    if let [(ns, name)] = path {
        // One step, the common case: the children in one pass.
        let mut matching = node
            .children()
            .filter(|c| c.ns() == *ns && c.name() == *name);
        return match (matching.next(), matching.next()) {
            (_, Some(second)) => Err(NotJudged::new(Cause::Many, second)),
            (one, None) => Ok(one),
        };
    }
    let mut found = [None, None];
    let mut count = 0;
    two(node, path, &mut found, &mut count);
    match found {
        [_, Some(second)] => Err(NotJudged::new(Cause::Many, second)),
        [one, None] => Ok(one),
    }
}

/// The first two nodes along `path`, in document order.
fn two<'d>(node: Node<'d>, path: Path<'_>, found: &mut [Option<Node<'d>>; 2], count: &mut usize) {
    match path.split_first() {
        None => {
            if let Some(slot) = found.get_mut(*count) {
                *slot = Some(node);
            }
            *count += 1;
        }
        Some((&(ns, name), rest)) => {
            for c in node.all(ns, name) {
                two(c, rest, found, count);
                if *count >= 2 {
                    return;
                }
            }
        }
    }
}

/// The node along `path` where XPath needs at most one. Where there are several, the official
/// tool stops with an error: that is noted, and the first stands in.
pub(crate) fn first<'d>(node: Node<'d>, path: Path<'_>) -> Option<Node<'d>> {
    single(node, path).unwrap_or_else(|n| {
        super::unjudged::note(n);
        match path.split_first() {
            None => Some(node),
            Some((&(ns, name), rest)) => node.all(ns, name).find_map(|c| first_quiet(c, rest)),
        }
    })
}

/// The first node along `path`, whatever follows it.
fn first_quiet<'d>(node: Node<'d>, path: Path<'_>) -> Option<Node<'d>> {
    match path.split_first() {
        None => Some(node),
        Some((&(ns, name), rest)) => node.all(ns, name).find_map(|c| first_quiet(c, rest)),
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

/// `[cbc:ChargeIndicator = true()]` (or `false()`): some indicator child with that value. The
/// indicators are compared in turn; one that is not a boolean stops the official tool (noted).
pub(crate) fn charge_indicator_is(node: Node<'_>, value: bool) -> bool {
    for c in node.all(Ns::Cbc, "ChargeIndicator") {
        match boolean(&string(c)) {
            Some(v) if v == value => return true,
            Some(_) => {}
            None => {
                record(Cause::Boolean, c);
                return false;
            }
        }
    }
    false
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

/// An untyped value cast to `xs:decimal`: XML whitespace around it, then an optional sign and
/// digits with at most one decimal point (no exponent). Otherwise [`Cause::Number`]; a decimal
/// with more digits than factuur holds exactly is [`Cause::Range`].
pub(crate) fn xs_decimal(s: &str) -> Result<Decimal, Cause> {
    let t = trim(s);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(Cause::Number);
    }
    let negative = t.starts_with('-');
    let int = if int.is_empty() { "0" } else { int };
    let text = if frac.is_empty() {
        format!("{}{int}", if negative { "-" } else { "" })
    } else {
        format!("{}{int}.{frac}", if negative { "-" } else { "" })
    };
    Decimal::from_str_exact(&text).map_err(|_| Cause::Range)
}

/// `xs:decimal(.)` of an element: its value, or why the official rules cannot cast it.
pub(crate) fn decimal(node: Node<'_>) -> Judged<Decimal> {
    xs_decimal(&string(node)).map_err(|cause| NotJudged::new(cause, node))
}

/// An element's value cast to `xs:double`, as XPath does when it compares an untyped value
/// with a number; one that is no number stops the official tool (noted).
pub(crate) fn number(node: Node<'_>) -> Option<f64> {
    let v = double(&string(node));
    if v.is_none() {
        record(Cause::Number, node);
    }
    v
}

/// `(path) OP number`: some node along the path holds a number that `holds`. The nodes are
/// compared in turn, as XPath does, until one holds; one that is no number stops the official
/// tool (noted). `NaN` compares as the official tool (Saxon) compares it here: above every
/// number, so `NaN > 0` holds.
pub(crate) fn any_number(node: Node<'_>, path: Path<'_>, holds: impl Fn(f64) -> bool) -> bool {
    for n in select(node, path) {
        match number(n).map(|v| if v.is_nan() { f64::INFINITY } else { v }) {
            Some(v) if holds(v) => return true,
            Some(_) => {}
            None => return false,
        }
    }
    false
}

/// `(path) >= 0`: some node along the path holds a number not below zero.
pub(crate) fn any_not_negative(node: Node<'_>, path: Path<'_>) -> bool {
    any_number(node, path, |v| v >= 0.0)
}

/// `normalize-space(upper-case(cbc:ID)) = 'VAT'` on a tax scheme.
fn scheme_is_vat(scheme: Node<'_>) -> bool {
    // Upper-casing cannot turn anything but `v`, `a` and `t` into `VAT`.
    first(scheme, &[(Ns::Cbc, "ID")])
        .is_some_and(|id| trim(&string(id)).eq_ignore_ascii_case("VAT"))
}

/// `[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']` on a tax category: some scheme,
/// tried in turn, is VAT.
pub(crate) fn vat_scheme(category: Node<'_>) -> bool {
    category.all(Ns::Cac, "TaxScheme").any(scheme_is_vat)
}

/// `[cac:TaxScheme/(normalize-space(upper-case(cbc:ID)) = 'VAT')]`, as some rules write it: a
/// true or false per scheme, and a predicate cannot be true or false of two of them, so a
/// second scheme stops the official tool (noted).
pub(crate) fn vat_scheme_each(category: Node<'_>) -> bool {
    let mut schemes = category.all(Ns::Cac, "TaxScheme");
    let Some(scheme) = schemes.next() else {
        return false;
    };
    let vat = scheme_is_vat(scheme);
    if let Some(second) = schemes.next() {
        record(Cause::Many, second);
    }
    vat
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
        let d = |s: &str| xs_decimal(s).map(|d| d.to_string());
        assert_eq!(d(" 12.50\n"), Ok("12.50".into()));
        assert_eq!(d("-.5"), Ok("-0.5".into()));
        assert_eq!(d("+7."), Ok("7".into()));
        assert_eq!(d("1e3"), Err(Cause::Number));
        assert_eq!(d(""), Err(Cause::Number));
        assert_eq!(d("."), Err(Cause::Number));
        assert_eq!(
            d("\u{a0}1"),
            Err(Cause::Number),
            "only XML whitespace is trimmed"
        );
        assert_eq!(d("1234567890123456789012345678901"), Err(Cause::Range));
    }
}
