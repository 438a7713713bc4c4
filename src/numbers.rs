//! Big numbers as people read them: "700 million", "8 billion", "1.5 trillion", and
//! below a million the digits grouped by thousands ("13,214").

/// The scales above a thousand thousand, largest first.
const SCALES: [(u64, &str); 3] = [
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
];

/// At most this many decimals after a scale word's number ("1.23 billion"); the exact
/// figure is in the data for whoever needs it.
const MAX_DECIMALS: usize = 2;

/// `n` in words and digits, as a person reads it aloud.
pub fn as_read(n: u64) -> String {
    let unit = 10u128.pow(MAX_DECIMALS as u32);
    for (i, &(scale, word)) in SCALES.iter().enumerate() {
        if n < scale {
            continue;
        }
        // `n` in hundredths of the scale, rounded to the nearest.
        let scale = u128::from(scale);
        let hundredths = (u128::from(n) * unit + scale / 2) / scale;
        // 999,999,999 rounds to 1,000.00 million: that is 1 billion.
        if hundredths >= 1000 * unit && i > 0 {
            return format!("1 {}", SCALES[i - 1].1);
        }
        let whole = (hundredths / unit) as u64;
        let digits = format!("{:0width$}", hundredths % unit, width = MAX_DECIMALS);
        let digits = digits.trim_end_matches('0');
        return if digits.is_empty() {
            format!("{} {word}", grouped(whole))
        } else {
            format!("{}.{digits} {word}", grouped(whole))
        };
    }
    grouped(n)
}

/// Digits in groups of three: `13214` is "13,214".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_numbers_read_as_words() {
        assert_eq!(as_read(700_000_000), "700 million");
        assert_eq!(as_read(8_000_000_000), "8 billion");
        assert_eq!(as_read(1_500_000_000), "1.5 billion");
        assert_eq!(as_read(1_230_000_000), "1.23 billion");
        assert_eq!(as_read(1_234_567_890), "1.23 billion");
        assert_eq!(as_read(405_000_000_000), "405 billion");
        assert_eq!(as_read(2_000_000_000_000), "2 trillion");
        assert_eq!(as_read(1_000_000), "1 million");
        // Rounding up carries into the whole number.
        assert_eq!(as_read(1_999_000_000), "2 billion");
        assert_eq!(as_read(999_999_999), "1 billion");
        assert_eq!(as_read(999_000_000), "999 million");
        assert_eq!(as_read(1_500_000_000_000_000), "1,500 trillion");
    }

    #[test]
    fn small_numbers_are_grouped_digits() {
        assert_eq!(as_read(0), "0");
        assert_eq!(as_read(999), "999");
        assert_eq!(as_read(1_000), "1,000");
        assert_eq!(as_read(13_214), "13,214");
        assert_eq!(as_read(999_999), "999,999");
    }
}
