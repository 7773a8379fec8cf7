//! Numbers for people: digits grouped by thousands, as every report and message writes them.

/// `n` with its digits grouped by thousands: `10,000,000`.
pub fn grouped(n: u128) -> String {
    group_digits(&n.to_string())
}

/// A string of decimal digits grouped by thousands (`"1234567"` is `"1,234,567"`).
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(10_000_000), "10,000,000");
        assert_eq!(grouped(123_456_789_012), "123,456,789,012");
    }
}
