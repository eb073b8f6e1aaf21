//! Durations (µs) and probabilities (parts per million) as they are written in
//! the scenario language. Integers only: a float could round differently on
//! another platform and a seed must mean the same run everywhere.

use std::fmt;

/// Microseconds per millisecond.
pub const US_PER_MS: u64 = 1_000;
/// Microseconds per second.
pub const US_PER_S: u64 = 1_000_000;
/// Parts per million in 100 %.
pub const PPM_MAX: u32 = 1_000_000;

/// A probability as an integer ratio: parts per million (0 ..= 1 000 000).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Ppm(pub u32);

impl Ppm {
    /// Never.
    pub const ZERO: Ppm = Ppm(0);
    /// Whether this probability is 0 (the simulator then draws no random number
    /// for it, so that turning a fault off does not consume randomness).
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Ppm {
    /// Percent with up to 4 decimals (1 ppm = 0.0001 %), trailing zeros trimmed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}%", digits.trim_end_matches('0'))
        }
    }
}

/// Parses `12`, `12.5` as a fixed-point number with `scale_digits` decimals:
/// `parse_fixed("1.25", 3) == Some(1250)`. `None` on bad syntax, too many
/// decimals or overflow. Public for the browser's number fields, which
/// parse without floats too.
pub fn parse_fixed(text: &str, scale_digits: u32) -> Option<u64> {
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) || frac_part.len() > scale_digits as usize {
        return None;
    }
    if text.contains('.') && frac_part.is_empty() {
        return None;
    }
    let scale = 10u64.checked_pow(scale_digits)?;
    let int: u64 = int_part.parse().ok()?;
    let mut frac: u64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().ok()?
    };
    for _ in frac_part.len()..scale_digits as usize {
        frac *= 10;
    }
    int.checked_mul(scale)?.checked_add(frac)
}

/// Parses a duration: `150ms`, `1.2s`, `250us` (or `250µs`). Returns µs.
pub fn parse_duration_us(text: &str) -> Option<u64> {
    if let Some(n) = text.strip_suffix("ms") {
        parse_fixed(n, 3)
    } else if let Some(n) = text.strip_suffix("us").or_else(|| text.strip_suffix("µs")) {
        parse_fixed(n, 0)
    } else if let Some(n) = text.strip_suffix('s') {
        parse_fixed(n, 6)
    } else {
        None
    }
}

/// Formats µs the way a person would write it and so that
/// `parse_duration_us(&format_duration_us(x)) == Some(x)` for every `x`.
pub fn format_duration_us(us: u64) -> String {
    fn fixed(value: u64, scale: u64, digits: usize, unit: &str) -> String {
        let whole = value / scale;
        let frac = value % scale;
        if frac == 0 {
            format!("{whole}{unit}")
        } else {
            let f = format!("{frac:0digits$}");
            format!("{whole}.{}{unit}", f.trim_end_matches('0'))
        }
    }
    if us >= US_PER_S {
        fixed(us, US_PER_S, 6, "s")
    } else if us % US_PER_MS == 0 || us >= US_PER_MS {
        fixed(us, US_PER_MS, 3, "ms")
    } else {
        format!("{us}us")
    }
}

/// Parses a percentage such as `0%`, `5%`, `0.25%` (at most 4 decimals, at most 100 %).
pub fn parse_percent(text: &str) -> Option<Ppm> {
    let n = text.strip_suffix('%')?;
    let ppm = parse_fixed(n, 4)?;
    if ppm > u64::from(PPM_MAX) {
        return None;
    }
    u32::try_from(ppm).ok().map(Ppm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit() {
        assert_eq!(parse_duration_us("150ms"), Some(150_000));
        assert_eq!(parse_duration_us("1.2s"), Some(1_200_000));
        assert_eq!(parse_duration_us("0.5ms"), Some(500));
        assert_eq!(parse_duration_us("7us"), Some(7));
        assert_eq!(parse_duration_us("7µs"), Some(7));
        assert_eq!(parse_duration_us("10s"), Some(10_000_000));
        for bad in [
            "",
            "s",
            "ms",
            "1.s",
            ".5s",
            "1.0001ms",
            "-1s",
            "1 s",
            "1m",
            "99999999999999999999s",
        ] {
            assert_eq!(parse_duration_us(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_round_trip() {
        for us in [
            0,
            1,
            999,
            1000,
            1500,
            150_000,
            999_999,
            1_000_000,
            1_200_000,
            61_000_001,
            u64::MAX,
        ] {
            let text = format_duration_us(us);
            assert_eq!(parse_duration_us(&text), Some(us), "{text}");
        }
        assert_eq!(format_duration_us(1_200_000), "1.2s");
        assert_eq!(format_duration_us(800_000), "800ms");
    }

    #[test]
    fn percentages_round_trip() {
        assert_eq!(parse_percent("0%"), Some(Ppm(0)));
        assert_eq!(parse_percent("5%"), Some(Ppm(50_000)));
        assert_eq!(parse_percent("0.0001%"), Some(Ppm(1)));
        assert_eq!(parse_percent("100%"), Some(Ppm(1_000_000)));
        assert_eq!(parse_percent("100.1%"), None);
        assert_eq!(parse_percent("5"), None);
        for ppm in [0, 1, 10, 12_345, 500_000, 1_000_000] {
            assert_eq!(parse_percent(&Ppm(ppm).to_string()), Some(Ppm(ppm)));
        }
    }
}
