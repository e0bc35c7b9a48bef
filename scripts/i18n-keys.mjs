#!/usr/bin/env node
// Which translation keys the page uses, and which of them each catalog lacks.
//
//   node scripts/i18n-keys.mjs            report per language: missing, unused, placeholder
//                                         mismatches; exit 1 when a catalog misses a key
//   node scripts/i18n-keys.mjs --json     the same as JSON
//
// Keys come from `t('key', 'English', …)` / `.t("key", "English", …)` calls in www/**/*.js
// (www/pkg and www/locales excepted). A key written as a template literal (`kpi.${key}`) is a
// dynamic key: its prefix is expanded from the engine's sources where the engine defines the
// set (KPI keys and labels of src/kpi/catalogue.rs, catalogue sections, breakdown dimensions,
// insight kinds, buckets), and listed as "unchecked" otherwise. Catalogs are the tables exported
// by www/locales/*.js (see www/locales/index.js).
//
// tests/e2e/i18n-unit.test.mjs runs `audit()` and fails when a catalog misses a key, so a new
// string cannot go untranslated silently.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const SKIP_DIRS = new Set(['pkg', 'locales', 'node_modules']);

/** Every .js/.mjs file under www/ except the wasm glue and the catalogs themselves. */
async function sourceFiles(dir = WWW) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await sourceFiles(p)));
    } else if (/\.m?js$/.test(entry.name)) {
      out.push(p);
    }
  }
  return out.sort();
}

// ---- a small JavaScript string-literal reader ------------------------------------------------

const ESCAPES = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/**
 * Reads the string literal starting at `src[i]` (', " or `). Returns { value, end, dynamic }
 * where `dynamic` is true for a template literal with `${…}` (value = text before the first
 * `${`), or null when `src[i]` does not start a literal.
 */
function readLiteral(src, i) {
  const q = src[i];
  if (q !== "'" && q !== '"' && q !== '`') return null;
  let value = '';
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') {
      const n = src[j + 1];
      if (n === 'u') {
        const m = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})/.exec(src.slice(j + 1));
        if (m) {
          value += String.fromCodePoint(parseInt(m[1] || m[2], 16));
          j += 1 + m[0].length;
          continue;
        }
      }
      if (n === '\n') {
        j += 2;
        continue;
      }
      value += ESCAPES[n] ?? n;
      j += 2;
      continue;
    }
    if (q === '`' && c === '$' && src[j + 1] === '{') {
      // Skip to the closing backtick (nested templates are not expected in keys).
      let depth = 0;
      let k = j;
      for (; k < src.length; k++) {
        if (src[k] === '{') depth++;
        else if (src[k] === '}') depth--;
        else if (src[k] === '`' && depth === 0) break;
      }
      // One substitution: the static text after it is the key's suffix (`x.${q}_than_y`).
      const tail = src.slice(src.lastIndexOf('}', k) + 1, k);
      return {
        value,
        end: k + 1,
        dynamic: true,
        expr: src.slice(j + 2, src.lastIndexOf('}', k)),
        suffix: tail.includes('${') ? '' : tail,
      };
    }
    if (c === q) return { value, end: j + 1, dynamic: false };
    if (c === '\n' && q !== '`') return null;
    value += c;
    j++;
  }
  return null;
}

const skipSpace = (src, i) => {
  for (;;) {
    while (i < src.length && /\s/.test(src[i])) i++;
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? src.length : e + 2;
    } else {
      return i;
    }
  }
};

/** One argument that is a literal or literals joined by `+`; null when it is anything else. */
function readConcatenated(src, i) {
  const lit = readLiteral(src, i);
  if (!lit) return null;
  if (lit.dynamic) return lit;
  let value = lit.value;
  let dynamic = lit.dynamic;
  let end = lit.end;
  for (;;) {
    const k = skipSpace(src, end);
    if (src[k] !== '+') break;
    const next = readLiteral(src, skipSpace(src, k + 1));
    if (!next) return { value, end, dynamic: true };
    value += next.value;
    dynamic = dynamic || next.dynamic;
    end = next.end;
    if (dynamic) break;
  }
  return { value, end, dynamic };
}

/**
 * `src` with its comments blanked (newlines kept, so line numbers hold). String, template and
 * regular-expression literals are stepped over, so `'https://…'` is not a comment.
 */
export function stripComments(src) {
  let out = '';
  let i = 0;
  let prev = ''; // last significant character outside comments, for the regex-or-division guess
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') {
        out += ' ';
        i++;
      }
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let depth = 0;
      while (j < src.length) {
        if (src[j] === '\\') j += 2;
        else if (c === '`' && src[j] === '$' && src[j + 1] === '{') {
          depth++;
          j += 2;
        } else if (c === '`' && depth > 0 && src[j] === '}') {
          depth--;
          j++;
        } else if (src[j] === c && depth === 0) break;
        else j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '/' && (prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev))) {
      // A regular-expression literal.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[') (inClass = true), j++;
        else if (src[j] === ']') (inClass = false), j++;
        else if (src[j] === '/' && !inClass) break;
        else j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      prev = '/';
      continue;
    }
    if (!/\s/.test(c)) prev = /[\w$)\]]/.test(c) ? 'x' : c;
    out += c;
    i++;
  }
  return out;
}

/** The `t(…)` calls of one source text: [{ key, dynamic, english, line }]. */
export function scanSource(text) {
  const src = stripComments(text);
  const calls = [];
  const re = /(?<![\w$])t\s*\(/g;
  let m;
  while ((m = re.exec(src))) {
    // `function t(`, `t(key, …)` with an identifier: a definition or a forwarder, not a use.
    const before = src.slice(Math.max(0, m.index - 9), m.index);
    if (/function\s*$/.test(before)) continue;
    const i = skipSpace(src, m.index + m[0].length);
    const key = readConcatenated(src, i);
    const line = src.slice(0, m.index).split('\n').length;
    if (!key) {
      // A key computed at run time cannot be checked, unless this is a forwarder:
      // `const t = (k, en, vars) => locale.t(k, en, vars)`.
      const arg = /^[\w$]+/.exec(src.slice(i, i + 40))?.[0];
      const lineStart = src.lastIndexOf('\n', m.index) + 1;
      const params = /\(([^()]*)\)\s*=>\s*[\w$.#()]*$/.exec(src.slice(lineStart, m.index + 1).replace(/t\($/, ''));
      const forwarder = arg && params && params[1].split(',').map((p) => p.trim()).includes(arg);
      if (arg && !forwarder && !/^(key|english)$/.test(arg)) calls.push({ key: null, computed: arg, line });
      continue;
    }
    let english = null;
    let arg = '';
    const k = skipSpace(src, key.end);
    if (src[k] === ',') {
      const at = skipSpace(src, k + 1);
      const e = readConcatenated(src, at);
      if (e && !e.dynamic) english = e.value;
      else arg = /^[\w$.]+(?:\[[^\]]*\])?/.exec(src.slice(at, at + 80))?.[0] || '';
    }
    const call = { key: key.value, dynamic: key.dynamic, english, line };
    if (key.dynamic) {
      call.suffix = key.suffix || '';
      call.table = nearbyTable(src, m.index, key.expr || '', arg);
    }
    calls.push(call);
  }
  return calls;
}

/**
 * The English of a dynamic key's values, when the code spells them out just before the call:
 * `const names = { all: 'All data', … }; … t(`x.${p}`, names[p])` or
 * `for (const [k, en] of [['a', 'A…'], …]) … t(`x.${k}`, en)`. Returns Map(name → English) or
 * null. A falsy value with a default in the key (`${c || 'dataset'}`) maps '' to that default.
 */
function nearbyTable(src, at, expr, arg) {
  const before = src.slice(Math.max(0, at - 3000), at);
  const str = `'(?:[^'\\\\\\n]|\\\\.)*'`;
  const unq = (q) => (q.startsWith("'") ? readLiteral(q, 0).value : q);
  let body = null;
  let pairRe = null;
  const lookup = /^([\w$]+)\[/.exec(arg);
  if (lookup) {
    // `names[x]`: the last `names = { … }` before the call.
    const decl = [...before.matchAll(new RegExp(`\\b${lookup[1]}\\s*=\\s*\\{([^{}]*)\\}`, 'g'))].pop();
    if (decl) {
      body = decl[1];
      pairRe = new RegExp(`([\\w$]+|${str})\\s*:\\s*(${str})`, 'g');
    }
  } else if (/^[\w$]+$/.test(arg)) {
    // `en` destructured by `for (const [k, en] of [[…], …])`.
    const loop = [
      ...before.matchAll(
        new RegExp(`for\\s*\\(\\s*const\\s*\\[\\s*[\\w$]+\\s*,\\s*${arg}\\s*\\]\\s*of\\s*\\[([\\s\\S]*?)\\]\\s*\\)`, 'g'),
      ),
    ].pop();
    if (loop) {
      body = loop[1];
      pairRe = new RegExp(`\\[\\s*(${str})\\s*,\\s*(${str})\\s*\\]`, 'g');
    }
  }
  if (!body) return null;
  const table = new Map();
  const dflt = /\|\|\s*'([^']*)'/.exec(expr);
  for (const [, k, v] of body.matchAll(pairRe)) {
    let name = unq(k);
    if (name === '' && dflt) name = dflt[1];
    table.set(name, unq(v));
  }
  return table.size ? table : null;
}

// ---- what the engine defines ------------------------------------------------------------------

const enumVariants = (rust, name) => {
  const m = new RegExp(`pub enum ${name}\\s*\\{([\\s\\S]*?)\\n\\}`).exec(rust);
  if (!m) return [];
  return [...m[1].matchAll(/^\s*([A-Z]\w*),?\s*$/gm)].map((v) => v[1].toLowerCase());
};

/**
 * Key sets the engine defines, with their English where the engine has it:
 * { 'kpi.': Map(key → label), 'section.': Map, 'dim.': Map, 'insight.': Map, 'bucket.': Map }.
 */
export async function engineKeys() {
  const read = (p) => readFile(path.join(ROOT, p), 'utf8');
  const [catalogue, group, report, period, support] = await Promise.all([
    read('src/kpi/catalogue.rs'),
    read('src/kpi/group.rs'),
    read('src/report/mod.rs'),
    read('src/period.rs'),
    read('src/ingest/support.rs'),
  ]);
  const list = catalogue.slice(catalogue.indexOf('pub const CATALOGUE'));
  const catalogueKpis = new Map(
    [...list.matchAll(/def\(\s*"([a-z0-9_]+)",\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
  );
  // The import report's support list adds a few views to the KPIs (labelled as kpi.<key>).
  const viewList = support.slice(support.indexOf('const VIEWS'));
  const supportViews = new Map(
    [...viewList.slice(0, viewList.indexOf('];')).matchAll(/\(\s*"([a-z0-9_]+)",\s*"((?:[^"\\]|\\.)*)"/g)].map(
      (m) => [m[1], m[2]],
    ),
  );
  const kpis = new Map([...catalogueKpis, ...supportViews]);
  const fn = report.slice(report.indexOf('fn insights('));
  const body = fn.slice(0, fn.indexOf('\n}\n'));
  const kinds = [...new Set([...body.matchAll(/=>\s*"([a-z_]+)"/g)].map((m) => m[1]))];
  const map = (names) => new Map(names.map((n) => [n, null]));
  return {
    catalogueKpis,
    supportViews,
    'kpi.': kpis,
    'section.': map(enumVariants(catalogue, 'Section')),
    'dim.': map(enumVariants(group, 'Dimension')),
    'insight.': map(kinds),
    'bucket.': map(['auto', ...enumVariants(period, 'Bucket')]),
  };
}

// ---- catalogs ----------------------------------------------------------------------------------

/** { lang: table } from www/locales/index.js (which imports every catalog). */
export async function loadCatalogs() {
  const mod = await import(pathToFileURL(path.join(WWW, 'locales', 'index.js')).href);
  return mod.CATALOGS;
}

export const placeholders = (text) =>
  [...new Set([...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

// ---- the audit ---------------------------------------------------------------------------------

/**
 * {
 *   used: Map(key → { english, files: [file:line] }),   keys the page asks for
 *   dynamic: [{ prefix, where, expanded }],              template-literal keys
 *   conflicts: [{ key, englishes }],                     one key, different English
 *   langs: { tr: { missing, unused, placeholders, total } … }
 * }
 */
export async function audit() {
  const files = await sourceFiles();
  const used = new Map();
  const dynamic = [];
  const computed = []; // t(someVariable, …): keys only known at run time
  const conflicts = new Map();
  const engine = await engineKeys();
  // A dynamic key is expanded from the engine's set its last segment names:
  // `kpi.${k}`, `views.section.${s}`, `dim.${d}` / `x.dimension.${d}`, `insight.${kind}` …
  const SETS = {
    kpi: 'kpi.',
    kpis: 'kpi.',
    section: 'section.',
    sections: 'section.',
    dim: 'dim.',
    dimension: 'dim.',
    dimensions: 'dim.',
    insight: 'insight.',
    insights: 'insight.',
    bucket: 'bucket.',
    buckets: 'bucket.',
  };
  const engineSetOf = (prefix) => {
    const m = /(?:^|\.)([a-z]+)\.$/.exec(prefix);
    return m && SETS[m[1]] ? engine[SETS[m[1]]] : null;
  };
  const expandedPrefixes = new Map([['kpi.', engine['kpi.']]]);
  const uncheckedPrefixes = new Set();
  for (const file of files) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const src = await readFile(file, 'utf8');
    for (const call of scanSource(src)) {
      const where = `${rel}:${call.line}`;
      if (call.computed) {
        computed.push({ arg: call.computed, where });
        continue;
      }
      if (call.dynamic && call.suffix) {
        // `x.${q}_y`: any catalog key of that shape counts as used; nothing can be required.
        uncheckedPrefixes.add(`${call.key}*${call.suffix}`);
        dynamic.push({ prefix: `${call.key}*${call.suffix}`, where, expanded: false });
        continue;
      }
      if (call.dynamic) {
        // The engine's set where it defines one, with English from the nearby table if any.
        const engineSet = engineSetOf(call.key);
        let set = engineSet;
        if (engineSet && call.table) {
          set = new Map([...engineSet].map(([k, v]) => [k, call.table.get(k) ?? v]));
        } else if (!engineSet) set = call.table;
        dynamic.push({ prefix: call.key, where, expanded: Boolean(set) });
        if (set) {
          const had = expandedPrefixes.get(call.key);
          expandedPrefixes.set(call.key, had ? new Map([...set, ...had]) : set);
        } else uncheckedPrefixes.add(call.key);
        continue;
      }
      const seen = used.get(call.key);
      if (!seen) {
        used.set(call.key, { english: call.english, files: [where] });
      } else {
        seen.files.push(where);
        if (call.english != null && seen.english != null && call.english !== seen.english) {
          const c = conflicts.get(call.key) || new Set([seen.english]);
          c.add(call.english);
          conflicts.set(call.key, c);
        }
        if (seen.english == null) seen.english = call.english;
      }
    }
  }
  // Engine-defined sets: required once the page looks any of them up by prefix. The KPI labels
  // are required in every language whatever the page does today (the catalogue is the product).
  const required = new Map(used);
  for (const [prefix, set] of expandedPrefixes) {
    for (const [name, english] of set) {
      const key = prefix + name;
      if (!required.has(key)) required.set(key, { english, files: [`${prefix}* (dynamic)`] });
    }
  }

  const catalogs = await loadCatalogs();
  const langs = {};
  for (const [lang, table] of Object.entries(catalogs)) {
    const missing = [...required.keys()].filter((k) => !Object.hasOwn(table, k)).sort();
    const unused = Object.keys(table)
      .filter(
        (k) =>
          !required.has(k) &&
          ![...uncheckedPrefixes].some((p) => {
            const [pre, suf = ''] = p.split('*');
            return k.startsWith(pre) && k.endsWith(suf) && k.length >= pre.length + suf.length;
          }) &&
          !k.startsWith('unit.'), // units are looked up inside i18n.js (Locale.duration)
      )
      .sort();
    const mismatched = [];
    for (const [key, text] of Object.entries(table)) {
      const english = required.get(key)?.english;
      if (english == null) continue;
      const want = placeholders(english).join(',');
      const got = placeholders(text).join(',');
      if (want !== got) mismatched.push({ key, english, text, want, got });
      // Text joined to a value keeps its outer spaces ("Columns not used: " + list).
      const outer = (x) => `${/^\s/.test(x) ? 'space' : ''}…${/\s$/.test(x) ? 'space' : ''}`;
      if (outer(english) !== outer(text)) {
        mismatched.push({ key, english, text, want: outer(english), got: outer(text) });
      }
    }
    langs[lang] = { total: Object.keys(table).length, missing, unused, placeholders: mismatched };
  }
  return {
    used,
    required,
    dynamic,
    unchecked: [...uncheckedPrefixes].sort(),
    computed,
    conflicts: [...conflicts].map(([key, set]) => ({ key, englishes: [...set] })),
    langs,
  };
}

// ---- command line ------------------------------------------------------------------------------

async function main() {
  const json = process.argv.includes('--json');
  const a = await audit();
  if (json) {
    const out = {
      keysUsed: a.used.size,
      keysRequired: a.required.size,
      unchecked: a.unchecked,
      conflicts: a.conflicts,
      langs: a.langs,
      missingEnglish: Object.fromEntries(
        [...a.required].filter(([, v]) => v.english).map(([k, v]) => [k, v.english]),
      ),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    console.log(
      `${a.used.size} keys in t() calls, ${a.required.size} required with the engine's ` +
        `sets (${a.dynamic.length} dynamic lookups: ${[...new Set(a.dynamic.map((d) => d.prefix))].join(' ') || 'none'})`,
    );
    for (const c of a.computed) console.log(`computed key (unchecked): t(${c.arg}, …) at ${c.where}`);
    if (a.unchecked.length) {
      console.log(`dynamic prefixes the script cannot expand (unchecked): ${a.unchecked.join(' ')}`);
    }
    for (const c of a.conflicts) {
      console.log(`key ${c.key} has different English at different call sites: ${JSON.stringify(c.englishes)}`);
    }
    const langs = Object.keys(a.langs);
    for (const [lang, r] of Object.entries(a.langs)) {
      console.log(
        `[${lang}] ${r.total} entries, ${r.missing.length} missing, ${r.unused.length} unused, ` +
          `${r.placeholders.length} placeholder mismatches`,
      );
    }
    // Each problem once, with the languages it concerns.
    const group = (kind) => {
      const by = new Map();
      for (const lang of langs) {
        for (const k of kind(a.langs[lang])) by.set(k, [...(by.get(k) || []), lang]);
      }
      return [...by].sort(([x], [y]) => (x < y ? -1 : 1));
    };
    for (const [k, ls] of group((r) => r.missing)) {
      const u = a.required.get(k);
      console.log(`missing (${ls.join(' ')})  ${k}  ${JSON.stringify(u.english)}  ${u.files[0]}`);
    }
    for (const [k, ls] of group((r) => r.unused)) console.log(`unused (${ls.join(' ')})  ${k}`);
    for (const lang of langs) {
      for (const p of a.langs[lang].placeholders) {
        console.log(`vars (${lang})  ${p.key}: English {${p.want}}, translation {${p.got}}`);
      }
    }
  }
  const bad = Object.values(a.langs).some((r) => r.missing.length || r.placeholders.length);
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
