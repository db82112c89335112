import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRapportError } from '../../../src/core/errors.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { salvageMessage } from '../../../src/mail/salvage-message.js';
import { buildEml } from './build-eml.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

describe('malformed MIME never throws out of the parser', () => {
  it('flags a multipart message whose boundary never appears, keeping headers and body text', async () => {
    const raw = crlf(`From: 客户 <customer@kehu.cn>
Subject: =?utf-8?B?5Yqg5oCl?=
Message-ID: <broken-1@kehu.cn>
Content-Type: multipart/mixed; boundary="never-used"

请尽快回复，谢谢。
`);
    const msg = await parseEmail(raw);
    expect(msg.flags).toContain('parse_error');
    expect(msg.from).toEqual({ email: 'customer@kehu.cn', name: '客户' });
    expect(msg.subject).toBe('加急');
    expect(msg.text).toBe('请尽快回复，谢谢。');
  });

  it('flags a multipart message without a boundary parameter', async () => {
    const msg = await parseEmail(crlf('From: a@kehu.cn\nMessage-ID: <nb@kehu.cn>\nContent-Type: multipart/alternative\n\nhello there\n'));
    expect(msg.flags).toContain('parse_error');
    expect(msg.text).toBe('hello there');
  });

  it('reads what it can of a message cut off in the middle of a part', async () => {
    const whole = buildEml({ From: 'a@kehu.cn', Subject: 'cut', 'Message-ID': '<cut@kehu.cn>' }, [{ body: '第一部分的内容。' }, { type: 'application/pdf', body: randomBytes(10_000) }], 'mixed');
    const msg = await parseEmail(whole.subarray(0, whole.length - 5000));
    expect(msg.externalId).toBe('<cut@kehu.cn>');
    expect(msg.text).toBe('第一部分的内容。');
  });

  it('survives broken base64, an unknown charset and a garbage date', async () => {
    const raw = crlf(`From: a@kehu.cn
Date: not a date at all
Message-ID: <odd@kehu.cn>
Content-Type: text/plain; charset=x-no-such-charset
Content-Transfer-Encoding: base64

SGVsbG8g!!!d29ybGQ=%%%
`);
    const received = new Date('2026-11-20T08:00:00Z');
    const msg = await parseEmail(raw, { receivedAt: received });
    expect(msg.text).toContain('Hello');
    expect(msg.occurredAt).toEqual(received);
  });

  it('rejects input that is not a mail message with a typed validation error', async () => {
    for (const junk of [Buffer.alloc(0), randomBytes(2000), Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1')]) {
      const err = await parseEmail(junk).catch((e: unknown) => e);
      expect(isRapportError(err, 'validation')).toBe(true);
    }
  });

  it('gives a message without Message-ID a stable id from its content (CRLF or LF alike)', async () => {
    const lf = Buffer.from('From: a@kehu.cn\nSubject: no id\n\nbody\n');
    const a = await parseEmail(lf);
    const b = await parseEmail(Buffer.from(lf.toString().replace(/\n/g, '\r\n')));
    expect(a.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.externalId).toBe(a.externalId);
    expect((await parseEmail(Buffer.from('From: a@kehu.cn\nSubject: no id\n\nother\n'))).externalId).not.toBe(a.externalId);
  });

  it('canonicalises Message-ID, In-Reply-To and References to <id> form', async () => {
    const msg = await parseEmail(crlf('From: a@kehu.cn\nMessage-ID: abc@kehu.cn\nIn-Reply-To: <p2@rapport-demo.cn> (Bob)\nReferences: <p1@rapport-demo.cn>\n <p2@rapport-demo.cn>\n\nhi\n'));
    expect(msg.externalId).toBe('<abc@kehu.cn>');
    expect(msg.threadHints).toEqual({ inReplyTo: '<p2@rapport-demo.cn>', references: ['<p1@rapport-demo.cn>', '<p2@rapport-demo.cn>'] });
  });
});

describe('large messages', () => {
  it('parses a 25 MB message with a large attachment, keeping only its metadata', async () => {
    const big = randomBytes(18 * 1024 * 1024);
    const raw = buildEml({ From: 'a@kehu.cn', Subject: 'big', 'Message-ID': '<big@kehu.cn>' }, [{ body: '大文件见附件。' }, { type: 'application/zip', body: big, headers: { 'Content-Disposition': 'attachment; filename="logs.zip"' } }], 'mixed');
    expect(raw.length).toBeGreaterThan(24 * 1024 * 1024);
    const msg = await parseEmail(raw);
    expect(msg.text).toBe('大文件见附件。');
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]!.size).toBe(big.length);
    expect(msg.flags).toEqual([]);
  });

  it('parses a 25 MB text body, keeping a capped text and flagging it truncated', async () => {
    const line = '这是一封很长的邮件，用来测试大消息的处理。This line repeats.\n';
    const body = line.repeat(Math.ceil((25 * 1024 * 1024) / Buffer.byteLength(line)));
    const raw = buildEml({ From: 'a@kehu.cn', Subject: 'long', 'Message-ID': '<long@kehu.cn>' }, { body, encoding: '8bit' });
    const msg = await parseEmail(raw);
    expect(msg.flags).toEqual(['truncated']);
    expect(msg.text.length).toBe(100_000);
    expect(msg.text.startsWith(line.trim())).toBe(true);
  });

  it('parses only the first maxBytes of an oversized message and says so', async () => {
    const raw = buildEml({ From: 'a@kehu.cn', Subject: 'x', 'Message-ID': '<max@kehu.cn>' }, { body: 'a'.repeat(50_000), encoding: '8bit' });
    const msg = await parseEmail(raw, { maxBytes: 10_000 });
    expect(msg.flags).toContain('truncated');
    expect(msg.externalId).toBe('<max@kehu.cn>');
  });
});

describe('files saved from mbox mailboxes', () => {
  it('skip the "From sender date" separator line', async () => {
    const msg = await parseEmail(Buffer.from('From wang@kehu.cn Fri Nov 20 10:00:00 2026\nFrom: wang@kehu.cn\nSubject: mbox\nMessage-ID: <mbox@kehu.cn>\n\nhi\n'));
    expect(msg).toMatchObject({ externalId: '<mbox@kehu.cn>', subject: 'mbox', text: 'hi', flags: [] });
  });
});

describe('salvageMessage (used when mailparser itself fails)', () => {
  it('reads the headers on their own and keeps the body as text', async () => {
    const raw = crlf('From: =?utf-8?B?5a6i5oi3?= <c@kehu.cn>\nSubject: salvage\nContent-Type: multipart/mixed;\n boundary="x"\nContent-Transfer-Encoding: base64\n\n正文还在\n');
    const got = await salvageMessage(raw);
    expect(got.parsed.get('subject')).toBe('salvage');
    expect(got.raw.get('from')).toEqual(['=?utf-8?B?5a6i5oi3?= <c@kehu.cn>']);
    expect(got.text).toBe('正文还在\r\n');
    expect(got.attachments).toEqual([]);
  });
});
