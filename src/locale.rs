//! Money, numbers and dates the way people read them on an invoice, in Dutch and English.
//!
//! Amounts are formatted from their exact [`Decimal`] digits: nothing here rounds or goes
//! through a float. Dutch groups thousands with a dot and separates decimals with a comma
//! (`€ 1.234,50`); English does the reverse (`€1,234.50`).
//!
//! ```
//! use factuur::locale::money;
//! use factuur::validate::Lang;
//! use rust_decimal::Decimal;
//!
//! assert_eq!(money(Decimal::new(123450, 2), "EUR", Lang::Nl), "€ 1.234,50");
//! assert_eq!(money(Decimal::new(-5, 1), "EUR", Lang::Nl), "€ -0,50");
//! assert_eq!(money(Decimal::new(123450, 2), "EUR", Lang::En), "€1,234.50");
//! assert_eq!(money(Decimal::new(99, 0), "USD", Lang::Nl), "USD 99,00");
//! ```
#![deny(clippy::float_arithmetic)]

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::validate::Lang;

/// The separators of a language: (thousands, decimal).
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// Formats `value` with thousands grouping and at least `min_decimals` decimals; more decimals
/// are kept when the value has them (trailing zeros beyond `min_decimals` are dropped), so a
/// price of `0.125` stays `0,125`. The sign, if any, comes first.
///
/// ```
/// use factuur::locale::number;
/// use factuur::validate::Lang;
/// use rust_decimal::Decimal;
///
/// assert_eq!(number(Decimal::new(12345678, 1), 2, Lang::Nl), "1.234.567,80");
/// assert_eq!(number(Decimal::new(35, 1), 0, Lang::Nl), "3,5");
/// assert_eq!(number(Decimal::new(3000, 3), 0, Lang::En), "3");
/// assert_eq!(number(Decimal::new(125, 3), 2, Lang::Nl), "0,125");
/// ```
pub fn number(value: Decimal, min_decimals: u32, lang: Lang) -> String {
    let (thousands, decimal) = separators(lang);
    let text = value.abs().normalize().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text.as_str(), ""),
    };
    let mut out = String::with_capacity(text.len() + 8);
    if value.is_sign_negative() && !value.is_zero() {
        out.push('-');
    }
    let digits = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    let wanted = (min_decimals as usize).max(frac_part.len());
    if wanted > 0 {
        out.push(decimal);
        out.push_str(frac_part);
        for _ in frac_part.len()..wanted {
            out.push('0');
        }
    }
    out
}

/// The symbol written for a currency, when it has a common one.
fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        // `$` alone is ambiguous (USD, CAD, AUD, …): those keep their code.
        _ => None,
    }
}

/// Formats an amount of money: at least two decimals, thousands grouped, with the currency's
/// symbol (`€`, `£`) or else its ISO code.
///
/// Dutch: `€ 1.234,50`, `€ -12,50`, `CHF 10,00`. English: `€1,234.50`, `-€12.50`,
/// `CHF 10.00`.
pub fn money(amount: Decimal, currency: &str, lang: Lang) -> String {
    let digits = number(amount.abs(), 2, lang);
    let negative = amount.is_sign_negative() && !amount.is_zero();
    match (lang, symbol(currency)) {
        (Lang::Nl, Some(s)) if negative => format!("{s} -{digits}"),
        (Lang::Nl, Some(s)) => format!("{s} {digits}"),
        (Lang::En, Some(s)) if negative => format!("-{s}{digits}"),
        (Lang::En, Some(s)) => format!("{s}{digits}"),
        (_, None) if negative => format!("{currency} -{digits}"),
        (_, None) => format!("{currency} {digits}"),
    }
}

/// Formats a percentage without needless decimals: `21%`, `5,5%` (Dutch), `5.5%` (English).
pub fn percent(rate: Decimal, lang: Lang) -> String {
    format!("{}%", number(rate, 0, lang))
}

/// Dutch month names, also used by Word's `\@` date pictures.
pub(crate) const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// English month names, also used by Word's `\@` date pictures.
pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a date in words: `3 februari 2026` (Dutch), `3 February 2026` (English).
///
/// ```
/// use factuur::locale::date;
/// use factuur::validate::Lang;
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
/// assert_eq!(date(d, Lang::Nl), "5 maart 2026");
/// assert_eq!(date(d, Lang::En), "5 March 2026");
/// ```
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Nl => &MONTHS_NL,
        Lang::En => &MONTHS_EN,
    };
    // month0() is 0..=11 by chrono's contract.
    let month = months[d.month0() as usize % 12];
    format!("{} {month} {}", d.day(), d.year())
}

/// Groups an IBAN in blocks of four, as it is printed: `NL91 ABNA 0417 1643 00`. Spaces in the
/// input are dropped first; anything else is kept as given.
///
/// ```
/// assert_eq!(factuur::locale::iban("NL91ABNA0417164300"), "NL91 ABNA 0417 1643 00");
/// ```
pub fn iban(value: &str) -> String {
    let compact: Vec<char> = value.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    for (i, c) in compact.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(*c);
    }
    out
}

/// The name of a UN/ECE Rec 20 unit code as an invoice prints it (`HUR` → `uur` / `hour`); the
/// code itself when it is not a common one.
///
/// ```
/// use factuur::locale::unit;
/// use factuur::validate::Lang;
///
/// assert_eq!(unit("C62", Lang::Nl), "stuk");
/// assert_eq!(unit("HUR", Lang::En), "hour");
/// assert_eq!(unit("XYZ", Lang::Nl), "XYZ");
/// ```
pub fn unit(code: &str, lang: Lang) -> &str {
    let (nl, en) = match code {
        "C62" | "H87" | "EA" | "XPP" => ("stuk", "pc"),
        "HUR" => ("uur", "hour"),
        "MIN" => ("min", "min"),
        "DAY" => ("dag", "day"),
        "WEE" => ("week", "week"),
        "MON" => ("maand", "month"),
        "ANN" => ("jaar", "year"),
        "KGM" => ("kg", "kg"),
        "GRM" => ("g", "g"),
        "TNE" => ("ton", "t"),
        "MTR" => ("m", "m"),
        "KMT" => ("km", "km"),
        "MTK" => ("m²", "m²"),
        "MTQ" => ("m³", "m³"),
        "LTR" => ("liter", "litre"),
        "KWH" => ("kWh", "kWh"),
        "SET" => ("set", "set"),
        "PR" => ("paar", "pair"),
        "LS" => ("post", "lump sum"),
        "E48" => ("dienst", "service"),
        _ => return code,
    };
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn dutch_money() {
        assert_eq!(money(d("0"), "EUR", Lang::Nl), "€ 0,00");
        assert_eq!(money(d("-0.00"), "EUR", Lang::Nl), "€ 0,00");
        assert_eq!(money(d("576.73"), "EUR", Lang::Nl), "€ 576,73");
        assert_eq!(money(d("1234.5"), "EUR", Lang::Nl), "€ 1.234,50");
        assert_eq!(money(d("1000000"), "EUR", Lang::Nl), "€ 1.000.000,00");
        assert_eq!(money(d("-1234.56"), "EUR", Lang::Nl), "€ -1.234,56");
        assert_eq!(money(d("0.125"), "EUR", Lang::Nl), "€ 0,125");
        assert_eq!(money(d("12.10"), "CHF", Lang::Nl), "CHF 12,10");
        assert_eq!(money(d("-12.10"), "CHF", Lang::Nl), "CHF -12,10");
    }

    #[test]
    fn english_money() {
        assert_eq!(money(d("1234.5"), "EUR", Lang::En), "€1,234.50");
        assert_eq!(money(d("-1234.5"), "GBP", Lang::En), "-£1,234.50");
        assert_eq!(money(d("999.999"), "USD", Lang::En), "USD 999.999");
    }

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(number(d("100"), 0, Lang::Nl), "100");
        assert_eq!(number(d("1000"), 0, Lang::Nl), "1.000");
        assert_eq!(number(d("123456"), 0, Lang::En), "123,456");
        assert_eq!(number(d("-3.50"), 0, Lang::Nl), "-3,5");
        assert_eq!(percent(d("21.00"), Lang::Nl), "21%");
        assert_eq!(percent(d("5.5"), Lang::Nl), "5,5%");
        assert_eq!(percent(d("5.5"), Lang::En), "5.5%");
        // The largest decimal groups correctly too.
        assert_eq!(
            number(Decimal::MAX, 0, Lang::Nl),
            "79.228.162.514.264.337.593.543.950.335"
        );
    }

    #[test]
    fn dates() {
        let x = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(date(x, Lang::Nl), "31 december 2026");
        assert_eq!(date(x, Lang::En), "31 December 2026");
    }
}
