// Timezone arithmetic for the peers (the engine does its own): the UTC offset of an IANA zone
// at an instant, from the browser's Intl, cached per quarter hour (every tzdb transition falls
// on a quarter hour), and the local-day helpers the KPI set needs. Times are Unix seconds.

const DAY = 86_400;
const SLOT = 900;

/** `offset(t)`: seconds to add to UTC instant `t` to get local wall time in `timeZone`. */
export function offsetFn(timeZone) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map();
  const exact = (t) => {
    const p = {};
    for (const { type, value } of fmt.formatToParts(new Date(t * 1000))) p[type] = value;
    const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) / 1000;
    return local - t;
  };
  return (t) => {
    const slot = Math.floor(t / SLOT);
    let o = cache.get(slot);
    if (o === undefined) {
      o = exact(slot * SLOT);
      cache.set(slot, o);
    }
    return o;
  };
}

/** Local-day helpers for one zone: day number of an instant, instant of a local midnight. */
export function calendar(timeZone) {
  const offset = offsetFn(timeZone);
  const localDay = (t) => Math.floor((t + offset(t)) / DAY);
  const dayStart = (d) => {
    const wall = d * DAY;
    let t = wall - offset(wall);
    t = wall - offset(t);
    return t;
  };
  return { offset, localDay, dayStart };
}

/** `YYYY-MM-DD` of day number `d` (days since 1970-01-01). */
export function dayLabel(d) {
  return new Date(d * DAY * 1000).toISOString().slice(0, 10);
}

/**
 * The offset changes between `from` and `to` (seconds), as [[start, offset], …] with the first
 * entry covering `from`: lets SQL engines without a timezone database cut local days.
 */
export function transitions(timeZone, from, to) {
  const offset = offsetFn(timeZone);
  const out = [[-Infinity, offset(from)]];
  const step = 6 * 3600;
  for (let t = Math.floor(from / step) * step; t < to + step; t += step) {
    const before = out[out.length - 1][1];
    if (offset(t + step) === before) continue;
    // Binary search the first quarter hour with the new offset.
    let lo = t;
    let hi = t + step;
    while (hi - lo > SLOT) {
      const mid = lo + Math.floor((hi - lo) / SLOT / 2) * SLOT;
      if (offset(mid) === before) lo = mid;
      else hi = mid;
    }
    out.push([hi, offset(hi)]);
  }
  return out;
}
