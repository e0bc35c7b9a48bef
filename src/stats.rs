//! Exact order statistics and the mergeable accumulators every KPI is built from.

use serde::Serialize;

/// Median, p90 and mean of a set of durations (seconds), with the count behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Number of values.
    pub count: usize,
    /// 50th percentile.
    pub median: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

/// The `percent`-th percentile of sorted values by linear interpolation between closest ranks
/// (Hyndman–Fan type 7: numpy's default and Excel's PERCENTILE.INC). Exact, no sketch: the
/// rank is computed in integers so p90 of 60…32400 is 20880, not 20880.000000000004.
pub fn percentile_sorted(sorted: &[i64], percent: u32) -> f64 {
    assert!(!sorted.is_empty(), "percentile of no values");
    let scaled = (sorted.len() as u64 - 1) * percent.min(100) as u64;
    let lo = (scaled / 100) as usize;
    let frac = scaled % 100;
    let a = sorted[lo];
    if frac == 0 {
        return a as f64;
    }
    let b = sorted[lo + 1];
    a as f64 + ((b - a) as i128 * frac as i128) as f64 / 100.0
}

/// The same percentile as [`percentile_sorted`], by selection on unsorted values (reorders
/// them).
pub fn percentile_select(values: &mut [i64], percent: u32) -> f64 {
    assert!(!values.is_empty(), "percentile of no values");
    let scaled = (values.len() as u64 - 1) * percent.min(100) as u64;
    let lo = (scaled / 100) as usize;
    let frac = scaled % 100;
    let (_, &mut a, right) = values.select_nth_unstable(lo);
    if frac == 0 {
        return a as f64;
    }
    let b = *right
        .iter()
        .min()
        .expect("an element above a fractional rank");
    a as f64 + ((b - a) as i128 * frac as i128) as f64 / 100.0
}

/// [`percentile_select`] of `n` values of which `tail` holds those of rank `offset` and
/// above (in any order), when the percentile's lower rank is at least `offset`.
fn percentile_select_from(tail: &mut [i64], offset: usize, n: usize, percent: u32) -> f64 {
    let scaled = (n as u64 - 1) * percent.min(100) as u64;
    let lo = (scaled / 100) as usize;
    let frac = scaled % 100;
    debug_assert!(lo >= offset && lo - offset < tail.len());
    let (_, &mut a, right) = tail.select_nth_unstable(lo - offset);
    if frac == 0 {
        return a as f64;
    }
    let b = *right
        .iter()
        .min()
        .expect("an element above a fractional rank");
    a as f64 + ((b - a) as i128 * frac as i128) as f64 / 100.0
}

thread_local! {
    /// The copy selections reorder. Kept between calls: a report selects in hundreds of bags,
    /// at 1M tickets several of 8 MB, and a fresh allocation for each is page faults and
    /// copies.
    static SCRATCH: std::cell::RefCell<Vec<i64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Calls `f` on a copy of `values` that it may reorder.
fn with_copy<T>(values: &[i64], f: impl FnOnce(&mut [i64]) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut v) => {
            v.clear();
            v.extend_from_slice(values);
            f(&mut v)
        }
        // Not reentrant in practice; a fresh copy keeps it correct if it ever is.
        Err(_) => f(&mut values.to_vec()),
    })
}

/// A mergeable bag of durations in seconds. Kept exact: values are stored and sorted once
/// when summarised (a few bytes per ticket; 1M tickets = 8 MB).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    values: Vec<i64>,
}

impl Durations {
    /// Adds one duration.
    pub fn push(&mut self, seconds: i64) {
        self.values.push(seconds);
    }
    /// Adds all of another bag (the merge step of partial aggregates).
    pub fn merge(&mut self, other: &Durations) {
        self.values.extend_from_slice(&other.values);
    }
    /// Number of durations.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// The values (unsorted).
    pub fn values(&self) -> &[i64] {
        &self.values
    }
    /// Median, p90 and mean; `None` when empty. Exact, by selection (linear time) rather than
    /// a full sort: reports summarise hundreds of these bags.
    pub fn summary(&self) -> Option<Summary> {
        if self.values.is_empty() {
            return None;
        }
        let sum: i128 = self.values.iter().map(|&x| x as i128).sum();
        let n = self.values.len();
        let (median, p90) = with_copy(&self.values, |v| {
            let median = percentile_select(v, 50);
            // The p90 rank is at or above the median's, and selecting the median left every
            // value above its rank to its right: select p90 among those alone.
            let lo = (n - 1) * 50 / 100;
            let p90 = if (n - 1) * 90 / 100 > lo {
                percentile_select_from(&mut v[lo + 1..], lo + 1, n, 90)
            } else {
                percentile_select(v, 90)
            };
            (median, p90)
        });
        Some(Summary {
            count: n,
            median,
            p90,
            mean: sum as f64 / n as f64,
        })
    }
    /// The median alone (the `median` of [`Durations::summary`]); `None` when empty.
    pub fn median(&self) -> Option<f64> {
        (!self.values.is_empty()).then(|| with_copy(&self.values, |v| percentile_select(v, 50)))
    }
    /// Counts per half-open bucket `[edges[i], edges[i+1])`, the last bucket open-ended.
    pub fn histogram(&self, edges: &[i64]) -> Vec<usize> {
        let mut out = vec![0; edges.len()];
        for &v in &self.values {
            let i = edges.partition_point(|&e| e <= v);
            if i > 0 {
                out[i - 1] += 1;
            }
        }
        out
    }
}

/// A ratio of sums, with both sides kept so the page can show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ratio {
    /// Numerator (e.g. satisfied ratings).
    pub numerator: u64,
    /// Denominator (e.g. all ratings).
    pub denominator: u64,
}

impl Ratio {
    /// Adds one observation.
    pub fn add(&mut self, hit: bool) {
        self.denominator += 1;
        self.numerator += hit as u64;
    }
    /// Merges another ratio (sums both sides).
    pub fn merge(&mut self, o: Ratio) {
        self.numerator += o.numerator;
        self.denominator += o.denominator;
    }
    /// The ratio in percent, `None` when the denominator is zero.
    pub fn percent(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_type7() {
        let v = [10, 20, 30, 40];
        assert_eq!(percentile_sorted(&v, 50), 25.0);
        assert_eq!(percentile_sorted(&v, 90), 37.0);
        assert_eq!(percentile_sorted(&[7], 90), 7.0);
        assert_eq!(
            percentile_sorted(&[60, 300, 1800, 3600, 32400], 90),
            20880.0
        );
        let mut d = Durations::default();
        for x in [300, 60, 120] {
            d.push(x);
        }
        let s = d.summary().unwrap();
        assert_eq!((s.count, s.median, s.p90, s.mean), (3, 120.0, 264.0, 160.0));
    }

    #[test]
    fn selection_equals_sorting() {
        let mut state = 12345u64;
        for n in 1..200 {
            let v: Vec<i64> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 40) as i64 % 1000
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_unstable();
            for p in [0, 10, 50, 90, 99, 100] {
                let mut w = v.clone();
                assert_eq!(percentile_select(&mut w, p), percentile_sorted(&sorted, p));
            }
        }
    }

    #[test]
    fn summary_and_median_equal_sorted_percentiles() {
        let mut state = 99u64;
        for n in 1..300 {
            let mut d = Durations::default();
            for _ in 0..n {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Few distinct values too, so ties around the ranks are exercised.
                d.push((state >> 40) as i64 % if n % 2 == 0 { 7 } else { 100_000 });
            }
            let mut sorted = d.values().to_vec();
            sorted.sort_unstable();
            let s = d.summary().unwrap();
            assert_eq!(s.median, percentile_sorted(&sorted, 50), "n = {n}");
            assert_eq!(s.p90, percentile_sorted(&sorted, 90), "n = {n}");
            assert_eq!(d.median(), Some(s.median));
        }
        assert_eq!(Durations::default().median(), None);
    }

    #[test]
    fn histogram_edges() {
        let mut d = Durations::default();
        for x in [0, 3599, 3600, 90_000, 14_400] {
            d.push(x);
        }
        assert_eq!(
            d.histogram(&[0, 3600, 14_400, 28_800, 86_400]),
            vec![2, 1, 1, 0, 1]
        );
    }

    #[test]
    fn ratio_of_sums() {
        let mut a = Ratio::default();
        a.add(true);
        a.add(false);
        let mut b = Ratio::default();
        b.add(true);
        a.merge(b);
        assert_eq!(a.percent().map(|p| (p * 100.0).round()), Some(6667.0));
        assert_eq!(Ratio::default().percent(), None);
    }
}
