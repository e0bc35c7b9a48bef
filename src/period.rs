//! Reporting periods and time buckets, cut on local dates in the report timezone.
//!
//! Buckets are defined by local calendar days, so a day is a day even when DST makes it 23 or
//! 25 hours long, and a Tehran week starts on a Tehran Saturday.

use crate::error::{Error, Result};
use crate::time::{self, civil_from_days, days_from_civil, Seconds};
use chrono_tz::Tz;
use serde::Serialize;

/// Bucket size for series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// Calendar days.
    Day,
    /// Weeks starting on the locale's first day.
    Week,
    /// Calendar months.
    Month,
}

impl Bucket {
    /// Reads `day`, `week`, `month`; `auto`/empty gives `None` (chosen from the span).
    pub fn parse(s: &str) -> Result<Option<Bucket>> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(None),
            "day" => Ok(Some(Bucket::Day)),
            "week" => Ok(Some(Bucket::Week)),
            "month" => Ok(Some(Bucket::Month)),
            other => Err(Error::Option(format!(
                "unknown bucket {}: expected day, week, month or auto",
                time::quote(other)
            ))),
        }
    }

    /// The size that gives a readable number of bars for a span of `days`.
    pub fn auto(days: i64) -> Bucket {
        if days <= 45 {
            Bucket::Day
        } else if days <= 26 * 7 {
            Bucket::Week
        } else {
            Bucket::Month
        }
    }
}

/// A resolved reporting period: local days `[first_day, end_day)` in `tz`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    /// First local day (days since 1970-01-01).
    pub first_day: i64,
    /// Local day after the last one.
    pub end_day: i64,
    /// Report timezone.
    pub tz: Tz,
    /// First day of the week: 0 = Monday … 6 = Sunday.
    pub week_start: u8,
}

impl Period {
    /// UTC instant the period starts.
    pub fn start(&self) -> Seconds {
        time::local_to_utc(self.first_day * 86_400, self.tz)
    }
    /// UTC instant the period ends (exclusive).
    pub fn end(&self) -> Seconds {
        time::local_to_utc(self.end_day * 86_400, self.tz)
    }
    /// True when `t` falls inside the period.
    pub fn contains(&self, t: Seconds) -> bool {
        t >= self.start() && t < self.end()
    }
    /// Length in days.
    pub fn days(&self) -> i64 {
        self.end_day - self.first_day
    }
    /// The period of equal length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            first_day: self.first_day - self.days(),
            end_day: self.first_day,
            ..*self
        }
    }
    /// The local day of a UTC instant.
    pub fn local_day(&self, t: Seconds) -> i64 {
        time::utc_to_local(t, self.tz).div_euclid(86_400)
    }
    /// Bucket start days covering the period (the first one may begin before it).
    pub fn buckets(&self, bucket: Bucket) -> Vec<i64> {
        let mut out = Vec::new();
        let mut d = bucket_start(self.first_day, bucket, self.week_start);
        while d < self.end_day {
            out.push(d);
            d = next_bucket(d, bucket);
        }
        out
    }
}

/// First day of the bucket holding local day `day`.
pub fn bucket_start(day: i64, bucket: Bucket, week_start: u8) -> i64 {
    match bucket {
        Bucket::Day => day,
        Bucket::Week => {
            // 1970-01-01 was a Thursday (3 when Monday is 0).
            let weekday = (day + 3).rem_euclid(7);
            day - (weekday - week_start as i64).rem_euclid(7)
        }
        Bucket::Month => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, m, 1)
        }
    }
}

/// First day of the bucket after the one starting at `start`.
pub fn next_bucket(start: i64, bucket: Bucket) -> i64 {
    match bucket {
        Bucket::Day => start + 1,
        Bucket::Week => start + 7,
        Bucket::Month => {
            let (y, m, _) = civil_from_days(start);
            if m == 12 {
                days_from_civil(y + 1, 1, 1)
            } else {
                days_from_civil(y, m + 1, 1)
            }
        }
    }
}

/// Label of a bucket: `2026-03-02` for days and weeks (the week's first day), `2026-03` for months.
pub fn bucket_label(start: i64, bucket: Bucket) -> String {
    let (y, m, d) = civil_from_days(start);
    match bucket {
        Bucket::Month => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn day_string(day: i64) -> String {
    bucket_label(day, Bucket::Day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_starts_follow_locale() {
        let wed = days_from_civil(2026, 3, 4);
        assert_eq!(
            bucket_start(wed, Bucket::Week, 0),
            days_from_civil(2026, 3, 2)
        ); // Monday
        assert_eq!(
            bucket_start(wed, Bucket::Week, 6),
            days_from_civil(2026, 3, 1)
        ); // Sunday
        assert_eq!(
            bucket_start(wed, Bucket::Week, 5),
            days_from_civil(2026, 2, 28)
        ); // Saturday
        assert_eq!(
            bucket_start(wed, Bucket::Month, 0),
            days_from_civil(2026, 3, 1)
        );
        assert_eq!(
            next_bucket(days_from_civil(2026, 12, 1), Bucket::Month),
            days_from_civil(2027, 1, 1)
        );
    }

    #[test]
    fn local_day_boundaries_across_dst() {
        let tz: Tz = "Europe/Amsterdam".parse().unwrap();
        let p = Period {
            first_day: days_from_civil(2026, 3, 29),
            end_day: days_from_civil(2026, 3, 30),
            tz,
            week_start: 0,
        };
        // The DST day is 23 hours long.
        assert_eq!(p.end() - p.start(), 23 * 3600);
        assert_eq!(p.previous().days(), 1);
    }
}
