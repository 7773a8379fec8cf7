//! Exact arithmetic on the numbers as written, when they are short decimals.
//!
//! A user writes decimals and expects decimal arithmetic: with weights 0.25 and values 1.0, 0.4,
//! 0 and 0.2 a package is worth exactly 0.4, though binary floating point sums it to
//! 0.39999999999999997. When every weight, value and reservation value of the parties scored is
//! a *short decimal* (its shortest round-trip form has at most [`MAX_DECIMALS`] digits after the
//! point and at most 15 significant digits), [`scale`] rewrites the scenario on one common
//! integer scale: weights × 10^a, values × 10^b, reservations × 10^(a+b), each an integer held
//! exactly in an `f64`. Every utility is then an integer below 2^50, and every sum the engine,
//! the merge and branch and bound form is exact, so zone membership, dominance and equality of
//! utility vectors are decided exactly. [`Unit`] turns the results back (one correctly rounded
//! division). The bargaining objectives that leave the integers (Nash's product, the
//! Kalai-Smorodinsky ratios) are compared exactly by [`compare`]. Scenarios with any other
//! number keep floating point (summed in issue order, with the engine's rounding bounds).

use std::cmp::Ordering;

use crate::bargaining::Concept;
use crate::model::{Assumed, Scenario, ValueFunction};

/// The most digits after the decimal point a short decimal has.
pub const MAX_DECIMALS: u32 = 9;

/// Utilities on the integer scale stay below this, so that sums of them over up to 8 parties
/// (the utilitarian objective) stay exact in an `f64`.
const MAX_SCALED: i128 = 1 << 50;

/// A short decimal as `digits / 10^decimals`, from its shortest round-trip form; `None` when the
/// number is not one.
pub fn decimal(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() {
        return None;
    }
    let text = format!("{x}");
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.as_str()),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let decimals = u32::try_from(fraction.len()).ok()?;
    let digits = format!("{whole}{fraction}");
    let significant = digits.trim_start_matches('0').len();
    if decimals > MAX_DECIMALS || significant > 15 {
        return None;
    }
    let n: i128 = digits.parse().ok()?;
    Some((sign * n, decimals))
}

/// `digits / 10^decimals` as an integer on the scale `10^to` (`to ≥ decimals`).
fn on_scale((digits, decimals): (i128, u32), to: u32) -> i128 {
    digits * 10i128.pow(to - decimals)
}

/// The factor between the integer scale and the numbers as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// `10^exponent`: a utility of 1 is this integer.
    pub value: f64,
    /// The exponent.
    pub exponent: u32,
}

impl Unit {
    /// The scale of a scenario already in the numbers as written.
    pub const ONE: Unit = Unit {
        value: 1.0,
        exponent: 0,
    };

    /// A utility on the integer scale as the number it stands for (correctly rounded).
    pub fn utility(self, x: f64) -> f64 {
        x / self.value
    }
}

/// The scenario on a common integer scale, when every number it is analysed with is a short
/// decimal and the utilities stay within exact reach; `None` otherwise.
pub fn scale(scenario: &Scenario) -> Option<(Scenario, Unit)> {
    let mut weight_decimals = 0;
    let mut value_decimals = 0;
    let mut reservation_decimals = 0;
    for prefs in scenario.preferences.iter().flatten() {
        reservation_decimals = reservation_decimals.max(decimal(prefs.reservation.value)?.1);
        for (i, ip) in prefs.issues.iter().enumerate() {
            weight_decimals = weight_decimals.max(decimal(ip.weight.value)?.1);
            let issue = &scenario.issues[i];
            for o in 0..issue.options.len() {
                let v = ip.values.value(issue, o, |a| a.value);
                value_decimals = value_decimals.max(decimal(v)?.1);
            }
        }
    }
    let a = weight_decimals;
    let b = value_decimals.max(reservation_decimals.saturating_sub(a));
    let exponent = a + b;
    let mut out = scenario.clone();
    for prefs in out.preferences.iter_mut().flatten() {
        let r = on_scale(decimal(prefs.reservation.value)?, exponent);
        if r.abs() >= MAX_SCALED {
            return None;
        }
        prefs.reservation = Assumed::exact(r as f64);
        let mut largest: i128 = 0;
        for (i, ip) in prefs.issues.iter_mut().enumerate() {
            let issue = &scenario.issues[i];
            let w = on_scale(decimal(ip.weight.value)?, a);
            let values: Vec<i128> = (0..issue.options.len())
                .map(|o| {
                    Some(on_scale(
                        decimal(ip.values.value(issue, o, |x| x.value))?,
                        b,
                    ))
                })
                .collect::<Option<_>>()?;
            largest += values.iter().map(|v| (w * v).abs()).max().unwrap_or(0);
            if largest >= MAX_SCALED {
                return None;
            }
            ip.weight = Assumed::exact(w as f64);
            ip.values =
                ValueFunction::Table(values.iter().map(|&v| Assumed::exact(v as f64)).collect());
        }
    }
    Some((
        out,
        Unit {
            value: 10f64.powi(exponent as i32),
            exponent,
        },
    ))
}

/// Weights divided by their sum. When every weight is a short decimal, the sum is taken in
/// decimal and each quotient is the nearest `f64` to the exact fraction: weights that sum to 1 as
/// written are returned unchanged, and 1, 1, 2 become exactly 0.25, 0.25, 0.5. Otherwise each is
/// divided by their floating-point sum. `None` when the sum is not positive.
pub fn normalise(weights: &[f64]) -> Option<Vec<f64>> {
    let exact: Option<Vec<(i128, u32)>> = weights.iter().map(|&w| decimal(w)).collect();
    if let Some(exact) = exact {
        let d = exact.iter().map(|x| x.1).max().unwrap_or(0);
        let ints: Vec<i128> = exact.iter().map(|&x| on_scale(x, d)).collect();
        let total: i128 = ints.iter().sum();
        if total <= 0 {
            return None;
        }
        if total < 1 << 53 && ints.iter().all(|w| w.abs() < 1 << 53) {
            // Two integers held exactly: one correctly rounded division.
            return Some(ints.iter().map(|&w| w as f64 / total as f64).collect());
        }
    }
    let total: f64 = weights.iter().sum();
    (total > 0.0).then(|| weights.iter().map(|w| w / total).collect())
}

/// A non-negative big integer as base-2^32 digits, least significant first, for Nash's product.
fn product(factors: impl Iterator<Item = u128>) -> Vec<u64> {
    let mut digits: Vec<u64> = vec![1];
    for f in factors {
        let (lo, hi) = ((f & 0xffff_ffff) as u64, (f >> 32) as u64);
        assert!(hi < 1 << 32, "factors below 2^64");
        let mut out = vec![0u64; digits.len() + 3];
        for (k, &d) in digits.iter().enumerate() {
            for (m, part) in [lo, hi].into_iter().enumerate() {
                let mut carry = d * part;
                let mut at = k + m;
                while carry > 0 {
                    let sum = out[at] + (carry & 0xffff_ffff);
                    out[at] = sum & 0xffff_ffff;
                    carry = (carry >> 32) + (sum >> 32);
                    at += 1;
                }
            }
        }
        while out.len() > 1 && *out.last().expect("non-empty") == 0 {
            out.pop();
        }
        digits = out;
    }
    digits
}

fn compare_big(a: &[u64], b: &[u64]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// A fraction `n / d` with `d > 0`.
type Fraction = (i128, i128);

fn compare_fractions(x: Fraction, y: Fraction) -> Ordering {
    (x.0 * y.1).cmp(&(y.0 * x.1))
}

/// The Kalai-Smorodinsky objective at `u` as an exact fraction: the smallest gain relative to
/// the party's best possible gain (1 when that is nothing).
fn ks(u: &[i128], reservation: &[i128], ideal: &[i128]) -> Fraction {
    u.iter()
        .zip(reservation)
        .zip(ideal)
        .map(|((&u, &r), &i)| if i > r { (u - r, i - r) } else { (1, 1) })
        .min_by(|&x, &y| compare_fractions(x, y))
        .unwrap_or((1, 1))
}

/// Compares a bargaining objective at two utility vectors exactly, all numbers integers on the
/// scale of [`scale`] (integers below 2^53 held in `f64`).
pub fn compare(
    concept: Concept,
    a: &[f64],
    b: &[f64],
    reservation: &[f64],
    ideal: &[f64],
) -> Ordering {
    let int = |v: &[f64]| -> Vec<i128> { v.iter().map(|&x| x as i128).collect() };
    let (a, b, r, ideal) = (int(a), int(b), int(reservation), int(ideal));
    let gains = |u: &[i128]| -> Vec<i128> { u.iter().zip(&r).map(|(u, r)| u - r).collect() };
    match concept {
        Concept::Nash => {
            // Signed products: by sign first, then by magnitude.
            let signed = |g: Vec<i128>| {
                let sign = if g.contains(&0) {
                    0
                } else if g.iter().filter(|&&x| x < 0).count() % 2 == 1 {
                    -1
                } else {
                    1
                };
                (sign, product(g.iter().map(|x| x.unsigned_abs())))
            };
            let ((sa, ma), (sb, mb)) = (signed(gains(&a)), signed(gains(&b)));
            sa.cmp(&sb).then_with(|| match sa {
                1 => compare_big(&ma, &mb),
                -1 => compare_big(&mb, &ma),
                _ => Ordering::Equal,
            })
        }
        Concept::KalaiSmorodinsky => compare_fractions(ks(&a, &r, &ideal), ks(&b, &r, &ideal)),
        Concept::Egalitarian => {
            let min = |g: Vec<i128>| g.into_iter().min();
            min(gains(&a)).cmp(&min(gains(&b)))
        }
        Concept::Utilitarian => a.iter().sum::<i128>().cmp(&b.iter().sum::<i128>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_decimals_are_read_as_written() {
        assert_eq!(decimal(0.4), Some((4, 1)));
        assert_eq!(decimal(0.25), Some((25, 2)));
        assert_eq!(decimal(-1.5), Some((-15, 1)));
        assert_eq!(decimal(20.0), Some((20, 0)));
        assert_eq!(decimal(1.0 / 3.0), None);
        assert_eq!(decimal(0.1 + 0.2), None); // 0.30000000000000004
        assert_eq!(decimal(f64::NAN), None);
    }

    #[test]
    fn weights_are_normalised_in_decimal() {
        // Their float sum is 0.9999999999999999; in decimal it is 1, and nothing moves.
        assert_eq!(normalise(&[0.3, 0.6, 0.1]), Some(vec![0.3, 0.6, 0.1]));
        assert_eq!(normalise(&[1.0, 1.0, 2.0]), Some(vec![0.25, 0.25, 0.5]));
        // 0.3 / 0.4 is 0.75 exactly; floats give 0.7499999999999999.
        assert_eq!(normalise(&[0.3, 0.1]), Some(vec![0.75, 0.25]));
        assert_eq!(normalise(&[0.0, 0.0]), None);
    }

    #[test]
    fn products_compare_past_128_bits() {
        let a = product([1u128 << 50, 1 << 50, 1 << 50].into_iter());
        let b = product([(1u128 << 50) + 1, 1 << 50, (1 << 50) - 1].into_iter());
        // (2^50 + 1)(2^50 - 1) = 2^100 - 1 < 2^100.
        assert_eq!(compare_big(&a, &b), Ordering::Greater);
        assert_eq!(compare_big(&a, &a.clone()), Ordering::Equal);
        assert_eq!(product([6u128, 7].into_iter()), vec![42]);
    }

    #[test]
    fn nash_products_that_floats_tie_are_told_apart() {
        // Gains 10^6 + 1 and 10^6 - 1 against 10^6 and 10^6: the products differ by 1 in 10^12,
        // within the float tolerance of 1e-9, but not equal.
        let r = [0.0, 0.0];
        let ideal = [2e6, 2e6];
        let a = [1_000_001.0, 999_999.0];
        let b = [1_000_000.0, 1_000_000.0];
        assert_eq!(compare(Concept::Nash, &a, &b, &r, &ideal), Ordering::Less);
        assert_eq!(
            compare(Concept::Utilitarian, &a, &b, &r, &ideal),
            Ordering::Equal
        );
    }
}
