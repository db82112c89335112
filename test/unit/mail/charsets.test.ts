import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { buildEml, encodedWord, type TransferEncoding } from './build-eml.js';

// Each charset with a subject and body its senders really write in it.
const samples: { charset: string; subject: string; body: string; name: string }[] = [
  { charset: 'gbk', subject: '关于订单发货的问题', body: '您好，我们的订单还没有收到，请尽快安排发货。喆', name: '王喆' },
  { charset: 'gb2312', subject: '发票抬头修改', body: '请把发票抬头改为：上海客户科技有限公司。', name: '李娜' },
  { charset: 'gb18030', subject: '退款申请 𠮷', body: '商品有质量问题，申请退款。𠮷野家的便当也很好吃。', name: '陈𠮷' },
  { charset: 'big5', subject: '報價單確認', body: '請確認報價單內容，謝謝。', name: '林志明' },
  { charset: 'iso-2022-jp', subject: 'お見積もりの件', body: 'お世話になっております。見積書をお送りします。', name: '田中太郎' },
  { charset: 'iso-8859-1', subject: 'Réclamation - commande n°42', body: 'Bonjour, la livraison est arrivée abîmée. Merci de réagir.', name: 'Zoë Müller' },
  { charset: 'iso-8859-2', subject: 'Zamówienie - pilne', body: 'Dzień dobry, proszę o szybką wysyłkę. Łódź, Kraków.', name: 'Łukasz Żółć' },
  { charset: 'utf-8', subject: '混合 mixed 件名 ✓', body: '中文 English 日本語 한국어 — all in one ✓', name: '张三 Zhang' },
];

const encodings: TransferEncoding[] = ['base64', 'quoted-printable', '8bit'];

describe('parseEmail decodes the charsets Chinese and Western senders use', () => {
  for (const s of samples) {
    for (const encoding of encodings) {
      // ISO-2022-JP is a 7-bit charset: clients send it as 7bit, never 8bit.
      const enc = s.charset === 'iso-2022-jp' && encoding === '8bit' ? '7bit' : encoding;
      it(`reads a ${s.charset} subject, sender and ${enc} body`, async () => {
        const raw = buildEml(
          {
            From: `${encodedWord(s.name, s.charset)} <sender@example.cn>`,
            To: `${encodedWord('客服', s.charset === 'iso-8859-1' || s.charset === 'iso-8859-2' ? 'utf-8' : s.charset, 'Q')} <support@rapport-demo.cn>`,
            Subject: encodedWord(s.subject, s.charset),
            Date: 'Mon, 23 Nov 2026 10:00:00 +0800',
            'Message-ID': `<${s.charset}.${enc}@example.cn>`,
          },
          { charset: s.charset, encoding: enc, body: s.body },
        );
        const msg = await parseEmail(raw);
        expect(msg.subject).toBe(s.subject);
        expect(msg.from).toEqual({ email: 'sender@example.cn', name: s.name });
        expect(msg.to).toEqual([{ email: 'support@rapport-demo.cn', name: '客服' }]);
        expect(msg.text).toBe(s.body);
        expect(msg.flags).toEqual([]);
      });
    }
  }

  it('reads GBK text labelled gb2312 (what many Chinese clients send)', async () => {
    const body = '镕基喆昇——这些字不在 GB2312 里。';
    expect(iconv.decode(iconv.encode(body, 'gbk'), 'gbk')).toBe(body);
    const raw = buildEml({ From: 'a@example.cn', Subject: encodedWord('测试 喆', 'gbk').replace('gbk', 'gb2312'), 'Message-ID': '<gb@x>' }, { charset: 'gb2312', body: iconv.encode(body, 'gbk'), encoding: 'base64' });
    const msg = await parseEmail(raw);
    expect(msg.text).toBe(body);
    expect(msg.subject).toBe('测试 喆');
  });

  it('joins an encoded subject split over several folded encoded words', async () => {
    const subject = '关于本季度采购合同续签以及价格调整的几点说明';
    const half = Math.floor(subject.length / 2);
    const folded = `${encodedWord(subject.slice(0, half), 'gbk')}\r\n ${encodedWord(subject.slice(half), 'gbk')}`;
    const msg = await parseEmail(buildEml({ From: 'a@example.cn', Subject: folded, 'Message-ID': '<fold@x>' }, { body: 'x' }));
    expect(msg.subject).toBe(subject);
  });
});

describe('raw 8-bit headers (no RFC 2047), as old clients and ERP systems send them', () => {
  const rawHeaders = (charset: string, declared: string | null, subject: string, name: string) =>
    Buffer.concat([
      iconv.encode(`From: ${name} <erp@factory.cn>\r\nSubject: ${subject}\r\nMessage-ID: <raw-${charset}@factory.cn>\r\n`, charset),
      Buffer.from(`Content-Type: text/plain${declared ? `; charset=${declared}` : ''}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      iconv.encode('正文', declared ?? 'utf-8'),
    ]);

  it('reads raw GBK headers using the declared charset', async () => {
    const msg = await parseEmail(rawHeaders('gbk', 'GBK', '采购订单 PO-2026-118', '王五'));
    expect(msg.subject).toBe('采购订单 PO-2026-118');
    expect(msg.from).toEqual({ email: 'erp@factory.cn', name: '王五' });
  });

  it('reads raw GB18030 headers when no charset is declared', async () => {
    expect((await parseEmail(rawHeaders('gb18030', null, '对账单', '财务'))).subject).toBe('对账单');
  });

  it('reads raw UTF-8 headers (RFC 6532) as they are', async () => {
    const msg = await parseEmail(rawHeaders('utf-8', 'utf-8', '发货通知 ✓', '张三'));
    expect(msg.subject).toBe('发货通知 ✓');
    expect(msg.from.name).toBe('张三');
  });
});
