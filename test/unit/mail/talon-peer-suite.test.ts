// The talon peer suite (../shared/peer-suites/talon): 21 real messages from 13 mail clients, run
// with the rules of its README. Every case must pass; the count is printed at the end.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { extractHtmlReply, extractReply } from '../../../src/mail/extract-reply.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { stripSignature } from '../../../src/mail/strip-signature.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const suiteDir = path.resolve(repoRoot, '../shared/peer-suites/talon');

interface PeerCase {
  file: string;
  input: string;
  expected: string;
  compare: 'trimmed' | 'all whitespace removed';
}

// A missing suite is a failure, never a skip.
const expectations = JSON.parse(readFileSync(path.join(suiteDir, 'expectations.json'), 'utf8')) as { cases: PeerCase[] };
const results = new Map<string, boolean>();

function matches(c: PeerCase, got: string): boolean {
  return c.compare === 'trimmed' ? got.trim() === c.expected.trim() : got.replace(/\s/g, '') === c.expected.replace(/\s/g, '');
}

describe('talon peer suite', () => {
  it('has the 21 cases its README describes', () => {
    expect(expectations.cases).toHaveLength(21);
    for (const c of expectations.cases) expect(existsSync(path.join(suiteDir, c.file))).toBe(true);
  });

  for (const c of expectations.cases) {
    it(`extracts the reply of ${c.file}`, async () => {
      const raw = readFileSync(path.join(suiteDir, c.file));
      let got: string;
      if (c.file.endsWith('.eml')) {
        // README rule: the first text/plain part, quoted text removed.
        const mail = await simpleParser(raw, { skipHtmlToText: true });
        got = extractReply(mail.text ?? '');
      } else {
        got = extractHtmlReply(raw.toString('utf8'));
      }
      results.set(c.file, matches(c, got));
      expect(c.compare === 'trimmed' ? got.trim() : got.replace(/\s/g, '')).toBe(c.compare === 'trimmed' ? c.expected.trim() : c.expected);
    });

    if (c.file.endsWith('.eml')) {
      it(`stores the same reply, signature removed, when ${c.file} goes through parseEmail`, async () => {
        const msg = await parseEmail(readFileSync(path.join(suiteDir, c.file)));
        expect(msg.text).toBe(stripSignature(c.expected));
        expect(msg.fullText!.length).toBeGreaterThan(msg.text.length);
      });
    }
  }

  afterAll(() => {
    const passed = [...results.values()].filter(Boolean).length;
    console.info(`talon peer suite: ${passed}/${expectations.cases.length} cases pass`);
  });
});
