//! English renderings of KPI values for the plain-words findings (the page formats numbers in
//! the viewer's language itself).

use crate::kpi::Unit;

/// Formats `v` in `unit`: "1 h 5 min", "91.2%", "1,234", "+12".
pub fn format_value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Seconds => duration(v),
        Unit::Percent => format!("{v:.1}%"),
        Unit::Count => grouped(v.round() as i64),
        Unit::Score | Unit::Number => {
            if v.fract() == 0.0 {
                grouped(v as i64)
            } else {
                format!("{v:.2}")
            }
        }
        Unit::Money => format!("{v:.2}"),
    }
}

fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn duration(seconds: f64) -> String {
    let s = seconds.round() as i64;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_values() {
        assert_eq!(format_value(Unit::Seconds, 3900.0), "1 h 5 min");
        assert_eq!(format_value(Unit::Seconds, 45.0), "45 s");
        assert_eq!(format_value(Unit::Seconds, 93_600.0), "1 d 2 h");
        assert_eq!(format_value(Unit::Percent, 91.25), "91.2%");
        assert_eq!(format_value(Unit::Count, 1234567.0), "1,234,567");
        assert_eq!(format_value(Unit::Score, -12.0), "-12");
    }
}
