//! What the Peppol rules' XPath does with values, including where the official tool stops.
//!
//! The official XSLT evaluates each assert's test with XPath 2.0's strictness: a function that
//! takes one value stops the whole validation with an error when the path gives two
//! (`normalize-space(cbc:PaymentMeansCode)` with two codes), and so does a cast of a value that
//! is not a number or a date (`xs:decimal('')`). In a rule's *context* the same error only makes
//! the context not match (Saxon reports a warning and moves on). Every function here returns an
//! [`Ev`]: the value, or the [`Halt`] the official tool would stop with, located at the node
//! whose value it could not evaluate. Contexts turn a halt into "no match"
//! ([`super::matching`]); asserts turn it into a fatal finding of factuur's own
//! ([`super::held`]), since a validator must not call a document valid where the official tool
//! refused it.

use crate::ubl::{Node, Ns};
use crate::validate::ubl::engine::xpath::{self, Path};

use crate::validate::ubl::engine::unjudged::{Cause, NotJudged};

use super::decimal::{TooLarge, Unreadable, XDec};

/// Where and why the evaluation stops: the engine's [`NotJudged`], which every rule set turns
/// into a fatal finding of factuur's own at the node ([`crate::validate::ubl::engine::unjudged`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Halt(pub NotJudged);

/// Why the official tool cannot evaluate a value: the engine's causes.
pub(crate) type Why = Cause;

impl Halt {
    /// The official tool stops at `node` for `why` (the engine shows the node's value).
    pub(crate) fn at(why: Why, node: Node<'_>, _value: &str) -> Halt {
        Halt(NotJudged::new(why, node))
    }

    /// A number that is not one, at `node`.
    pub(crate) fn number(node: Node<'_>, _value: &str) -> Halt {
        Halt(NotJudged::new(Cause::Number, node))
    }

    /// A second value where one is needed: located at the second.
    pub(crate) fn many(_first: Node<'_>, second: Node<'_>) -> Halt {
        Halt(NotJudged::new(Cause::Many, second))
    }

    fn of(u: Unreadable, node: Node<'_>, value: &str) -> Halt {
        match u {
            Unreadable::NotDecimal => Halt::number(node, value),
            Unreadable::TooLarge => Halt(NotJudged::new(Cause::Range, node)),
        }
    }
}

/// A value, or where the official tool stops.
pub(crate) type Ev<T> = Result<T, Halt>;

/// XPath's `a and b` as the official tool (Saxon) evaluates it: false when either side is false,
/// even when the other cannot be evaluated; a stop only when no side is false. `b` is not looked
/// at when `a` is false.
pub(crate) fn and(a: Ev<bool>, b: impl FnOnce() -> Ev<bool>) -> Ev<bool> {
    if a == Ok(false) {
        return Ok(false);
    }
    match (a, b()) {
        (_, Ok(false)) => Ok(false),
        (Err(h), _) => Err(h),
        (Ok(_), b) => b,
    }
}

/// XPath's `a or b` likewise: true when either side is true, even when the other cannot be
/// evaluated.
pub(crate) fn or(a: Ev<bool>, b: impl FnOnce() -> Ev<bool>) -> Ev<bool> {
    if a == Ok(true) {
        return Ok(true);
    }
    match (a, b()) {
        (_, Ok(true)) => Ok(true),
        (Err(h), _) => Err(h),
        (Ok(_), b) => b,
    }
}

/// XPath's `not(a)`.
pub(crate) fn not(a: Ev<bool>) -> Ev<bool> {
    a.map(|x| !x)
}

/// The one node of a sequence, or none; a second one stops the evaluation.
pub(crate) fn one<'d>(mut nodes: impl Iterator<Item = Node<'d>>) -> Ev<Option<Node<'d>>> {
    match (nodes.next(), nodes.next()) {
        (Some(a), Some(b)) => Err(Halt::many(a, b)),
        (a, _) => Ok(a),
    }
}

/// Every node along `path` from `n`, in document order.
pub(crate) fn all<'d>(n: Node<'d>, path: Path<'_>) -> Vec<Node<'d>> {
    xpath::select(n, path)
}

/// The one node along `path` (`xs:decimal(path)`, `normalize-space(path)` need at most one).
pub(crate) fn single<'d>(n: Node<'d>, path: Path<'_>) -> Ev<Option<Node<'d>>> {
    one(xpath::select(n, path).into_iter())
}

/// A leaf's text nodes: an element with text has one (`x/text()`), an empty one none.
pub(crate) fn has_text(n: &Node<'_>) -> bool {
    !n.text().is_empty()
}

/// The one text node along `path` (`normalize-space(path/text())`).
pub(crate) fn single_text<'d>(n: Node<'d>, path: Path<'_>) -> Ev<Option<Node<'d>>> {
    one(xpath::select(n, path).into_iter().filter(has_text))
}

/// `normalize-space(path)`.
pub(crate) fn norm(n: Node<'_>, path: Path<'_>) -> Ev<String> {
    Ok(single(n, path)?.map_or_else(String::new, |x| xpath::normalize(&xpath::string(x))))
}

/// `normalize-space(path/text())`.
pub(crate) fn norm_text(n: Node<'_>, path: Path<'_>) -> Ev<String> {
    Ok(single_text(n, path)?.map_or_else(String::new, |x| xpath::normalize(x.text())))
}

/// `xs:decimal(node)`.
pub(crate) fn decimal(node: Node<'_>) -> Ev<XDec> {
    let s = xpath::string(node);
    XDec::parse(&s).map_err(|u| Halt::of(u, node, &s))
}

/// `xs:decimal(path)`: none when the path is empty.
pub(crate) fn dec(n: Node<'_>, path: Path<'_>) -> Ev<Option<XDec>> {
    single(n, path)?.map(decimal).transpose()
}

/// Turns factuur's own limit into a halt at `node`.
pub(crate) fn exact<T>(r: Result<T, TooLarge>, node: Node<'_>) -> Ev<T> {
    r.map_err(|_| Halt::at(Why::Range, node, xpath::string(node).trim()))
}

/// `number(s)`: the value as `xs:double`, NaN when it is none.
pub(crate) fn number(s: &str) -> f64 {
    xpath::double(s).unwrap_or(f64::NAN)
}

/// `number(path)`: NaN when the path is empty.
pub(crate) fn num(n: Node<'_>, path: Path<'_>) -> Ev<f64> {
    Ok(single(n, path)?.map_or(f64::NAN, |x| number(&xpath::string(x))))
}

/// A general comparison of a node's value with a number (`cbc:TaxAmount <= 0`): the value is
/// cast to `xs:double`, and a value that is no number stops the evaluation.
pub(crate) fn compare_number(node: Node<'_>, holds: impl Fn(f64) -> bool) -> Ev<bool> {
    let s = xpath::string(node);
    match xpath::double(&s) {
        Some(v) => Ok(holds(v)),
        None => Err(Halt::number(node, &s)),
    }
}

/// `string-length(s)`: in characters.
pub(crate) fn length(s: &str) -> usize {
    s.chars().count()
}

/// `substring(s, start, len)` for whole-number arguments (1-based, clipped to the string).
pub(crate) fn substring(s: &str, start: usize, len: usize) -> String {
    let from = start.max(1);
    let to = start.saturating_add(len);
    if to <= from {
        return String::new();
    }
    s.chars().skip(from - 1).take(to - from).collect()
}

/// `substring(s, start)`.
pub(crate) fn substring_from(s: &str, start: usize) -> String {
    s.chars().skip(start.max(1) - 1).collect()
}

/// `x castable as xs:integer`: an optional sign and digits, around XML whitespace.
pub(crate) fn integer_lexical(s: &str) -> bool {
    let t = xpath::trim(s);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// An `xs:date` as the instant it starts, in minutes (dates without a zone count as UTC, the
/// zone of the machines that made the official verdicts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct XDate(i64);

/// The lexical form of `xs:date`: `-?YYYY-MM-DD` (a year of four or more digits, no leading zero
/// beyond four), a valid day, and an optional zone `Z` or `±hh:mm` up to 14:00. `None` when the
/// text is not a date.
pub(crate) fn xs_date(s: &str) -> Option<Result<XDate, TooLarge>> {
    let t = xpath::trim(s);
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (date, zone) = if let Some(d) = body.strip_suffix('Z') {
        (d, Some(0))
    } else if body.len() > 6
        && matches!(body.as_bytes()[body.len() - 6], b'+' | b'-')
        && body.as_bytes()[body.len() - 3] == b':'
    {
        let (d, z) = body.split_at(body.len() - 6);
        let b = z.as_bytes();
        let two = |x: &[u8]| -> Option<i64> {
            (x.len() == 2 && x.iter().all(u8::is_ascii_digit))
                .then(|| i64::from(x[0] - b'0') * 10 + i64::from(x[1] - b'0'))
        };
        let (h, m) = (two(&b[1..3])?, two(&b[4..6])?);
        if b[3] != b':' || m > 59 || h > 14 || (h == 14 && m > 0) {
            return None;
        }
        let minutes = h * 60 + m;
        (d, Some(if b[0] == b'-' { -minutes } else { minutes }))
    } else {
        (body, None)
    };
    let mut parts = date.rsplitn(3, '-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(year) || !digits(month) || !digits(day) || month.len() != 2 || day.len() != 2 {
        return None;
    }
    if year.len() < 4 || (year.len() > 4 && year.starts_with('0')) {
        return None;
    }
    let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    let Some(year) = year.parse::<i32>().ok().filter(|y| *y < 200_000) else {
        // A date, but beyond what factuur's calendar holds.
        return Some(Err(TooLarge));
    };
    let year = if negative { -year } else { year };
    let d = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    use chrono::Datelike;
    let days = i64::from(d.num_days_from_ce());
    Some(Ok(XDate(days * 1440 - zone.unwrap_or(0))))
}

/// `string(.) castable as xs:date`.
pub(crate) fn castable_date(s: &str) -> bool {
    xs_date(s).is_some()
}

/// `xs:date(node)`.
pub(crate) fn date(node: Node<'_>, value: &str) -> Ev<XDate> {
    match xs_date(value) {
        None => Err(Halt::at(Why::Date, node, value)),
        Some(Err(TooLarge)) => Err(Halt::at(Why::Range, node, value)),
        Some(Ok(d)) => Ok(d),
    }
}

/// `cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'KIND']` of a party (two scheme
/// ids in one tax scheme stop the evaluation).
pub(crate) fn tax_schemes<'d>(party: Node<'d>, kind: &str) -> Ev<Vec<Node<'d>>> {
    let mut out = Vec::new();
    for s in party.all(Ns::Cac, "PartyTaxScheme") {
        if norm(s, &[(Ns::Cac, "TaxScheme"), (Ns::Cbc, "ID")])? == kind {
            out.push(s);
        }
    }
    Ok(out)
}

/// The values along `path`, trimmed and joined with ` | `, for showing with a finding; none when
/// the path is empty.
pub(crate) fn shown(n: Node<'_>, path: Path<'_>) -> Option<String> {
    let all: Vec<String> = xpath::select(n, path)
        .into_iter()
        .map(|x| xpath::string(x).trim().to_owned())
        .collect();
    (!all.is_empty()).then(|| all.join(" | "))
}

/// `path = 'v'`: some node along the path has exactly this value.
pub(crate) fn any_is(n: Node<'_>, path: Path<'_>, value: &str) -> bool {
    xpath::select(n, path)
        .into_iter()
        .any(|x| xpath::string(x) == value)
}

/// The root element, when it is an Invoice (`/ubl-invoice:Invoice`).
pub(crate) fn is_invoice(n: Node<'_>) -> bool {
    let r = n.document().root();
    r.ns() == Ns::Invoice && r.name() == "Invoice"
}

/// The root element, when it is a CreditNote (`/ubl-creditnote:CreditNote`).
pub(crate) fn is_credit_note(n: Node<'_>) -> bool {
    let r = n.document().root();
    r.ns() == Ns::CreditNote && r.name() == "CreditNote"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings_count_characters() {
        assert_eq!(substring("NO123456789MVA", 1, 2), "NO");
        assert_eq!(substring("NO123456789MVA", 3, 9), "123456789");
        assert_eq!(substring("Ål", 2, 5), "l");
        assert_eq!(substring("ab", 5, 2), "");
        assert_eq!(substring_from("SE556", 3), "556");
        assert_eq!(length("Godkänd"), 7);
    }

    #[test]
    fn dates_as_xpath_reads_them() {
        let d = |s: &str| xs_date(s).map(|r| r.unwrap());
        assert!(d("2026-02-28").is_some());
        assert!(d(" 2026-02-28\n").is_some());
        assert!(d("2026-02-29").is_none(), "not a leap year");
        assert!(d("2024-02-29").is_some());
        assert!(d("0000-01-01").is_some());
        assert!(d("-0001-01-01").is_some());
        assert!(d("10000-01-01").is_some());
        assert!(d("02026-01-01").is_none());
        assert!(d("26-01-01").is_none());
        assert!(d("2026-1-01").is_none());
        assert!(d("2026-01-01T00:00").is_none());
        assert!(d("2026-01-01+14:00").is_some());
        assert!(d("2026-01-01+14:01").is_none());
        assert!(d("").is_none());
        // A later zone starts earlier.
        assert!(d("2026-01-01+02:00") < d("2026-01-01Z"));
        assert!(d("2026-01-01") < d("2026-01-02"));
        assert!(xs_date("999999-01-01").unwrap().is_err());
    }

    #[test]
    fn a_false_side_decides_over_a_stop() {
        let stop = || Err(Halt::at(Why::Many, fake_node(), "a | b"));
        assert_eq!(and(stop(), || Ok(false)), Ok(false));
        assert_eq!(and(Ok(false), stop), Ok(false));
        assert!(and(stop(), || Ok(true)).is_err());
        assert!(and(Ok(true), stop).is_err());
        assert_eq!(or(stop(), || Ok(true)), Ok(true));
        assert_eq!(or(Ok(true), stop), Ok(true));
        assert!(or(stop(), || Ok(false)).is_err());
        assert!(not(stop()).is_err());
    }

    fn fake_node() -> Node<'static> {
        static DOC: std::sync::LazyLock<crate::ubl::Document> =
            std::sync::LazyLock::new(|| crate::ubl::parse(b"<a/>").unwrap());
        DOC.root()
    }

    #[test]
    fn integers_and_numbers() {
        assert!(integer_lexical(" +12 "));
        assert!(!integer_lexical("1.0"));
        assert!(!integer_lexical("-"));
        assert!(!integer_lexical(""));
        assert!(number("abc").is_nan());
        assert_eq!(number(" 1e3 "), 1000.0);
        assert!(number("").is_nan());
    }
}
