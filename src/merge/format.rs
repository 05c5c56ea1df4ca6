//! `\#` numeric and `\@` date-time pictures, `\*` text formats, and the locales they are read
//! under. Numbers are [`Decimal`]s throughout: no float ever touches an amount.
//!
//! A numeric picture is read under the configured [`Locale`]: in nl-NL, `.` groups thousands and
//! `,` separates decimals, so `\# "#.##0,00"` on 1234.5 gives `1.234,50`; en-US reads the same
//! picture the US way. As in Word, a `#` with no digit to show becomes a space, `0` becomes `0`,
//! and `x` drops the digits to its left.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::{Decimal, RoundingStrategy};

/// The locale numeric pictures are read and numbers written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Locale {
    /// Dutch (Netherlands): `1.234,50`, `3-2-2026`. The default.
    #[default]
    NlNl,
    /// Dutch (Belgium): `1.234,50`, `3/02/2026`.
    NlBe,
    /// English (United States): `1,234.50`, `2/3/2026`.
    EnUs,
    /// English (United Kingdom): `1,234.50`, `03/02/2026`.
    EnGb,
    /// German (Germany): `1.234,50`, `03.02.2026`.
    DeDe,
    /// French (France): `1 234,50`, `03/02/2026`.
    FrFr,
}

impl Locale {
    /// Reads a BCP 47 tag such as `nl-NL` (case-insensitive, `_` accepted).
    ///
    /// ```
    /// use factuur::merge::Locale;
    /// assert_eq!(Locale::parse("en_us"), Some(Locale::EnUs));
    /// assert_eq!(Locale::parse("xx"), None);
    /// ```
    pub fn parse(tag: &str) -> Option<Locale> {
        Some(match tag.replace('_', "-").to_ascii_lowercase().as_str() {
            "nl" | "nl-nl" => Locale::NlNl,
            "nl-be" => Locale::NlBe,
            "en-us" | "en" => Locale::EnUs,
            "en-gb" => Locale::EnGb,
            "de" | "de-de" => Locale::DeDe,
            "fr" | "fr-fr" => Locale::FrFr,
            _ => return None,
        })
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::NlNl => "nl-NL",
            Locale::NlBe => "nl-BE",
            Locale::EnUs => "en-US",
            Locale::EnGb => "en-GB",
            Locale::DeDe => "de-DE",
            Locale::FrFr => "fr-FR",
        }
    }

    /// The decimal separator.
    pub fn decimal(self) -> char {
        match self {
            Locale::EnUs | Locale::EnGb => '.',
            _ => ',',
        }
    }

    /// The thousands separator.
    pub fn group(self) -> char {
        match self {
            Locale::EnUs | Locale::EnGb => ',',
            Locale::FrFr => '\u{a0}',
            _ => '.',
        }
    }

    pub(crate) fn lang(self) -> Lang {
        match self {
            Locale::NlNl | Locale::NlBe => Lang::Nl,
            Locale::EnUs | Locale::EnGb => Lang::En,
            Locale::DeDe => Lang::De,
            Locale::FrFr => Lang::Fr,
        }
    }

    /// The short date picture Word's default for this locale uses when no `\@` is given.
    fn short_date(self) -> &'static str {
        match self {
            Locale::NlNl => "d-M-yyyy",
            Locale::NlBe => "d/MM/yyyy",
            Locale::EnUs => "M/d/yyyy",
            Locale::EnGb | Locale::FrFr => "dd/MM/yyyy",
            Locale::DeDe => "dd.MM.yyyy",
        }
    }
}

/// The language month and day names are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Nl,
    En,
    De,
    Fr,
}

impl Lang {
    /// From a `w:lang` value such as `nl-NL`; `None` for languages without names here.
    pub(crate) fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Some(match primary.as_str() {
            "nl" => Lang::Nl,
            "en" => Lang::En,
            "de" => Lang::De,
            "fr" => Lang::Fr,
            _ => return None,
        })
    }

    fn months(self) -> [&'static str; 12] {
        match self {
            Lang::Nl => crate::locale::MONTHS_NL,
            Lang::En => crate::locale::MONTHS_EN,
            Lang::De => [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
            Lang::Fr => [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
        }
    }

    fn short_months(self) -> [&'static str; 12] {
        match self {
            Lang::Nl => [
                "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
            ],
            Lang::En => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
            Lang::De => [
                "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
            ],
            Lang::Fr => [
                "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                "nov.", "déc.",
            ],
        }
    }

    /// Day names, Monday first.
    fn days(self) -> [&'static str; 7] {
        match self {
            Lang::Nl => [
                "maandag",
                "dinsdag",
                "woensdag",
                "donderdag",
                "vrijdag",
                "zaterdag",
                "zondag",
            ],
            Lang::En => [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ],
            Lang::De => [
                "Montag",
                "Dienstag",
                "Mittwoch",
                "Donnerstag",
                "Freitag",
                "Samstag",
                "Sonntag",
            ],
            Lang::Fr => [
                "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
            ],
        }
    }

    fn short_days(self) -> [&'static str; 7] {
        match self {
            Lang::Nl => ["ma", "di", "wo", "do", "vr", "za", "zo"],
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            Lang::De => ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
            Lang::Fr => ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
        }
    }
}

/// Reads a number as typed in data or a field code: plain (`1234.5`, `-3`), or in the locale's
/// way (`1.234,50` in nl-NL). Never through a float.
pub(crate) fn parse_number(text: &str, locale: Locale) -> Option<Decimal> {
    // Data mostly holds plain amounts without surrounding space: try those first.
    if let Some(d) = parse_plain(text.as_bytes()) {
        return Some(d);
    }
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if let Some(d) = parse_plain(t.as_bytes()) {
        return Some(d);
    }
    if let Ok(d) = t.parse::<Decimal>() {
        return Some(d);
    }
    if let Ok(d) = Decimal::from_scientific(t) {
        return Some(d);
    }
    let plain: String = t
        .chars()
        .filter(|&c| c != locale.group() && c != ' ')
        .map(|c| if c == locale.decimal() { '.' } else { c })
        .collect();
    plain.parse::<Decimal>().ok()
}

/// Reads the common plain form `-?digits[.digits]` with at most 18 digits in all, exactly as
/// `Decimal`'s own parser reads it (same value, same scale). Anything else is left to that
/// parser. Data is mostly amounts like `1234.50`, read once per field.
fn parse_plain(t: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    // At most 18 digits, so the mantissa always fits.
    let mut count = 0;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if count == 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
                count += 1;
            }
            // One point, with a digit on each side.
            b'.' if scale.is_none() && i > 0 && i + 1 < digits.len() => {
                scale = Some((digits.len() - i - 1) as u32);
            }
            _ => return None,
        }
    }
    // The sign of a zero is left to the full parser.
    if negative && mantissa == 0 {
        return None;
    }
    Some(Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale.unwrap_or(0),
    ))
}

/// Reads a date or date-time from text: ISO 8601 (`2026-02-03`, `2026-02-03T14:05:00`), or
/// day-month-year (month first in en-US) with `-`, `/` or `.`.
pub(crate) fn parse_date(text: &str, locale: Locale) -> Option<NaiveDateTime> {
    let t = text.trim();
    if t.len() > 40 {
        return None;
    }
    // The common case first: a plain ISO date, read as `%Y-%m-%d` below would.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *t.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |ds: &[u8]| ds.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
        let year = i32::try_from(n(&[y0, y1, y2, y3])).unwrap_or(0);
        if let Some(d) = NaiveDate::from_ymd_opt(year, n(&[m0, m1]), n(&[d0, d1])) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), f) {
            return Some(dt);
        }
    }
    let formats: &[&str] = if locale == Locale::EnUs {
        &["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"]
    } else {
        &["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
    };
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A number written without a picture: as exact as given, with the locale's decimal separator.
pub(crate) fn plain_number(value: Decimal, locale: Locale) -> String {
    let s = value.to_string();
    if locale.decimal() == '.' {
        s
    } else {
        s.replace('.', &locale.decimal().to_string())
    }
}

/// A date written without a picture: the locale's short date (and time, when it has one).
pub(crate) fn plain_date(value: NaiveDateTime, locale: Locale) -> String {
    let mut s = format_date(value, locale.short_date(), locale.lang());
    if value.time() != chrono::NaiveTime::MIN {
        s.push(' ');
        s.push_str(&format_date(value, "HH:mm", locale.lang()));
    }
    s
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item<'a> {
    Digit(char),
    Decimal,
    Group,
    Plus,
    Minus,
    Literal(&'a str),
    Char(char),
}

fn split_sections(picture: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in picture.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&picture[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&picture[start..]);
    out
}

fn items(section: &str, locale: Locale) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let mut seen_decimal = false;
    let mut rest = section;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        if c == '\'' {
            let body = &rest[1..];
            let end = body.find('\'').unwrap_or(body.len());
            out.push(Item::Literal(&body[..end]));
            rest = body.get(end + 1..).unwrap_or("");
            continue;
        }
        let item = match c {
            '0' | '#' | 'x' => Item::Digit(c),
            '+' => Item::Plus,
            '-' => Item::Minus,
            c if c == locale.decimal() && !seen_decimal => {
                seen_decimal = true;
                Item::Decimal
            }
            c if c == locale.group() || (locale.group() == '\u{a0}' && c == ' ') => {
                if seen_decimal {
                    // A thousands separator among the decimals means nothing; drop it.
                    rest = &rest[len..];
                    continue;
                }
                Item::Group
            }
            c => Item::Char(c),
        };
        out.push(item);
        rest = &rest[len..];
    }
    out
}

/// Formats a number with a Word `\#` picture under `locale`.
///
/// ```
/// use factuur::merge::{format::format_number, Locale};
/// use rust_decimal::Decimal;
/// let v: Decimal = "1234.5".parse().unwrap();
/// assert_eq!(format_number(v, "#.##0,00", Locale::NlNl), "1.234,50");
/// assert_eq!(format_number(v, "#,##0.00", Locale::EnUs), "1,234.50");
/// assert_eq!(format_number(-v, "€ #.##0,00;€ -#.##0,00", Locale::NlNl), "€ -1.234,50");
/// ```
pub fn format_number(value: Decimal, picture: &str, locale: Locale) -> String {
    let mut out = String::new();
    NumberPicture::new(picture, locale).format_into(value, locale, &mut out);
    out
}

/// A `\#` picture read once under a locale, for formatting many values without reading it again.
#[derive(Debug, Clone)]
pub(crate) struct NumberPicture {
    /// One to three sections: positive (and default), negative, zero.
    sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
enum PicItem {
    Digit,
    Decimal,
    Group,
    Plus,
    Minus,
    Literal(String),
    Char(char),
}

#[derive(Debug, Clone)]
struct Section {
    items: Vec<PicItem>,
    /// Index of the first item after the integer part (the decimal separator, or the end).
    int_end: usize,
    /// The integer digit places, left to right (`0`, `#` or `x`).
    int_places: Vec<u8>,
    /// Number of decimal digit places.
    frac_places: usize,
    grouping: bool,
    /// Whether a `+` or `-` place shows the sign.
    sign_item: bool,
    /// For a section without digit places: the text it shows.
    text_only: Option<String>,
    /// For the common plain layout, the text around the number (see [`Plain`]).
    plain: Option<Plain>,
}

/// A section laid out as text, then digit places with grouping and at most one decimal
/// separator, then text: no sign places, no `x`, no text between the digits. Formatting it
/// needs no walk over the items, and its digits come from integer arithmetic.
#[derive(Debug, Clone)]
struct Plain {
    prefix: String,
    suffix: String,
    decimal: bool,
    /// For `d` integer digits fewer than the places, what the empty places show before them,
    /// split where a minus sign would go (after the leading spaces).
    pads: Vec<(String, String)>,
}

impl Plain {
    fn of(items: &[PicItem], int_places: &[u8], grouping: bool, group: char) -> Option<Plain> {
        let is_text = |i: &PicItem| matches!(i, PicItem::Literal(_) | PicItem::Char(_));
        let first = items.iter().position(|i| !is_text(i))?;
        let last = items.iter().rposition(|i| !is_text(i))?;
        let core = &items[first..=last];
        let plain = core
            .iter()
            .all(|i| matches!(i, PicItem::Digit | PicItem::Group | PicItem::Decimal))
            && core.contains(&PicItem::Digit)
            && !int_places.contains(&b'x');
        let text = |items: &[PicItem]| {
            let mut s = String::new();
            for i in items {
                match i {
                    PicItem::Literal(t) => s.push_str(t),
                    PicItem::Char(c) => s.push(*c),
                    _ => {}
                }
            }
            s
        };
        let pads = (0..int_places.len())
            .map(|d| {
                let mut pad = String::new();
                push_int(&mut pad, &vec![b'1'; d], int_places, grouping, false, group);
                // Drop the digits (and their separators) again.
                let mut digits = String::new();
                push_grouped(&mut digits, &vec![b'1'; d], grouping, group);
                pad.truncate(pad.len() - digits.len());
                let rest = pad.trim_start_matches(' ').to_owned();
                pad.truncate(pad.len() - rest.len());
                (pad, rest)
            })
            .collect();
        plain.then(|| Plain {
            prefix: text(&items[..first]),
            suffix: text(&items[last + 1..]),
            decimal: core.contains(&PicItem::Decimal),
            pads,
        })
    }
}

/// Powers of ten that fit a `u64`.
const POW10: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `|value|` rounded half away from zero to `dp` decimals, counted in units of 10^-dp, when it
/// fits a `u64` (else the caller works on `Decimal`).
fn scaled_u64(value: Decimal, dp: usize) -> Option<u64> {
    let m = u64::try_from(value.mantissa().unsigned_abs()).ok()?;
    let scale = value.scale() as usize;
    if scale > dp {
        let d = *POW10.get(scale - dp)?;
        let (q, r) = (m / d, m % d);
        // q ≤ m / 10, so q + 1 cannot overflow.
        Some(if r >= d - r { q + 1 } else { q })
    } else {
        m.checked_mul(*POW10.get(dp - scale)?)
    }
}

/// Lays integer digits onto the digit places: `#` places left empty show a space, `0` places
/// a zero; a minus sign goes before the first digit, after any padding.
fn push_int(
    out: &mut String,
    digits: &[u8],
    places: &[u8],
    grouping: bool,
    minus_first: bool,
    group: char,
) {
    if !minus_first && digits.len() >= places.len() {
        push_grouped(out, digits, grouping, group);
        return;
    }
    let width = digits.len().max(places.len());
    let mut minus_pending = minus_first;
    for pos in (0..width).rev() {
        let c = if pos < digits.len() {
            char::from(digits[digits.len() - 1 - pos])
        } else {
            match places.get(places.len() - 1 - pos) {
                Some(b'#') => ' ',
                _ => '0',
            }
        };
        if minus_pending && c != ' ' {
            out.push('-');
            minus_pending = false;
        }
        out.push(c);
        if grouping && pos > 0 && pos % 3 == 0 {
            out.push(if c == ' ' { ' ' } else { group });
        }
    }
    if minus_pending {
        out.push('-');
    }
}

/// Digits with a separator between each group of three, counted from the right.
fn push_grouped(out: &mut String, digits: &[u8], grouping: bool, group: char) {
    let n = digits.len();
    for (i, &d) in digits.iter().enumerate() {
        out.push(char::from(d));
        let pos = n - 1 - i;
        if grouping && pos > 0 && pos.is_multiple_of(3) {
            out.push(group);
        }
    }
}

impl NumberPicture {
    /// Reads `picture` under `locale`.
    pub(crate) fn new(picture: &str, locale: Locale) -> NumberPicture {
        let sections = split_sections(picture)
            .into_iter()
            .map(|section| {
                let raw = items(section, locale);
                let decimal_at = raw.iter().position(|i| *i == Item::Decimal);
                let int_end = decimal_at.unwrap_or(raw.len());
                let int_places: Vec<u8> = raw[..int_end]
                    .iter()
                    .filter_map(|i| match i {
                        // Digit places are ASCII (`0`, `#`, `x`).
                        Item::Digit(c) => Some(*c as u8),
                        _ => None,
                    })
                    .collect();
                let frac_places = raw[int_end..]
                    .iter()
                    .filter(|i| matches!(i, Item::Digit(_)))
                    .count();
                let text_only = (int_places.is_empty() && frac_places == 0).then(|| {
                    raw.iter()
                        .map(|i| match i {
                            Item::Literal(s) => (*s).to_string(),
                            Item::Char(c) => c.to_string(),
                            Item::Plus => "+".into(),
                            Item::Minus => "-".into(),
                            Item::Decimal => locale.decimal().to_string(),
                            Item::Group => locale.group().to_string(),
                            Item::Digit(_) => String::new(),
                        })
                        .collect()
                });
                let items: Vec<PicItem> = raw
                    .iter()
                    .map(|i| match i {
                        Item::Digit(_) => PicItem::Digit,
                        Item::Decimal => PicItem::Decimal,
                        Item::Group => PicItem::Group,
                        Item::Plus => PicItem::Plus,
                        Item::Minus => PicItem::Minus,
                        Item::Literal(s) => PicItem::Literal((*s).to_owned()),
                        Item::Char(c) => PicItem::Char(*c),
                    })
                    .collect();
                Section {
                    int_end,
                    grouping: raw[..int_end].contains(&Item::Group),
                    sign_item: raw.iter().any(|i| matches!(i, Item::Plus | Item::Minus)),
                    plain: Plain::of(
                        &items,
                        &int_places,
                        raw[..int_end].contains(&Item::Group),
                        locale.group(),
                    ),
                    int_places,
                    frac_places,
                    text_only,
                    items,
                }
            })
            .collect();
        NumberPicture { sections }
    }

    /// Appends `value` formatted with the picture to `out`. `locale` must be the one the picture
    /// was read under.
    pub(crate) fn format_into(&self, value: Decimal, locale: Locale, out: &mut String) {
        let sections = &self.sections;
        let value_negative = value.is_sign_negative() && !value.is_zero();
        let (section, value, signed) = if value_negative {
            match sections.get(1) {
                Some(s) => (s, value.abs(), false),
                None => (&sections[0], value, true),
            }
        } else if value.is_zero() && sections.len() >= 3 {
            (&sections[2], value, false)
        } else {
            (&sections[0], value, true)
        };
        if let Some(text) = &section.text_only {
            // A picture without digit places: Word shows the picture's text only.
            out.push_str(text);
            return;
        }
        if let Some(plain) = &section.plain
            && let Some(n) = scaled_u64(value, section.frac_places)
        {
            let negative = signed && value.is_sign_negative() && n != 0;
            self.format_plain(section, plain, n, negative, locale, out);
            return;
        }
        let dp = u32::try_from(section.frac_places).unwrap_or(28).min(28);
        let rounded = value
            .abs()
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        let negative = signed && value.is_sign_negative() && !rounded.is_zero();
        // `+` and `-` places show the sign of the value itself, whichever section was chosen.
        let sign_negative = value_negative && !rounded.is_zero();
        // The digits of the rounded value at `dp` decimals (as `Decimal`'s plain text has them).
        let mut r = rounded;
        r.rescale(dp);
        let mut buf = [0u8; 40];
        let (int_digits, frac_digits) = split_digits(r, &mut buf);
        let int_digits: &[u8] = if int_digits == b"0" { b"" } else { int_digits };
        // Lay the integer digits onto the places right to left.
        let places = &section.int_places;
        let mut digits = int_digits;
        if let Some(x) = places.iter().position(|&c| c == b'x') {
            let keep = places.len() - x;
            if digits.len() > keep {
                digits = &digits[digits.len() - keep..];
            }
        }
        let minus_first = negative && !section.sign_item;
        let group = locale.group();
        let mut int_done = false;
        let mut frac_iter = frac_digits.iter();
        for (k, item) in section.items.iter().enumerate() {
            match item {
                PicItem::Digit if k < section.int_end => {
                    if !int_done {
                        push_int(out, digits, places, section.grouping, minus_first, group);
                        int_done = true;
                    }
                }
                PicItem::Digit => out.push(frac_iter.next().map_or('0', |&b| char::from(b))),
                PicItem::Decimal => {
                    if !int_done {
                        push_int(out, digits, places, section.grouping, minus_first, group);
                        int_done = true;
                    }
                    out.push(locale.decimal());
                }
                PicItem::Group => {}
                PicItem::Plus => out.push(if sign_negative {
                    '-'
                } else if rounded.is_zero() {
                    ' '
                } else {
                    '+'
                }),
                PicItem::Minus => out.push(if sign_negative { '-' } else { ' ' }),
                PicItem::Literal(s) => out.push_str(s),
                PicItem::Char(c) => out.push(*c),
            }
        }
    }

    /// A [`Plain`] section: `n` is the rounded absolute value in units of 10^-dp.
    fn format_plain(
        &self,
        section: &Section,
        plain: &Plain,
        n: u64,
        negative: bool,
        locale: Locale,
        out: &mut String,
    ) {
        let dp = section.frac_places;
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut m = n;
        while m > 0 {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
        }
        let digits = &buf[at..];
        // Integer digits (none for a value under 1, as `0` places show zeros anyway) and the
        // decimals present; the decimals missing are leading zeros.
        let (int_digits, frac) = digits.split_at(digits.len().saturating_sub(dp));
        out.push_str(&plain.prefix);
        // A minus goes before the first digit or zero place, after any leading spaces.
        let (spaces, rest) = plain
            .pads
            .get(int_digits.len())
            .map_or(("", ""), |(s, r)| (s.as_str(), r.as_str()));
        out.push_str(spaces);
        if negative {
            out.push('-');
        }
        out.push_str(rest);
        push_grouped(out, int_digits, section.grouping, locale.group());
        if plain.decimal {
            out.push(locale.decimal());
            for _ in frac.len()..dp {
                out.push('0');
            }
            for &d in frac {
                out.push(char::from(d));
            }
        }
        out.push_str(&plain.suffix);
    }
}

/// The integer and decimal digits of a non-negative decimal, as its plain text shows them
/// (`0.5` → `0` and `5`), written into `buf`.
fn split_digits(value: Decimal, buf: &mut [u8; 40]) -> (&[u8], &[u8]) {
    let m = value.mantissa().unsigned_abs();
    let scale = value.scale() as usize;
    let mut at = buf.len();
    // At least one integer digit: the mantissa's digits, zero-padded to scale + 1.
    if let Ok(mut m) = u64::try_from(m) {
        while m > 0 || buf.len() - at < scale + 1 {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
        }
    } else {
        let mut m = m;
        while m > 0 || buf.len() - at < scale + 1 {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
        }
    }
    let digits = &buf[at..];
    digits.split_at(digits.len() - scale)
}

/// Formats a date-time with a Word `\@` picture; month and day names in `lang`.
pub(crate) fn format_date(value: NaiveDateTime, picture: &str, lang: Lang) -> String {
    let chars: Vec<char> = picture.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let hour12 = {
        let h = value.hour() % 12;
        if h == 0 { 12 } else { h }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        let rest = &chars[i..];
        let starts =
            |pat: &str| rest.len() >= pat.len() && pat.chars().zip(rest).all(|(p, &c)| p == c);
        if starts("AM/PM") || starts("am/pm") {
            let pm = value.hour() >= 12;
            let s = if pm { "PM" } else { "AM" };
            out.push_str(&if c == 'a' { s.to_lowercase() } else { s.into() });
            i += 5;
            continue;
        }
        if starts("A/P") || starts("a/p") {
            let s = if value.hour() >= 12 { 'P' } else { 'A' };
            out.push(if c == 'a' { s.to_ascii_lowercase() } else { s });
            i += 3;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let month0 = value.month0() as usize;
        let weekday = value.weekday().num_days_from_monday() as usize;
        match c {
            'd' | 'D' => match n {
                1 => out.push_str(&value.day().to_string()),
                2 => out.push_str(&format!("{:02}", value.day())),
                3 => out.push_str(lang.short_days()[weekday]),
                _ => out.push_str(lang.days()[weekday]),
            },
            'M' => match n {
                1 => out.push_str(&value.month().to_string()),
                2 => out.push_str(&format!("{:02}", value.month())),
                3 => out.push_str(lang.short_months()[month0]),
                _ => out.push_str(lang.months()[month0]),
            },
            'y' | 'Y' => {
                if n <= 2 {
                    out.push_str(&format!("{:02}", value.year().rem_euclid(100)));
                } else {
                    out.push_str(&format!("{:04}", value.year()));
                }
            }
            'h' => out.push_str(&pad(hour12, n)),
            'H' => out.push_str(&pad(value.hour(), n)),
            'm' => out.push_str(&pad(value.minute(), n)),
            's' | 'S' => out.push_str(&pad(value.second(), n)),
            _ => {
                for _ in 0..n {
                    out.push(c);
                }
            }
        }
        i += n;
    }
    out
}

fn pad(v: u32, n: usize) -> String {
    if n >= 2 {
        format!("{v:02}")
    } else {
        v.to_string()
    }
}

/// Applies a `\*` text format. Returns `None` for formats that do not change text (`MERGEFORMAT`,
/// `CHARFORMAT`) or that factuur does not know.
pub(crate) fn text_format(text: &str, format: &str) -> Option<String> {
    match format.to_ascii_lowercase().as_str() {
        "upper" => Some(text.to_uppercase()),
        "lower" => Some(text.to_lowercase()),
        "firstcap" => {
            let mut chars = text.chars();
            Some(match chars.next() {
                Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            })
        }
        "caps" => {
            let mut out = String::with_capacity(text.len());
            let mut start = true;
            for c in text.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = c.is_whitespace();
            }
            Some(out)
        }
        _ => None,
    }
}

/// Applies a numeric `\*` format (`Arabic`, `roman`, `ROMAN`, `alphabetic`, `ALPHABETIC`,
/// `Ordinal`, `Hex`) to a whole number.
pub(crate) fn number_format(value: Decimal, format: &str, lang: Lang) -> Option<String> {
    let n: i64 = value.trunc().try_into().ok()?;
    let lower = format.to_ascii_lowercase();
    match lower.as_str() {
        "arabic" => Some(n.to_string()),
        "roman" if (1..4000).contains(&n) => {
            let r = roman(n as u32);
            Some(if format == "roman" {
                r.to_lowercase()
            } else {
                r
            })
        }
        "alphabetic" if n >= 1 => {
            // Word repeats the letter: 27 → aa.
            let letter = char::from(b'a' + ((n - 1) % 26) as u8);
            let times = ((n - 1) / 26 + 1).min(100) as usize;
            let s: String = std::iter::repeat_n(letter, times).collect();
            Some(if format == "ALPHABETIC" {
                s.to_uppercase()
            } else {
                s
            })
        }
        "ordinal" => Some(match lang {
            Lang::Nl => format!("{n}e"),
            Lang::De => format!("{n}."),
            Lang::Fr => format!("{n}{}", if n == 1 { "er" } else { "e" }),
            Lang::En => {
                let suffix = match (n % 10, n % 100) {
                    (1, r) if r != 11 => "st",
                    (2, r) if r != 12 => "nd",
                    (3, r) if r != 13 => "rd",
                    _ => "th",
                };
                format!("{n}{suffix}")
            }
        }),
        "hex" => Some(format!("{n:X}")),
        _ => None,
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
fn format_number_reference(value: Decimal, picture: &str, locale: Locale) -> String {
    let sections = split_sections(picture);
    let value_negative = value.is_sign_negative() && !value.is_zero();
    let (section, value, signed) = if value.is_sign_negative() && !value.is_zero() {
        match sections.get(1) {
            Some(s) => (*s, value.abs(), false),
            None => (sections[0], value, true),
        }
    } else if value.is_zero() && sections.len() >= 3 {
        (sections[2], value, false)
    } else {
        (sections[0], value, true)
    };
    let items = items(section, locale);
    let decimal_at = items.iter().position(|i| *i == Item::Decimal);
    let int_end = decimal_at.unwrap_or(items.len());
    let int_places: Vec<char> = items[..int_end]
        .iter()
        .filter_map(|i| match i {
            Item::Digit(c) => Some(*c),
            _ => None,
        })
        .collect();
    let frac_places: Vec<char> = items[int_end..]
        .iter()
        .filter_map(|i| match i {
            Item::Digit(c) => Some(*c),
            _ => None,
        })
        .collect();
    if int_places.is_empty() && frac_places.is_empty() {
        // A picture without digit places: Word shows the picture's text only.
        return items
            .iter()
            .map(|i| match i {
                Item::Literal(s) => (*s).to_string(),
                Item::Char(c) => c.to_string(),
                Item::Plus => "+".into(),
                Item::Minus => "-".into(),
                Item::Decimal => locale.decimal().to_string(),
                Item::Group => locale.group().to_string(),
                Item::Digit(_) => String::new(),
            })
            .collect();
    }
    let grouping = items[..int_end].contains(&Item::Group);
    let dp = u32::try_from(frac_places.len()).unwrap_or(28).min(28);
    let rounded = value
        .abs()
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let negative = signed && value.is_sign_negative() && !rounded.is_zero();
    // `+` and `-` places show the sign of the value itself, whichever section was chosen.
    let sign_negative = value_negative && !rounded.is_zero();
    let text = {
        let mut r = rounded;
        r.rescale(dp);
        r.to_string()
    };
    let (int_digits, frac_digits) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let int_digits = if int_digits == "0" {
        String::new()
    } else {
        int_digits
    };
    // Lay the integer digits onto the places right to left.
    let mut digits: Vec<char> = int_digits.chars().collect();
    if let Some(x) = int_places.iter().position(|&c| c == 'x') {
        let keep = int_places.len() - x;
        if digits.len() > keep {
            digits.drain(..digits.len() - keep);
        }
    }
    let width = digits.len().max(int_places.len());
    let mut int_text = String::new();
    for pos in (0..width).rev() {
        let c = if pos < digits.len() {
            digits[digits.len() - 1 - pos]
        } else {
            match int_places.get(int_places.len() - 1 - pos) {
                Some('#') => ' ',
                _ => '0',
            }
        };
        int_text.push(c);
        if grouping && pos > 0 && pos % 3 == 0 {
            int_text.push(if c == ' ' { ' ' } else { locale.group() });
        }
    }
    if negative && !items.iter().any(|i| matches!(i, Item::Plus | Item::Minus)) {
        // The minus goes before the first digit, after any padding.
        let at = int_text.len() - int_text.trim_start().len();
        int_text.insert(at, '-');
    }
    let mut out = String::new();
    let mut int_done = false;
    let mut frac_iter = frac_digits.chars();
    for (k, item) in items.iter().enumerate() {
        match item {
            Item::Digit(_) if k < int_end => {
                if !int_done {
                    out.push_str(&int_text);
                    int_done = true;
                }
            }
            Item::Digit(_) => out.push(frac_iter.next().unwrap_or('0')),
            Item::Decimal => {
                if !int_done {
                    out.push_str(&int_text);
                    int_done = true;
                }
                out.push(locale.decimal());
            }
            Item::Group => {}
            Item::Plus => out.push(if sign_negative {
                '-'
            } else if rounded.is_zero() {
                ' '
            } else {
                '+'
            }),
            Item::Minus => out.push(if sign_negative { '-' } else { ' ' }),
            Item::Literal(s) => out.push_str(s),
            Item::Char(c) => out.push(*c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn iso_dates_read_as_chrono_reads_them(t in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let chrono = NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0));
            if chrono.is_some() {
                proptest::prop_assert_eq!(parse_date(&t, Locale::NlNl), chrono);
            }
        }

        #[test]
        fn plain_numbers_read_as_decimal_reads_them(t in "-?[0-9]{0,20}(\\.[0-9]{0,20})?") {
            // The fast reader either declines or agrees with `Decimal`'s parser on value,
            // scale and sign.
            if let Some(fast) = parse_plain(t.as_bytes()) {
                let full: Decimal = t.parse().expect("the full parser reads what the fast one does");
                proptest::prop_assert_eq!(
                    (fast.mantissa(), fast.scale(), fast.is_sign_negative()),
                    (full.mantissa(), full.scale(), full.is_sign_negative())
                );
            }
        }

        #[test]
        fn read_pictures_format_as_before(
            mantissa in proptest::prelude::any::<i64>(),
            size in 0u8..3,
            scale in 0u32..29,
            picture in "[0#x.,;+\\- %'a€]{0,14}",
            locale in 0usize..6,
        ) {
            let locale = [Locale::NlNl, Locale::NlBe, Locale::EnUs, Locale::EnGb, Locale::DeDe, Locale::FrFr][locale];
            let m = match size {
                0 => i128::from(mantissa % 100_000),
                1 => i128::from(mantissa),
                _ => i128::from(mantissa) * 1_000_000_000,
            };
            let value = Decimal::from_i128_with_scale(m, scale);
            proptest::prop_assert_eq!(
                format_number(value, &picture, locale),
                format_number_reference(value, &picture, locale)
            );
        }
    }

    #[test]
    fn dutch_pictures() {
        let nl = Locale::NlNl;
        assert_eq!(format_number(d("1234.5"), "#.##0,00", nl), "1.234,50");
        assert_eq!(
            format_number(d("1234567.891"), "#.##0,00", nl),
            "1.234.567,89"
        );
        assert_eq!(format_number(d("0.005"), "0,00", nl), "0,01");
        assert_eq!(format_number(d("-0.005"), "0,00", nl), "-0,01");
        assert_eq!(format_number(d("2.345"), "0,00", nl), "2,35");
        assert_eq!(format_number(d("-1234.5"), "#.##0,00", nl), "-1.234,50");
        assert_eq!(format_number(d("21"), "0' %'", nl), "21 %");
        assert_eq!(format_number(d("5"), "€ #.##0,00", nl), "€     5,00");
        assert_eq!(format_number(d("5"), "€ .0,00", nl), "€ 5,00");
        assert_eq!(format_number(d("0"), "0,00;-0,00;'nihil'", nl), "nihil");
        assert_eq!(format_number(d("-3"), "0;(0)", nl), "(3)");
        assert_eq!(format_number(d("3"), "+0", nl), "+3");
        assert_eq!(format_number(d("-3"), "+0", nl), "-3");
        assert_eq!(format_number(d("3"), "-0", nl), " 3");
        assert_eq!(format_number(d("111053"), "x##", nl), "053");
        assert_eq!(format_number(d("15"), "$###", Locale::EnUs), "$ 15");
    }

    #[test]
    fn us_reading_of_a_dutch_picture() {
        // en-US reads `.` as the decimal point: five decimals, no grouping.
        assert_eq!(
            format_number(d("1234.5"), "#.##0,00", Locale::EnUs),
            "1234.50000"
        );
        assert_eq!(
            format_number(d("1234.5"), "#,##0.00", Locale::EnUs),
            "1,234.50"
        );
        assert_eq!(format_number(d("0.05"), "0.00%", Locale::EnUs), "0.05%");
    }

    #[test]
    fn dates() {
        let v = NaiveDate::from_ymd_opt(2026, 2, 3)
            .unwrap()
            .and_hms_opt(14, 5, 9)
            .unwrap();
        assert_eq!(
            format_date(v, "dddd d MMMM yyyy", Lang::Nl),
            "dinsdag 3 februari 2026"
        );
        assert_eq!(format_date(v, "dd-MMM-yy", Lang::Nl), "03-feb-26");
        assert_eq!(format_date(v, "MMMM d, yyyy", Lang::En), "February 3, 2026");
        assert_eq!(format_date(v, "HH:mm:ss 'uur'", Lang::Nl), "14:05:09 uur");
        assert_eq!(format_date(v, "h:mm AM/PM", Lang::En), "2:05 PM");
        assert_eq!(format_date(v, "yyyy/MM/dd", Lang::De), "2026/02/03");
        let monday = NaiveDate::from_ymd_opt(2026, 2, 2)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(
            format_date(monday, "dddd d MMMM yyyy", Lang::Nl),
            "maandag 2 februari 2026"
        );
        assert_eq!(plain_date(monday, Locale::NlNl), "2-2-2026");
        assert_eq!(plain_date(monday, Locale::EnUs), "2/2/2026");
    }

    #[test]
    fn parsing() {
        let nl = Locale::NlNl;
        assert_eq!(parse_number("1.234,50", nl), Some(d("1234.50")));
        assert_eq!(parse_number("1234.50", nl), Some(d("1234.50")));
        assert_eq!(parse_number("abc", nl), None);
        assert_eq!(
            parse_date("3-2-2026", nl).unwrap().date(),
            NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()
        );
        assert_eq!(
            parse_date("2/3/2026", Locale::EnUs).unwrap().date(),
            NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()
        );
        assert!(parse_date("2026-13-01", nl).is_none());
        assert_eq!(plain_number(d("12.50"), nl), "12,50");
    }

    #[test]
    fn text_and_number_formats() {
        assert_eq!(
            text_format("de vries b.v.", "Caps").unwrap(),
            "De Vries B.v."
        );
        assert_eq!(text_format("de vries", "FirstCap").unwrap(), "De vries");
        assert_eq!(text_format("Mix", "Upper").unwrap(), "MIX");
        assert_eq!(text_format("Mix", "MERGEFORMAT"), None);
        assert_eq!(number_format(d("14"), "roman", Lang::Nl).unwrap(), "xiv");
        assert_eq!(number_format(d("14"), "ROMAN", Lang::Nl).unwrap(), "XIV");
        assert_eq!(
            number_format(d("28"), "alphabetic", Lang::Nl).unwrap(),
            "bb"
        );
        assert_eq!(number_format(d("3"), "Ordinal", Lang::Nl).unwrap(), "3e");
        assert_eq!(number_format(d("22"), "Ordinal", Lang::En).unwrap(), "22nd");
        assert_eq!(number_format(d("255"), "Hex", Lang::En).unwrap(), "FF");
    }
}
