import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countEmlFiles, emlFiles } from '../../../src/mail/eml-files.js';
import { extractReply } from '../../../src/mail/extract-reply.js';
import { canonicalMessageId, messageIdList } from '../../../src/mail/message-id.js';
import { isOwnOrigin, ownOriginHeaders, ownOriginHeader } from '../../../src/mail/own-header.js';
import { stripSignature } from '../../../src/mail/strip-signature.js';

describe('stripSignature', () => {
  it('removes Western signatures and sign-offs', () => {
    expect(stripSignature('Please ship today.\n\n-- \nBob Smith\nACME Corp')).toBe('Please ship today.');
    expect(stripSignature('Please ship today.\n\nSent from my iPhone')).toBe('Please ship today.');
    expect(stripSignature('Please ship today.\n\nBest regards,\nBob')).toBe('Please ship today.');
  });

  it('removes Chinese mobile-client taglines at the end only', () => {
    expect(stripSignature('明天上午可以。\n\n发自我的iPhone')).toBe('明天上午可以。');
    expect(stripSignature('好的\n\n来自网易邮箱大师')).toBe('好的');
    expect(stripSignature('收到\n\n发自我的华为手机')).toBe('收到');
    const mid = '我们的客户说：\n发自我的iPhone 的邮件都是乱码\n' + '请检查编码设置。\n'.repeat(8);
    expect(stripSignature(mid)).toBe(mid.trim());
  });

  it('keeps a message that is nothing but a signature-like line', () => {
    expect(stripSignature('Sent from my iPhone')).toBe('Sent from my iPhone');
  });
});

describe('extractReply on long bodies', () => {
  it('cuts a quotation found in the first lines of a very long body', () => {
    const body = `Short answer.\n\nOn Mon, Nov 2, 2026 at 10:00 AM Bob <bob@x.com> wrote:\n${'> old line\n'.repeat(3000)}`;
    expect(extractReply(body)).toBe('Short answer.');
  });

  it('keeps all of a long body whose head has no quotation', () => {
    const body = 'line of content\n'.repeat(2500);
    expect(extractReply(body)).toBe(body.trim());
  });
});

describe('Message-IDs', () => {
  it('are canonical <id> strings', () => {
    expect(canonicalMessageId(' <a@b> ')).toBe('<a@b>');
    expect(canonicalMessageId('a@b')).toBe('<a@b>');
    expect(canonicalMessageId('<<a@b>>')).toBe('<a@b>');
    expect(canonicalMessageId('')).toBeUndefined();
    expect(messageIdList('<a@b> <c@d>\r\n <a@b>')).toEqual(['<a@b>', '<c@d>']);
    expect(messageIdList('a@b, c@d')).toEqual(['<a@b>', '<c@d>']);
  });
});

describe('own origin header', () => {
  it('round-trips: what the mailer sets is recognised on the way back in', () => {
    const value = ownOriginHeaders('digest')[ownOriginHeader]!;
    expect(isOwnOrigin(value)).toBe(true);
    expect(isOwnOrigin('Rapport; kind=x')).toBe(true);
    expect(isOwnOrigin('other')).toBe(false);
    expect(isOwnOrigin(undefined)).toBe(false);
  });
});

describe('emlFiles', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-eml-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('walks directories recursively in name order, .eml files only, and reports missing paths', async () => {
    mkdirSync(path.join(dir, 'b/deeper'), { recursive: true });
    mkdirSync(path.join(dir, 'a'));
    for (const f of ['z.eml', 'a/2.EML', 'a/1.eml', 'b/deeper/x.eml', 'b/readme.txt', '.hidden.eml']) writeFileSync(path.join(dir, f), 'From: a@b\n\nx');
    const seen: string[] = [];
    for await (const e of emlFiles([dir, path.join(dir, 'b/readme.txt'), path.join(dir, 'nope')])) seen.push(`${path.relative(dir, e.path)}${e.error ? ` (${e.error})` : ''}`);
    expect(seen).toEqual(['z.eml', 'a/1.eml', 'a/2.EML', 'b/deeper/x.eml', 'b/readme.txt', 'nope (no such file or directory)']);
    expect(await countEmlFiles([dir])).toBe(4);
    expect(await countEmlFiles([dir, path.join(dir, 'nope')])).toBe(5);
  });
});
