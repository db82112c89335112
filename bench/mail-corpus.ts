// A generated mailbox export for benchmarks: n .eml files, mixed English and Chinese, some GBK, some
// replies with quoted history (Western and Chinese clients), some HTML-only, some with attachments,
// from a few hundred senders at a few dozen companies.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';

const zhLines = [
  '您好，我们上周下的订单到现在还没有发货，请帮忙查一下物流。',
  '发票抬头需要改成上海客户科技有限公司，税号不变。',
  '设备安装后一直报错，重启也没有用，麻烦安排工程师上门。',
  '价格可以接受，请把合同发过来，我们走一下盖章流程。',
  '退款已经申请三天了，还没有到账，请尽快处理。',
];
const enLines = [
  'Our order from last week still has not shipped. Could you check the tracking number?',
  'The invoice needs the new company address; everything else is correct.',
  'After the update the dashboard keeps timing out for our whole team.',
  'We are happy with the quote, please send the contract for signature.',
  'The refund was requested three days ago and has not arrived yet.',
];

const b64 = (buf: Buffer) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
const word = (s: string, charset: string) => `=?${charset}?B?${iconv.encode(s, charset).toString('base64')}?=`;

function message(i: number): Buffer {
  const zh = i % 2 === 0;
  const gbk = zh && i % 5 === 0;
  const charset = gbk ? 'gbk' : 'utf-8';
  const company = `company${i % 40}`;
  const from = `${zh ? word(`客户${i % 300}`, charset) : `Customer ${i % 300}`} <user${i % 300}@${company}.com.cn>`;
  const lines = zh ? zhLines : enLines;
  const subject = zh ? `订单问题 #${1000 + (i % 500)}` : `Order question #${1000 + (i % 500)}`;
  let body = `${lines[i % 5]}\n${lines[(i + 1) % 5]}\n`;
  const reply = i % 3 === 0;
  if (reply) {
    body += zh
      ? `\n------------------ 原始邮件 ------------------\n发件人: "客服"<support@rapport.example>;\n发送时间: 2026年11月20日(星期五) 下午5:40\n收件人: "客户"<user${i % 300}@${company}.com.cn>;\n主题: ${subject}\n\n${lines[(i + 2) % 5]}\n`
      : `\nOn Fri, Nov 20, 2026 at 5:40 PM Support <support@rapport.example> wrote:\n> ${lines[(i + 2) % 5]}\n> ${lines[(i + 3) % 5]}\n`;
  }
  const head = [
    `From: ${from}`,
    'To: Support <support@rapport.example>',
    `Subject: ${reply ? (zh ? '回复：' : 'Re: ') : ''}${zh ? word(subject, charset) : subject}`,
    `Date: ${new Date(Date.UTC(2026, 9, 1) + i * 600_000).toUTCString()}`,
    `Message-ID: <bench-${i}@${company}.com.cn>`,
    'MIME-Version: 1.0',
  ];
  const text = iconv.encode(body.replace(/\n/g, '\r\n'), charset);
  if (i % 7 === 0) {
    const html = iconv.encode(`<html><body><p>${body.replace(/\n/g, '<br>')}</p></body></html>`, charset);
    head.push(`Content-Type: text/html; charset=${charset}`, 'Content-Transfer-Encoding: base64');
    return Buffer.from(`${head.join('\r\n')}\r\n\r\n${b64(html)}\r\n`, 'latin1');
  }
  if (i % 11 === 0) {
    const boundary = `b${i}`;
    const attachment = Buffer.alloc(20_000, i % 256);
    return Buffer.from(
      `${head.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(text)}\r\n--${boundary}\r\nContent-Type: application/pdf; name="quote-${i}.pdf"\r\nContent-Disposition: attachment; filename="quote-${i}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(attachment)}\r\n--${boundary}--\r\n`,
      'latin1',
    );
  }
  head.push(`Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${gbk ? '8bit' : 'base64'}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), gbk ? text : Buffer.from(b64(text), 'latin1')]);
}

/** Writes `n` messages under `dir` (100 per subfolder, like a Maildir export). */
export function writeMailCorpus(dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, `f${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `${i}.eml`), message(i));
  }
}
