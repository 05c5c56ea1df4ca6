//! The identifier checks the Peppol rules call: GS1 check digits (GLN), modulus 11 (Norwegian
//! organisation numbers), modulus 97 (Belgian enterprise numbers, IBANs), the Luhn check
//! (Swedish organisation numbers), the Australian ABN, the Greek TIN, and the Italian IPA code,
//! fiscal code and VAT number.
//!
//! Each follows the official function's arithmetic exactly, including what it does with input
//! outside the identifier's format (the rules usually check the format first, not always): a
//! check digit compared with a character that is no digit fails, and where the official function
//! would cast a character that is no number and stop, [`Uncastable`] says so.

use super::eval::{integer_lexical, substring};

/// The official function would cast this text to a number and stop with an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Uncastable(pub String);

/// A single character as `number()` reads it: its digit value, or none (NaN).
fn digit(c: char) -> Option<i64> {
    c.to_digit(10).map(i64::from)
}

/// The weighted sum the GS1 and modulus-11 checks share: every character but the last, from
/// right to left, as its code point minus 48 (the digit for digits), times `weight(i)` for the
/// i-th from the right (0-based).
fn weighted(val: &str, weight: impl Fn(i64) -> i64) -> (i64, Option<char>) {
    let chars: Vec<char> = val.chars().collect();
    let Some((&last, body)) = chars.split_last() else {
        return (0, None);
    };
    let sum = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| (i64::from(u32::from(c)) - 48) * weight(i as i64))
        .sum();
    (sum, Some(last))
}

/// `u:gln`: the GS1 check digit (weights 3 and 1 from the right), the last digit.
///
/// ```text
/// 5790000435968 → body 579000043596, check 8
/// ```
pub(crate) fn gln(val: &str) -> bool {
    let (sum, last) = weighted(val, |i| 1 + ((i + 1) % 2) * 2);
    let check = (10 - sum % 10) % 10;
    last.and_then(digit) == Some(check)
}

/// `u:mod11`: the number is above zero and its last digit is the modulus-11 check digit of the
/// others (weights 2, 3, 4, 5, 6, 7, 2, … from the right; a remainder giving 10 never passes).
pub(crate) fn mod11(val: &str) -> bool {
    let positive = super::eval::number(val) > 0.0;
    let (sum, last) = weighted(val, |i| (i % 6) + 2);
    let check = (11 - sum % 11) % 11;
    positive && last.and_then(digit) == Some(check)
}

/// `u:mod97-0208`: a Belgian enterprise number, ten digits, the last two being 97 minus the
/// first eight modulo 97. The rule checks the ten digits first; other input fails here.
pub(crate) fn mod97_0208(val: &str) -> bool {
    if val.len() != 10 || !val.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (Ok(body), Ok(check)) = (val[..8].parse::<u64>(), val[8..].parse::<u64>()) else {
        return false;
    };
    97 - body % 97 == check
}

/// `u:checkCodiceIPA`: six ASCII letters or digits.
pub(crate) fn codice_ipa(arg: &str) -> bool {
    arg.chars().count() == 6 && arg.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `u:checkCF`: an Italian fiscal code: 16 characters in the personal pattern, or 11 that read
/// as an integer.
pub(crate) fn codice_fiscale(arg: &str) -> bool {
    match arg.chars().count() {
        16 => codice_fiscale_16(arg),
        11 => integer_lexical(arg),
        _ => false,
    }
}

/// `u:checkCF16`: six letters, two that read as an integer, a letter, two more, three of any
/// kind, one that reads as an integer, a letter.
fn codice_fiscale_16(arg: &str) -> bool {
    let letters = |s: String| s.chars().all(|c| c.is_ascii_alphabetic());
    letters(substring(arg, 1, 6))
        && integer_lexical(&substring(arg, 7, 2))
        && letters(substring(arg, 9, 1))
        && integer_lexical(&substring(arg, 10, 2))
        && integer_lexical(&substring(arg, 15, 1))
        && letters(substring(arg, 16, 1))
}

/// `u:checkPIVAseIT`: when the text starts with `IT` (or `it`), the rest is an Italian VAT number
/// of 11 characters whose check sum ([`partita_iva`]) is zero; anything else passes.
pub(crate) fn partita_iva_se_it(arg: &str) -> Result<bool, Uncastable> {
    let country = substring(arg, 1, 2);
    if country != "IT" && country != "it" {
        return Ok(true);
    }
    let code: String = arg.chars().skip(2).collect();
    Ok(code.chars().count() == 11 && partita_iva(&code)? == 0)
}

/// `u:checkPIVA`: 1 when the text is no integer, else the Luhn-style sum of its digits (every
/// second digit doubled, digits of the product added) modulo 10.
///
/// The official function adds digit by digit while the remaining text reads as an integer; a
/// sign or a space in front (`-1234567890`) reads as one, but the sign alone does not, and the
/// function stops there with an error: [`Uncastable`].
pub(crate) fn partita_iva(arg: &str) -> Result<i64, Uncastable> {
    if !integer_lexical(arg) {
        return Ok(1);
    }
    let mut rest: &str = arg;
    let mut even = false;
    let mut sum = 0i64;
    while integer_lexical(rest) {
        let mut chars = rest.chars();
        let first = chars.next().unwrap_or(' ');
        let Some(d) = digit(first) else {
            return Err(Uncastable(first.to_string()));
        };
        // The doubled digit with its digits added: 0 2 4 6 8 1 3 5 7 9.
        sum += if even {
            [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][d as usize]
        } else {
            d
        };
        even = !even;
        rest = chars.as_str();
    }
    Ok(sum % 10)
}

/// `u:abn`: an Australian Business Number: the first digit minus one and the other ten, weighted
/// 10, 1, 3, 5, …, 19, sum to a multiple of 89. The rule checks for eleven digits first.
pub(crate) fn abn(val: &str) -> bool {
    let chars: Vec<char> = val.chars().collect();
    if chars.len() < 11 {
        // The official sum has an empty term and is then no number: the check fails.
        return false;
    }
    let cp = |k: usize| i64::from(u32::from(chars[k]));
    let mut sum = (cp(0) - 49) * 10;
    for (k, w) in (1..11).zip([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) {
        sum += (cp(k) - 48) * w;
    }
    sum % 89 == 0
}

/// `u:TinVerification`: a Greek tax number: of its first nine characters, the first eight
/// (weighted 256, 128, …, 2) give the ninth as their sum modulo 11, modulo 10. Characters after
/// the ninth are not looked at.
pub(crate) fn greek_tin(val: &str) -> bool {
    let digits: Vec<Option<i64>> = val.chars().take(9).map(digit).collect();
    if digits.len() < 9 {
        return false;
    }
    let mut sum = 0;
    for (k, d) in digits[..8].iter().enumerate() {
        let Some(d) = d else {
            return false;
        };
        sum += d << (8 - k);
    }
    digits[8] == Some((sum % 11) % 10)
}

/// `u:checkSEOrgnr`: a Swedish organisation number: digits only, and the tenth is the Luhn check
/// digit of the first nine.
///
/// The official function first accepts any Unicode decimal digit (`\d`), then reads each of the
/// first nine as a number, which fails for digits other than 0–9 and stops the validation:
/// [`Uncastable`].
pub(crate) fn se_orgnr(number: &str) -> Result<bool, Uncastable> {
    if number.is_empty() || !number.chars().all(is_unicode_digit) {
        return Ok(false);
    }
    let main: Vec<char> = number.chars().take(9).collect();
    let mut sum = 0;
    for (pos, c) in main.iter().rev().enumerate() {
        let Some(d) = digit(*c) else {
            return Err(Uncastable(c.to_string()));
        };
        sum += if pos % 2 == 0 {
            (d * 2) % 10 + (d * 2) / 10
        } else {
            d
        };
    }
    let check = number.chars().nth(9).and_then(digit);
    Ok(check == Some((10 - sum % 10) % 10))
}

/// The IBAN check some German rules make: the text rearranged (from the fifth character on, then
/// the first two upper-cased, then the third and fourth), each letter as its code point minus 55
/// and each digit as itself, read as one number, modulo 97, is 1. The rules check the IBAN
/// pattern (`^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}$`) first; a lower-case letter counts its code
/// point minus 55 as well (so `a` is 42), as the official test is written.
pub(crate) fn iban_mod97(iban: &str) -> bool {
    let first_two: String = substring(iban, 1, 2).to_uppercase();
    let rearranged = format!(
        "{}{}{}",
        super::eval::substring_from(iban, 5),
        first_two,
        substring(iban, 3, 2)
    );
    let mut rem: u64 = 0;
    for c in rearranged.chars() {
        let cp = i64::from(u32::from(c));
        let v = if cp > 64 { cp - 55 } else { cp - 48 };
        // The official test joins the numbers as text; only non-negative ones read as digits.
        let Ok(v) = u64::try_from(v) else {
            return false;
        };
        for d in v.to_string().bytes() {
            rem = (rem * 10 + u64::from(d - b'0')) % 97;
        }
    }
    rem == 1
}

/// `^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}$`.
pub(crate) fn iban_pattern(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 4
        && b.len() <= 34
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric)
}

/// Unicode's decimal digits (general category Nd, what XPath's `\d` matches): ten consecutive
/// code points from each of these zeros (Unicode 14).
const ND_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Whether XPath's `\d` matches `c`.
pub(crate) fn is_unicode_digit(c: char) -> bool {
    let cp = u32::from(c);
    let at = ND_ZEROS.partition_point(|&z| z <= cp);
    at > 0 && cp - ND_ZEROS[at - 1] < 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gln_check_digit() {
        assert!(gln("5790000435968"));
        assert!(gln("7300010000001"));
        assert!(!gln("5790000435969"), "wrong check digit");
        assert!(!gln("579000043596X"), "check character no digit");
        assert!(gln("0"), "a single zero: nothing to weigh, check 0");
        assert!(!gln("1"));
        assert!(!gln(""), "empty");
        // Non-digits in the body count by their code points, as the official function does.
        assert!(!gln("57900A0435968"));
    }

    #[test]
    fn norwegian_mod11() {
        assert!(mod11("974760673"));
        assert!(mod11("923609016"));
        assert!(!mod11("974760674"), "wrong check digit");
        assert!(!mod11("000000000"), "not above zero");
        assert!(!mod11(""), "empty");
        assert!(!mod11("97476067X"), "check character no digit");
        // 11 - (sum mod 11) = 10 for this body: no check digit can match.
        assert!(!(0..10).any(|d| mod11(&format!("10000013{d}"))));
    }

    #[test]
    fn belgian_mod97() {
        assert!(mod97_0208("0403170701"));
        assert!(mod97_0208("0203430576"));
        assert!(!mod97_0208("0403170702"));
        assert!(!mod97_0208("040317070"), "nine digits");
        assert!(!mod97_0208("04031707O1"), "a letter");
        assert!(!mod97_0208(""));
        // 97 - 0 = 97 when the first eight are a multiple of 97.
        assert!(mod97_0208("0000009797"));
    }

    #[test]
    fn italian_codes() {
        assert!(codice_ipa("UFY9MH"));
        assert!(!codice_ipa("UFY9M"), "five");
        assert!(!codice_ipa("UFY9MH1"), "seven");
        assert!(!codice_ipa("UFY-MH"));
        assert!(!codice_ipa(""));
        assert!(codice_fiscale("RSSMRA85T10A562S"));
        assert!(codice_fiscale("12345678901"));
        assert!(codice_fiscale("+1234567890"), "reads as an integer");
        assert!(!codice_fiscale("1234567890A"));
        assert!(!codice_fiscale("RSSMRA85T10A562"), "fifteen");
        assert!(
            !codice_fiscale("RSSMR185T10A562S"),
            "a digit among the first six"
        );
        assert!(!codice_fiscale(""));
        assert_eq!(partita_iva("12345678903"), Ok(0));
        assert_eq!(partita_iva("12345678901"), Ok(8));
        assert_eq!(partita_iva("1234567890A"), Ok(1), "no integer");
        assert_eq!(partita_iva(""), Ok(1));
        assert_eq!(partita_iva("-1234567890"), Err(Uncastable("-".into())));
        assert_eq!(partita_iva_se_it("IT12345678903"), Ok(true));
        assert_eq!(partita_iva_se_it("it12345678903"), Ok(true));
        assert_eq!(partita_iva_se_it("IT12345678901"), Ok(false));
        assert_eq!(partita_iva_se_it("IT1234567890"), Ok(false), "ten digits");
        assert_eq!(partita_iva_se_it("FR12345678901"), Ok(true), "not Italian");
        assert_eq!(partita_iva_se_it(""), Ok(true));
        assert!(
            partita_iva_se_it("IT 1234567890").is_err(),
            "a space in front"
        );
    }

    #[test]
    fn australian_abn() {
        assert!(abn("51824753556"));
        assert!(abn("53004085616"));
        assert!(!abn("51824753557"));
        assert!(!abn("5182475355"), "ten digits");
        assert!(!abn(""));
    }

    #[test]
    fn greek_tin_check() {
        assert!(greek_tin("094019245"));
        assert!(greek_tin("123456783"));
        assert!(!greek_tin("094019246"));
        assert!(
            greek_tin("094019245XYZ"),
            "characters after the ninth are not looked at"
        );
        assert!(!greek_tin("09401924"), "eight");
        assert!(!greek_tin("09401924A"));
        assert!(!greek_tin("0940 9245"));
        assert!(!greek_tin(""));
    }

    #[test]
    fn swedish_luhn() {
        assert_eq!(se_orgnr("5560360793"), Ok(true));
        assert_eq!(se_orgnr("2021005489"), Ok(true));
        assert_eq!(se_orgnr("5560360794"), Ok(false));
        assert_eq!(se_orgnr("556036079"), Ok(false), "no check digit");
        assert_eq!(se_orgnr("556036-0793"), Ok(false), "a hyphen");
        assert_eq!(se_orgnr(""), Ok(false));
        // Arabic-Indic digits are digits to `\d` but not to `number()`.
        assert!(se_orgnr("٥٥٦0360793").is_err());
        // Only the tenth counts as check digit; more digits after it are not looked at.
        assert_eq!(se_orgnr("55603607931"), Ok(true));
    }

    #[test]
    fn iban_checks() {
        assert!(iban_pattern("DE89370400440532013000"));
        assert!(iban_mod97("DE89370400440532013000"));
        assert!(iban_mod97("NL91ABNA0417164300"));
        assert!(!iban_mod97("DE89370400440532013001"));
        assert!(!iban_pattern("de89370400440532013000"));
        assert!(!iban_pattern("DE8"));
        assert!(!iban_pattern(""));
        assert!(!iban_pattern("DE89 3704"));
    }

    #[test]
    fn unicode_digits() {
        assert!(is_unicode_digit('7'));
        assert!(is_unicode_digit('٣'));
        assert!(is_unicode_digit('９'));
        assert!(!is_unicode_digit('a'));
        assert!(!is_unicode_digit('/'));
        assert!(!is_unicode_digit('²'), "superscripts are No, not Nd");
    }
}
