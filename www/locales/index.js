// Every catalog besides English (English is written at each t() call site). Importing this module
// registers them all; CATALOGS is for scripts/i18n-keys.mjs and the tests.
import { catalog as tr } from './tr.js';
import { catalog as fa } from './fa.js';
import { catalog as nl } from './nl.js';

export const CATALOGS = { tr, fa, nl };
