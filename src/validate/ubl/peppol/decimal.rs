//! XPath's `xs:decimal` as the official tool (Saxon) computes it, for the Peppol rules that
//! calculate: exact sums and products, `round` with halves toward +∞, and division to Saxon's
//! scale.
//!
//! Saxon divides decimals to `max(18, sa - sb + 18)` places, where `sa` and `sb` are the scales
//! of the operands with trailing zeros removed (so `20.00` has scale −1), rounding a remainder
//! of exactly one half toward zero; `20 div 3` is `6.666666666666666667`. The rules compare such
//! quotients with a tolerance of 0.02, and a line of 3 items at 20.00 per 3 with a net amount of
//! 19.98 fails only because the last of those 18 digits was rounded up: so the scale is kept
//! here exactly rather than computing with more digits.
//!
//! Values are kept exactly in 38 significant digits (an `i128` and a scale). A value or result
//! beyond that is [`TooLarge`]: factuur then says it cannot compute the rule rather than judge
//! it approximately.

use std::cmp::Ordering;
use std::fmt;

/// An exact decimal: `m × 10^-s`, with no trailing zeros in `m` (zero is `0 × 10^0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct XDec {
    m: i128,
    s: i64,
}

/// A value or result with more than 38 significant digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// Why a text is not an `xs:decimal` factuur can compute with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Not the lexical form of `xs:decimal`: the official cast fails.
    NotDecimal,
    /// A decimal, but with more than 38 significant digits.
    TooLarge,
}

const MAX_DIGITS: usize = 38;

fn pow10(n: i64) -> Option<i128> {
    let n = u32::try_from(n).ok()?;
    10i128.checked_pow(n)
}

impl XDec {
    pub(crate) const ZERO: XDec = XDec { m: 0, s: 0 };

    /// 0.02, the tolerance of Peppol's calculation rules.
    pub(crate) const CENTS_2: XDec = XDec { m: 2, s: 2 };

    /// An integer.
    pub(crate) fn int(i: i64) -> XDec {
        XDec::norm(i128::from(i), 0)
    }

    fn norm(mut m: i128, mut s: i64) -> XDec {
        if m == 0 {
            return XDec::ZERO;
        }
        while m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        XDec { m, s }
    }

    /// Casts a text to `xs:decimal` as XPath does: XML whitespace around it is ignored, then an
    /// optional sign, digits with at most one decimal point, at least one digit; no exponent.
    pub(crate) fn parse(text: &str) -> Result<XDec, Unreadable> {
        let t = text.trim_matches([' ', '\t', '\r', '\n']);
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
            return Err(Unreadable::NotDecimal);
        }
        // The significant digits: from the first non-zero to the last non-zero, across the point.
        let digits = int.bytes().chain(frac.bytes());
        let Some(first) = digits.clone().position(|b| b != b'0') else {
            return Ok(XDec::ZERO);
        };
        let total = int.len() + frac.len();
        let last = total - 1 - digits.clone().rev().position(|b| b != b'0').unwrap_or(0);
        if last + 1 - first > MAX_DIGITS {
            return Err(Unreadable::TooLarge);
        }
        let mut m: i128 = 0;
        for b in digits.skip(first).take(last + 1 - first) {
            m = m * 10 + i128::from(b - b'0');
        }
        // The value is m × 10^-(digits after the last significant one counted from the point).
        let scale = last as i64 + 1 - int.len() as i64;
        Ok(XDec {
            m: if negative { -m } else { m },
            s: scale,
        })
    }

    /// Whether the value is zero.
    pub(crate) fn is_zero(self) -> bool {
        self.m == 0
    }

    /// Both mantissas at the larger scale.
    fn aligned(self, o: XDec) -> Result<(i128, i128, i64), TooLarge> {
        let s = self.s.max(o.s);
        let a = self
            .m
            .checked_mul(pow10(s - self.s).ok_or(TooLarge)?)
            .ok_or(TooLarge)?;
        let b =
            o.m.checked_mul(pow10(s - o.s).ok_or(TooLarge)?)
                .ok_or(TooLarge)?;
        Ok((a, b, s))
    }

    /// `self + o`.
    pub(crate) fn add(self, o: XDec) -> Result<XDec, TooLarge> {
        if o.is_zero() {
            return Ok(self);
        }
        if self.is_zero() {
            return Ok(o);
        }
        let (a, b, s) = self.aligned(o)?;
        Ok(XDec::norm(a.checked_add(b).ok_or(TooLarge)?, s))
    }

    /// `self - o`.
    pub(crate) fn sub(self, o: XDec) -> Result<XDec, TooLarge> {
        self.add(XDec { m: -o.m, s: o.s })
    }

    /// `self * o`.
    pub(crate) fn mul(self, o: XDec) -> Result<XDec, TooLarge> {
        Ok(XDec::norm(
            self.m.checked_mul(o.m).ok_or(TooLarge)?,
            self.s + o.s,
        ))
    }

    /// `self div o` as Saxon divides decimals (see the module). `None` for a division by zero,
    /// which XPath refuses.
    pub(crate) fn div(self, o: XDec) -> Option<Result<XDec, TooLarge>> {
        if o.is_zero() {
            return None;
        }
        if self.is_zero() {
            return Some(Ok(XDec::ZERO));
        }
        if o.m.unsigned_abs() == 1 {
            // A power of ten: the quotient is exact, well within Saxon's scale.
            return Some(Ok(XDec::norm(self.m * o.m, self.s - o.s)));
        }
        let scale = 18.max(self.s - o.s + 18);
        // The quotient's mantissa is self.m × 10^k / o.m, to the nearest (half toward zero).
        let k = scale - self.s + o.s;
        let (a, b) = (self.m.unsigned_abs(), o.m.unsigned_abs());
        // The remainder times ten must fit: divisors below 10^37 do.
        if b >= 10u128.pow(37) {
            return Some(Err(TooLarge));
        }
        let mut q = a / b;
        let mut r = a % b;
        for _ in 0..k {
            r *= 10;
            let Some(next) = q.checked_mul(10).and_then(|q| q.checked_add(r / b)) else {
                return Some(Err(TooLarge));
            };
            q = next;
            r %= b;
        }
        if r > b - r {
            q += 1;
        }
        let Ok(q) = i128::try_from(q) else {
            return Some(Err(TooLarge));
        };
        let negative = (self.m < 0) != (o.m < 0);
        Some(Ok(XDec::norm(if negative { -q } else { q }, scale)))
    }

    /// XPath's `round`: to the nearest integer, halves toward +∞ (`round(-2.5)` is −2).
    pub(crate) fn round(self) -> XDec {
        if self.s <= 0 {
            return self;
        }
        let Some(unit) = pow10(self.s) else {
            // More than 38 places and at most 38 digits: strictly between −0.5 and 0.5.
            return XDec::ZERO;
        };
        let q = self.m.div_euclid(unit);
        let r = self.m.rem_euclid(unit);
        XDec::norm(if r >= unit - r { q + 1 } else { q }, 0)
    }

    /// The digits of the mantissa and the power of ten of its first digit.
    fn magnitude(self) -> (String, i64) {
        let digits = self.m.unsigned_abs().to_string();
        let lead = digits.len() as i64 - self.s;
        (digits, lead)
    }

    fn cmp_abs(self, o: XDec) -> Ordering {
        let (da, ea) = self.magnitude();
        let (db, eb) = o.magnitude();
        ea.cmp(&eb).then_with(|| {
            let n = da.len().max(db.len());
            let pad = |d: String| format!("{d:0<n$}");
            pad(da).cmp(&pad(db))
        })
    }
}

impl Ord for XDec {
    fn cmp(&self, o: &XDec) -> Ordering {
        match (self.m.signum(), o.m.signum()) {
            (a, b) if a != b => a.cmp(&b),
            (0, _) => Ordering::Equal,
            (1, _) => self.cmp_abs(*o),
            _ => o.cmp_abs(*self),
        }
    }
}

impl PartialOrd for XDec {
    fn partial_cmp(&self, o: &XDec) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for XDec {
    /// Plain notation without trailing zeros, as XPath writes decimals (`12.5`, `-0.02`, `300`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.m.unsigned_abs().to_string();
        let sign = if self.m < 0 { "-" } else { "" };
        if self.s <= 0 {
            let zeros = "0".repeat(usize::try_from(-self.s).unwrap_or(0));
            return write!(f, "{sign}{digits}{zeros}");
        }
        let s = usize::try_from(self.s).unwrap_or(usize::MAX);
        if digits.len() > s {
            let (i, d) = digits.split_at(digits.len() - s);
            write!(f, "{sign}{i}.{d}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat(s - digits.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> XDec {
        XDec::parse(s).unwrap()
    }

    #[test]
    fn reads_the_lexical_form_of_xs_decimal() {
        assert_eq!(d(" 12.50\n").to_string(), "12.5");
        assert_eq!(d("+.5").to_string(), "0.5");
        assert_eq!(d("-0.000").to_string(), "0");
        assert_eq!(d("5.").to_string(), "5");
        assert_eq!(d("1200").to_string(), "1200");
        assert_eq!(d("0.00001").to_string(), "0.00001");
        for bad in [
            "", " ", ".", "-", "1e3", "1,5", "INF", "1 2", "\u{a0}1", "++1", "1.2.3",
        ] {
            assert_eq!(XDec::parse(bad), Err(Unreadable::NotDecimal), "{bad:?}");
        }
        // Long values are fine while their significant digits fit.
        assert_eq!(d(&format!("1{}", "0".repeat(60))).to_string().len(), 61);
        assert_eq!(
            XDec::parse(&"9".repeat(39)),
            Err(Unreadable::TooLarge),
            "39 significant digits"
        );
    }

    #[test]
    fn divides_as_saxon_does() {
        // Figures printed by Saxon-HE 12 for the same divisions.
        let div = |a: &str, b: &str| d(a).div(d(b)).unwrap().unwrap().to_string();
        assert_eq!(div("10", "3"), "3.333333333333333333");
        assert_eq!(div("2", "3"), "0.666666666666666667");
        assert_eq!(div("20.00", "3"), "6.666666666666666667");
        assert_eq!(div("1.5", "7"), "0.2142857142857142857");
        assert_eq!(div("1.55", "7"), "0.22142857142857142857");
        assert_eq!(div("1.5", "0.7"), "2.142857142857142857");
        assert_eq!(div("7", "0.003"), "2333.333333333333333333");
        assert_eq!(div("1", "2000000000000000000"), "0.0000000000000000005");
        assert_eq!(div("1", "8"), "0.125");
        // A remainder of exactly one half goes toward zero.
        assert_eq!(div("3", "524288"), "0.000005722045898437");
        assert_eq!(div("-1", "524288"), "-0.000001907348632812");
        assert!(d("1").div(XDec::ZERO).is_none());
    }

    #[test]
    fn rounds_halves_up_and_compares_exactly() {
        assert_eq!(d("-2.5").round().to_string(), "-2");
        assert_eq!(d("2.5").round().to_string(), "3");
        assert_eq!(d("234.5").round().to_string(), "235");
        assert_eq!(d("-0.4").round(), XDec::ZERO);
        assert_eq!(
            d("0.000000000000000000000000000000000000000001").round(),
            XDec::ZERO
        );
        assert!(d("0.1") < d("0.10000000000000000000000000000000000001"));
        assert!(d("-3") < d("-2.99"));
        assert!(d("100") > d("99.999"));
        assert_eq!(d("2.50").cmp(&d("2.5")), Ordering::Equal);
        let sum = d("0.1").add(d("0.2")).unwrap();
        assert_eq!(sum, d("0.3"));
        assert_eq!(d("2.50").mul(d("2.0")).unwrap().to_string(), "5");
        assert_eq!(d("1").sub(d("1.01")).unwrap().to_string(), "-0.01");
        // Beyond 38 digits factuur says so instead of rounding.
        let big = d(&"9".repeat(38));
        assert_eq!(big.mul(big), Err(TooLarge));
        assert_eq!(big.add(d("0.1")), Err(TooLarge));
    }
}
