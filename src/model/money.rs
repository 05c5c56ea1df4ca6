//! Money arithmetic: the one rounding function and checked operations.
//!
//! Every amount in factuur is a [`Decimal`]; floats never touch money. EN 16931 amounts carry at
//! most two decimals, and the only place an amount is rounded is [`round`]: commercial rounding,
//! half away from zero (`2.345 → 2.35`, `-2.345 → -2.35`). rust_decimal's own `round` and
//! `round_dp` use banker's rounding and are banned by clippy (`clippy.toml`).

use rust_decimal::{Decimal, RoundingStrategy};

use super::totals::TotalsError;

/// Number of decimals of an EN 16931 amount.
pub const AMOUNT_DECIMALS: u32 = 2;

/// Rounds an amount to two decimals, half away from zero (commercial rounding).
///
/// ```
/// use factuur::model::money::round;
/// use rust_decimal::Decimal;
/// assert_eq!(round(Decimal::new(2345, 3)), Decimal::new(235, 2));
/// assert_eq!(round(Decimal::new(-2345, 3)), Decimal::new(-235, 2));
/// assert_eq!(round(Decimal::new(2344, 3)), Decimal::new(234, 2));
/// ```
pub fn round(value: Decimal) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(AMOUNT_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    // Always carry exactly two decimals, so `12` prints as `12.00`.
    rounded.rescale(AMOUNT_DECIMALS);
    rounded
}

/// `a + b`, or an overflow error naming `what`.
pub(crate) fn add(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, TotalsError> {
    a.checked_add(b).ok_or(TotalsError::Overflow { what })
}

/// `a - b`, or an overflow error naming `what`.
pub(crate) fn sub(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, TotalsError> {
    a.checked_sub(b).ok_or(TotalsError::Overflow { what })
}

/// `a * b`, or an overflow error naming `what`.
pub(crate) fn mul(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, TotalsError> {
    a.checked_mul(b).ok_or(TotalsError::Overflow { what })
}

/// `a / b`, or an error naming `what` (overflow, or division by zero).
pub(crate) fn div(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, TotalsError> {
    if b.is_zero() {
        return Err(TotalsError::DivisionByZero { what });
    }
    a.checked_div(b).ok_or(TotalsError::Overflow { what })
}

/// `base × percent / 100`, rounded: the amount of an allowance, charge or VAT given as a
/// percentage of a base.
pub fn percent_of(
    base: Decimal,
    percent: Decimal,
    what: &'static str,
) -> Result<Decimal, TotalsError> {
    Ok(round(div(
        mul(base, percent, what)?,
        Decimal::ONE_HUNDRED,
        what,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round(d("0.005")), d("0.01"));
        assert_eq!(round(d("-0.005")), d("-0.01"));
        assert_eq!(round(d("0.015")), d("0.02"));
        assert_eq!(round(d("0.025")), d("0.03")); // banker's would give 0.02
        assert_eq!(round(d("1.004999")), d("1.00"));
        assert_eq!(round(d("12")).to_string(), "12.00");
    }

    #[test]
    fn percent_of_rounds_once() {
        assert_eq!(percent_of(d("10.05"), d("21"), "t").unwrap(), d("2.11"));
        assert_eq!(percent_of(d("-10.05"), d("21"), "t").unwrap(), d("-2.11"));
        assert_eq!(percent_of(d("0.50"), d("9"), "t").unwrap(), d("0.05"));
    }

    #[test]
    fn overflow_is_an_error() {
        assert!(mul(Decimal::MAX, d("2"), "x").is_err());
        assert!(div(d("1"), Decimal::ZERO, "x").is_err());
    }
}
