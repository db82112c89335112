// Word segmentation shared by search (written at capture time, applied again to queries) and the
// text analytics. Chinese runs go through jieba, which keeps words such as 发货, 客服 and 优惠券 whole,
// after traditional characters are folded to simplified (so 發票 finds 发票 and the other way round);
// everything else is split on Unicode word boundaries and lower-cased. Over-long runs (base64,
// hashes) are left out and at most MAX_SEARCH_CHARS characters are read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { toSimplified } from './chinese-script.js';
import { boundText, MAX_SEARCH_CHARS } from './text-bounds.js';

const require = createRequire(import.meta.url);
/**
 * jieba's dictionary (~5 MB), read when an instance is built and not kept (jieba holds its own
 * form). Read from its file: the package's `dict` module also reads the 6 MB IDF table, which
 * Rapport does not use, and keeps both for the life of the thread.
 */
const dict = (): Uint8Array => readFileSync(require.resolve('@node-rs/jieba/dict.txt'));

let jieba: Jieba | null = null;
/** Loaded on first use (~0.3 s), so start-up does not pay for it. */
export function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict());
  return jieba;
}

/**
 * Chinese product and platform names jieba's dictionary splits (微|信, 钉|钉): analytics loads them
 * as a user dictionary, together with the names a deployment configures.
 */
export const defaultUserWords: readonly string[] = [
  '微信', '企业微信', '钉钉', '飞书', '支付宝', '淘宝', '天猫', '京东', '抖音', '小红书', '拼多多', '美团',
  '小程序', '公众号',
];

const withUserWords = new Map<string, Jieba>();
// The same list object again (every message of a run passes the configured list) skips building
// the key: sorting a lexicon's worth of words at every message cost more than segmenting it.
const byList = new WeakMap<readonly string[], Jieba>();
let defaultWithUserWords: Jieba | null = null;
/** A jieba instance that also knows `userWords` (one instance per distinct list, kept). */
export function getJiebaWith(userWords: readonly string[]): Jieba {
  if (userWords.length === 0) return (defaultWithUserWords ??= jiebaFor(userWords));
  const known = byList.get(userWords);
  if (known) return known;
  const j = jiebaFor(userWords);
  byList.set(userWords, j);
  return j;
}

function jiebaFor(userWords: readonly string[]): Jieba {
  const words = [...new Set([...defaultUserWords, ...userWords].map((w) => w.trim()).filter(Boolean))].sort();
  const key = words.join('\n');
  let j = withUserWords.get(key);
  if (!j) {
    j = Jieba.withDict(dict());
    // A high frequency makes jieba prefer the whole name over its parts.
    j.loadDict(Buffer.from(words.map((w) => `${w.replace(/\s+/g, '')} 100000 nz`).join('\n')));
    withUserWords.set(key, j);
  }
  return j;
}

const HAN = /\p{Script=Han}/u;
const RUNS = /(\p{Script=Han}+)|([\p{L}\p{N}]+(?:['’.@_+-][\p{L}\p{N}]+)*)/gu;

/** Words of a text, lower-cased, in order; Chinese segmented by jieba, punctuation dropped. */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const m of toSimplified(boundText(text, MAX_SEARCH_CHARS, ' ')).matchAll(RUNS)) {
    if (m[1]) {
      for (const w of getJieba().cut(m[1], false)) if (HAN.test(w)) words.push(w);
    } else if (m[2]) {
      words.push(m[2].toLowerCase());
    }
  }
  return words;
}

/** The text stored in communications.search_text (a space-separated word list). */
export function searchTextOf(...parts: (string | null | undefined)[]): string {
  return segmentWords(parts.filter(Boolean).join('\n')).join(' ');
}
