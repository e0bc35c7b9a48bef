//! Reporting periods and time buckets, cut on local dates in the report timezone.
//!
//! Buckets are defined by local calendar days, so a day is a day even when DST makes it 23 or
//! 25 hours long, and a Tehran week starts on a Tehran Saturday.

use crate::error::{Error, Result};
use crate::time::{self, civil_from_days, days_from_civil, Seconds};
use crate::tz::Tz;
use serde::Serialize;

/// Bucket size for series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// Clock hours.
    Hour,
    /// Calendar days.
    #[default]
    Day,
    /// Weeks starting on the locale's first day.
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

impl Bucket {
    /// Reads `hour`, `day`, `week`, `month`, `quarter`, `year`; `auto`/empty gives `None`
    /// (chosen from the span).
    pub fn parse(s: &str) -> Result<Option<Bucket>> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(None),
            "hour" => Ok(Some(Bucket::Hour)),
            "day" => Ok(Some(Bucket::Day)),
            "week" => Ok(Some(Bucket::Week)),
            "month" => Ok(Some(Bucket::Month)),
            "quarter" => Ok(Some(Bucket::Quarter)),
            "year" => Ok(Some(Bucket::Year)),
            other => Err(Error::Option(format!(
                "unknown bucket {}: expected hour, day, week, month, quarter, year or auto",
                time::quote(other)
            ))),
        }
    }

    /// The size that gives a readable number of bars for a span of `days`.
    pub fn auto(days: i64) -> Bucket {
        match days {
            ..=2 => Bucket::Hour,
            3..=45 => Bucket::Day,
            46..=182 => Bucket::Week,
            183..=731 => Bucket::Month,
            _ => Bucket::Quarter,
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
    /// The period of equal length just before this one (see [`Period::shifted_back`]).
    pub fn previous(&self) -> Period {
        self.shifted_back(1)
    }
    /// The local day of a UTC instant.
    pub fn local_day(&self, t: Seconds) -> i64 {
        time::utc_to_local(t, self.tz).div_euclid(86_400)
    }
    /// Bucket starts covering the period as local seconds (the first may begin before the
    /// period; hours are wall-clock hours, so a DST day has 23 or 25 of them... minus the one
    /// that does not exist, which becomes an empty bucket).
    pub fn buckets(&self, bucket: Bucket) -> Vec<i64> {
        let mut out = Vec::new();
        if bucket == Bucket::Hour {
            for day in self.first_day..self.end_day {
                out.extend((0..24).map(|h| day * 86_400 + h * 3600));
            }
            return out;
        }
        let mut d = bucket_start(self.first_day, bucket, self.week_start);
        while d < self.end_day {
            out.push(d * 86_400);
            d = next_bucket(d, bucket);
        }
        out
    }

    /// UTC edges and labels of the period's buckets, clipped to the period: `edges[0]` is the
    /// period start, the last edge its end; labels name each bucket's own start.
    pub fn bucket_edges(&self, bucket: Bucket) -> (Vec<Seconds>, Vec<String>) {
        let starts = self.buckets(bucket);
        let lo = self.first_day * 86_400;
        let hi = self.end_day * 86_400;
        let mut edges: Vec<Seconds> = starts
            .iter()
            .map(|&s| time::local_to_utc(s.max(lo), self.tz))
            .collect();
        edges.push(time::local_to_utc(hi, self.tz));
        let labels = starts.iter().map(|&s| bucket_label(s, bucket)).collect();
        (edges, labels)
    }

    /// The period `k` steps back, of the same length — or, when the period is whole calendar
    /// months (quarters, years), the same number of calendar months back.
    pub fn shifted_back(&self, k: i64) -> Period {
        let (y0, m0, d0) = civil_from_days(self.first_day);
        let (y1, m1, d1) = civil_from_days(self.end_day);
        if d0 == 1 && d1 == 1 {
            let months = (y1 - y0) * 12 + (m1 as i64 - m0 as i64);
            let back = |y: i64, m: u32| {
                let idx = y * 12 + (m as i64 - 1) - months * k;
                days_from_civil(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32, 1)
            };
            return Period {
                first_day: back(y0, m0),
                end_day: back(y1, m1),
                ..*self
            };
        }
        Period {
            first_day: self.first_day - self.days() * k,
            end_day: self.end_day - self.days() * k,
            ..*self
        }
    }
}

/// First day of the bucket holding local day `day`.
pub fn bucket_start(day: i64, bucket: Bucket, week_start: u8) -> i64 {
    match bucket {
        Bucket::Hour | Bucket::Day => day,
        Bucket::Week => {
            // 1970-01-01 was a Thursday (3 when Monday is 0).
            let weekday = (day + 3).rem_euclid(7);
            day - (weekday - week_start as i64).rem_euclid(7)
        }
        Bucket::Month => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, m, 1)
        }
        Bucket::Quarter => {
            let (y, m, _) = civil_from_days(day);
            days_from_civil(y, (m - 1) / 3 * 3 + 1, 1)
        }
        Bucket::Year => {
            let (y, _, _) = civil_from_days(day);
            days_from_civil(y, 1, 1)
        }
    }
}

/// First day of the bucket after the one starting at `start`.
pub fn next_bucket(start: i64, bucket: Bucket) -> i64 {
    match bucket {
        Bucket::Hour | Bucket::Day => start + 1,
        Bucket::Week => start + 7,
        Bucket::Month | Bucket::Quarter => {
            let (y, m, _) = civil_from_days(start);
            let step = if bucket == Bucket::Month { 1 } else { 3 };
            let idx = y * 12 + (m as i64 - 1) + step;
            days_from_civil(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32, 1)
        }
        Bucket::Year => {
            let (y, _, _) = civil_from_days(start);
            days_from_civil(y + 1, 1, 1)
        }
    }
}

/// Label of a bucket starting at local second `start`: `2026-03-02 09:00` for hours,
/// `2026-03-02` for days and weeks (the week's first day), `2026-03`, `2026-Q1`, `2026`.
pub fn bucket_label(start: i64, bucket: Bucket) -> String {
    let (y, m, d) = civil_from_days(start.div_euclid(86_400));
    match bucket {
        Bucket::Hour => format!(
            "{y:04}-{m:02}-{d:02} {:02}:00",
            start.rem_euclid(86_400) / 3600
        ),
        Bucket::Day | Bucket::Week => format!("{y:04}-{m:02}-{d:02}"),
        Bucket::Month => format!("{y:04}-{m:02}"),
        Bucket::Quarter => format!("{y:04}-Q{}", (m - 1) / 3 + 1),
        Bucket::Year => format!("{y:04}"),
    }
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn day_string(day: i64) -> String {
    bucket_label(day * 86_400, Bucket::Day)
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
        // The DST day is 23 hours long; its 02:00 hour does not exist and stays empty.
        assert_eq!(p.end() - p.start(), 23 * 3600);
        assert_eq!(p.previous().days(), 1);
        let (edges, labels) = p.bucket_edges(Bucket::Hour);
        assert_eq!(edges.len(), 25);
        assert_eq!(labels[2], "2026-03-29 02:00");
        assert_eq!(edges[3] - edges[2], 0);
    }

    #[test]
    fn previous_calendar_month() {
        let tz: Tz = "UTC".parse().unwrap();
        let march = Period {
            first_day: days_from_civil(2026, 3, 1),
            end_day: days_from_civil(2026, 4, 1),
            tz,
            week_start: 0,
        };
        let feb = march.previous();
        assert_eq!(
            (feb.first_day, feb.end_day),
            (days_from_civil(2026, 2, 1), days_from_civil(2026, 3, 1))
        );
        let q = Period {
            first_day: days_from_civil(2026, 1, 1),
            end_day: days_from_civil(2026, 4, 1),
            ..march
        };
        assert_eq!(q.shifted_back(2).first_day, days_from_civil(2025, 7, 1));
        let week = Period {
            first_day: days_from_civil(2026, 3, 2),
            end_day: days_from_civil(2026, 3, 9),
            ..march
        };
        assert_eq!(week.previous().first_day, days_from_civil(2026, 2, 23));
    }
}
