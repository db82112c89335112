// Names a deployment knows — customers, staff, companies, owners — as words to leave out of
// keywords. English names become their lower-case words (and the word without a plural s, as the
// lemmatizer would have it: "Traders" → trader); Chinese names are kept whole and by the parts
// jieba tags as proper nouns (华信科技 → 华信; a common word such as 科技 stays a possible keyword).
// Handles such as "li.na" or "sam.lee@…" (owners, staff mail) give their parts.
import { toSimplified } from './chinese-script.js';
import { getJieba } from './segment.js';

export interface KnownNames {
  /** People and companies by name ("Emily Carter", "华信科技", "Blue Peak Outfitters"). */
  names: readonly string[];
  /** Owner handles and staff addresses ("li.na", "sam.lee@ours.example"): only first.last forms count. */
  handles?: readonly string[];
}

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[\p{L}\p{N}]+/gu;
const PROPER = new Set(['nr', 'nrfg', 'nrt', 'ns', 'nt', 'nz']);

export function nameWords(known: KnownNames): Set<string> {
  const out = new Set<string>();
  const addLatin = (w: string) => {
    const word = w.toLowerCase();
    if (word.length < 2 || HAN.test(word) || /^\d+$/.test(word)) return;
    out.add(word);
    if (/[^s]s$/.test(word)) out.add(word.slice(0, -1));
  };
  for (const raw of known.names) {
    const name = toSimplified(raw.normalize('NFKC'));
    for (const run of name.match(HAN_RUN) ?? []) {
      if (run.length >= 2) out.add(run);
      for (const { word, tag } of getJieba().tag(run, false)) if (word.length >= 2 && PROPER.has(tag)) out.add(word);
    }
    for (const w of name.replace(HAN_RUN, ' ').match(LATIN_WORD) ?? []) addLatin(w);
  }
  for (const handle of known.handles ?? []) {
    const local = handle.split('@')[0] ?? '';
    if (!/[._-]/.test(local)) continue;
    for (const w of local.split(/[._-]+/)) addLatin(w);
  }
  return out;
}
