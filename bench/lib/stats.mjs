// The engine's percentile, for the plain-JS baseline: linear interpolation between closest
// ranks (Hyndman–Fan type 7) with the rank computed in integers, as src/stats.rs does.

/** The `percent`-th percentile (integer 0–100) of ascending `sorted` integer seconds. */
export function percentileSorted(sorted, percent) {
  const n = sorted.length;
  const scaled = (n - 1) * percent;
  const lo = Math.floor(scaled / 100);
  const frac = scaled % 100;
  const a = sorted[lo];
  if (frac === 0) return a;
  const b = sorted[lo + 1];
  return a + ((b - a) * frac) / 100;
}

/** {count, median, p90} of integer seconds (reorders `values`, a typed array). */
export function summary(values) {
  if (values.length === 0) return null;
  values.sort();
  return {
    count: values.length,
    median: percentileSorted(values, 50),
    p90: percentileSorted(values, 90),
  };
}
