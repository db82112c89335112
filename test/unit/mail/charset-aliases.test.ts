// Charset labels real mailers write besides the canonical names decode as their charset, in RFC 2047
// header words and in bodies; a label nobody knows is read by detection, never as garbled UTF-8.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/mail/parse-email.js';

const traditional = '黃磊您好，退款何時到帳？謝謝';
const simplified = '王芳您好，请问退款什么时候到账？谢谢';
const korean = '안녕하세요, 환불 문의드립니다';

function message(label: string, encoding: string, text: string): Buffer {
  const word = `=?${label}?B?${iconv.encode(text, encoding).toString('base64')}?=`;
  const head = `From: kehu@example.cn\r\nTo: support@rapport.example\r\nSubject: ${word}\r\nMessage-ID: <${label}@example.cn>\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: text/plain; charset="${label}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), iconv.encode(text, encoding), Buffer.from('\r\n')]);
}

const aliases: [label: string, encoding: string, text: string][] = [
  ['big5_tw', 'big5', traditional], ['x-big5', 'big5', traditional], ['big5-hkscs', 'big5', traditional], ['BIG5', 'big5', traditional],
  ['x-gbk', 'gbk', simplified], ['cp936', 'gbk', simplified], ['ms936', 'gbk', simplified], ['windows-936', 'gbk', simplified],
  ['gb2312_80', 'gbk', simplified], ['gb_2312-80', 'gbk', simplified], ['GB2312', 'gbk', simplified],
  ['ks_c_5601-1987', 'cp949', korean],
];

describe('charset labels', () => {
  for (const [label, encoding, text] of aliases) {
    it(`reads ${label} in the subject and the body`, async () => {
      const m = await parseEmail(message(label, encoding, text));
      expect(m.subject).toBe(text);
      expect(m.text.trim()).toBe(text);
    });
  }

  it('reads an unknown label by detection: Big5 and GBK told apart, no replacement characters', async () => {
    const big5 = await parseEmail(message('x-mystery-charset', 'big5', traditional));
    expect(big5.subject).toBe(traditional);
    expect(big5.text.trim()).toBe(traditional);
    const gbk = await parseEmail(message('x-mystery-charset', 'gbk', simplified));
    expect(gbk.subject).toBe(simplified);
    expect(gbk.text.trim()).toBe(simplified);
    expect(`${big5.text}${gbk.text}${big5.subject}${gbk.subject}`).not.toContain('\uFFFD');
  });
});
