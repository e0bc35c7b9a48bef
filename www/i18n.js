// Languages and formatting for the widget: English, Turkish, Persian and Dutch.
//
// Every user-visible string goes through `t(key, english, vars)`: the English text is written at
// the call site (so the code reads naturally and English never goes missing), and the other
// languages come from the catalogs in `./locales/*.js`, looked up by key. `{name}` placeholders
// are filled from `vars`; numbers in `vars` are formatted in the active language first.
//
// A `Locale` object carries everything language-dependent: the catalog, number/date formatting
// (Persian digits for fa, Solar Hijri dates as an option), the writing direction and the week
// start. Widgets on one page may use different languages, so nothing here is global state except
// the catalog registry.

const catalogs = { en: {} };

/** Registers the catalog of `lang` (key → text). Called by `./locales/*.js`. */
export function registerCatalog(lang, table) {
  catalogs[lang] = { ...(catalogs[lang] || {}), ...table };
}

/** Languages the widget speaks. */
export const LANGUAGES = ['en', 'tr', 'fa', 'nl'];

/** First day of the week per language: 0 = Monday … 6 = Sunday (Saturday for Persian). */
export const WEEK_START = { en: 6, tr: 0, fa: 5, nl: 0 };

/** Picks a supported language from a BCP 47 tag or a list of them (navigator.languages). */
export function pickLanguage(tags) {
  const list = Array.isArray(tags) ? tags : [tags];
  for (const tag of list) {
    const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/**
 * Everything language-dependent for one widget.
 * `options.calendar` may be 'gregorian' (default) or 'persian' (Solar Hijri dates).
 */
export class Locale {
  constructor(lang = 'en', options = {}) {
    this.lang = LANGUAGES.includes(lang) ? lang : 'en';
    this.calendar = options.calendar === 'persian' ? 'persian' : 'gregorian';
    // Persian uses Persian digits; the others Latin digits.
    this.tag = { en: 'en-US', tr: 'tr-TR', fa: 'fa-IR', nl: 'nl-NL' }[this.lang];
    const cal = this.calendar === 'persian' ? '-u-ca-persian' : '-u-ca-gregory';
    this.dateTag = this.tag + cal;
    this.dir = this.lang === 'fa' ? 'rtl' : 'ltr';
    this.weekStart = WEEK_START[this.lang];
    this._int = new Intl.NumberFormat(this.tag, { maximumFractionDigits: 0 });
    this._dec = new Intl.NumberFormat(this.tag, { maximumFractionDigits: 2 });
    this._pct = new Intl.NumberFormat(this.tag, { style: 'percent', maximumFractionDigits: 1 });
    this._day = new Intl.DateTimeFormat(this.dateTag, { dateStyle: 'medium', timeZone: 'UTC' });
  }

  /** The text of `key` in this language, else `english`, with `{name}` filled from `vars`. */
  t(key, english, vars) {
    const table = catalogs[this.lang] || {};
    const text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : english;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (m, name) => {
      if (!(name in vars)) return m;
      const v = vars[name];
      return typeof v === 'number' ? this.number(v) : String(v);
    });
  }

  /** A whole number, grouped ("1,234", "۱٬۲۳۴"). */
  integer(n) {
    return n == null || !Number.isFinite(n) ? '—' : this._int.format(n);
  }

  /** A number with up to two decimals. */
  number(n) {
    return n == null || !Number.isFinite(n) ? '—' : this._dec.format(n);
  }

  /** A percentage given as 0–100. */
  percent(p) {
    return p == null || !Number.isFinite(p) ? '—' : this._pct.format(p / 100);
  }

  /** Seconds as "45 s", "22 min", "2 h 15 min", "3 d 4 h" (units translated). */
  duration(seconds) {
    if (seconds == null || !Number.isFinite(seconds)) return '—';
    const u = {
      s: this.t('unit.s', 's'),
      min: this.t('unit.min', 'min'),
      h: this.t('unit.h', 'h'),
      d: this.t('unit.d', 'd'),
    };
    const n = (x) => this._int.format(x);
    const s = Math.max(0, seconds);
    if (Math.round(s) < 60) return `${n(Math.round(s))} ${u.s}`;
    const minutes = Math.round(s / 60);
    if (minutes < 60) return `${n(minutes)} ${u.min}`;
    if (minutes < 48 * 60) {
      const h = Math.floor(minutes / 60);
      const m = minutes % 60;
      return m ? `${n(h)} ${u.h} ${n(m)} ${u.min}` : `${n(h)} ${u.h}`;
    }
    const hours = Math.round(s / 3600);
    const d = Math.floor(hours / 24);
    const h = hours % 24;
    return h ? `${n(d)} ${u.d} ${n(h)} ${u.h}` : `${n(d)} ${u.d}`;
  }

  /** A date given as `YYYY-MM-DD` (a calendar day, not an instant), in this calendar. */
  day(iso) {
    const d = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? String(iso) : this._day.format(d);
  }

  /** A range of two `YYYY-MM-DD` days. */
  dayRange(from, to) {
    const a = new Date(`${from}T00:00:00Z`);
    const b = new Date(`${to}T00:00:00Z`);
    if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${from} – ${to}`;
    return typeof this._day.formatRange === 'function'
      ? this._day.formatRange(a, b)
      : `${this.day(from)} – ${this.day(to)}`;
  }

  /** Weekday names in this language, starting from `weekStart` (0 = Monday). */
  weekdays(weekStart = this.weekStart, style = 'short') {
    // Asked for on every report (chart labels): an Intl formatter is slow to make, so the names
    // are made once per start day and style.
    this._weekdays ||= new Map();
    const key = `${weekStart}:${style}`;
    if (!this._weekdays.has(key)) {
      const f = new Intl.DateTimeFormat(this.tag, { weekday: style, timeZone: 'UTC' });
      // 2024-01-01 was a Monday.
      this._weekdays.set(
        key,
        Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + ((weekStart + i) % 7))))),
      );
    }
    return [...this._weekdays.get(key)];
  }

  /** A KPI value in its unit ('count', 'seconds', 'percent', 'score', 'number', 'money'). */
  value(unit, v) {
    switch (unit) {
      case 'seconds':
        return this.duration(v);
      case 'percent':
        return this.percent(v);
      case 'count':
        return this.integer(v);
      default:
        return this.number(v);
    }
  }
}
