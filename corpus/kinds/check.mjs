#!/usr/bin/env node
// Validate a message-kind corpus file and print its label distribution.
//
//   node corpus/kinds/check.mjs corpus/kinds/train.tsv            # report
//   node corpus/kinds/check.mjs corpus/kinds/train.tsv --markdown # also print README tables
//
// Exits 1 if any line is malformed (wrong header, column count, unknown label,
// label combination outside the guidelines, text too short/long, duplicate text).
// Near-duplicates (same first 25 normalised characters) and length outliers are
// printed as warnings only. No dependencies.

import { readFileSync } from "node:fs";

const HEADER = "lang\tkind\tsentiment\ttext";
const LANGS = ["en", "zh"];
const KINDS = ["feedback", "question", "issue", "complaint", "praise", "other"];
const SENTS = ["neg", "neu", "pos"];
// sentiments each kind may take (see README, "Sentiment")
const ALLOWED_SENT = {
  complaint: ["neg"],
  praise: ["pos"],
  issue: ["neu", "neg"],
  question: SENTS,
  feedback: SENTS,
  other: SENTS,
};
const MIN_LEN = 3;
const SOFT_MAX_LEN = 600;
const HARD_MAX_LEN = 800;
const MIN_KIND_SHARE = 0.12;
const NEAR_PREFIX = 25;

// characters that exist only in Traditional Chinese (their Simplified forms differ)
const TRAD = new Set(
  "發貨這們個時會說請謝麼為還沒過東單號訂費價錢買賣問題應該後裡來對嗎幫處" +
    "開關門間聯繫電話動務寫讀認識經濟業產種樣點幾給現實際機構網頁帳戶銀碼確內" +
    "運輸長與變讓線檢測試驗據標準無雙倉庫頭陸島貴廠轉總員製護險醫療藥師課學視體" +
    "結術廣場劃週數夠預約飯館廳麵雞魚湯換壞損傷邊遲誤負責態卻幣簽"
);

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const markdown = args.includes("--markdown");
if (!file) {
  console.error("usage: node check.mjs <file.tsv> [--markdown]");
  process.exit(2);
}

const raw = readFileSync(file, "utf8");
const errors = [];
const warnings = [];
const err = (n, msg) => errors.push(`line ${n}: ${msg}`);
const warn = (n, msg) => warnings.push(`line ${n}: ${msg}`);

if (raw.includes("\r")) errors.push("file contains carriage returns (use \\n for line breaks inside text)");
if (raw.charCodeAt(0) === 0xfeff) errors.push("file starts with a byte-order mark");
const lines = raw.split("\n");
if (lines[lines.length - 1] === "") lines.pop();
else errors.push("file does not end with a newline");
if (lines[0] !== HEADER) err(1, `header must be exactly ${JSON.stringify(HEADER)}, got ${JSON.stringify(lines[0])}`);

const rows = [];
const seenExact = new Map();
const seenNorm = new Map();
const seenPrefix = new Map();
const norm = (t) => t.toLowerCase().replace(/\\n/g, " ").replace(/[\s\p{P}\p{S}]+/gu, "");

for (let i = 1; i < lines.length; i++) {
  const n = i + 1;
  const line = lines[i];
  if (line.trim() === "") {
    err(n, "empty line");
    continue;
  }
  const cols = line.split("\t");
  if (cols.length !== 4) {
    err(n, `expected 4 tab-separated columns, got ${cols.length}`);
    continue;
  }
  const [lang, kind, sentiment, text] = cols;
  let ok = true;
  for (const [value, allowed, what] of [[lang, LANGS, 'lang'], [kind, KINDS, 'kind'], [sentiment, SENTS, 'sentiment']]) {
    if (!allowed.includes(value)) {
      err(n, `unknown ${what} ${JSON.stringify(value)}`);
      ok = false;
    }
  }
  if (ok && !ALLOWED_SENT[kind].includes(sentiment)) err(n, `${kind} cannot be ${sentiment}`);
  const len = [...text].length;
  if (len < MIN_LEN) err(n, `text shorter than ${MIN_LEN} characters`);
  if (len > HARD_MAX_LEN) err(n, `text longer than ${HARD_MAX_LEN} characters (${len})`);
  else if (len > SOFT_MAX_LEN) warn(n, `text longer than ${SOFT_MAX_LEN} characters (${len})`);
  if (text !== text.trim()) warn(n, "text has leading/trailing whitespace");
  if (lang === "zh" && !/\p{Script=Han}/u.test(text)) warn(n, "zh message without Chinese characters");

  if (seenExact.has(text)) err(n, `duplicate of line ${seenExact.get(text)}`);
  else seenExact.set(text, n);
  const nt = norm(text);
  if (seenNorm.has(nt) && seenExact.get(text) === n) err(n, `duplicate (ignoring case/punctuation) of line ${seenNorm.get(nt)}`);
  else if (!seenNorm.has(nt)) seenNorm.set(nt, n);
  const prefix = [...nt].slice(0, NEAR_PREFIX).join("");
  if ([...nt].length >= NEAR_PREFIX) {
    if (seenPrefix.has(prefix)) warn(n, `near-duplicate: same first ${NEAR_PREFIX} characters as line ${seenPrefix.get(prefix)}`);
    else seenPrefix.set(prefix, n);
  }
  if (ok) rows.push({ lang, kind, sentiment, text, len });
}

// ---- distribution ----
const count = (f) => rows.filter(f).length;
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + "%" : "-");

function table(md) {
  const out = [];
  const head = ["lang", "kind", ...SENTS, "total", "share of lang"];
  if (md) out.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
  else out.push(head.map((h) => h.padEnd(10)).join(""));
  for (const lang of LANGS) {
    const langTotal = count((r) => r.lang === lang);
    for (const kind of KINDS) {
      const cells = SENTS.map((s) => count((r) => r.lang === lang && r.kind === kind && r.sentiment === s));
      const tot = cells.reduce((a, b) => a + b, 0);
      const row = [lang, kind, ...cells, tot, pct(tot, langTotal)];
      out.push(md ? `| ${row.join(" | ")} |` : row.map((c) => String(c).padEnd(10)).join(""));
    }
    const cells = SENTS.map((s) => count((r) => r.lang === lang && r.sentiment === s));
    const row = [lang, "**all**", ...cells, langTotal, pct(langTotal, rows.length)];
    out.push(md ? `| ${row.join(" | ")} |` : row.map((c) => String(c).replace(/\*/g, "").padEnd(10)).join(""));
  }
  const cells = SENTS.map((s) => count((r) => r.sentiment === s));
  const row = ["all", "**all**", ...cells, rows.length, "100%"];
  out.push(md ? `| ${row.join(" | ")} |` : row.map((c) => String(c).replace(/\*/g, "").padEnd(10)).join(""));
  return out.join("\n");
}

console.log(`${file}: ${lines.length - 1} data lines, ${rows.length} well-formed\n`);
console.log(table(false));

for (const lang of LANGS) {
  const langTotal = count((r) => r.lang === lang);
  for (const kind of KINDS) {
    const c = count((r) => r.lang === lang && r.kind === kind);
    if (langTotal && c / langTotal < MIN_KIND_SHARE)
      warnings.push(`${lang}/${kind} is ${pct(c, langTotal)} of ${lang} (< ${MIN_KIND_SHARE * 100}%)`);
  }
}

const zh = rows.filter((r) => r.lang === "zh");
const trad = zh.filter((r) => [...r.text].filter((ch) => TRAD.has(ch)).length >= 2).length;
const mixed = zh.filter((r) => /[A-Za-z]{2,}/.test(r.text)).length;
const lens = rows.map((r) => r.len).sort((a, b) => a - b);
const median = lens.length ? lens[Math.floor(lens.length / 2)] : 0;
const mid = count((r) => r.len >= 40 && r.len <= 250);
const multi = count((r) => r.text.includes("\\n"));
console.log(
  `\nzh: ${zh.length} messages, ~${trad} (${pct(trad, zh.length)}) Traditional-script, ${mixed} (${pct(mixed, zh.length)}) containing Latin words` +
    `\nlength: min ${lens[0] ?? 0}, median ${median}, max ${lens[lens.length - 1] ?? 0}; ${pct(mid, rows.length)} in 40-250 chars; ${multi} with \\n line breaks`
);

for (const lang of LANGS) {
  const l = rows.filter((r) => r.lang === lang).map((r) => r.len).sort((a, b) => a - b);
  if (!l.length) continue;
  const inRange = l.filter((x) => x >= 40 && x <= 250).length;
  console.log(
    `length ${lang}: median ${l[Math.floor(l.length / 2)]}, <20: ${l.filter((x) => x < 20).length}, 20-39: ${l.filter((x) => x >= 20 && x < 40).length}, ` +
      `40-250: ${inRange} (${pct(inRange, l.length)}), >250: ${l.filter((x) => x > 250).length}`
  );
}

if (markdown) {
  console.log("\n" + table(true));
}

if (warnings.length) {
  console.log(`\n${warnings.length} warning(s):`);
  for (const w of warnings) console.log("  " + w);
}
if (errors.length) {
  console.log(`\n${errors.length} error(s):`);
  for (const e of errors) console.log("  " + e);
  process.exit(1);
}
console.log("\nOK: no malformed lines");
